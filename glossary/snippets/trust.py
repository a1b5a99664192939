"""Which snippets may run without asking: bundled ones yes, ones from a user's folder no.

A glossary folder a user adds (``--data``, ``TORCHGLOSS_DATA``) may come from anywhere, and its
snippets are code. They run only after the user confirms: ``--yes`` on the command line, a
dialog in the terminal browser. How to confirm is the caller's to say, so the messages here
name no command-line flag.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from glossary.i18n import _
from glossary.snippets.errors import NoSnippetError, UntrustedSnippetError

if TYPE_CHECKING:
    from glossary.loader import Glossary
    from glossary.schema import Entry, Snippet


def is_trusted(glossary: Glossary, entry_id: str) -> bool:
    """True when the entry comes from the bundled glossary (its origin is trusted)."""
    origin = glossary.origins.get(entry_id)
    return origin is not None and origin.trusted


def is_trusted_code(glossary: Glossary | None, entry: Entry) -> bool:
    """Whether ``entry``'s snippet may run without asking: only a bundled entry's code may.

    Decided for the code itself, not for the id: an entry still on screen may come from a
    glossary that has been reloaded since (a user's override of a bundled id, removed
    meanwhile), so its code must be, to the letter, what the current glossary's bundled entry
    holds. When that cannot be told, the answer is no.
    """
    if glossary is None or entry.snippet is None or not is_trusted(glossary, entry.id):
        return False
    current = glossary.by_id.get(entry.id)
    return (
        current is not None
        and current.snippet is not None
        and current.snippet.code == entry.snippet.code
    )


def code_digest(code: str) -> str:
    """A name for one exact program text: what a user confirmed is remembered as this."""
    import hashlib

    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def untrusted_message(glossary: Glossary, entry_id: str) -> str:
    """What to tell a user whose command would run a snippet from their own folder."""
    origin = glossary.origins.get(entry_id)
    where = f" ({origin.path}:{origin.line_of('snippet')})" if origin is not None else ""
    return _(
        "The example of {entry_id!r} comes from your own glossary folder{where}, not from "
        "torchgloss, so it does not run until you confirm that it may."
    ).format(entry_id=entry_id, where=where)


def runnable_snippet(glossary: Glossary, entry_id: str, *, confirmed: bool = False) -> Snippet:
    """The snippet of ``entry_id``, if it may run.

    Args:
        glossary: the loaded glossary.
        entry_id: the entry to run.
        confirmed: the user agreed to run a snippet from their own folder.

    Raises:
        EntryNotFoundError: no entry has that id.
        NoSnippetError: the entry has no snippet.
        UntrustedSnippetError: it is from a user's folder and ``confirmed`` is False.
    """
    entry = glossary.get(entry_id)
    if entry.snippet is None:
        raise NoSnippetError(
            _("{entry_id!r} has no example snippet to run.").format(entry_id=entry_id)
        )
    if not (confirmed or is_trusted(glossary, entry_id)):
        raise UntrustedSnippetError(untrusted_message(glossary, entry_id))
    return entry.snippet
