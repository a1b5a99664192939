"""``torchgloss run`` and ``torchgloss check-snippets``: run entries' examples, show or check them.

Both are thin: :mod:`glossary.snippets` runs and judges; this module picks what to run and
renders the results (Rich on a terminal, plain text when piped, JSON with ``--json``).
"""

from __future__ import annotations

import contextlib
import signal
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import click

from glossary.cli.common import console, echo_json, load
from glossary.i18n import _

if TYPE_CHECKING:
    from rich.console import Console

    from glossary.loader import Glossary
    from glossary.schema import Snippet
    from glossary.snippets.checks import SnippetCheck
    from glossary.snippets.runner import RunResult


def result_json(entry_id: str, result: RunResult) -> dict[str, Any]:
    """``run --json``'s object: the id, how the run ended (see :class:`RunResult`), then the
    protections in force, those missing, and why (``sandbox_note``)."""
    return {
        "id": entry_id,
        "exit_code": result.exit_code,
        "stdout": result.stdout,
        "stderr": result.stderr,
        "timed_out": result.timed_out,
        "duration_s": result.duration_s,
        "skipped": result.skipped,
        "device": result.device,
        "truncated": result.truncated,
        "protections": list(result.protections),
        "missing_protections": list(result.missing_protections),
        "sandbox_note": result.sandbox_note,
    }


def confirm_hint(entry_id: str) -> str:
    """How to run an example from the user's own folder, on the command line."""
    return f"Read it with `torchgloss show {entry_id}`, then pass --yes to run it."


def sandbox_warning(results: list[RunResult]) -> str | None:
    """One plain line when a run had fewer protections than the sandbox gives, else None."""
    for result in results:
        if result.missing_protections:
            missing = ", ".join(result.missing_protections)
            why = f" ({result.sandbox_note})" if result.sandbox_note else ""
            if "pid_namespace" in result.protections:
                return f"note: the example sandbox ran without {missing}{why}."
            return (
                f"note: examples ran without {missing}{why}; "
                "only the time, memory and output limits applied."
            )
    return None


@contextlib.contextmanager
def sigterm_as_exit() -> Iterator[None]:
    """Turn SIGTERM into ``SystemExit(143)`` meanwhile, so that runs are stopped and their
    temporary folders removed as on Ctrl-C, instead of the process vanishing mid-run."""

    def stop(signum: int, _frame: object) -> None:
        sys.exit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def describe(result: RunResult) -> str:
    """One line saying how a run ended."""
    if result.skipped:
        return _("skipped: {reason}").format(reason=result.skipped)
    if result.timed_out:
        return _("timed out after {seconds} s").format(seconds=f"{result.duration_s:.1f}")
    if result.truncated:
        return _("stopped: too much output, after {seconds} s").format(
            seconds=f"{result.duration_s:.1f}"
        )
    return _("exit status {status} in {seconds} s on {device}").format(
        status=result.exit_code, seconds=f"{result.duration_s:.2f}", device=result.device
    )


def show_code(out: Console, code: str) -> None:
    """The snippet's code: highlighted on a terminal, as is when piped."""
    if out.is_terminal:
        from rich.syntax import Syntax

        out.print(Syntax(code.rstrip("\n"), "python", background_color="default"))
        out.rule(_("output"), style="dim")
    else:
        click.echo(code.rstrip("\n"))
        click.echo(f"--- {_('output')} ---")


@click.command()
@click.argument("entry_id")
@click.option(
    "--timeout",
    "timeout_s",
    type=click.FloatRange(min=0, min_open=True, max=600),
    default=None,
    help="Time limit in seconds (default: the entry's own, else 10).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object.")
@click.option("--yes", is_flag=True, help="Run an example from your own glossary folder.")
@click.pass_context
def run(
    ctx: click.Context, entry_id: str, timeout_s: float | None, as_json: bool, yes: bool
) -> None:
    """Run the example of ENTRY_ID and show its code and output.

    \b
    ENTRY_ID may also be any public torch name without a curated entry (torch.cdist,
    F.grid_sample): its docstring's examples run, and their output is shown, not checked.

    The example runs in its own isolated Python process, with limits on time, memory and
    output. A failing example is reported, not raised: its exit status is in the output, and
    the command exits with 0. Examples from your own glossary folders run only with --yes.
    """
    glossary = load(ctx)
    with sigterm_as_exit():
        _run(glossary, entry_id, timeout_s, as_json, yes)


def _run(
    glossary: Glossary, entry_id: str, timeout_s: float | None, as_json: bool, yes: bool
) -> None:
    from glossary.snippets.errors import UntrustedSnippetError
    from glossary.snippets.runner import run_snippet, start_snippet
    from glossary.snippets.trust import runnable_snippet

    source: Snippet | str
    try:
        if entry_id in glossary.by_id:
            source = runnable_snippet(glossary, entry_id, confirmed=yes)
        else:
            source = _reference_program(glossary, entry_id, confirmed=yes)
    except UntrustedSnippetError as exc:
        raise UntrustedSnippetError(f"{exc} {confirm_hint(entry_id)}") from None
    reproduce = source.reproduce if not isinstance(source, str) else None
    limits: dict[str, Any] = {}
    if not isinstance(source, str):
        limits = {"timeout_s": timeout_s or source.timeout_s, "requires_cuda": source.requires_cuda}
    if as_json:
        data = result_json(entry_id, run_snippet(source, timeout_s=timeout_s))
        if reproduce is not None:
            data["reproduction"] = result_json(entry_id, run_snippet(reproduce, **limits))
        echo_json(data)
        return
    results = []
    if reproduce is not None:
        click.secho(_("Reproduction (raises the error):"), bold=True, err=True)
        show_code(console(), reproduce)
        with start_snippet(reproduce, **limits) as process:
            for chunk in process:
                click.echo(chunk.text, nl=False, err=chunk.stream == "stderr")
        results.append(process.wait())
        click.secho(describe(results[-1]), fg="yellow", err=True)
        click.secho(_("Fix:"), bold=True, err=True)
    show_code(console(), source if isinstance(source, str) else source.code)
    with start_snippet(source, timeout_s=timeout_s) as process:
        for chunk in process:
            click.echo(chunk.text, nl=False, err=chunk.stream == "stderr")
    result = process.wait()
    colour = "green" if result.ok else "yellow" if result.skipped else "red"
    click.secho(describe(result), fg=colour, err=True)
    if warning := sandbox_warning([*results, result]):
        click.secho(warning, fg="yellow", err=True)


