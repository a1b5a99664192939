"""``torchgloss model``: where the embedding model is and what it is.

``model path`` prints the model's folder (building the default model first if needed, with a
progress bar on a terminal); ``model info`` describes it, for people or, with ``--json``, for
programs. Everything here is rendering; the work is :mod:`glossary.embedding.models`.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from glossary.cli.common import console, echo_json

if TYPE_CHECKING:
    from glossary.progress import ProgressCallback

MODEL_OPTION = click.option(
    "--model",
    "model",
    default=None,
    envvar="TORCHGLOSS_MODEL",
    metavar="NAME_OR_PATH",
    help="A sentence-transformers model folder or Hugging Face Hub id "
    "(default: the bundled multilingual-e5-small). Also: TORCHGLOSS_MODEL.",
)


@contextlib.contextmanager
def build_progress(heading: str | None = None) -> Iterator[ProgressCallback | None]:
    """A progress callback drawing a Rich bar on stderr when it is a terminal, else ``None``.

    The bar appears only if a build actually reports something, so a ready model prints
    nothing extra; it is headed by ``heading`` (default: that the model is being built).
    """
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console(stderr=True),
        transient=True,
    )
    tasks: dict[str, int] = {}

    def report(stage: str, done: int, total: int) -> None:
        if not tasks:
            progress.start()
            progress.console.print(heading or "Building the embedding model (once per version)…")
        if stage not in tasks:
            tasks[stage] = progress.add_task(stage, total=total)
        progress.update(tasks[stage], completed=done, total=total)

    try:
        yield report
    finally:
        if tasks:
            progress.stop()


@click.group("model")
def model_group() -> None:
    """The embedding model used by semantic search."""


@model_group.command("path")
@MODEL_OPTION
def path_command(model: str | None) -> None:
    """Print the model's folder (building the default model if it is not built yet)."""
    from glossary.embedding.models import resolve_model

    with build_progress() as progress:
        spec = resolve_model(model, progress)
    click.echo(str(spec.path))


@model_group.command("info")
@MODEL_OPTION
@click.option(
    "--device",
    default=None,
    metavar="DEVICE",
    help="cuda, mps or cpu (default: the best one present).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def info_command(model: str | None, device: str | None, as_json: bool) -> None:
    """Print the model's name, dimension, device, size on disk and source."""
    from glossary.embedding.models import model_info

    with build_progress() as progress:
        info = model_info(model, device, progress)
    if as_json:
        echo_json(info.to_json())
        return
    rows = [
        ("name", info.name),
        ("dimension", str(info.dimension)),
        ("device", info.device),
        ("size on disk", _human_size(info.size_bytes)),
        ("source", info.source),
        ("path", info.path),
        ("engine", info.engine),
        ("query prefix", repr(info.query_prefix)),
        ("passage prefix", repr(info.passage_prefix)),
        ("max tokens", str(info.max_seq_length)),
    ]
    if not sys.stdout.isatty():
        for key, value in rows:
            click.echo(f"{key}: {value}")
        return
    from rich.table import Table

    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    for key, value in rows:
        table.add_row(key, value)
    console().print(table)


def _human_size(size: float) -> str:
    """``241 MB`` style (decimal units, as disks are sold)."""
    for unit in ("B", "kB", "MB"):
        if size < 1000:
            return f"{size:.0f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"
