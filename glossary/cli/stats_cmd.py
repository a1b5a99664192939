"""``torchgloss stats``: what the glossary holds, and with ``--coverage`` how much API it covers."""

from __future__ import annotations

import click

from glossary.cli.common import console, echo_json, load


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--coverage", is_flag=True, help="Also measure coverage of the installed torch API.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool, coverage: bool) -> None:
    """Count entries by kind, API entries, snippets and relations.

    \b
    With --coverage, each module of the installed torch: its public names, how many have a
    curated entry, how many only a reference entry, how many neither, and what was skipped.

    \b
    例: torchgloss stats --json
        torchgloss stats --coverage
    """
    from glossary.stats import glossary_stats

    glossary = load(ctx)
    figures = glossary_stats(glossary)
    report = None
    if coverage:
        from glossary.reference import load_reference_layer
        from glossary.reference.curated import reference_coverage

        report = reference_coverage(glossary, load_reference_layer())
    if as_json:
        data = figures.to_json()
        if report is not None:
            data["coverage"] = [row.to_json() for row in report.rows]
            data["coverage_total"] = report.to_json()
        echo_json(data)
        return
    from rich.table import Table

    out = console()
    out.print(
        f"[bold]{figures.entries}[/] entries in {figures.files} files · "
        f"[bold]{figures.api_entries}[/] API entries · [bold]{figures.snippets}[/] snippets"
    )
    kinds = Table("kind", "entries", title="Entries by kind", title_justify="left")
    for kind, count in figures.by_kind.items():
        kinds.add_row(kind, str(count))
    out.print(kinds)
    rel = Table("relation", "items", title="Relations", title_justify="left")
    for name, count in figures.relations.items():
        rel.add_row(name, str(count))
    rel.add_row("linked to entries", str(figures.linked_relations))
    out.print(rel)
    if report is None:
        return
    cov = Table(
        "module",
        "public names",
        "curated",
        "reference only",
        "missing",
        "resolved %",
        title=f"API coverage (installed torch {report.torch_version})",
        title_justify="left",
    )
    for row in report.rows:
        cov.add_row(
            row.module,
            str(row.public),
            str(row.curated),
            str(row.reference_only),
            str(len(row.missing)),
            f"{row.percent:.1f}",
        )
    out.print(cov)
    out.print(
        f"resolved (curated or reference): [bold]{report.resolved}[/] of {report.public} "
        f"public names, [bold]{report.percent:.2f}%[/] (target ≥ 99%)"
    )
    for item in report.skipped:
        out.print(f"[yellow]skipped[/] {item.name}: {item.error}: {item.message}")
