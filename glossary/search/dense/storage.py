"""The dense index on disk: one folder, written whole, with a manifest that checksums each file.

The folder holds the FAISS index, the rows (which entry, field and label each vector stands
for, and its text's hash) and the precomputed query vectors of known names. It is written
atomically (:func:`glossary.atomic.atomic_directory`); :func:`load` returns ``None`` for
anything stale, truncated or damaged. faiss is imported only to build an index, or to read
one that is not flat (a flat index is searched with numpy, straight from the verified bytes
of its FAISS file); numpy only inside the functions that need it.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glossary.atomic import atomic_directory
from glossary.errors import IndexError_
from glossary.i18n import _
from glossary.progress import ProgressCallback
from glossary.search.dense.faiss_choice import matrix_offset, new_index, tune
from glossary.search.dense.index import DenseIndex
from glossary.search.dense.passages import (
    Passage,
    entry_passages,
    surface_key,
    surface_queries,
)

if TYPE_CHECKING:
    import numpy as np

    from glossary.embedding.encoder import Encoder
    from glossary.schema import Entry

MANIFEST = "manifest.json"
VECTORS = "vectors.faiss"
ROWS = "rows.json"
SURFACE_VECTORS = "surface-queries.npy"
ENCODE_CHUNK = 128


def load(directory: Path, expected: dict[str, Any], *, any_data: bool = False) -> DenseIndex | None:
    """The index in ``directory`` if its manifest matches ``expected`` and no file is damaged.

    With ``any_data``, an index of other glossary data is accepted too (its vectors can be
    reused by the next :func:`build`).
    """
    import io

    import numpy as np

    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        for key, value in expected.items():
            if manifest.get(key) != value and not (any_data and key == "fingerprint"):
                return None
        files = manifest["files"]
        blobs = {}
        for name in (VECTORS, ROWS, SURFACE_VECTORS):
            data = (directory / name).read_bytes()
            record = files[name]
            if len(data) != record["size"] or hashlib.sha256(data).hexdigest() != record["sha256"]:
                return None
            blobs[name] = data
        rows = json.loads(blobs[ROWS])
        surface_vectors = np.load(io.BytesIO(blobs[SURFACE_VECTORS]), allow_pickle=False)
        count, dimension = manifest["count"], expected["model"]["dimension"]
        offset = manifest.get("matrix_offset")
        matrix = index = None
        if offset is not None:
            matrix = np.frombuffer(blobs[VECTORS], np.float32, count * dimension, offset)
            matrix = matrix.reshape(count, dimension)
        else:
            import faiss

            if manifest["versions"]["faiss"] != faiss.__version__:
                return None  # written by another faiss: build anew rather than guess
            index = faiss.deserialize_index(np.frombuffer(blobs[VECTORS], dtype=np.uint8))
            tune(index)  # search parameters are this code's, not the file's
            if index.ntotal != count or index.d != dimension:
                return None
        if (
            len(rows["row_entries"]) != count
            or len(rows["row_fields"]) != count
            or len(rows["row_hashes"]) != count
            or surface_vectors.shape != (len(rows["surfaces"]), dimension)
        ):
            return None
    except (OSError, ValueError, KeyError, TypeError, RuntimeError):
        return None
    return DenseIndex(directory, manifest, rows, surface_vectors, matrix=matrix, index=index)


def build(
    directory: Path,
    entries: Sequence[Entry],
    encoder: Callable[[], Encoder],
    expected: dict[str, Any],
    progress: ProgressCallback | None = None,
    previous: DenseIndex | None = None,
    known: dict[str, np.ndarray] | None = None,
) -> DenseIndex:
    """Embed ``entries`` and write a complete index folder in one step.

    Vectors already known are taken as they are: those of ``previous`` (an index of the same
    model over older data, so editing a few entries re-embeds only their passages) and
    ``known`` (the package's shipped vectors, :mod:`.shipped`), both by key. ``encoder`` is
    called only if some text is left to embed: a build from shipped vectors loads no model.
    """
    import numpy as np

    report = progress or (lambda stage, done, total: None)
    passages = entry_passages(entries)
    surfaces = surface_queries(entries)
    dimension = int(expected["model"]["dimension"])
    old_passages, old_surfaces = previous.reusable() if previous is not None else ({}, {})
    pool = {**(known or {}), **old_passages}
    pool.update((surface_key(text), vector) for text, vector in old_surfaces.items())
    lazy = LazyEncoder(encoder, dimension)
    hashes = [p.key for p in passages]
    vectors = np.zeros((len(passages), dimension), dtype=np.float32)
    for as_query, stage in (
        (False, "Embedding the glossary"),
        (True, "Embedding how entries are asked for"),
    ):
        chosen = [i for i, p in enumerate(passages) if p.as_query is as_query]
        vectors[chosen] = encode_new(
            lazy.queries if as_query else lazy.passages,
            [passages[i].text for i in chosen],
            [hashes[i] for i in chosen],
            pool,
            dimension,
            stage,
            report,
        )
    surface_vectors = encode_new(
        lazy.queries,
        surfaces,
        [surface_key(text) for text in surfaces],
        pool,
        dimension,
        "Embedding names",
        report,
    )
    rows = index_rows(passages, surfaces)
    return write_index(directory, rows, vectors, surface_vectors, expected, lazy.embedded, report)


def index_rows(passages: Sequence[Passage], surfaces: Sequence[str]) -> dict[str, Any]:
    """What ``rows.json`` records: each row's entry, label, field and key, and the names."""
    entry_ids = list(dict.fromkeys(p.entry_id for p in passages))
    position = {entry_id: i for i, entry_id in enumerate(entry_ids)}
    return {
        "entry_ids": entry_ids,
        "row_entries": [position[p.entry_id] for p in passages],
        "row_labels": [p.label for p in passages],
        "row_fields": [p.field for p in passages],
        "row_hashes": [p.key for p in passages],
        "surfaces": {text: i for i, text in enumerate(surfaces)},
    }


def from_rows(
    directory: Path,
    rows: dict[str, Any],
    known: dict[str, np.ndarray],
    expected: dict[str, Any],
    progress: ProgressCallback | None = None,
) -> DenseIndex | None:
    """An index written from ready ``rows`` (as :func:`build` makes them) and vectors by key,
    without the entries or a model: the shipped index of the bundled glossary. ``None`` if a
    vector is missing."""
    import numpy as np

    try:
        vectors = (
            np.stack([known[key] for key in rows["row_hashes"]]) if rows["row_hashes"] else None
        )
        surfaces = [known[surface_key(text)] for text in rows["surfaces"]]
    except KeyError:
        return None
    dimension = int(expected["model"]["dimension"])
    if vectors is None:
        vectors = np.zeros((0, dimension), dtype=np.float32)
    surface_vectors = np.stack(surfaces) if surfaces else np.zeros((0, dimension), np.float32)
    report = progress or (lambda stage, done, total: None)
    return write_index(directory, rows, vectors, surface_vectors, expected, 0, report)


def write_index(
    directory: Path,
    rows: dict[str, Any],
    vectors: np.ndarray,
    surface_vectors: np.ndarray,
    expected: dict[str, Any],
    embedded: int,
    report: ProgressCallback,
) -> DenseIndex:
    """Put ``vectors`` in a FAISS index and write the folder (index, rows, names) in one step."""
    import io

    import faiss
    import numpy as np

    dimension = int(expected["model"]["dimension"])
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    index = new_index(dimension, len(vectors), training=vectors)
    index.add(vectors)
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(surface_vectors, dtype=np.float32), allow_pickle=False)
    serialized = faiss.serialize_index(index).tobytes()
    blobs = {
        VECTORS: serialized,
        ROWS: json.dumps(rows, ensure_ascii=False).encode(),
        SURFACE_VECTORS: buffer.getvalue(),
    }
    manifest = {
        **expected,
        "versions": {"faiss": faiss.__version__, "numpy": np.__version__},
        "matrix_offset": matrix_offset(index, serialized, vectors),
        "count": len(vectors),
        "entries": len(rows["entry_ids"]),
        "embedded": embedded,
        "index_type": type(index).__name__,
        "built_with": _build_versions(),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "files": {
            name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in blobs.items()
        },
    }
    report("Saving the search index", 0, 1)
    with atomic_directory(directory) as tmp:
        for name, data in blobs.items():
            (tmp / name).write_bytes(data)
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
    report("Saving the search index", 1, 1)
    offset = manifest["matrix_offset"]
    surface_vectors = np.load(io.BytesIO(blobs[SURFACE_VECTORS]), allow_pickle=False)
    if offset is not None:
        matrix = np.frombuffer(serialized, np.float32, vectors.size, offset).reshape(vectors.shape)
        return DenseIndex(directory, manifest, rows, surface_vectors, matrix=matrix)
    return DenseIndex(directory, manifest, rows, surface_vectors, index=index)


