"""The dense index: several vectors per entry in FAISS, with a manifest that says what built it.

Each entry is embedded as a few passages: the opening of its English and Japanese definitions
(each with the headword in front), one line of its names, each of its Japanese or multi-word
names on its own (``テンソルを繋げる`` is close to how people phrase a search), and each of its
``asked_as`` requests, embedded as a query (a request is compared with a request, as E5 is
trained to for symmetric tasks). Rows map back to entry ids; an entry scores the weighted mean
of its best row per field (:data:`FIELD_WEIGHTS`). Query vectors of known names (headwords,
and aliases shared by several entries) are computed at build time too, so such a query needs
no model at all.

The files live in one folder per (glossary folders, model) under ``indexes/``, written
atomically (:func:`glossary.atomic.atomic_directory`) under a file lock, and described by
``manifest.json``: format, data fingerprint, model signature, library versions, and the size
and SHA-256 of every file. :func:`load` returns ``None`` for anything stale, truncated or
damaged, and :func:`load_or_build` then builds it again.

faiss is imported only to build an index, or to search one that is not flat (a flat index is
searched with numpy, straight from the verified bytes of its FAISS file); numpy only inside
the functions that need it.
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
FORMAT_VERSION = 5
DEF_EN, DEF_JA, NAMES, SURFACE = "definition_en", "definition_ja", "names", "surface"
ASKED = "asked_as"
#: An entry's similarity is the weighted mean of its best row in each field, so an entry
#: whose definitions and names both fit beats one with a single lucky row. An entry without
#: a surface row uses its names row there; one without ``asked_as`` its better definition.
FIELD_WEIGHTS = {DEF_EN: 1.0, DEF_JA: 1.0, NAMES: 0.5, SURFACE: 0.5, ASKED: 1.0}
#: Up to this many vectors an exact (flat) index is both fastest and best; above, HNSW.
FLAT_LIMIT = 50_000
#: Above this many vectors, an inverted-file (IVF) index instead of HNSW.
HNSW_LIMIT = 200_000
#: Above this many vectors a query looks at the nearest SEARCH_DEPTH rows only.
SEARCH_ALL_LIMIT = 8192
SEARCH_DEPTH = 1024
ENCODE_CHUNK = 128
#: Characters of a definition embedded, per language (whole sentences).
DEFINITION_CHARS = {"en": 320, "ja": 160}
#: Names joined into an entry's "names" passage.
NAMES_IN_PASSAGE = 8

MANIFEST = "manifest.json"
VECTORS = "vectors.faiss"
ROWS = "rows.json"
SURFACE_VECTORS = "surface-queries.npy"

#: ``progress(stage, done, total)`` while building (the library never prints).
ProgressCallback = Callable[[str, int, int], None]

_IDENTIFIER_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


@dataclass(frozen=True, slots=True)
class Passage:
    """One embedded text and the entry it stands for.

    ``field`` is one of :data:`FIELD_WEIGHTS`; ``label`` says which part it is, for people
    (``definition (en)``, or the name itself).
    """

    entry_id: str
    field: str
    label: str
    text: str
    #: Embedded with the model's query prefix (a request users might type), not as a passage.
    as_query: bool = False

    @property
    def key(self) -> str:
        """What identifies its vector: the text and how it was embedded."""
        return ("q:" if self.as_query else "") + _text_hash(self.text)


@dataclass(frozen=True, slots=True)
class DenseHit:
    """An entry's best row for a query vector."""

    entry_id: str
    score: float  # cosine similarity
    label: str


