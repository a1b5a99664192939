"""``torchgloss tui`` (and ``torchgloss`` with no arguments): open the terminal browser."""

from __future__ import annotations

import click

from glossary.cli.common import data_dirs


@click.command("tui")
@click.option(
    "--model", default=None, help="Embedding model name or folder (default: the built-in one)."
)
@click.option("--device", default=None, help="Device for the embedding model, e.g. cpu or cuda.")
@click.option(
    "--no-semantic",
    is_flag=True,
    default=False,
    help="Do not load the embedding model: lexical search only, nothing heavy loaded.",
)
@click.pass_context
def tui(ctx: click.Context, model: str | None, device: str | None, no_semantic: bool) -> None:
    """Open the full-screen terminal browser: search as you type, read, run examples."""
    from tui.app import GlossaryApp
    from tui.patches import install as install_textual_patches

    install_textual_patches()
    app = GlossaryApp(
        extra_folders=data_dirs(ctx), model=model, device=device, load_semantic=not no_semantic
    )
    app.run()
