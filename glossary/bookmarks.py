"""Bookmarked entries and the search history, kept in the user's state folder.

Both are small owner-only JSON files (see :mod:`glossary.private_files`):

- ``bookmarks.json``: the entries the user marked, oldest first, each with when it was added;
- ``history.json``: the last queries searched in the browser, newest last, capped at
  ``limits.history`` of the settings (200 by default), a query repeated moving to the end.

A damaged bookmarks file is an error that names it (it is never silently overwritten: the
bookmarks are the user's work); a damaged history file is started afresh, since it is only
a convenience.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from glossary.paths import state_dir
from glossary.private_files import PrivateFileError, locked, read_json, write_json

FORMAT = 1
"""Version of both files' layout."""

DEFAULT_HISTORY_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Bookmark:
    """One bookmarked entry."""

    entry_id: str
    added: str
    """When it was bookmarked (ISO 8601, UTC)."""


def bookmarks_file() -> Path:
    """Where the bookmarks are kept."""
    return state_dir() / "bookmarks.json"


def history_file() -> Path:
    """Where the search history is kept."""
    return state_dir() / "history.json"


def list_bookmarks(path: Path | None = None) -> list[Bookmark]:
    """Every bookmark, oldest first (none if the file does not exist yet).

    Raises:
        PrivateFileError: the file is damaged.
    """
    path = path or bookmarks_file()
    data = read_json(path)
    if data is None:
        return []
    items = data.get("bookmarks") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise PrivateFileError(
            f'{path}: not a bookmarks file (no "bookmarks" list); fix it or move it away.'
        )
    bookmarks: list[Bookmark] = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            bookmarks.append(Bookmark(item["id"], str(item.get("added", ""))))
    return bookmarks


def add_bookmark(entry_id: str, path: Path | None = None) -> bool:
    """Bookmark ``entry_id``; False if it already was (the list is left as it is)."""
    path = path or bookmarks_file()
    with locked(path):
        bookmarks = list_bookmarks(path)
        if any(b.entry_id == entry_id for b in bookmarks):
            return False
        now = datetime.now(UTC).isoformat(timespec="seconds")
        _write_bookmarks(path, [*bookmarks, Bookmark(entry_id, now)])
    return True


def remove_bookmark(entry_id: str, path: Path | None = None) -> bool:
    """Remove the bookmark of ``entry_id``; False if there was none."""
    path = path or bookmarks_file()
    with locked(path):
        bookmarks = list_bookmarks(path)
        kept = [b for b in bookmarks if b.entry_id != entry_id]
        if len(kept) == len(bookmarks):
            return False
        _write_bookmarks(path, kept)
    return True


def toggle_bookmark(entry_id: str, path: Path | None = None) -> bool:
    """Bookmark ``entry_id``, or remove its bookmark; True if it is bookmarked now."""
    if add_bookmark(entry_id, path):
        return True
    remove_bookmark(entry_id, path)
    return False


def _write_bookmarks(path: Path, bookmarks: list[Bookmark]) -> None:
    data = {
        "format": FORMAT,
        "bookmarks": [{"id": b.entry_id, "added": b.added} for b in bookmarks],
    }
    write_json(path, data)


def list_history(path: Path | None = None) -> list[str]:
    """The queries searched, oldest first (empty if none, or if the file is damaged)."""
    try:
        data: Any = read_json(path or history_file())
    except PrivateFileError:
        return []
    items = data.get("queries") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    return [q for q in items if isinstance(q, str)]


def append_history(
    query: str, limit: int = DEFAULT_HISTORY_LIMIT, path: Path | None = None
) -> None:
    """Remember ``query`` as the latest search, keeping the newest ``limit`` queries.

    Blank queries are not kept; a query already in the history moves to the end.
    """
    query = query.strip()
    if not query:
        return
    path = path or history_file()
    with locked(path):
        queries = [q for q in list_history(path) if q != query]
        queries.append(query)
        write_json(path, {"format": FORMAT, "queries": queries[-max(limit, 1) :]})
