"""``torchgloss index``: the search indexes and the vectors shipped in the package.

``index export`` embeds the bundled glossary with the bundled model and writes the shipped
vectors (:mod:`glossary.search.dense.shipped`): run it after changing ``data/``, and commit
the result (a test fails while they are stale). Rendering only; the work is
:mod:`glossary.search.dense.export`.

``index rebuild`` builds the search indexes of the bundled glossary plus ``--data`` folders
again from scratch (:meth:`glossary.search.engine.SearchEngine.rebuild_indexes`). With
``--progress json`` it speaks one JSON object per line on stdout, for a program to follow:
the terminal browser runs it in a child process so that the model's imports never hold the
UI's GIL.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from glossary.cli.common import (
    ENGINE_DEVICE_OPTION,
    ENGINE_MODEL_OPTION,
    data_dirs,
    echo_json,
    warn_skipped,
)
from glossary.cli.model_cmd import build_progress
from glossary.errors import GlossaryError
from glossary.i18n import _

if TYPE_CHECKING:
    from glossary.progress import ProgressCallback
    from glossary.search.types import RebuildReport

#: How ``index rebuild`` shows its progress.
PROGRESS_MODES = ("bar", "json", "none")


@click.group("index")
def index_group() -> None:
    """The search indexes and the package's shipped vectors."""


@index_group.command("export")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write (default: the package's glossary/shipped).",
)
@click.option("--device", default=None, help="cuda, mps or cpu (default: the best available).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def export_command(out: Path | None, device: str | None, as_json: bool) -> None:
    """Embed the bundled glossary and write the vectors shipped in the package.

    Vectors already shipped for an unchanged text are kept: after a data change only the
    changed entries are embedded.

    \b
    例: torchgloss index export
        torchgloss index export --device cuda
    """
    from glossary.search.dense.export import export_shipped

    with build_progress() as progress:
        report = export_shipped(out, device=device, progress=progress)
    if as_json:
        echo_json(
            {
                "directory": str(report.directory),
                "vectors": report.vectors,
                "embedded": report.embedded,
                "size_bytes": report.size_bytes,
                "seconds": round(report.seconds, 2),
            }
        )
        return
    click.echo(
        f"Wrote {report.vectors} vectors ({report.size_bytes / 1e6:.1f} MB, "
        f"{report.embedded} embedded, the rest unchanged) to {report.directory} "
        f"in {report.seconds:.1f} s."
    )


@index_group.command("rebuild")
@click.option(
    "--data",
    "extra",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="FOLDER",
    help="Extra glossary folder, merged after the bundled one and the top-level --data "
    "(repeatable).",
)
@ENGINE_MODEL_OPTION
@ENGINE_DEVICE_OPTION
@click.option("--no-semantic", is_flag=True, help="Rebuild the lexical index only (no model).")
@click.option(
    "--progress",
    "progress_mode",
    type=click.Choice(PROGRESS_MODES),
    default="bar",
    show_default=True,
    help="A bar on stderr (on a terminal), one JSON object per line on stdout, or nothing.",
)
@click.pass_context
def rebuild_command(
    ctx: click.Context,
    extra: tuple[Path, ...],
    model: str | None,
    device: str | None,
    no_semantic: bool,
    progress_mode: str,
) -> None:
    """Rebuild the search indexes from the glossary files, from scratch.

    Stale indexes are rebuilt on their own when the data changes; this builds them again
    even so. With --progress json, stdout has one JSON object per line: {"progress":
    [stage, done, total]} while it works, then {"done": true, "entries": N, "skipped": N,
    "vectors": N or null}; or {"error": {"title": ..., "message": ...}} and a non-zero exit
    status.

    \b
    例: torchgloss index rebuild
        torchgloss index rebuild --no-semantic
        torchgloss index rebuild --data ~/my-glossary --progress json
    """
    folders = [*data_dirs(ctx), *extra]
    semantic = not no_semantic
    if progress_mode == "json":
        try:
            report = _rebuild(folders, model, device, semantic, _say_progress, warn=False)
        except GlossaryError as exc:
            # The title untranslated, as the error class has it: a program can match it,
            # and the browser shows it translated, as it shows its own errors.
            _say({"error": {"title": exc.title, "message": str(exc)}})
            ctx.exit(exc.exit_code)
        _say({"done": True, **report.to_json()})
        return
    bar = (
        build_progress(heading=_("Rebuilding the search indexes…"))
        if progress_mode == "bar"
        else contextlib.nullcontext(None)
    )
    with bar as progress:
        report = _rebuild(folders, model, device, semantic, progress, warn=True)
    if report.vectors is None:
        message = _("Rebuilt the search indexes: {entries} entries, {skipped} skipped.")
    else:
        message = _(
            "Rebuilt the search indexes: {entries} entries, {skipped} skipped, {vectors} vectors."
        )
    click.echo(message.format(**report.to_json()))


def _rebuild(
    folders: list[Path],
    model: str | None,
    device: str | None,
    semantic: bool,
    progress: ProgressCallback | None,
    *,
    warn: bool,
) -> RebuildReport:
    """Open the engine over ``folders`` and rebuild; with ``warn``, name on stderr the
    entries skipped (JSON mode does not: its ``done`` line counts them)."""
    from glossary.search.engine import SearchEngine

    engine = SearchEngine.open(folders, model=model, device=device)
    report = engine.rebuild_indexes(progress, semantic=semantic)
    if warn:
        warn_skipped(engine.skipped)
    return report


def _say(message: dict[str, object]) -> None:
    """One JSON line on stdout, flushed at once (a reader follows it line by line). ASCII
    escapes keep it readable whatever the pipe's encoding."""
    click.echo(json.dumps(message))


def _say_progress(stage: str, done: int, total: int) -> None:
    _say({"progress": [stage, done, total]})
