"""One family of exceptions for every mistake a user can make or fix.

The CLI turns a :class:`GlossaryError` into one line on stderr and an exit status; the TUI shows
it in a dialog. Anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

from glossary.i18n import N_


class GlossaryError(Exception):
    """A problem the user can act on; ``str(err)`` says what happened and what to do."""

    title: str = N_("torchgloss error")
    exit_code: int = 1
    #: The argument of the library call that the error is about (``"limit"``, ``"device"``),
    #: or None. A front end that calls it something else (the CLI's ``--limit``) states the
    #: error with :meth:`naming`, so the library never has to know the front end's words.
    parameter: str | None = None

    def __init__(self, message: str = "", *, parameter: str | None = None, **values: object):
        """``message`` as it is; or, with ``parameter``, a ``str.format`` template in which
        ``{name}`` is the parameter (the library's own name for it unless :meth:`naming` is
        given another) and the other fields are ``values``."""
        self.parameter = parameter
        self._template = message
        self._values = values
        super().__init__(message if parameter is None else self.naming(parameter))

    def naming(self, name: str) -> str:
        """The message with the parameter called ``name`` (``"--limit"``); the plain message
        when the error is about no parameter."""
        if self.parameter is None:
            return str(self)
        return self._template.format(name=name, **self._values)


class UsageError(GlossaryError):
    """The command line or a query was not well formed (exit status 2, like argument errors)."""

    title = N_("Usage error")
    exit_code = 2


class EntryNotFoundError(GlossaryError):
    """An id was asked for that no loaded glossary file defines."""

    title = N_("No such entry")


class ModelError(GlossaryError):
    """The embedding model is missing, damaged or cannot be loaded or built."""

    title = N_("Model problem")


class IndexError_(GlossaryError):
    """A search index could not be built or read (stale or damaged indexes are rebuilt instead)."""

    title = N_("Index problem")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a glossary file, located as precisely as the YAML allows."""

    path: str
    line: int | None
    field: str | None
    message: str
    entry_id: str | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        parts = [where]
        if self.entry_id:
            parts.append(f"entry {self.entry_id!r}")
        if self.field:
            parts.append(f"field {self.field!r}")
        return f"{': '.join(parts)}: {self.message}"


class GlossaryDataError(GlossaryError):
    """Glossary files failed validation; carries every problem found, not just the first."""

    title = N_("Invalid glossary data")

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        head = "\n".join(str(p) for p in problems[:50])
        more = f"\n… and {count - 50} more" if count > 50 else ""
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in glossary data:\n{head}{more}"
        )
