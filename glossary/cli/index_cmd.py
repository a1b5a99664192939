"""``torchgloss index``: the search indexes and the vectors shipped in the package.

``index export`` embeds the bundled glossary with the bundled model and writes the shipped
vectors (:mod:`glossary.search.dense.shipped`): run it after changing ``data/``, and commit
the result (a test fails while they are stale). Rendering only; the work is
:mod:`glossary.search.dense.export`.
"""

from __future__ import annotations

from pathlib import Path

import click

from glossary.cli.common import echo_json
from glossary.cli.model_cmd import build_progress


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
