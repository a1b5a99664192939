"""Mistakes a user can make or fix around snippets, in the :class:`GlossaryError` family."""

from __future__ import annotations

from glossary.errors import GlossaryError
from glossary.i18n import N_


class NoSnippetError(GlossaryError):
    """The entry asked for has no example snippet."""

    title = N_("No example")


class UntrustedSnippetError(GlossaryError):
    """A snippet from a user's own glossary folder was to run without the user confirming."""

    title = N_("Confirm before running")


class SnippetRunError(GlossaryError):
    """A snippet could not be started at all (its own failures are results, not errors)."""

    title = N_("Could not run the snippet")