def entry_passages(entries: Sequence[Entry]) -> list[Passage]:
    """The passages embedded for ``entries`` (see the module docstring).

    Definitions are cut to their opening sentences (:data:`DEFINITION_CHARS`): they carry the
    gist, and the model's cost grows with every token embedded.
    """
    passages: list[Passage] = []
    for entry in entries:
        term = entry.term
        ja_head = f"{term.ja}（{term.reading}）" if term.reading else term.ja
        en = _opening(entry.definition.en, DEFINITION_CHARS["en"])
        ja = _opening(entry.definition.ja, DEFINITION_CHARS["ja"])
        passages.append(Passage(entry.id, DEF_EN, "definition (en)", f"{term.en}: {en}"))
        passages.append(Passage(entry.id, DEF_JA, "definition (ja)", f"{ja_head}: {ja}"))
        names = list(dict.fromkeys([term.en, term.ja, *entry.aliases]))
        passages.append(Passage(entry.id, NAMES, "names", " / ".join(names[:NAMES_IN_PASSAGE])))
        for name in names:
            if has_japanese(name) or (" " in name.strip() and not _IDENTIFIER_RE.match(name)):
                passages.append(Passage(entry.id, SURFACE, name, name))
        for request in dict.fromkeys(entry.asked_as.all()):
            passages.append(Passage(entry.id, ASKED, request, request, as_query=True))
    return passages


def surface_queries(entries: Sequence[Entry]) -> list[str]:
    """Names whose query vectors are computed at build time.

    Every headword, and every alias that names more than one entry: a query equal to one of
    those ranks several exact matches by meaning, so it needs a vector; a query that names one
    entry alone is answered without the model anyway.
    """
    from glossary.text.normalize import fold

    owners: dict[str, set[str]] = {}
    for entry in entries:
        for text in (entry.term.en, entry.term.ja, *entry.aliases):
            owners.setdefault(fold(text), set()).add(entry.id)
    forms: dict[str, None] = {}
    for entry in entries:
        for text in (entry.term.en, entry.term.ja, *entry.aliases):
            text = " ".join(text.split())
            is_headword = text in (entry.term.en, entry.term.ja)
            if text and (is_headword or len(owners[fold(text)]) > 1):
                forms[text] = None
    return list(forms)


def _opening(text: str, limit: int) -> str:
    """The first sentences of ``text`` that fit in ``limit`` characters (at least one)."""
    sentences = re.split(r"(?<=[.!?])\s+|(?<=[。！？])", " ".join(text.split()))
    kept = ""
    for sentence in sentences:
        if kept and len(kept) + len(sentence) + 1 > limit:
            break
        joiner = "" if not kept or kept.endswith("。") else " "
        kept = kept + joiner + sentence
    return kept


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
        "files": {name: size for name, size in sorted(spec.files.items()) if _decides(name)},
    }


def _decides(file_name: str) -> bool:
    """Whether a model file decides the vectors (weights, tokenizer, configuration)."""
    name = file_name.rsplit("/", 1)[-1]
    return name in ("tokenizer.json", "config.json") or name.endswith(
        ("model.safetensors", "model.bin")
    )


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
    """The manifest fields a usable index must have (files, counts and versions come on top)."""
    return {"format": FORMAT_VERSION, "fingerprint": fingerprint, "model": signature}


