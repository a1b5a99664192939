"""The dense index: several vectors per entry in FAISS, with a manifest that says what built it.

Each entry is embedded as a few passages: its English and Japanese definitions (each with the
headword in front), one line of all its names, and each of its Japanese or multi-word names on
its own (``テンソルを繋げる`` is close to how people phrase a search). Rows map back to entry ids;
an entry scores its best row. Query vectors of every headword and alias are computed at build
time too, so a query that is a known name needs no model at all.

The files live in one folder per (glossary folders, model) under ``indexes/``, written
atomically (:func:`glossary.atomic.atomic_directory`) under a file lock, and described by
``manifest.json``: format, data fingerprint, model signature, library versions, and the size
and SHA-256 of every file. :func:`load` returns ``None`` for anything stale, truncated or
damaged, and :func:`load_or_build` then builds it again.

faiss and numpy are imported only inside the functions that need them.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glossary.atomic import atomic_directory
from glossary.errors import IndexError_
from glossary.text.normalize import has_japanese

if TYPE_CHECKING:
    import numpy as np

    from glossary.embedding.encoder import Encoder
    from glossary.embedding.spec import ModelSpec
    from glossary.schema import Entry

#: Bump when passages, files or their layout change: older folders are rebuilt.
FORMAT_VERSION = 1
#: Up to this many vectors an exact (flat) index is both fastest and best; above, HNSW.
FLAT_LIMIT = 50_000
#: Above this many vectors a query looks at the nearest SEARCH_DEPTH rows only.
SEARCH_ALL_LIMIT = 8192
SEARCH_DEPTH = 1024
ENCODE_CHUNK = 128

MANIFEST = "manifest.json"
VECTORS = "vectors.faiss"
ROWS = "rows.json"
SURFACE_VECTORS = "surface-queries.npy"

#: ``progress(stage, done, total)`` while building (the library never prints).
ProgressCallback = Callable[[str, int, int], None]

_IDENTIFIER_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


@dataclass(frozen=True, slots=True)
class Passage:
    """One embedded text and the entry it stands for; ``label`` says which part it is."""

    entry_id: str
    label: str
    text: str


@dataclass(frozen=True, slots=True)
class DenseHit:
    """An entry's best row for a query vector."""

    entry_id: str
    score: float  # cosine similarity
    label: str


def entry_passages(entries: Sequence[Entry]) -> list[Passage]:
    """The passages embedded for ``entries`` (see the module docstring)."""
    passages: list[Passage] = []
    for entry in entries:
        term = entry.term
        ja_head = f"{term.ja}（{term.reading}）" if term.reading else term.ja
        passages.append(Passage(entry.id, "definition (en)", f"{term.en}: {entry.definition.en}"))
        passages.append(Passage(entry.id, "definition (ja)", f"{ja_head}: {entry.definition.ja}"))
        names = dict.fromkeys([term.en, term.ja, *entry.aliases])
        passages.append(Passage(entry.id, "names", " / ".join(names)))
        for name in names:
            if has_japanese(name) or (" " in name.strip() and not _IDENTIFIER_RE.match(name)):
                passages.append(Passage(entry.id, name, name))
    return passages


def surface_queries(entries: Sequence[Entry]) -> list[str]:
    """Every headword and alias, whose query vectors are computed at build time."""
    forms: dict[str, None] = {}
    for entry in entries:
        for text in (entry.id, entry.term.en, entry.term.ja, entry.api or "", *entry.aliases):
            text = " ".join(text.split())
            if text:
                forms[text] = None
    return list(forms)


def model_signature(spec: ModelSpec) -> dict[str, Any]:
    """What about a model decides its vectors (not where it is stored)."""
    return {
        "model_id": spec.model_id,
        "source": spec.source,
        "dimension": spec.dimension,
        "query_prefix": spec.query_prefix,
        "passage_prefix": spec.passage_prefix,
        "pooling": spec.pooling,
        "max_seq_length": spec.max_seq_length,
        "long_text": spec.long_text,
        "files": dict(sorted(spec.files.items())),
    }


