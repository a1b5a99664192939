"""``torchgloss export``: entries (ids, a search, or the bookmarks) as study cards."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING

import click

from glossary.cli.common import data_dirs, load
from glossary.errors import UsageError

if TYPE_CHECKING:
    from glossary.loader import Glossary
    from glossary.schema import Entry

OUT = click.Path(dir_okay=False, writable=True, path_type=Path)


@click.command("export")
@click.argument("names", nargs=-1)
@click.option("--search", "query", help="Export the curated entries this search finds.")
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Most entries a --search exports.",
)
@click.option(
    "--mode",
    type=click.Choice(["hybrid", "lexical", "semantic"]),
    default="hybrid",
    show_default=True,
    help="How --search ranks (see `torchgloss search --help`).",
)
@click.option("--bookmarks", "from_bookmarks", is_flag=True, help="Export the bookmarks.")
@click.option("--anki", "anki_file", type=OUT, help="Write an Anki deck (.apkg) here.")
@click.option("--csv", "csv_file", type=OUT, help="Write a CSV file here.")
@click.option("--json", "json_file", type=OUT, help="Write a JSON file here.")
@click.option("--deck", default="torchgloss", show_default=True, help="Name of the Anki deck.")
@click.pass_context
def export(
    ctx: click.Context,
    names: tuple[str, ...],
    query: str | None,
    limit: int,
    mode: str,
    from_bookmarks: bool,
    anki_file: Path | None,
    csv_file: Path | None,
    json_file: Path | None,
    deck: str,
) -> None:
    """Export entries as study cards: term, reading, both definitions and the example.

    Choose the entries by NAMES (ids or API names), --search QUERY, or --bookmarks (any
    mix); write one or more of --anki FILE.apkg, --csv FILE, --json FILE.

    \b
    例: torchgloss export torch.cat torch.stack --anki tensors.apkg
        torchgloss export --search "自動微分" --limit 10 --csv autograd.csv
        torchgloss export --bookmarks --anki bookmarks.apkg --json bookmarks.json
    """
    from glossary.study_export import study_cards, write_anki, write_csv, write_json

    if not (anki_file or csv_file or json_file):
        raise UsageError("Say where to write: --anki FILE.apkg, --csv FILE or --json FILE.")
    if not (names or query or from_bookmarks):
        raise UsageError("Say what to export: entry ids, --search QUERY, or --bookmarks.")
    glossary = load(ctx)
    entries = _named(glossary, names)
    if from_bookmarks:
        entries += _bookmarked(glossary)
    if query:
        entries += _searched(ctx, glossary, query, limit, mode)
    cards = study_cards(entries)
    if not cards:
        raise UsageError("Nothing to export: no entry was found.")
    written: list[Path] = []
    if anki_file is not None:
        write_anki(cards, anki_file, deck)
        written.append(anki_file)
    if csv_file is not None:
        write_csv(cards, csv_file)
        written.append(csv_file)
    if json_file is not None:
        write_json(cards, json_file)
        written.append(json_file)
    count = f"{len(cards)} card{'s' if len(cards) != 1 else ''}"
    for path in written:
        click.echo(f"Wrote {count} to {path}", err=True)


def _named(glossary: Glossary, names: tuple[str, ...]) -> list[Entry]:
    from glossary.cli.names import curated_entry
    from glossary.errors import EntryNotFoundError

    entries: list[Entry] = []
    missing: list[str] = []
    for name in names:
        entry = curated_entry(glossary, name)
        if entry is None:
            missing.append(name)
        else:
            entries.append(entry)
    if missing:
        shown = ", ".join(repr(m) for m in missing)
        raise EntryNotFoundError(
            f"No curated entry for {shown}; find it with "
            f"`torchgloss search {shlex.quote(missing[0])}`."
        )
    return entries


def _bookmarked(glossary: Glossary) -> list[Entry]:
    from glossary.bookmarks import list_bookmarks

    bookmarks = list_bookmarks()
    if not bookmarks:
        raise UsageError("No bookmarks yet: `torchgloss bookmarks add ID`, or b in the browser.")
    gone = [b.entry_id for b in bookmarks if b.entry_id not in glossary.by_id]
    if gone:
        click.echo(
            f"torchgloss: skipped bookmarks no longer in the glossary: {', '.join(gone)}", err=True
        )
    return [glossary.by_id[b.entry_id] for b in bookmarks if b.entry_id in glossary.by_id]


def _searched(
    ctx: click.Context, glossary: Glossary, query: str, limit: int, mode: str
) -> list[Entry]:
    from glossary.search.engine import SearchEngine
    from glossary.search.types import Mode

    engine = SearchEngine.open(data_dirs(ctx))
    response = engine.search(query, limit=limit, mode=Mode(mode), layer="curated")
    return [glossary.by_id[hit.id] for hit in response.results if hit.id in glossary.by_id]
