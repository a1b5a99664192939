"""Bundled snippets run directly; a snippet from a user's folder needs confirmation."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from glossary.errors import EntryNotFoundError
from glossary.loader import Glossary, load_glossary
from glossary.snippets.errors import NoSnippetError, UntrustedSnippetError
from glossary.snippets.trust import is_trusted, runnable_snippet

MakeGlossary = Callable[[dict[str, tuple[str, str]]], Glossary]


def test_bundled_snippets_run_without_asking() -> None:
    glossary = load_glossary()
    assert is_trusted(glossary, "torch.cat")
    assert "torch.cat" in runnable_snippet(glossary, "torch.cat").code


def test_a_user_snippet_needs_confirmation(user_glossary: MakeGlossary) -> None:
    glossary = user_glossary({"my.add": ("torch.add", 'code: "print(1)"')})
    assert not is_trusted(glossary, "my.add")
    with pytest.raises(
        UntrustedSnippetError, match=r"mine\.yaml:\d+.*until you confirm that it may"
    ):
        runnable_snippet(glossary, "my.add")
    with pytest.raises(UntrustedSnippetError) as info:
        runnable_snippet(glossary, "my.add")
    assert "--" not in str(info.value)  # how to confirm is the caller's: --yes, or a dialog
    assert runnable_snippet(glossary, "my.add", confirmed=True).code == "print(1)"


def test_a_user_correction_of_a_bundled_entry_is_not_trusted(user_glossary: MakeGlossary) -> None:
    glossary = user_glossary({"torch.cat": ("torch.cat", 'code: "import torch; torch.cat"')})
    with pytest.raises(UntrustedSnippetError):
        runnable_snippet(glossary, "torch.cat")


def test_missing_entries_and_snippets_are_clear_errors() -> None:
    glossary = load_glossary()
    with pytest.raises(NoSnippetError, match="'flashlight' has no example snippet"):
        runnable_snippet(glossary, "flashlight")
    with pytest.raises(EntryNotFoundError):
        runnable_snippet(glossary, "no-such-entry")
