"""Getting a current dense index: load it, or build it once under a file lock."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glossary.errors import IndexError_
from glossary.i18n import _
from glossary.locked_build import load_or_build_locked
from glossary.progress import ProgressCallback
from glossary.search.dense.index import DenseIndex
from glossary.search.dense.shipped import load_bundled_rows, load_shipped
from glossary.search.dense.storage import build, from_rows, load

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
    folders: Sequence[Path] = (),
) -> tuple[DenseIndex, bool]:
    """The index in ``directory`` if current and intact, else a new one built under a lock.

    Returns the index and whether it was (re)built. ``entries`` is called only for a build,
    ``encoder`` only if a build has texts that neither the old index nor the package's
    shipped vectors (:mod:`.shipped`) hold. ``force`` reuses no old index (shipped vectors
    still count: they are checked against the model's signature). When ``folders`` is the
    bundled glossary alone, unchanged, the index is written from the shipped rows and vectors
    without reading the entries at all.
    """
    lock_path = directory.with_name(f".{directory.name}.lock")

    def current() -> DenseIndex | None:
        return None if force else load(directory, expected)

    def make() -> DenseIndex:
        previous = None if force else load(directory, expected, any_data=True)
        known = load_shipped(expected["model"]).vectors
        rows = load_bundled_rows(folders, expected["model"]) if folders else None
        if rows is not None:
            index = from_rows(directory, rows, known, expected, progress)
            if index is not None:
                return index
        return build(directory, entries(), encoder, expected, progress, previous, known)

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
        raise IndexError_(
            _("Cannot write the search index {folder} ({error}).").format(
                folder=directory, error=exc
            )
        ) from exc
