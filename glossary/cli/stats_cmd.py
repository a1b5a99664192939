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
    例: torchgloss stats --json
    """
    from glossary.stats import api_coverage, glossary_stats

    glossary = load(ctx)
    figures = glossary_stats(glossary)
    report = api_coverage(glossary) if coverage else None
    if as_json:
        data = figures.to_json()
        if report is not None:
            data["coverage"] = [row.to_json() for row in report]
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
    if report is not None:
        cov = Table("module", "public names", "with entry", "%", title="API coverage")
        for row in report:
            cov.add_row(row.module, str(row.public), str(row.covered), f"{row.percent:.1f}")
        out.print(cov)
