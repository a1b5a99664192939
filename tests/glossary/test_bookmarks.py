"""Bookmarks and search history on disk: capped, deduplicated, owner-only, safe together."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

from glossary.bookmarks import (
    add_bookmark,
    append_history,
    history_file,
    list_bookmarks,
    list_history,
    toggle_bookmark,
)


def test_history_is_capped_and_a_repeat_moves_to_the_end() -> None:
    for query in ["a", "b", "c", "a", "  ", "d"]:
        append_history(query, limit=3)
    assert list_history() == ["c", "a", "d"]
    assert stat.S_IMODE(history_file().stat().st_mode) == 0o600


def test_a_damaged_history_starts_afresh() -> None:
    history_file().parent.mkdir(parents=True)
    history_file().write_text("[[[", encoding="utf-8")
    assert list_history() == []
    append_history("torch.cat")
    assert list_history() == ["torch.cat"]


def test_toggle_adds_then_removes() -> None:
    assert toggle_bookmark("torch.cat") is True
    assert [b.entry_id for b in list_bookmarks()] == ["torch.cat"]
    assert toggle_bookmark("torch.cat") is False
    assert list_bookmarks() == []


def test_processes_adding_at_once_keep_every_bookmark(isolated_home: Path) -> None:
    code = "import sys; from glossary.bookmarks import add_bookmark; add_bookmark(sys.argv[1])"
    children = [
        subprocess.Popen([sys.executable, "-c", code, f"entry-{i}"], cwd=Path.cwd())
        for i in range(6)
    ]
    assert all(child.wait(timeout=60) == 0 for child in children)
    assert sorted(b.entry_id for b in list_bookmarks()) == [f"entry-{i}" for i in range(6)]
    add_bookmark("entry-0")  # already there: not twice
    assert len(list_bookmarks()) == 6