class DenseIndex:
    """A loaded dense index: its rows, their entries, fields and labels, and surface vectors.

    A flat index is searched with numpy over the float32 matrix inside the FAISS file (its
    offset is checked when the file is written and recorded in the manifest), so a query does
    not pay for importing faiss; any other index type is searched by FAISS itself.
    """

    def __init__(
        self,
        directory: Path,
        manifest: dict[str, Any],
        rows: dict[str, Any],
        surface_vectors: np.ndarray,
        *,
        matrix: np.ndarray | None = None,
        index: Any = None,
    ) -> None:
        self.directory = directory
        self.manifest = manifest
        self.matrix = matrix
        self.index = index
        self.entry_ids: list[str] = rows["entry_ids"]
        self.row_entries: list[int] = rows["row_entries"]
        self.row_labels: list[str] = rows["row_labels"]
        self.row_fields: list[str] = rows["row_fields"]
        self.row_hashes: list[str] = rows["row_hashes"]
        self.surface_rows: dict[str, int] = rows["surfaces"]
        self.surface_vectors = surface_vectors
        self._asked_entries = {
            entry
            for entry, field in zip(self.row_entries, self.row_fields, strict=True)
            if field == ASKED
        }

    @property
    def model_id(self) -> str:
        return str(self.manifest["model"]["model_id"])

    @property
    def dimension(self) -> int:
        return int(self.manifest["model"]["dimension"])

    def __len__(self) -> int:
        return len(self.row_entries)

    def vectors(self) -> np.ndarray:
        """All passage vectors, one row each."""
        if self.matrix is not None:
            return self.matrix
        return self.index.reconstruct_n(0, len(self))

    def reusable(self) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Every passage vector by its text's hash, and every surface query vector by text."""
        matrix = self.vectors() if len(self) else []
        passages = {h: matrix[row] for row, h in enumerate(self.row_hashes)}
        surfaces = {text: self.surface_vectors[row] for text, row in self.surface_rows.items()}
        return passages, surfaces

    def surface_vector(self, text: str) -> np.ndarray | None:
        """The precomputed query vector of ``text`` if it is a known headword or alias."""
        row = self.surface_rows.get(" ".join(text.split()))
        return None if row is None else self.surface_vectors[row]

    def _nearest(self, vector: np.ndarray) -> tuple[list[float], list[int]]:
        """Scores and rows of the nearest passages, best first."""
        import numpy as np

        query = np.ascontiguousarray(vector, dtype=np.float32).reshape(-1)
        depth = len(self) if len(self) <= SEARCH_ALL_LIMIT else SEARCH_DEPTH
        if self.matrix is not None:
            scores = self.matrix @ query
            rows = np.argsort(-scores, kind="stable")[:depth]
            return scores[rows].tolist(), rows.tolist()
        found_scores, found_rows = self.index.search(query.reshape(1, -1), depth)
        pairs = [(s, r) for s, r in zip(found_scores[0], found_rows[0], strict=True) if r >= 0]
        return [float(s) for s, _ in pairs], [int(r) for _, r in pairs]

    def search(self, vector: np.ndarray, limit: int | None = None) -> list[DenseHit]:
        """Entries by similarity to ``vector`` (see :data:`FIELD_WEIGHTS`), best first."""
        if len(self) == 0:
            return []
        scores, rows = self._nearest(vector)
        best: dict[int, dict[str, float]] = {}
        label: dict[int, str] = {}
        floor = scores[-1] if scores else 0.0  # the lowest score seen stands in for the rest
        for score, row in zip(scores, rows, strict=True):
            entry = self.row_entries[row]
            fields = best.setdefault(entry, {})
            fields.setdefault(self.row_fields[row], score)
            label.setdefault(entry, self.row_labels[row])
        total_weight = sum(FIELD_WEIGHTS.values())
        hits = []
        for entry, fields in best.items():
            fields.setdefault(SURFACE, fields.get(NAMES, floor))
            if entry not in self._asked_entries:
                fields[ASKED] = max(fields.get(DEF_EN, floor), fields.get(DEF_JA, floor))
            mean = sum(w * fields.get(f, floor) for f, w in FIELD_WEIGHTS.items()) / total_weight
            hits.append(DenseHit(self.entry_ids[entry], mean, label[entry]))
        hits.sort(key=lambda h: -h.score)
        return hits if limit is None else hits[:limit]


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
    encoder: Encoder,
    expected: dict[str, Any],
    progress: ProgressCallback | None = None,
    previous: DenseIndex | None = None,
) -> DenseIndex:
    """Embed ``entries`` with ``encoder`` and write a complete index folder in one step.

    Texts that ``previous`` (an index of the same model over older data) already embedded
    are copied from it, so editing a few entries re-embeds only their passages.
    """
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
    old_passages, old_surfaces = previous.reusable() if previous is not None else ({}, {})
    hashes = [p.key for p in passages]
    vectors = np.zeros((len(passages), dimension), dtype=np.float32)
    for as_query, encode, stage in (
        (False, encoder.encode_passages, "Embedding the glossary"),
        (True, encoder.encode_queries, "Embedding how entries are asked for"),
    ):
        chosen = [i for i, p in enumerate(passages) if p.as_query is as_query]
        vectors[chosen] = _encode_new(
            encode,
            [passages[i].text for i in chosen],
            [hashes[i] for i in chosen],
            old_passages,
            dimension,
            stage,
            report,
        )
    surface_vectors = _encode_new(
        encoder.encode_queries,
        surfaces,
        surfaces,
        old_surfaces,
        dimension,
        "Embedding names",
        report,
    )
    index = new_index(dimension, len(passages), training=vectors)
    index.add(vectors)
    entry_ids = list(dict.fromkeys(p.entry_id for p in passages))
    position = {entry_id: i for i, entry_id in enumerate(entry_ids)}
    rows = {
        "entry_ids": entry_ids,
        "row_entries": [position[p.entry_id] for p in passages],
        "row_labels": [p.label for p in passages],
        "row_fields": [p.field for p in passages],
        "row_hashes": hashes,
        "surfaces": {text: i for i, text in enumerate(surfaces)},
    }
    buffer = io.BytesIO()
    np.save(buffer, surface_vectors, allow_pickle=False)
    serialized = faiss.serialize_index(index).tobytes()
    blobs = {
        VECTORS: serialized,
        ROWS: json.dumps(rows, ensure_ascii=False).encode(),
        SURFACE_VECTORS: buffer.getvalue(),
    }
    manifest = {
        **expected,
        "versions": {"faiss": faiss.__version__, "numpy": np.__version__},
        "matrix_offset": _matrix_offset(index, serialized, vectors),
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
    report("Saving the search index", 0, 1)
    with atomic_directory(directory) as tmp:
        for name, data in blobs.items():
            (tmp / name).write_bytes(data)
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
    report("Saving the search index", 1, 1)
    offset = manifest["matrix_offset"]
    if offset is not None:
        matrix = np.frombuffer(serialized, np.float32, vectors.size, offset).reshape(vectors.shape)
        return DenseIndex(directory, manifest, rows, surface_vectors, matrix=matrix)
    return DenseIndex(directory, manifest, rows, surface_vectors, index=index)


def _matrix_offset(index: Any, serialized: bytes, vectors: np.ndarray) -> int | None:
    """Where the raw float32 rows sit in a serialized flat index, if they sit there as is.

    A flat FAISS index stores its vectors last; this is checked byte for byte rather than
    assumed, and ``None`` (search through FAISS) is the answer for anything else.
    """
    import faiss
    import numpy as np

    raw = np.ascontiguousarray(vectors, dtype=np.float32).tobytes()
    if not isinstance(index, faiss.IndexFlat) or not raw or not serialized.endswith(raw):
        return None
    return len(serialized) - len(raw)


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
    index = None if force else load(directory, expected)
    if index is not None:
        return index, False
    from filelock import FileLock, Timeout

    lock_path = directory.with_name(f".{directory.name}.lock")
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(lock_path), timeout=900):
            index = None if force else load(directory, expected)  # built meanwhile?
            if index is not None:
                return index, False
            previous = None if force else load(directory, expected, any_data=True)
            return build(directory, entries(), encoder(), expected, progress, previous), True
    except Timeout as exc:
        raise IndexError_(
            f"Another torchgloss process has been building the index in {directory.parent} "
            f"for 15 minutes; stop it or delete {lock_path.name} there, and try again."
        ) from exc
    except OSError as exc:
        raise IndexError_(f"Cannot write the search index {directory} ({exc}).") from exc


def new_index(dimension: int, count: int, training: np.ndarray | None = None) -> Any:
    """The FAISS index torchgloss uses for ``count`` vectors (cosine = inner product).

    Exact flat search up to :data:`FLAT_LIMIT` vectors (a glossary of ~10k entries), where it
    is both best and fast enough; HNSW up to :data:`HNSW_LIMIT`; above that an inverted-file
    index, whose build stays in seconds where HNSW's would take many minutes on two cores.
    ``bench/bench_scale.py`` measures all three. IVF needs ``training`` vectors.
    """
    import faiss

    if count <= FLAT_LIMIT:
        return faiss.IndexFlatIP(dimension)
    if count <= HNSW_LIMIT:
        index = faiss.IndexHNSWFlat(dimension, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 256
        return index
    if training is None:
        raise ValueError("an IVF index needs training vectors")
    lists = int(4 * count**0.5)
    quantizer = faiss.IndexFlatIP(dimension)
    index = faiss.IndexIVFFlat(quantizer, dimension, lists, faiss.METRIC_INNER_PRODUCT)
    sample = training[:: max(1, len(training) // (40 * lists))]
    index.train(sample)
    index.nprobe = max(16, lists // 64)
    return index


def _encode_new(
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


def _text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


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
