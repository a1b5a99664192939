"""``torchgloss eval FILE``: recall@1, recall@5 and MRR@10 of each search mode on a query set."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from glossary.cli.common import (
    ENGINE_DEVICE_OPTION,
    ENGINE_MODEL_OPTION,
    console,
    data_dirs,
    echo_json,
)

if TYPE_CHECKING:
    from rich.table import Table

    from glossary.search.evaluation import EvalReport, Metrics
    from glossary.search.types import Mode


@click.command("eval")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option(
    "--mode",
    "modes",
    multiple=True,
    type=click.Choice(["lexical", "semantic", "hybrid"]),
    help="Measure only these modes (repeatable; default: all three).",
)
@click.option("--misses", is_flag=True, help="Also list the queries hybrid gets wrong at rank 1.")
@ENGINE_MODEL_OPTION
@ENGINE_DEVICE_OPTION
@click.pass_context
def eval_(
    ctx: click.Context,
    file: Path,
    as_json: bool,
    modes: tuple[str, ...],
    misses: bool,
    model: str | None,
    device: str | None,
) -> None:
    """Measure search quality on FILE, a YAML list of queries with expected entry ids.

    \b
    例: torchgloss eval tests/eval/queries.yaml
        torchgloss eval tests/eval/queries.yaml --mode hybrid --misses
    """
    from glossary.search.engine import SearchEngine
    from glossary.search.evaluation import MODES, evaluate, load_queries
    from glossary.search.types import Mode

    queries = load_queries(file)
    engine = SearchEngine.open(data_dirs(ctx), model=model, device=device)
    chosen = [Mode(m) for m in modes] or list(MODES)
    if any(m is not Mode.LEXICAL for m in chosen):
        engine.ensure_semantic()
    report = evaluate(engine, queries, chosen, source=str(file))
    if as_json:
        echo_json(report.to_json())
        return
    _render(report, misses)


def _render(report: EvalReport, misses: bool) -> None:
    from rich.text import Text

    from glossary.search.evaluation import QUERY_KINDS, QUERY_LANGS
    from glossary.search.types import Mode

    out = console()
    if report.unknown_ids:
        console(stderr=True).print(
            Text("Expected ids no entry has: " + ", ".join(report.unknown_ids), style="yellow")
        )
    out.print(Text(f"{report.query_count} queries from {report.source}", style="bold"))
    out.print(_table("Overall", {"all": {m: r.overall for m, r in report.modes.items()}}))
    for title, order, groups in (
        ("By query kind", QUERY_KINDS, {m: r.by_kind for m, r in report.modes.items()}),
        ("By language", QUERY_LANGS, {m: r.by_lang for m, r in report.modes.items()}),
    ):
        rows: dict[str, dict[Mode, Metrics]] = {}
        for name in order:
            cells = {m: group[name] for m, group in groups.items() if name in group}
            if cells:
                rows[name] = cells
        out.print(_table(title, rows))
    if Mode.HYBRID in report.modes:
        worse = report.hybrid_not_best()
        verdict = "met" if report.meets_targets() else "not met"
        out.print(
            Text(f"Targets (hybrid R@1 ≥ 0.85, R@5 ≥ 0.95, never below a single mode): {verdict}")
        )
        for kind, metric in worse:
            out.print(Text(f"  hybrid trails a single mode on {kind} {metric}", style="yellow"))
        if misses:
            for outcome in report.modes[Mode.HYBRID].misses():
                rank = outcome.rank if outcome.rank is not None else "—"
                out.print(
                    Text(
                        f"  [{outcome.query.kind}] {outcome.query.query!r} → rank {rank}; "
                        f"expected {', '.join(outcome.query.expected)}; "
                        f"got {', '.join(outcome.ranked[:3])}",
                        style="dim",
                    )
                )


def _table(title: str, rows: dict[str, dict[Mode, Metrics]]) -> Table:
    from rich.table import Table

    modes = list(dict.fromkeys(m for cells in rows.values() for m in cells))
    table = Table(title=title, title_justify="left")
    table.add_column("")
    table.add_column("n", justify="right")
    for mode in modes:
        for metric in ("R@1", "R@5", "MRR"):
            table.add_column(f"{mode.value} {metric}", justify="right")
    for name, cells in rows.items():
        values = [str(next(iter(cells.values())).count)]
        for mode in modes:
            m = cells.get(mode)
            numbers = (m.recall_at_1, m.recall_at_5, m.mrr_at_10) if m else ()
            values += [f"{v:.3f}" for v in numbers] or ["", "", ""]
        table.add_row(name, *values)
    return table
