"""Mistakes a user can make or fix around snippets, in the :class:`GlossaryError` family."""

from __future__ import annotations

from glossary.errors import GlossaryError


class NoSnippetError(GlossaryError):
    """The entry asked for has no example snippet."""

    title = "No example"


class UntrustedSnippetError(GlossaryError):
    """A snippet from a user's own glossary folder was to run without the user confirming."""

    title = "Confirm before running"


class SnippetRunError(GlossaryError):
    """A snippet could not be started at all (its own failures are results, not errors)."""

    title = "Could not run the snippet"
