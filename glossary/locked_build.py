"""Load a cached artefact, or build it once under a file lock: the one sequence every cache uses.

The lexical index, the dense index, the converted model and the reference layer are all files
that any number of torchgloss processes may want at the same moment. Each follows the same
steps: try to load; if that fails, take the artefact's lock, try again (another process may have
built it meanwhile), and only then build. This module holds those steps once.

For an artefact in the indexes folder it also clears what killed builds and old data left
there (:mod:`glossary.leftovers`): after each load the leftovers of killed builds, and after a
build, with the lock still held, the indexes the new one makes stale.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from glossary.errors import GlossaryError
from glossary.paths import make_private_dirs

T = TypeVar("T")


def load_or_build_locked(
    lock_path: Path,
    load: Callable[[], T | None],
    build: Callable[[], T],
    *,
    timeout_s: float,
    error: type[GlossaryError],
    busy_message: str,
) -> tuple[T, bool]:
    """``load()`` if it gives something, else ``build()`` under ``lock_path``.

    Args:
        lock_path: the lock file (its folder is created when missing).
        load: returns the current artefact, or ``None`` when it is missing, stale or damaged.
        build: makes (and saves) the artefact; called with the lock held, at most once.
        timeout_s: how long to wait for another process's build.
        error: the exception raised when the lock cannot be had in time.
        busy_message: its text; it should say what to stop or delete.

    Returns:
        The artefact, and whether this call built it.
    """
    found = load()
    if found is not None:
        _sweep(lock_path, built=False)
        return found, False
    from filelock import FileLock, Timeout

    make_private_dirs(lock_path.parent)
    try:
        with FileLock(str(lock_path), timeout=timeout_s):
            found = load()  # built by another process while we waited?
            if found is None:
                found = build()
                _sweep(lock_path, built=True)
                return found, True
    except Timeout as exc:
        raise error(busy_message) from exc
    _sweep(lock_path, built=False)
    return found, False


def _sweep(lock_path: Path, *, built: bool) -> None:
    """Clear the indexes folder's leftovers when ``lock_path`` is an index's lock there.

    ``built``: the caller holds the lock of the index just built (``.NAME.lock``).
    """
    from glossary.paths import indexes_dir

    folder = lock_path.parent
    name = lock_path.name
    if not (name.startswith(".") and name.endswith(".lock")):
        return
    try:
        if not folder.samefile(indexes_dir()):
            return
    except OSError:
        return
    from glossary.leftovers import sweep_indexes

    sweep_indexes(folder, folder / name[1 : -len(".lock")] if built else None)
