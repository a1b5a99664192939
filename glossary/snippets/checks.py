"""Does each snippet still work? Run them all and compare with what their entries expect.

``torchgloss check-snippets`` and the test suite call :func:`check_all`, so a snippet that
breaks on a new PyTorch fails CI with its entry's id.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from glossary.snippets.bounded_regex import RegexTimeoutError, bounded_search
from glossary.snippets.errors import SnippetRunError
from glossary.snippets.reproduce import harness_source, judge_reproduction
from glossary.snippets.runner import RunResult, cancel_running_snippets, run_snippet
from glossary.snippets.trust import is_trusted, untrusted_message

if TYPE_CHECKING:
    from glossary.loader import Glossary
    from glossary.schema import Entry, Snippet
    from glossary.snippets.warm import WarmLauncher

STDERR_TAIL_LINES = 12
"""How much of a failing snippet's stderr a report quotes."""
DIFF_LINES = 40


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """Whether a run did what the snippet promises; ``problems`` says how it did not."""

    ok: bool
    problems: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SnippetCheck:
    """The check of one entry's snippet.

    Attributes:
        entry_id: the entry whose snippet this is.
        status: ``passed``, ``failed`` or ``skipped`` (needs CUDA, or not confirmed to run).
        problems: what went wrong (empty when passed); for ``skipped``, why.
        result: the run, or None when it was not started.
    """

    entry_id: str
    status: Literal["passed", "failed", "skipped"]
    problems: tuple[str, ...]
    result: RunResult | None


def normalize_output(text: str) -> str:
    """Output as compared: trailing whitespace cut from each line, trailing blank lines dropped."""
    return "\n".join(line.rstrip() for line in text.splitlines()).rstrip("\n")


def compare_output(snippet: Snippet, stdout: str) -> CheckOutcome:
    """Check ``stdout`` against the snippet's ``expected_output``, ``output_contains`` and
    ``output_regex`` (``re.search``, no flags, within a time limit: :mod:`.bounded_regex`);
    a snippet with none of them passes.

    Example:
        >>> from glossary.schema import Snippet
        >>> compare_output(Snippet(code="print(1)", expected_output="1\\n"), "1  \\n").ok
        True
    """
    problems: list[str] = []
    if snippet.expected_output is not None:
        expected = normalize_output(snippet.expected_output)
        actual = normalize_output(stdout)
        if expected != actual:
            diff = difflib.unified_diff(
                expected.splitlines(), actual.splitlines(), "expected", "actual", lineterm=""
            )
            lines = list(diff)
            more = [f"… {len(lines) - DIFF_LINES} more lines"] if len(lines) > DIFF_LINES else []
            problems.append(
                "output differs from expected_output:\n" + "\n".join(lines[:DIFF_LINES] + more)
            )
    for needle in snippet.output_contains:
        if needle not in stdout:
            problems.append(f"output does not contain {needle!r}")
    if snippet.output_regex is not None:
        try:
            if not bounded_search(snippet.output_regex, stdout):
                problems.append(f"output does not match the regex {snippet.output_regex!r}")
        except (RegexTimeoutError, ValueError) as exc:
            problems.append(f"output_regex {snippet.output_regex!r}: {exc}")
    return CheckOutcome(not problems, tuple(problems))


def judge(snippet: Snippet, result: RunResult) -> CheckOutcome:
    """Whether a finished run passes: it must exit with 0, then its output must match."""
    if result.timed_out:
        return CheckOutcome(False, (f"timed out after {result.duration_s:.1f} s",))
    if result.truncated:
        return CheckOutcome(False, ("printed more than the output limit",))
    if result.exit_code != 0:
        tail = "\n".join(result.stderr.rstrip().splitlines()[-STDERR_TAIL_LINES:])
        return CheckOutcome(False, (f"exited with status {result.exit_code}:\n{tail}",))
    return compare_output(snippet, result.stdout)


