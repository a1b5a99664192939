"""Meaning search over the reference layer: one vector per documented public name of torch.

A question such as ``sample indices with given probabilities`` is about ``torch.multinomial``
even when no curated entry exists for it. Each reference entry with a docstring summary is
embedded as one passage, ``"<name>: <summary>"``, with the same model as the curated passages,
so its cosine with a query is comparable to theirs.

Where the vectors come from:

* the package ships them for the torch version the release was built against
  (``reference-vectors.bin`` and ``reference.json`` in :mod:`glossary.search.dense.shipped`'s
  folder): names and text hashes, int8 rows, never the docstrings themselves;
* when the installed torch is that version, the shipped rows are used as they are, even
  before the reference layer has been built (the names are enough to search; the summary is
  shown once the layer is there);
* once the layer is built, every text is hashed and compared: a vector is used only for the
  text it was made from; what is missing (another torch version, a patched docstring) is
  embedded by :func:`embed_missing` and kept under ``TORCHGLOSS_HOME`` for that torch.

numpy is imported inside the functions; nothing here imports torch or faiss.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glossary.atomic import write_bytes_atomic

if TYPE_CHECKING:
    import numpy as np

    from glossary.reference import ReferenceLayer

#: Bump when the shipped or cached files' layout changes.
REFERENCE_FORMAT = 1
SHIPPED_NAMES = "reference.json"
SHIPPED_VECTORS = "reference-vectors.bin"
#: Summaries are cut here before embedding (they are one or two sentences; a few run long).
SUMMARY_CHARS = 320


def passage_text(name: str, summary: str) -> str:
    """What is embedded for a reference entry: its dotted name, then its summary as plain
    text (reST roles and markup rendered away, as ``show`` prints it)."""
    from glossary.reference.render import render_docstring

    return f"{name}: {render_docstring(summary)[:SUMMARY_CHARS]}"


def text_key(text: str) -> str:
    """The key of an embedded text: the hash the curated passages' vectors are kept by."""
    from glossary.search.dense.passages import Passage

    return Passage("", "", "", text).key


#: A summary of fewer words says too little to be searched by meaning (``Members:`` of an
#: enum, ``See torch.abs``): such a name is still found by its name.
MIN_SUMMARY_WORDS = 4


def layer_texts(layer: ReferenceLayer) -> dict[str, str]:
    """Name → embedded text for every entry of ``layer`` whose summary says something."""
    texts = {}
    for entry in layer.entries:
        text = passage_text(entry.name, entry.summary)
        if len(text.split(": ", 1)[1].split()) >= MIN_SUMMARY_WORDS:
            texts[entry.name] = text
    return texts


