"""``torchgloss bookmarks [add ID|remove ID|list]``: the entries the user marked."""

from __future__ import annotations

import shlex

import click

from glossary.cli.common import echo_json, load, safe_text
from glossary.errors import EntryNotFoundError


@click.group("bookmarks", invoke_without_command=True)
@click.pass_context
def bookmarks_group(ctx: click.Context) -> None:
    """Bookmarked entries (also ``b`` in the browser); without a sub-command, list them."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(bookmarks_list)


@bookmarks_group.command("add")
@click.argument("name")
@click.pass_context
def bookmarks_add(ctx: click.Context, name: str) -> None:
    """Bookmark the entry NAME (an id, or an API name such as nn.Linear)."""
    from glossary.bookmarks import add_bookmark

    entry_id = _resolve(ctx, name)
    if add_bookmark(entry_id):
        click.echo(f"Bookmarked {entry_id}.")
    else:
        click.echo(f"{entry_id} was already bookmarked.")


@bookmarks_group.command("remove")
@click.argument("entry_id")
def bookmarks_remove(entry_id: str) -> None:
    """Remove the bookmark of ENTRY_ID."""
    from glossary.bookmarks import remove_bookmark

    if not remove_bookmark(entry_id):
        raise EntryNotFoundError(
            f"{entry_id!r} is not bookmarked; `torchgloss bookmarks list` shows the bookmarks."
        )
    click.echo(f"Removed the bookmark of {entry_id}.")


@bookmarks_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the bookmarks as JSON.")
@click.pass_context
def bookmarks_list(ctx: click.Context, as_json: bool = False) -> None:
    """List the bookmarks, oldest first, with each entry's terms."""
    from glossary.bookmarks import list_bookmarks

    bookmarks = list_bookmarks()
    glossary = load(ctx) if bookmarks else None
    rows = []
    for bookmark in bookmarks:
        entry = glossary.by_id.get(bookmark.entry_id) if glossary else None
        rows.append(
            {
                "id": bookmark.entry_id,
                "added": bookmark.added,
                "term": {"en": entry.term.en, "ja": entry.term.ja} if entry else None,
            }
        )
    if as_json:
        echo_json({"bookmarks": rows})
        return
    if not rows:
        click.echo("No bookmarks yet: `torchgloss bookmarks add ID`, or b in the browser.")
        return
    for row in rows:
        term = row["term"]
        words = f"{term['en']} · {term['ja']}" if term else "(no longer in the glossary)"
        click.echo(safe_text(f"{row['id']}  {words}"))


def _resolve(ctx: click.Context, name: str) -> str:
    """The curated entry id for ``name``, the way ``show`` finds it."""
    from glossary.cli.names import curated_entry

    entry = curated_entry(load(ctx), name)
    if entry is None:
        raise EntryNotFoundError(
            f"No entry has the id {name!r}; find it with `torchgloss search {shlex.quote(name)}`."
        )
    return entry.id
