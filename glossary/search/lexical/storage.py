"""The lexical index on disk: one JSON header line, then the compiled tables it checksums.

A reader sees the old file or the new one, never half of one (atomic writes); a file that is
truncated, edited, of another format version or built from other data loads as ``None``, and
the caller builds it again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from glossary.atomic import write_bytes_atomic
from glossary.errors import IndexError_
from glossary.headered import split_header
from glossary.search.freshness import FileStat
from glossary.search.lexical.index import LexicalIndex

#: Bump when the compiled layout or how keys are made changes: old files are rebuilt.
FORMAT_VERSION = 6
MAGIC = "torchgloss-lexical"


def to_bytes(
    index: LexicalIndex, folders: Sequence[str] = (), stats: Sequence[FileStat] | None = None
) -> bytes:
    """The on-disk form of ``index``.

    ``folders`` and ``stats`` (see :mod:`glossary.search.freshness`) let a later run trust the
    recorded fingerprint without hashing the glossary files.
    """
    payload = json.dumps(index.compiled, ensure_ascii=False, separators=(",", ":")).encode()
    header = {
        "magic": MAGIC,
        "format": FORMAT_VERSION,
        "fingerprint": index.fingerprint,
        "sha256": hashlib.sha256(payload).hexdigest(),
        "entries": len(index.entries),
        "folders": list(folders),
        "stats": stats,
    }
    return json.dumps(header, ensure_ascii=False).encode() + b"\n" + payload


def save(
    index: LexicalIndex,
    path: Path,
    folders: Sequence[str] = (),
    stats: Sequence[FileStat] | None = None,
) -> None:
    """Write ``index`` to ``path`` atomically."""
    try:
        write_bytes_atomic(path, to_bytes(index, folders, stats))
    except OSError as exc:
        raise IndexError_(f"Cannot write the search index {path} ({exc}).") from exc


def read_header(path: Path) -> tuple[dict[str, Any], bytes] | None:
    """The header and raw payload of an index file, or ``None`` if it is not one."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    found = split_header(raw, MAGIC)
    if found is None or found[0].get("format") != FORMAT_VERSION:
        return None
    return found


def _from_payload(header: dict[str, Any], payload: bytes) -> LexicalIndex | None:
    if header.get("sha256") != hashlib.sha256(payload).hexdigest():
        return None
    try:
        index = LexicalIndex(json.loads(payload))
    except (ValueError, KeyError, TypeError):
        return None
    return index if index.fingerprint == header.get("fingerprint") else None


def load(path: Path, fingerprint: str) -> LexicalIndex | None:
    """The index at ``path`` if it was built from ``fingerprint`` and is intact, else None."""
    found = read_header(path)
    if found is None or found[0].get("fingerprint") != fingerprint:
        return None
    return _from_payload(*found)


def load_if_unchanged(
    path: Path, folders: Sequence[str], stats: Sequence[FileStat] | None
) -> LexicalIndex | None:
    """The index at ``path`` if built from these folders and no glossary file changed since.

    The fast check of a cold search: stat calls instead of hashing.
    """
    if stats is None:
        return None
    found = read_header(path)
    if found is None:
        return None
    header, payload = found
    recorded = [list(s) for s in stats]
    if header.get("folders") != list(folders) or header.get("stats") != recorded:
        return None
    return _from_payload(header, payload)
