"""Getting a current dense index: load it, or build it once under a file lock."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glossary.errors import IndexError_
from glossary.locked_build import load_or_build_locked
from glossary.progress import ProgressCallback
from glossary.search.dense.index import DenseIndex
from glossary.search.dense.storage import build, load

if TYPE_CHECKING:
    from glossary.embedding.encoder import Encoder
    from glossary.schema import Entry


def load_or_build(
    directory: Path,
    expected: dict[str, Any],
    entries: Callable[[], Sequence[Entry]],
    encoder: Callable[[], Encoder],
    progress: ProgressCallback | None = None,
    *,
    force: bool = False,
) -> tuple[DenseIndex, bool]:
    """The index in ``directory`` if current and intact, else a new one built under a lock.

    Returns the index and whether it was (re)built. ``entries`` and ``encoder`` are called
    only for a build. ``force`` builds from scratch even over a good index.
    """
    lock_path = directory.with_name(f".{directory.name}.lock")

    def current() -> DenseIndex | None:
        return None if force else load(directory, expected)

    def make() -> DenseIndex:
        previous = None if force else load(directory, expected, any_data=True)
        return build(directory, entries(), encoder(), expected, progress, previous)

    try:
        return load_or_build_locked(
            lock_path,
            current,
            make,
            timeout_s=900,
            error=IndexError_,
            busy_message=f"Another torchgloss process has been building the index in "
            f"{directory.parent} for 15 minutes; stop it or delete {lock_path.name} there, "
            "and try again.",
        )
    except OSError as exc:
        raise IndexError_(f"Cannot write the search index {directory} ({exc}).") from exc