class LazyEncoder:
    """The encoder, loaded the first time a text must be embedded (never, from shipped vectors)."""

    def __init__(self, factory: Callable[[], Encoder], dimension: int) -> None:
        self._factory = factory
        self._encoder: Encoder | None = None
        self.dimension = dimension
        #: How many texts were embedded rather than reused.
        self.embedded = 0

    def _get(self) -> Encoder:
        if self._encoder is None:
            encoder = self._factory()
            if encoder.dimension != self.dimension:
                raise IndexError_(
                    _(
                        "Model {model} gives vectors of {found} numbers, not the {expected} "
                        "its spec declares; rebuild the model."
                    ).format(
                        model=encoder.model_id, found=encoder.dimension, expected=self.dimension
                    )
                )
            self._encoder = encoder
        return self._encoder

    def passages(self, texts: list[str]) -> np.ndarray:
        self.embedded += len(texts)
        return self._get().encode_passages(texts)

    def queries(self, texts: list[str]) -> np.ndarray:
        self.embedded += len(texts)
        return self._get().encode_queries(texts)


def encode_new(
    encode: Callable[[list[str]], np.ndarray],
    texts: list[str],
    keys: list[str],
    known: dict[str, np.ndarray],
    dimension: int,
    stage: str,
    report: ProgressCallback,
) -> np.ndarray:
    """Vectors of ``texts``: from ``known`` (by key) where present, else from ``encode``."""
    import numpy as np

    out = np.zeros((len(texts), dimension), dtype=np.float32)
    todo = []
    for row, key in enumerate(keys):
        vector = known.get(key)
        if vector is not None and vector.shape == (dimension,):
            out[row] = vector
        else:
            todo.append(row)
    report(stage, 0, len(todo))
    for start in range(0, len(todo), ENCODE_CHUNK):
        chunk = todo[start : start + ENCODE_CHUNK]
        out[chunk] = encode([texts[row] for row in chunk])
        report(stage, min(start + ENCODE_CHUNK, len(todo)), len(todo))
    return out


def _build_versions() -> dict[str, str]:
    """Library versions at build time, for the record (torch decides the numbers too)."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("torch", "sentence-transformers", "tokenizers"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    from glossary import __version__

    found["torchgloss"] = __version__
    return found
