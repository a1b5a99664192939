"""Which FAISS index a number of vectors gets (exact, HNSW or inverted file), and how it is read.

``bench/bench_scale.py`` measures each choice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

#: Up to this many vectors an exact (flat) index is both fastest and best; above, HNSW.
FLAT_LIMIT = 50_000
#: Above this many vectors, an inverted-file (IVF) index instead of HNSW.
HNSW_LIMIT = 200_000


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


def matrix_offset(index: Any, serialized: bytes, vectors: np.ndarray) -> int | None:
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
