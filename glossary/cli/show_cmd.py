"""``torchgloss show NAME``: one entry in full, curated or from the reference layer."""

from __future__ import annotations

import click

from glossary.cli.common import console, echo_json, load, reference_layer


@click.command()
@click.argument("entry_id")
@click.option("--json", "as_json", is_flag=True, help="Print the entry as JSON.")
@click.pass_context
def show(ctx: click.Context, entry_id: str, as_json: bool) -> None:
    """Show the entry ENTRY_ID: definitions, relations, example, sources.

    \b
    ENTRY_ID may be any public torch name or alias (nn.Linear, F.grid_sample,
    Tensor.repeat_interleave): without a curated entry, the installed torch's own
    documentation is shown, marked as the reference layer.

    \b
    例: torchgloss show torch.cat
        torchgloss show autograd --json
        torchgloss show torch.rsqrt
    """
    from glossary.reference.curated import linking_entries
    from glossary.reference.lookup import answer_name

    glossary = load(ctx)
    # A curated id needs the layer only for its signature: no build for that (seconds, once).
    layer = reference_layer(build=entry_id not in glossary.by_id)
    answer = answer_name(glossary, layer, entry_id)
    if answer.curated is None and answer.reference is not None and layer is not None:
        ref = answer.reference
        linked = linking_entries(glossary, ref)
        if as_json:
            echo_json(
                {
                    "layer": "reference",
                    **ref.to_json(),
                    "torch_version": layer.torch_version,
                    "linked_from": [e.id for e in linked],
                }
            )
            return
        from glossary.cli.reference_view import reference_view

        console().print(reference_view(ref, layer.torch_version, linked))
        return
    entry = answer.curated if answer.curated is not None else glossary.get(entry_id)
    signature = answer.reference.display_signature if answer.reference else None
    if as_json:
        data = {"layer": "curated", **entry.model_dump(mode="json", exclude_none=True)}
        if signature:
            data["signature"] = signature
        origin = glossary.origins[entry.id]
        data["origin"] = {"path": str(origin.path), "line": origin.line, "trusted": origin.trusted}
        echo_json(data)
        return
    from glossary.cli.render import entry_view

    out = console()
    out.print(entry_view(entry, glossary))
    if signature:
        from rich.text import Text

        out.print(Text(f"signature: {signature}", style="dim"))
