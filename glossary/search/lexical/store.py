"""Where the compiled lexical index lives; getting a current one (load, or build under a lock)."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from glossary.errors import IndexError_
from glossary.locked_build import load_or_build_locked
from glossary.search.freshness import FileStat, folder_names, yaml_stats
from glossary.search.lexical import storage
from glossary.search.lexical.index import LexicalIndex

if TYPE_CHECKING:
    from glossary.errors import Problem
    from glossary.schema import Entry


def index_path(folders: Sequence[Path]) -> Path:
    """Where the compiled index for this set of glossary folders lives."""
    from glossary.paths import indexes_dir

    key = hashlib.sha256("\0".join(folder_names(folders)).encode()).hexdigest()[:16]
    return indexes_dir() / f"lexical-{key}.json"


def load_unchanged(folders: Sequence[Path]) -> LexicalIndex | None:
    """The saved index for ``folders`` when no glossary file changed since it was built.

    Needs no fingerprint (no hashing, no :mod:`glossary.loader`); ``None`` means "check
    properly" with :func:`load_or_build`.
    """
    return storage.load_if_unchanged(
        index_path(folders), folder_names(folders), yaml_stats(folders)
    )


def load_or_build(
    folders: Sequence[Path],
    fingerprint: str,
    entries: Callable[[], Sequence[Entry]],
    *,
    force: bool = False,
    skipped: Callable[[], Sequence[Problem]] = tuple,
) -> tuple[LexicalIndex, bool]:
    """The saved index for ``folders`` if current and intact; otherwise build and save it.

    Two processes may call this at once: the build runs under a file lock and the second
    process reuses what the first wrote. Returns the index and whether it was (re)built.

    Args:
        folders: the glossary folders, in merge order.
        fingerprint: :func:`glossary.datafiles.data_fingerprint` of those folders.
        entries: called only when a build is needed and the package's compiled index of
            the bundled glossary (:mod:`.shipped`) does not apply, neither as it is nor
            extended with a user's entries (:mod:`.merging`); returns the merged entries.
        force: build even over a current index.
        skipped: called after ``entries``: the problems of the entries it left out (files of
            the user's folders that do not validate), recorded with the index.
    """
    path = index_path(folders)
    names = folder_names(folders)
    stats = yaml_stats(folders)

    def load() -> LexicalIndex | None:
        return None if force else storage.load(path, fingerprint)

    def build() -> LexicalIndex:
        from glossary.search.lexical.merging import compile_with_bundled
        from glossary.search.lexical.shipped import load_bundled_lexical

        index = load_bundled_lexical(folders, fingerprint)
        if index is None:
            index = compile_with_bundled(folders, fingerprint)
        if index is None:
            index = LexicalIndex.build(entries(), fingerprint, skipped())
        storage.save(index, path, names, stats)
        return index

    try:
        index, built = load_or_build_locked(
            path.with_name(f".{path.name}.lock"),
            load,
            build,
            timeout_s=300,
            error=IndexError_,
            busy_message=f"Another torchgloss process has held the index lock in {path.parent} "
            "for 5 minutes; stop it or delete the .lock file there, and try again.",
        )
    except OSError as exc:
        raise IndexError_(f"Cannot write the search index in {path.parent} ({exc}).") from exc
    if not built:
        _refresh_stats(index, path, names, stats)
    return index, built


def _refresh_stats(
    index: LexicalIndex, path: Path, names: list[str], stats: list[FileStat] | None
) -> None:
    """Files were touched but their content is the same: record the new stats (best effort)."""
    found = storage.read_header(path)
    if stats is None or found is None or found[0].get("stats") == stats:
        return
    with contextlib.suppress(IndexError_):
        storage.save(index, path, names, stats)