@dataclass(slots=True)
class ReferenceVectors:
    """Vectors of reference names, searched by cosine (rows are L2-normalized)."""

    names: list[str]
    matrix: np.ndarray
    #: Names of ``layer_texts`` that have no vector yet (see :func:`embed_missing`).
    missing: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.names)

    def search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The ``k`` names closest to ``vector``, best first, with their cosine."""
        import numpy as np

        if not self.names:
            return []
        scores = self.matrix @ np.asarray(vector, dtype=np.float32)
        k = min(k, len(scores))
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(self.names[i], float(scores[i])) for i in best]

    def keep(self, wanted: Callable[[str], bool]) -> ReferenceVectors:
        """Only the names ``wanted`` accepts (the engine drops those a curated entry covers)."""
        rows = [i for i, name in enumerate(self.names) if wanted(name)]
        return ReferenceVectors([self.names[i] for i in rows], self.matrix[rows], self.missing)


def read_shipped(directory: Path, signature: dict[str, Any]) -> dict[str, Any] | None:
    """The shipped reference names, keys and vectors for ``signature``'s model, or ``None``.

    Returns ``{"torch_version", "names", "keys", "vectors"}``; anything absent, of another
    model or format, or failing its SHA-256 in the package manifest is ignored.
    """
    import numpy as np

    from glossary.search.dense.shipped import MANIFEST, SHIPPED_FORMAT, dequantize

    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != SHIPPED_FORMAT or manifest.get("model") != signature:
            return None
        blobs = {}
        for name in (SHIPPED_NAMES, SHIPPED_VECTORS):
            data = (directory / name).read_bytes()
            record = manifest["files"][name]
            if len(data) != record["size"] or hashlib.sha256(data).hexdigest() != record["sha256"]:
                return None
            blobs[name] = data
        meta = json.loads(blobs[SHIPPED_NAMES])
        if meta.get("format") != REFERENCE_FORMAT:
            return None
        names, keys = list(meta["names"]), list(meta["keys"])
        count, dimension = len(names), int(signature["dimension"])
        data = blobs[SHIPPED_VECTORS]
        if len(keys) != count or len(data) != count * dimension + 4 * count:
            return None
        quantized = np.frombuffer(data, np.int8, count * dimension).reshape(count, dimension)
        scales = np.frombuffer(data, "<f4", count, count * dimension)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return {
        "torch_version": str(meta.get("torch_version", "")),
        "names": names,
        "keys": keys,
        "vectors": dequantize(quantized, scales),
    }


def shipped_files(
    torch_version: str, names: Sequence[str], keys: Sequence[str], vectors: np.ndarray
) -> dict[str, bytes]:
    """The two shipped files for these rows (written by ``torchgloss index export``)."""
    import numpy as np

    from glossary.search.dense.shipped import quantize

    quantized, scales = quantize(np.asarray(vectors, dtype=np.float32))
    meta = {
        "format": REFERENCE_FORMAT,
        "torch_version": torch_version,
        "names": list(names),
        "keys": list(keys),
    }
    return {
        SHIPPED_NAMES: json.dumps(meta, separators=(",", ":")).encode(),
        SHIPPED_VECTORS: quantized.tobytes() + scales.astype("<f4").tobytes(),
    }


def cache_path(home_indexes: Path, torch_version: str, model_key: str) -> Path:
    """Where vectors embedded here for one torch version and model are kept."""
    safe = "".join(c if c.isalnum() or c in ".+-_" else "_" for c in torch_version)
    return home_indexes / f"reference-{safe}-{model_key[:16]}.npz"


def _read_cache(path: Path, dimension: int) -> dict[str, np.ndarray]:
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as data:
            keys, vectors = [str(k) for k in data["keys"]], np.asarray(data["vectors"], np.float32)
    except (OSError, ValueError, KeyError, EOFError):
        return {}  # absent or damaged: embedded again when needed
    if vectors.shape != (len(keys), dimension):
        return {}
    return dict(zip(keys, vectors, strict=True))


def load_reference_vectors(
    *,
    signature: dict[str, Any],
    torch_version: str,
    layer: ReferenceLayer | None,
    shipped_directory: Path,
    cache: Path,
) -> ReferenceVectors | None:
    """The reference vectors usable now, or ``None`` when there are none.

    With ``layer`` (built for the installed torch), every entry with a summary has its vector
    from the shipped rows or the cache when its text's key is there, and is listed in
    ``missing`` otherwise. Without it, the shipped rows are used only when they were made for
    ``torch_version``.
    """
    import numpy as np

    shipped = read_shipped(shipped_directory, signature)
    dimension = int(signature["dimension"])
    if layer is None:
        if shipped is None or shipped["torch_version"] != torch_version:
            return None
        return ReferenceVectors(shipped["names"], shipped["vectors"])
    known: dict[str, np.ndarray] = {}
    if shipped is not None:
        known.update(zip(shipped["keys"], shipped["vectors"], strict=True))
    known.update(_read_cache(cache, dimension))
    names, rows, missing = [], [], {}
    for name, text in layer_texts(layer).items():
        vector = known.get(text_key(text))
        if vector is None:
            missing[name] = text
        else:
            names.append(name)
            rows.append(vector)
    matrix = np.stack(rows) if rows else np.zeros((0, dimension), np.float32)
    return ReferenceVectors(names, matrix.astype(np.float32), missing)


def embed_missing(
    vectors: ReferenceVectors,
    encode: Callable[[list[str]], np.ndarray],
    cache: Path,
    chunk: int = 128,
    report: Callable[[str, int, int], None] | None = None,
) -> ReferenceVectors:
    """Embed the texts ``vectors`` lacks, keep them in ``cache``, and return the whole set."""
    import io

    import numpy as np

    if not vectors.missing:
        return vectors
    items = list(vectors.missing.items())
    dimension = vectors.matrix.shape[1]
    parts = []
    for start in range(0, len(items), chunk):
        if report is not None:
            report("Embedding reference summaries", start, len(items))
        parts.append(np.asarray(encode([text for _, text in items[start : start + chunk]])))
    if report is not None:
        report("Embedding reference summaries", len(items), len(items))
    new = np.concatenate(parts).astype(np.float32).reshape(len(items), dimension)
    kept = _read_cache(cache, dimension)
    kept.update((text_key(text), row) for (_, text), row in zip(items, new, strict=True))
    buffer = io.BytesIO()
    np.savez(
        buffer,
        keys=np.array(list(kept), dtype=str),
        vectors=np.stack(list(kept.values())).astype(np.float32),
    )
    cache.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(cache, buffer.getvalue())
    return ReferenceVectors(
        [*vectors.names, *(name for name, _ in items)],
        np.concatenate([vectors.matrix, new]),
    )


#: Namespaces that hold the same operation under one short name: tensor operations
#: (``torch.erfinv``, ``torch.special.erfinv``, ``torch.Tensor.erfinv``) and device runtimes
#: (``torch.cuda.empty_cache``, ``torch.accelerator.empty_cache``, ``torch.mps.empty_cache``).
OPERATION_FAMILIES = {
    **dict.fromkeys(
        ("torch", "torch.Tensor", "torch.nn.functional", "torch.special", "torch.linalg"),
        "tensor",
    ),
    **dict.fromkeys(
        ("torch.cuda", "torch.cuda.memory", "torch.accelerator", "torch.mps", "torch.xpu"),
        "device",
    ),
}


def covered_by_curated(curated_apis: Iterable[str]) -> Callable[[str], bool]:
    """A test for reference names a curated API entry answers: the same name, or the same
    operation in another namespace of its family (:data:`OPERATION_FAMILIES`) or as its
    in-place twin (``torch.masked_fill`` and ``torch.Tensor.masked_fill_`` for a curated
    ``torch.Tensor.masked_fill``). ``torch.hub.load`` is not ``torch.load``."""
    names = set(curated_apis)
    operations = {_operation(name) for name in names} - {None}

    def covered(name: str) -> bool:
        return name in names or _operation(name) in operations

    return covered


def _operation(name: str) -> tuple[str, str] | None:
    module, _, short = name.rpartition(".")
    family = OPERATION_FAMILIES.get(module)
    return (family, short.rstrip("_")) if family else None
