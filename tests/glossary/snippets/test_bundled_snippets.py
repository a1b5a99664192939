"""The CI guard: every bundled snippet parses, shows its API, and works on the installed torch.

A new PyTorch that changes what an example prints, or removes what it calls, fails here with
the entry's id. The snippets run in parallel, forked from one interpreter that imported torch
(about 0.1 s each); ``pytest -m snippets`` runs just this guard.
"""

from __future__ import annotations

import pytest

from glossary.loader import load_glossary
from glossary.schema import Kind
from glossary.snippets.checks import check_all
from glossary.snippets.validation import snippet_problems
from glossary.snippets.warm import WarmLauncher

pytestmark = pytest.mark.snippets


def test_every_bundled_snippet_parses_and_uses_its_api() -> None:
    glossary = load_glossary()
    problems = snippet_problems(glossary.entries, glossary.origins)
    assert not problems, "\n".join(map(str, problems))


def test_every_bundled_api_entry_has_a_snippet() -> None:
    glossary = load_glossary()
    missing = [e.id for e in glossary.entries if e.kind is Kind.API and e.snippet is None]
    assert not missing, f"API entries without an example: {', '.join(missing)}"


def test_every_bundled_snippet_passes_on_the_installed_torch(warm_launcher: WarmLauncher) -> None:
    glossary = load_glossary()
    checks = check_all(glossary, launcher=warm_launcher)
    assert checks, "the bundled glossary has no snippets"
    failures = [
        f"{check.entry_id}:\n  " + "\n  ".join(check.problems)
        for check in checks
        if check.status == "failed"
    ]
    assert not failures, f"{len(failures)} of {len(checks)} snippets fail:\n" + "\n".join(failures)
