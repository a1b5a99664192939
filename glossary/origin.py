"""Where a loaded entry was defined, and the one way a problem found in it is located.

A leaf module: the loader creates :class:`EntryOrigin` objects and every check (cross-entry,
API names, snippets) turns a finding into a :class:`~glossary.errors.Problem` with
:func:`entry_problem`, so all of them name file, line and field the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from glossary.errors import Problem


@dataclass(frozen=True, slots=True)
class EntryOrigin:
    """Where an entry was defined, and whether its snippet may run without asking."""

    path: Path
    line: int | None
    trusted: bool
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, field_name: str) -> int | None:
        """Line of a field such as ``related[2].ref``, else of its parent, else of the entry."""
        name = field_name
        while name:
            if name in self.field_lines:
                return self.field_lines[name]
            cut = max(name.rfind("."), name.rfind("["))
            name = name[:cut] if cut > 0 else ""
        return self.line


def entry_problem(
    origin: EntryOrigin | None, entry_id: str, field_name: str, message: str
) -> Problem:
    """A problem in one field of one entry, at the field's line when the origin is known.

    Entries built in memory (tests, tools) have no origin; their problems say ``<memory>``.
    """
    if origin is None:
        return Problem("<memory>", None, field_name, message, entry_id)
    return Problem(str(origin.path), origin.line_of(field_name), field_name, message, entry_id)
