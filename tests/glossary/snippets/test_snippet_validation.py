"""Static checks: every snippet parses, and the API its entry names appears in it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from glossary.loader import Glossary
from glossary.snippets.validation import snippet_problems, uses_api
from glossary.validate import validate

MakeGlossary = Callable[[dict[str, tuple[str, str]]], Glossary]


@pytest.mark.parametrize(
    ("code", "api"),
    [
        ("import torch\nprint(torch.cat([torch.ones(1)]))", "torch.cat"),
        ("import torch\nx = torch.zeros(4)\nprint(x.view(2, 2))", "torch.Tensor.view"),
        ("from torch.nn import Linear as L\nL(2, 3)", "torch.nn.Linear"),
        ("import torch.nn.functional as F", "torch.nn.functional"),
        ("from torch.nn.functional import relu", "torch.nn.functional"),
    ],
)
def test_the_api_is_found_in_names_attributes_and_imports(code: str, api: str) -> None:
    assert uses_api(code, api)


def test_a_mention_in_a_comment_or_string_is_not_use() -> None:
    assert not uses_api(
        "import torch\n# torch.stack\nprint('stack')\nprint(torch.cat)", "torch.stack"
    )


def test_problems_name_the_entry_and_field(user_glossary: MakeGlossary) -> None:
    glossary = user_glossary(
        {
            "my.broken": ("torch.cat", 'code: "print(torch.cat(["'),
            "my.other": ("torch.stack", 'code: "import torch; print(torch.cat([torch.ones(1)]))"'),
            "my.fine": ("torch.cat", 'code: "import torch; print(torch.cat([torch.ones(1)]))"'),
        }
    )
    problems = snippet_problems(glossary.entries, glossary.origins)
    assert [(p.entry_id, p.field) for p in problems] == [
        ("my.broken", "snippet.code"),
        ("my.other", "snippet.code"),
    ]
    assert problems[0].message.startswith("does not parse: ")
    assert problems[1].message == "never uses 'torch.stack': 'stack' appears nowhere in the code"
    assert Path(problems[0].path).name == "mine.yaml" and problems[0].line is not None


def test_validate_runs_the_snippet_checks(user_glossary: MakeGlossary) -> None:
    glossary = user_glossary({"my.other": ("torch.stack", 'code: "print(1)"')})
    problems = validate([glossary.folders[-1]], check_api=False)
    assert any(p.entry_id == "my.other" and "never uses" in p.message for p in problems)