def default_jobs() -> int:
    """The CPU cores this process may use (its affinity, where the platform tells)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def check_all(
    glossary: Glossary,
    jobs: int | None = None,
    *,
    ids: Iterable[str] | None = None,
    confirmed: bool = False,
    warm: bool = True,
    launcher: WarmLauncher | None = None,
    on_check: Callable[[SnippetCheck], None] | None = None,
) -> list[SnippetCheck]:
    """Run every snippet of ``glossary`` (or of ``ids``) in parallel and judge each.

    Args:
        glossary: the loaded glossary.
        jobs: runs at a time (threads, each driving one process); default :func:`default_jobs`.
        ids: only these entries (each must exist; entries without a snippet are passed over).
        confirmed: also run snippets from user folders; without it they are ``skipped``.
        warm: fork runs from a :class:`~glossary.snippets.warm.WarmLauncher` (``import torch``
            once) where the platform allows; otherwise each starts a fresh interpreter.
        launcher: a running launcher to use (and leave running) instead of starting one.
        on_check: called with each check as it finishes (from a worker thread).

    Returns:
        One :class:`SnippetCheck` per snippet, in glossary order.
    """
    entries = [glossary.get(i) for i in ids] if ids is not None else glossary.entries
    todo = [(entry, entry.snippet) for entry in entries if entry.snippet is not None]
    forkable = any(
        not snippet.requires_cuda and (confirmed or is_trusted(glossary, entry.id))
        for entry, snippet in todo
    )
    own_launcher = _start_launcher() if warm and launcher is None and forkable else None
    launcher = launcher or own_launcher

    def check(entry: Entry, snippet: Snippet) -> SnippetCheck:
        outcome = _check_one(glossary, entry, snippet, confirmed, launcher)
        if on_check is not None:
            on_check(outcome)
        return outcome

    pool = ThreadPoolExecutor(max_workers=jobs or default_jobs())
    try:
        futures = [pool.submit(check, entry, snippet) for entry, snippet in todo]
        return [future.result() for future in futures]
    except BaseException:  # Ctrl-C, or SIGTERM made an exception: stop now, leave nothing
        pool.shutdown(wait=False, cancel_futures=True)
        if own_launcher is not None:
            own_launcher.close()  # its runs end with it; later ones start fresh, if any
            own_launcher = None
        cancel_running_snippets()
        raise
    finally:
        pool.shutdown()
        if own_launcher is not None:
            own_launcher.close()


def _check_one(
    glossary: Glossary,
    entry: Entry,
    snippet: Snippet,
    confirmed: bool,
    launcher: WarmLauncher | None,
) -> SnippetCheck:
    entry_id = entry.id
    if not (confirmed or is_trusted(glossary, entry_id)):
        return SnippetCheck(entry_id, "skipped", (untrusted_message(glossary, entry_id),), None)
    if entry.error is not None and snippet.reproduce is not None:
        try:
            reproduced = run_snippet(
                harness_source(snippet.reproduce),
                timeout_s=snippet.timeout_s,
                requires_cuda=snippet.requires_cuda,
                launcher=launcher,
            )
        except SnippetRunError as exc:
            return SnippetCheck(entry_id, "failed", (f"reproduction: {exc}",), None)
        if reproduced.skipped:
            return SnippetCheck(entry_id, "skipped", (reproduced.skipped,), reproduced)
        problems = judge_reproduction(entry.error, reproduced)
        if problems:
            return SnippetCheck(entry_id, "failed", problems, reproduced)
    try:
        result = run_snippet(snippet, launcher=launcher)
    except SnippetRunError as exc:
        return SnippetCheck(entry_id, "failed", (str(exc),), None)
    if result.skipped:
        return SnippetCheck(entry_id, "skipped", (result.skipped,), result)
    verdict = judge(snippet, result)
    problems = verdict.problems
    if entry.error is not None and not verdict.ok:
        problems = tuple(f"the fix still fails: {problem}" for problem in problems)
    return SnippetCheck(entry_id, "passed" if verdict.ok else "failed", problems, result)


def _start_launcher() -> WarmLauncher | None:
    """A warm launcher where one can start; None makes each run start fresh."""
    from glossary.snippets.warm import WarmLauncher

    if not WarmLauncher.supported():
        return None
    try:
        return WarmLauncher()
    except SnippetRunError:
        return None
