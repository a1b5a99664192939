"""Issue 22, point 12: what killed builds and old data leave in the indexes folder is cleared,
and what torchgloss writes there (the query cache above all) is owner-only.

The kill is a real ``kill -9`` of a real process in the middle of a save; the "next start" is
a real ``torchgloss search`` in a new process.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from glossary.leftovers import KEEP_OTHERS, sweep_indexes
from glossary.paths import indexes_dir

KILLED_SAVE = """
import sys, time
from pathlib import Path
from glossary.atomic import atomic_directory
final = Path(sys.argv[1])
with atomic_directory(final) as tmp:
    (tmp / "vectors.faiss").write_bytes(b"half a save")
    print(tmp, flush=True)
    time.sleep(600)
"""


def kill_mid_save(final: Path) -> Path:
    """Start a process saving ``final`` with :func:`atomic_directory`; ``kill -9`` it midway.

    Returns the temporary folder it left behind."""
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_SAVE, str(final)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    partial = Path(child.stdout.readline().strip())
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    assert partial.is_dir() and partial.name.endswith(".partial")
    return partial


def search_cli(query: str = "torch.cat") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "glossary", "search", query, "--mode", "lexical", "--limit", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )


def lexical_file(folder: Path, key: str, header: dict[str, object], age_s: float) -> Path:
    path = folder / f"lexical-{key}.json"
    path.write_bytes(json.dumps(header).encode() + b"\n{}")
    (folder / f".{path.name}.lock").write_bytes(b"")
    past = time.time() - age_s
    os.utime(path, (past, past))
    return path


def test_a_partial_index_after_kill_9_is_removed_at_the_next_start(tmp_path: Path) -> None:
    folder = indexes_dir()
    partial = kill_mid_save(folder / "dense-some-model-0123456789abcdef")
    result = search_cli()
    assert result.returncode == 0, result.stderr
    assert not partial.exists()
    assert list(folder.glob("lexical-*.json"))  # the index of that start is there


def test_stale_indexes_and_their_locks_go_the_rest_stays(tmp_path: Path) -> None:
    from glossary.search.lexical.storage import FORMAT_VERSION, MAGIC

    folder = indexes_dir()
    folder.mkdir(parents=True)
    alive = tmp_path / "still-here"
    alive.mkdir()
    header = {"magic": MAGIC, "format": FORMAT_VERSION}
    old_format = lexical_file(folder, "a" * 16, {"magic": MAGIC, "format": 1}, 3600)
    gone = lexical_file(folder, "b" * 16, {**header, "folders": [str(tmp_path / "gone")]}, 3600)
    damaged = lexical_file(folder, "c" * 16, {}, 3600)
    damaged.write_bytes(b"\x00garbage")
    os.utime(damaged, (time.time() - 3600,) * 2)
    usable = [
        lexical_file(folder, f"{i:016x}", {**header, "folders": [str(alive)]}, 100 + i)
        for i in range(KEEP_OTHERS + 2)
    ]
    orphan_lock = folder / f".lexical-{'d' * 16}.json.lock"
    orphan_lock.write_bytes(b"")
    mine = ["query-vectors.sqlite3", "notes.txt", "lexical-not-an-index.json"]
    for name in mine:
        (folder / name).write_text("keep me\n")
    outside = tmp_path / "outside.json"
    outside.write_text("not torchgloss's\n")
    link = folder / f"lexical-{'e' * 16}.json"
    link.symlink_to(outside)

    result = search_cli()
    assert result.returncode == 0, result.stderr

    for path in (old_format, gone, damaged, orphan_lock):
        assert not path.exists(), path
        assert not (folder / f".{path.name}.lock").exists()
    kept = [p for p in usable if p.exists()]
    assert kept == usable[:KEEP_OTHERS] or sorted(kept) == sorted(usable[-KEEP_OTHERS:])
    assert len(kept) == KEEP_OTHERS  # the most recent others of the kind
    for name in mine:
        assert (folder / name).read_text() == "keep me\n"
    assert link.is_symlink() and outside.read_text() == "not torchgloss's\n"
    current = [p for p in folder.glob("lexical-*.json") if p not in usable and not p.is_symlink()]
    assert current, "the index of this start"


def test_leftovers_of_a_build_in_progress_stay(tmp_path: Path) -> None:
    """A build that is still running holds its lock: its temporary folder is not touched."""
    folder = indexes_dir()
    folder.mkdir(parents=True)
    partial = folder / ".dense-m-0123456789abcdef.x1y2.partial"
    partial.mkdir()
    other = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from filelock import FileLock; "
            "lock = FileLock(sys.argv[1]); lock.acquire(); print('held', flush=True); "
            "time.sleep(600)",
            str(folder / ".dense-m-0123456789abcdef.lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "held"
        assert sweep_indexes(folder) == []
        assert partial.is_dir()
    finally:
        other.kill()
        other.wait(timeout=10)
    assert partial in sweep_indexes(folder)  # with the lock of an index that is not there
    assert not partial.exists()


def test_query_cache_and_its_folders_are_owner_only(tmp_path: Path) -> None:
    import numpy as np

    from glossary.search.query_cache import FILE_NAME, QueryCache

    os.umask(0o022)
    path = indexes_dir() / FILE_NAME
    cache = QueryCache(path, "model")
    cache.put("my private search", np.ones(4, dtype=np.float32))
    assert cache.get("my private search") is not None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (path.parent, path.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    # a cache left world-readable by an older torchgloss is narrowed on first use
    os.chmod(path, 0o644)
    assert cache.get("my private search") is not None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.fixture(autouse=True)
def _umask() -> object:
    old = os.umask(0o022)
    yield
    os.umask(old)
