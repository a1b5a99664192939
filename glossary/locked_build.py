"""Load a cached artefact, or build it once under a file lock: the one sequence every cache uses.

The lexical index, the dense index, the converted model and the reference layer are all files
that any number of torchgloss processes may want at the same moment. Each follows the same
steps: try to load; if that fails, take the artefact's lock, try again (another process may have
built it meanwhile), and only then build. This module holds those steps once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from glossary.errors import GlossaryError

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
        return found, False
    from filelock import FileLock, Timeout

    lock_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(str(lock_path), timeout=timeout_s):
            found = load()  # built by another process while we waited?
            if found is not None:
                return found, False
            return build(), True
    except Timeout as exc:
        raise error(busy_message) from exc