def _reference_program(glossary: Glossary, name: str, *, confirmed: bool) -> Snippet | str:
    """What ``run NAME`` runs for a name without a curated id: the curated entry for that API
    if one exists, else the reference entry's docstring examples (bundled torch: trusted)."""
    from glossary.cli.common import reference_layer
    from glossary.reference.lookup import answer_name
    from glossary.reference.program import example_program
    from glossary.snippets.errors import NoSnippetError
    from glossary.snippets.trust import runnable_snippet

    answer = answer_name(glossary, reference_layer(build=True), name)
    if answer.curated is not None:
        return runnable_snippet(glossary, answer.curated.id, confirmed=confirmed)
    ref = answer.reference
    if ref is None:
        return runnable_snippet(glossary, name)  # raises the usual "no such entry" error
    program = example_program(ref)
    if program is None:
        raise NoSnippetError(
            f"{ref.name} has no runnable example in the installed torch's docstring; "
            f"read it with `torchgloss show {ref.name}`."
        )
    return program


@click.command("check-snippets")
@click.argument("entry_ids", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Examples run at a time (default: the CPU cores).",
)
@click.option("--yes", is_flag=True, help="Also run the examples of your own glossary folders.")
@click.option(
    "--fresh",
    is_flag=True,
    help="Start a fresh interpreter for each example instead of forking one that has "
    "imported torch already (slower; the same isolation).",
)
@click.pass_context
def check_snippets(
    ctx: click.Context,
    entry_ids: tuple[str, ...],
    as_json: bool,
    jobs: int | None,
    yes: bool,
    fresh: bool,
) -> None:
    """Run every example (or those of ENTRY_IDS) and check its output against its entry.

    Exits with status 1 when any example fails; each failure names its entry.
    """
    from glossary.snippets.checks import check_all
    from glossary.snippets.trust import is_trusted

    glossary = load(ctx, strict=True)
    err = console(stderr=True)  # progress goes to stderr, and only on a terminal
    started = time.perf_counter()
    kwargs: dict[str, Any] = {"ids": entry_ids or None, "confirmed": yes, "warm": not fresh}
    with sigterm_as_exit():
        if err.is_terminal and not as_json:
            from rich.progress import Progress

            with Progress(console=err, transient=True) as progress:
                total = sum(1 for e in glossary.entries if e.snippet) if not entry_ids else None
                task = progress.add_task("checking examples", total=total)
                advance = lambda _: progress.advance(task)  # noqa: E731
                checks = check_all(glossary, jobs, on_check=advance, **kwargs)
        else:
            checks = check_all(glossary, jobs, **kwargs)
    elapsed = time.perf_counter() - started
    warning = sandbox_warning([c.result for c in checks if c.result is not None])
    counts = {
        status: sum(c.status == status for c in checks)
        for status in ("passed", "failed", "skipped")
    }
    if as_json:
        echo_json(
            {
                "total_s": round(elapsed, 2),
                **counts,
                "sandbox_note": warning,
                "checks": [_check_json(c) for c in checks],
            }
        )
    else:
        _report(
            checks,
            counts,
            elapsed,
            untrusted={
                c.entry_id
                for c in checks
                if c.status == "skipped" and not is_trusted(glossary, c.entry_id)
            },
        )
        if warning:
            click.secho(warning, fg="yellow", err=True)
    if counts["failed"]:
        ctx.exit(1)


def _check_json(check: SnippetCheck) -> dict[str, Any]:
    result = check.result
    return {
        "id": check.entry_id,
        "status": check.status,
        "problems": list(check.problems),
        "exit_code": result.exit_code if result else None,
        "duration_s": result.duration_s if result else None,
    }


def _report(
    checks: list[SnippetCheck], counts: dict[str, int], elapsed: float, untrusted: set[str]
) -> None:
    """Failures and skips with their entry ids and reasons, then one summary line.

    ``untrusted``: the skipped entries whose example is from the user's own folder; each gets
    the hint that says how to run it.
    """
    for check in checks:
        if check.status == "failed":
            click.secho(f"FAIL {check.entry_id}", fg="red", bold=True)
        elif check.status == "skipped":
            click.secho(f"skip {check.entry_id}", fg="yellow")
        else:
            continue
        for problem in check.problems:
            click.echo("  " + problem.replace("\n", "\n  "))
        if check.entry_id in untrusted:
            click.echo("  " + confirm_hint(check.entry_id))
    summary = ", ".join(f"{n} {status}" for status, n in counts.items())
    click.secho(f"{len(checks)} examples: {summary} in {elapsed:.1f} s", bold=True)
