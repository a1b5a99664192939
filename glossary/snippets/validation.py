"""Static checks of snippets for ``torchgloss validate``: each parses, and shows its API.

These need no process and no torch: they read the code with :mod:`ast`. Running the snippets is
:func:`glossary.snippets.checks.check_all`'s job.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from glossary.errors import Problem
from glossary.origin import entry_problem

if TYPE_CHECKING:
    from glossary.origin import EntryOrigin
    from glossary.schema import Entry

_FIELD = "snippet.code"


def names_in(tree: ast.AST) -> set[str]:
    """Every name the code mentions: variables, attributes, and the parts of imported names."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.alias):
            names.update(node.name.split("."))
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.update(node.module.split("."))
    return names


def uses_api(code: str, api: str) -> bool:
    """Whether ``code`` mentions the last part of ``api`` as a name, attribute or import.

    ``torch.nn.Linear`` is shown by ``nn.Linear(2, 3)`` or ``from torch.nn import Linear``;
    ``torch.Tensor.view`` by ``x.view(2, 3)``. Raises :class:`SyntaxError` if it does not parse.

    Example:
        >>> uses_api("import torch\\nprint(torch.zeros(2).view(1, 2))", "torch.Tensor.view")
        True
    """
    return api.rsplit(".", 1)[-1] in names_in(ast.parse(code))


def check_snippet_parses(
    entries: Sequence[Entry], origins: dict[str, EntryOrigin]
) -> Iterable[Problem]:
    """Each snippet is valid Python for this interpreter."""
    for entry in entries:
        if entry.snippet is None:
            continue
        try:
            ast.parse(entry.snippet.code, filename="<snippet>")
        except SyntaxError as exc:
            where = f" (line {exc.lineno} of the snippet)" if exc.lineno else ""
            yield entry_problem(
                origins.get(entry.id), entry.id, _FIELD, f"does not parse: {exc.msg}{where}"
            )


def check_snippet_uses_api(
    entries: Sequence[Entry], origins: dict[str, EntryOrigin]
) -> Iterable[Problem]:
    """The snippet of an entry with an ``api`` actually uses that API."""
    for entry in entries:
        if entry.snippet is None or entry.api is None:
            continue
        try:
            used = uses_api(entry.snippet.code, entry.api)
        except SyntaxError:
            continue  # reported by check_snippet_parses
        if not used:
            name = entry.api.rsplit(".", 1)[-1]
            yield entry_problem(
                origins.get(entry.id),
                entry.id,
                _FIELD,
                f"never uses {entry.api!r}: {name!r} appears nowhere in the code",
            )


def snippet_problems(entries: Sequence[Entry], origins: dict[str, EntryOrigin]) -> list[Problem]:
    """All problems the static snippet checks find (``torchgloss validate`` calls this)."""
    return [
        *check_snippet_parses(entries, origins),
        *check_snippet_uses_api(entries, origins),
    ]
