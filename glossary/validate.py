"""``torchgloss validate`` as a library call: load everything, then run the slower checks too.

Loading (:func:`glossary.loader.read_glossary`) already reports the schema, the duplicate ids
and the cross-entry checks of :mod:`glossary.entry_checks`; this adds what a plain load skips
because it costs time: API names resolved in torch (:mod:`glossary.api_names`) and the static
snippet checks (:mod:`glossary.snippets.validation`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from glossary.api_names import API_CHECKS
from glossary.entry_checks import EntryCheck
from glossary.errors import Problem
from glossary.loader import read_glossary
from glossary.snippets.validation import snippet_problems


def validate(paths: Sequence[Path] = (), *, check_api: bool = True) -> list[Problem]:
    """Validate glossary folders or files; an empty list means all is well.

    Without ``paths`` the bundled data and user folders are checked. With ``paths``, only those
    (plus the bundled data, so links into it resolve; its problems are reported too).

    Args:
        paths: folders or files to check besides the bundled data.
        check_api: resolve each ``api`` and alias in the installed torch (imports torch).

    Returns:
        Every problem found, sorted by file and line.
    """
    glossary, problems = read_glossary(paths)
    checks: list[EntryCheck] = [*API_CHECKS] if check_api else []
    checks.append(snippet_problems)
    for check in checks:
        problems.extend(check(glossary.entries, glossary.origins))
    return sorted(problems, key=lambda p: (p.path, p.line or 0))
