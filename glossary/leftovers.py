"""Clear what killed builds and old data leave in the indexes folder, and nothing else.

Three kinds of leftovers pile up in ``<home>/indexes``:

* a build killed mid-way (``kill -9``, a power cut) leaves its temporary folder or file
  (``.NAME.*.partial``, ``.NAME.*.tmp``) or the previous version it was replacing
  (``.NAME.old-PID``): see :mod:`glossary.atomic`;
* every set of glossary folders (``--data``) and every model gets an index of its own, and
  those of folders that are gone, or of an older format, can never be used again;
* each index has a lock file (``.NAME.lock``) that outlives it.

What is removed, and when it is safe:

* leftovers of a build of ``NAME`` only while ``NAME``'s lock is free (no process is building
  it; every build runs under that lock), or held by the caller;
* an index other than the current one only when it is older than the current one of its
  kind (``lexical-*``, ``dense-*``) and provably unusable (its folders are gone, it is of
  another format, or it does not read), or when more than :data:`KEEP_OTHERS` other indexes
  of its kind are newer; its lock goes with it;
* a lock whose index is gone, when it is free.

Only names of these shapes, directly inside the indexes folder, are ever touched; symbolic
links are never followed nor removed; the query cache and anything else stay.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import time
from collections.abc import Iterator
from pathlib import Path

#: How many other indexes of one kind (other folder sets, other models) are kept.
KEEP_OTHERS = 3
#: A temporary file this old is not being written any more (writes take well under a second).
TMP_FILE_AGE_S = 600.0

_NAME = r"lexical-[0-9a-f]{16}\.json|dense-[A-Za-z0-9._-]*?-[0-9a-f]{16}"
_INDEX = re.compile(rf"^(?:{_NAME})$")
_LEFTOVER = re.compile(rf"^\.(?P<name>{_NAME})\.(?:[^/]+\.partial|[^/]+\.tmp|old-\d+)$")
_LOCK = re.compile(rf"^\.(?P<name>{_NAME})\.lock$")


def sweep_indexes(directory: Path, current: Path | None = None) -> list[Path]:
    """Remove the leftovers described in the module docstring from ``directory``.

    Args:
        directory: the indexes folder (``glossary.paths.indexes_dir()``).
        current: an index just built or loaded, whose lock the caller holds; stale indexes
            of its kind are judged against it. Without it only leftovers of killed builds
            and free locks of missing indexes go.

    Returns:
        What was removed. Never raises: cleaning is best effort.
    """
    removed: list[Path] = []
    try:
        entries = {entry.name: entry for entry in os.scandir(directory)}
    except OSError:
        return removed
    held = current.name if current is not None else None
    for name, entry in entries.items():
        match = _LEFTOVER.match(name)
        if match is None or entry.is_symlink():
            continue
        if name.endswith(".tmp") and _age_s(entry) < TMP_FILE_AGE_S:
            continue
        with _free(directory, match["name"], held) as free:
            if free and _remove(Path(entry.path)):
                removed.append(Path(entry.path))
    if current is not None:
        for stale in _stale_indexes(directory, current, entries):
            with _free(directory, stale.name, held) as free:
                if free and _remove(stale):
                    removed.append(stale)
                    lock = directory / f".{stale.name}.lock"
                    if _remove(lock):
                        removed.append(lock)
    for name in entries:
        match = _LOCK.match(name)
        if match is None or match["name"] == held:
            continue
        if (directory / match["name"]).exists() or (directory / name).is_symlink():
            continue
        lock = directory / name
        with _free(directory, match["name"], held) as free:
            if free and _remove(lock):
                removed.append(lock)
    return removed


def _stale_indexes(
    directory: Path, current: Path, entries: dict[str, os.DirEntry[str]]
) -> list[Path]:
    """Indexes of ``current``'s kind, older than it, that are unusable or past the keep."""
    kind = "lexical-" if current.name.startswith("lexical-") else "dense-"
    try:
        now = os.stat(current).st_mtime
    except OSError:
        return []
    others = []
    for name, entry in entries.items():
        if name == current.name or not name.startswith(kind) or not _INDEX.match(name):
            continue
        if entry.is_symlink():
            continue
        try:
            mtime = entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if mtime < now:
            others.append((mtime, Path(entry.path)))
    others.sort(reverse=True)  # newest first
    format_now = _format_of(current)
    stale = []
    for rank, (_mtime, path) in enumerate(others):
        if rank >= KEEP_OTHERS or _unusable(path, format_now):
            stale.append(path)
    return stale


def _format_of(index: Path) -> object:
    """The format version an index records (its header line, or its manifest)."""
    header = _header(index)
    return header.get("format") if header is not None else None


def _header(index: Path) -> dict[str, object] | None:
    """A lexical index's header line, or a dense index's manifest; ``None`` if unreadable."""
    try:
        if index.is_dir():
            data = json.loads((index / "manifest.json").read_text(encoding="utf-8"))
        else:
            with index.open("rb") as fh:
                data = json.loads(fh.readline(1 << 20))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _unusable(index: Path, format_now: object) -> bool:
    """An index that can never be loaded again: unreadable, of another format, or built
    from glossary folders that no longer exist."""
    header = _header(index)
    if header is None or header.get("format") != format_now:
        return True
    folders = header.get("folders")
    if isinstance(folders, list):
        return not all(isinstance(f, str) and os.path.isdir(f) for f in folders)
    return False


def _age_s(entry: os.DirEntry[str]) -> float:
    try:
        return time.time() - entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return 0.0


@contextlib.contextmanager
def _free(directory: Path, name: str, held: str | None) -> Iterator[bool]:
    """Whether no process is building ``name`` (its lock taken without waiting, and held
    for the block), or the caller holds it already (``held``)."""
    if name == held:
        yield True
        return
    from filelock import FileLock, Timeout

    lock_path = directory / f".{name}.lock"
    if lock_path.is_symlink():
        yield False
        return
    lock = FileLock(str(lock_path), timeout=0)
    try:
        lock.acquire()
    except (Timeout, OSError):
        yield False
        return
    try:
        yield True
    finally:
        lock.release()


def _remove(path: Path) -> bool:
    """Remove a file or a whole folder (never through a link); ``False`` if it could not be."""
    try:
        info = os.lstat(path)
        if stat.S_ISDIR(info.st_mode):
            shutil.rmtree(path)
        else:
            os.unlink(path)
    except OSError:
        return False
    return True
