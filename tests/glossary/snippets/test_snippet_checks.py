"""Judging runs against what entries expect, and checking a whole glossary in parallel."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from glossary.loader import Glossary
from glossary.schema import Snippet
from glossary.snippets.checks import (
    SnippetCheck,
    check_all,
    compare_output,
    judge,
    normalize_output,
)
from glossary.snippets.runner import RunResult
from glossary.snippets.warm import WarmLauncher

MakeGlossary = Callable[[dict[str, tuple[str, str]]], Glossary]


def ran(stdout: str = "", stderr: str = "", exit_code: int = 0, **kw: object) -> RunResult:
    return RunResult(exit_code, stdout, stderr, False, 0.1, "cpu", **kw)  # type: ignore[arg-type]


def test_output_is_compared_without_trailing_whitespace() -> None:
    assert normalize_output("a  \r\nb\t\n\n\n") == "a\nb"
    snippet = Snippet(code="print(1)", expected_output="tensor([1.])\ntorch.Size([1])\n")
    assert compare_output(snippet, "tensor([1.])   \ntorch.Size([1])\n\n").ok


def test_a_difference_is_shown_as_a_diff() -> None:
    snippet = Snippet(code="print(1)", expected_output="a\nb\n")
    outcome = compare_output(snippet, "a\nc\n")
    assert not outcome.ok
    (problem,) = outcome.problems
    assert "--- expected" in problem and "-b" in problem and "+c" in problem


def test_contains_and_regex() -> None:
    snippet = Snippet(
        code="x", output_contains=["grad_fn", "tensor("], output_regex=r"loss=\d+\.\d{2}"
    )
    assert compare_output(snippet, "tensor(2., grad_fn=<AddBackward0>) loss=0.25").ok
    outcome = compare_output(snippet, "tensor(2.) loss=high")
    assert outcome.problems == (
        "output does not contain 'grad_fn'",
        "output does not match the regex 'loss=\\\\d+\\\\.\\\\d{2}'",
    )


def test_a_snippet_without_expectations_only_has_to_succeed() -> None:
    snippet = Snippet(code="print('anything')")
    assert judge(snippet, ran("whatever")).ok
    failed = judge(snippet, ran(stderr="Traceback\nValueError: boom\n", exit_code=1))
    assert failed.problems == ("exited with status 1:\nTraceback\nValueError: boom",)
    timed_out = RunResult(-9, "", "", True, 10.0, "cpu")
    assert judge(snippet, timed_out).problems == ("timed out after 10.0 s",)


ADD = 'code: "import torch; print(torch.add(torch.tensor(1), {}).item())"\nexpected_output: "3"'
MIXED = {
    "my.good": ("torch.add", ADD.format(2)),
    "my.wrong": ("torch.add", ADD.format(1)),
    "my.raises": ("torch.add", 'code: "import torch; torch.add(1)"'),
    "my.gpu": ("torch.add", 'code: "import torch; torch.add(1, 1)"\nrequires_cuda: true'),
}


def test_check_all_reports_each_failure_with_its_entry(
    user_glossary: MakeGlossary, warm_launcher: WarmLauncher
) -> None:
    glossary = user_glossary(MIXED)
    seen: list[SnippetCheck] = []
    checks = check_all(
        glossary, 2, ids=list(MIXED), confirmed=True, launcher=warm_launcher, on_check=seen.append
    )
    by_id = {check.entry_id: check for check in checks}
    assert [c.entry_id for c in checks] == list(MIXED)
    assert sorted(c.entry_id for c in seen) == sorted(by_id)
    assert by_id["my.good"].status == "passed" and by_id["my.good"].problems == ()
    assert by_id["my.wrong"].status == "failed"
    assert "output differs" in by_id["my.wrong"].problems[0]
    assert by_id["my.raises"].status == "failed"
    assert "TypeError" in by_id["my.raises"].problems[0]
    assert by_id["my.gpu"].status in {"skipped", "passed"}  # passed only on a CUDA machine
    assert all(c.result is not None and c.result.warm for c in checks if c.status != "skipped")


def test_user_snippets_are_skipped_unless_confirmed(user_glossary: MakeGlossary) -> None:
    glossary = user_glossary({"my.good": ("torch.add", 'code: "print(1)"')})
    (check,) = check_all(glossary, ids=["my.good"], warm=False)
    assert check.status == "skipped" and check.result is None
    assert "confirm" in check.problems[0] and "mine.yaml" in check.problems[0]


def test_fresh_and_warm_agree(user_glossary: MakeGlossary, warm_launcher: WarmLauncher) -> None:
    glossary = user_glossary({"my.add": MIXED["my.good"]})
    fresh = check_all(glossary, ids=["my.add"], confirmed=True, warm=False)
    warm = check_all(glossary, ids=["my.add"], confirmed=True, launcher=warm_launcher)
    assert [c.status for c in fresh + warm] == ["passed", "passed"]
    assert [c.result.warm for c in fresh + warm if c.result] == [False, True]


@pytest.mark.parametrize("jobs", [None, 1])
def test_check_all_without_snippets_is_empty(user_glossary: MakeGlossary, jobs: int | None) -> None:
    glossary = user_glossary({})
    assert check_all(glossary, jobs, ids=["flashlight"], warm=False) == []