def signature_key(signature: dict[str, Any]) -> str:
    """A short stable hash of a :func:`model_signature`."""
    blob = json.dumps(signature, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def index_dir(folders: Sequence[Path], signature: dict[str, Any]) -> Path:
    """The folder of the dense index for these glossary folders and this model."""
    from glossary.paths import indexes_dir

    where = "\0".join(str(f.resolve()) for f in folders)
    key = hashlib.sha256(f"{where}\0{signature_key(signature)}".encode()).hexdigest()[:16]
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", signature["model_id"]).strip("-")[-48:] or "model"
    return indexes_dir() / f"dense-{slug}-{key}"


def expected_manifest(fingerprint: str, signature: dict[str, Any]) -> dict[str, Any]:
    """The manifest fields a usable index must have (files and counts come on top)."""
    import faiss
    import numpy

    return {
        "format": FORMAT_VERSION,
        "fingerprint": fingerprint,
        "model": signature,
        "versions": {"faiss": faiss.__version__, "numpy": numpy.__version__},
    }


class DenseIndex:
    """A loaded dense index: FAISS rows, their entries and labels, and surface query vectors."""

    def __init__(
        self,
        directory: Path,
        manifest: dict[str, Any],
        index: Any,
        rows: dict[str, Any],
        surface_vectors: np.ndarray,
    ) -> None:
        self.directory = directory
        self.manifest = manifest
        self.index = index
        self.entry_ids: list[str] = rows["entry_ids"]
        self.row_entries: list[int] = rows["row_entries"]
        self.row_labels: list[str] = rows["row_labels"]
        self.surface_rows: dict[str, int] = rows["surfaces"]
        self.surface_vectors = surface_vectors

    @property
    def model_id(self) -> str:
        return str(self.manifest["model"]["model_id"])

    @property
    def dimension(self) -> int:
        return int(self.manifest["model"]["dimension"])

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def surface_vector(self, text: str) -> np.ndarray | None:
        """The precomputed query vector of ``text`` if it is a known headword or alias."""
        row = self.surface_rows.get(" ".join(text.split()))
        return None if row is None else self.surface_vectors[row]

    def search(self, vector: np.ndarray, limit: int | None = None) -> list[DenseHit]:
        """Entries by their best row's cosine similarity to ``vector``, best first."""
        import numpy as np

        total = len(self)
        if total == 0:
            return []
        depth = total if total <= SEARCH_ALL_LIMIT else SEARCH_DEPTH
        query = np.ascontiguousarray(vector, dtype=np.float32).reshape(1, -1)
        scores, rows = self.index.search(query, depth)
        best: dict[int, DenseHit] = {}
        for score, row in zip(scores[0].tolist(), rows[0].tolist(), strict=True):
            if row < 0:
                continue
            entry = self.row_entries[row]
            if entry not in best:
                best[entry] = DenseHit(self.entry_ids[entry], float(score), self.row_labels[row])
        hits = sorted(best.values(), key=lambda h: -h.score)
        return hits if limit is None else hits[:limit]


def load(directory: Path, expected: dict[str, Any]) -> DenseIndex | None:
    """The index in ``directory`` if its manifest matches ``expected`` and no file is damaged."""
    import faiss
    import numpy as np

    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        if any(manifest.get(key) != value for key, value in expected.items()):
            return None
        files = manifest["files"]
        blobs = {}
        for name in (VECTORS, ROWS, SURFACE_VECTORS):
            data = (directory / name).read_bytes()
            record = files[name]
            if len(data) != record["size"] or hashlib.sha256(data).hexdigest() != record["sha256"]:
                return None
            blobs[name] = data
        index = faiss.deserialize_index(np.frombuffer(blobs[VECTORS], dtype=np.uint8))
        rows = json.loads(blobs[ROWS])
        import io

        surface_vectors = np.load(io.BytesIO(blobs[SURFACE_VECTORS]), allow_pickle=False)
        if (
            index.ntotal != manifest["count"]
            or index.d != expected["model"]["dimension"]
            or len(rows["row_entries"]) != index.ntotal
            or surface_vectors.shape != (len(rows["surfaces"]), index.d)
        ):
            return None
    except (OSError, ValueError, KeyError, TypeError, RuntimeError):
        return None
    return DenseIndex(directory, manifest, index, rows, surface_vectors)


def build(
    directory: Path,
    entries: Sequence[Entry],
    encoder: Encoder,
    expected: dict[str, Any],
    progress: ProgressCallback | None = None,
) -> DenseIndex:
    """Embed ``entries`` with ``encoder`` and write a complete index folder in one step."""
    import io

    import faiss
    import numpy as np

    report = progress or (lambda stage, done, total: None)
    passages = entry_passages(entries)
    surfaces = surface_queries(entries)
    dimension = int(expected["model"]["dimension"])
    if encoder.dimension != dimension:
        raise IndexError_(
            f"Model {encoder.model_id} gives vectors of {encoder.dimension} numbers, not the "
            f"{dimension} its spec declares; rebuild the model."
        )
    texts = [p.text for p in passages]
    vectors = _encode(encoder.encode_passages, texts, dimension, "passages", report)
    surface_vectors = _encode(encoder.encode_queries, surfaces, dimension, "names", report)
    index = _new_index(dimension, len(passages))
    index.add(vectors)
    entry_ids = list(dict.fromkeys(p.entry_id for p in passages))
    position = {entry_id: i for i, entry_id in enumerate(entry_ids)}
    rows = {
        "entry_ids": entry_ids,
        "row_entries": [position[p.entry_id] for p in passages],
        "row_labels": [p.label for p in passages],
        "surfaces": {text: i for i, text in enumerate(surfaces)},
    }
    buffer = io.BytesIO()
    np.save(buffer, surface_vectors, allow_pickle=False)
    blobs = {
        VECTORS: faiss.serialize_index(index).tobytes(),
        ROWS: json.dumps(rows, ensure_ascii=False).encode(),
        SURFACE_VECTORS: buffer.getvalue(),
    }
    manifest = {
        **expected,
        "count": len(passages),
        "entries": len(entry_ids),
        "index_type": type(index).__name__,
        "built_with": _build_versions(),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "files": {
            name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in blobs.items()
        },
    }
    report("saving", 0, 1)
    with atomic_directory(directory) as tmp:
        for name, data in blobs.items():
            (tmp / name).write_bytes(data)
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
    report("saving", 1, 1)
    return DenseIndex(directory, manifest, index, rows, surface_vectors)


def load_or_build(
    directory: Path,
    expected: dict[str, Any],
    entries: Callable[[], Sequence[Entry]],
    encoder: Callable[[], Encoder],
    progress: ProgressCallback | None = None,
) -> tuple[DenseIndex, bool]:
    """The index in ``directory`` if current and intact, else a new one built under a lock.

    Returns the index and whether it was (re)built. ``entries`` and ``encoder`` are called
    only for a build.
    """
    index = load(directory, expected)
    if index is not None:
        return index, False
    from filelock import FileLock, Timeout

    lock_path = directory.with_name(f".{directory.name}.lock")
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(lock_path), timeout=900):
            index = load(directory, expected)  # another process may have built it meanwhile
            if index is not None:
                return index, False
            return build(directory, entries(), encoder(), expected, progress), True
    except Timeout as exc:
        raise IndexError_(
            f"Another torchgloss process has been building the index in {directory.parent} "
            f"for 15 minutes; stop it or delete {lock_path.name} there, and try again."
        ) from exc
    except OSError as exc:
        raise IndexError_(f"Cannot write the search index {directory} ({exc}).") from exc


def _new_index(dimension: int, count: int) -> Any:
    import faiss

    if count <= FLAT_LIMIT:
        return faiss.IndexFlatIP(dimension)
    index = faiss.IndexHNSWFlat(dimension, 32, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efSearch = 256
    return index


def _encode(
    encode: Callable[[list[str]], np.ndarray],
    texts: list[str],
    dimension: int,
    stage: str,
    report: ProgressCallback,
) -> np.ndarray:
    import numpy as np

    parts = []
    report(stage, 0, len(texts))
    for start in range(0, len(texts), ENCODE_CHUNK):
        parts.append(encode(texts[start : start + ENCODE_CHUNK]))
        report(stage, min(start + ENCODE_CHUNK, len(texts)), len(texts))
    if not parts:
        return np.zeros((0, dimension), dtype=np.float32)
    return np.ascontiguousarray(np.concatenate(parts), dtype=np.float32)


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
