"""``torchgloss show ID``: one entry in full."""

from __future__ import annotations

import click

from glossary.cli.common import console, echo_json, load


@click.command()
@click.argument("entry_id")
@click.option("--json", "as_json", is_flag=True, help="Print the entry as JSON.")
@click.pass_context
def show(ctx: click.Context, entry_id: str, as_json: bool) -> None:
    """Show the entry ENTRY_ID: definitions, relations, example, sources.

    \b
    例: torchgloss show torch.cat
        torchgloss show autograd --json
    """
    glossary = load(ctx)
    entry = glossary.get(entry_id)
    if as_json:
        data = entry.model_dump(mode="json", exclude_none=True)
        origin = glossary.origins[entry.id]
        data["origin"] = {"path": str(origin.path), "line": origin.line, "trusted": origin.trusted}
        echo_json(data)
        return
    from glossary.cli.render import entry_view

    console().print(entry_view(entry, glossary))
