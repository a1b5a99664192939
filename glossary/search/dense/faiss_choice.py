"""Which FAISS index a number of vectors gets (exact, or quantized scan with exact re-ranking),
and the search parameters it is used with.

``bench/bench_scale.py`` measures each choice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

#: Up to this many vectors an exact (flat) index is both fastest and best; above, a quantized scan.
FLAT_LIMIT = 50_000
#: Dimensions per product-quantizer sub-vector (4-bit codes): two keeps the scores the scan
#: ranks by close enough to exact that re-ranking :data:`REFINE_FACTOR` × k candidates finds
#: the true top 10, where one sub-vector per four dimensions loses a tenth of it.
SUBVECTOR_DIMENSIONS = 2
#: How many candidates per wanted result the scan hands to the exact re-ranking: fewer lose
#: true neighbours among the approximate scores, more only cost time.
REFINE_FACTOR = 20
#: Training rows for the quantizer (16 centroids per sub-vector need a few hundred; more only
#: slows the build).
TRAINING_ROWS = 20_000


def new_index(dimension: int, count: int, training: np.ndarray | None = None) -> Any:
    """The FAISS index torchgloss uses for ``count`` vectors (cosine = inner product).

    Exact flat search up to :data:`FLAT_LIMIT` vectors (a glossary of ~10k entries), where it
    is both best and fast enough. Above, every vector is scanned as 4-bit product-quantizer
    codes with SIMD ("fast scan", a sixteenth of the bytes of the raw vectors) and the best
    :data:`REFINE_FACTOR` × k are re-ranked exactly against the raw vectors, which the index
    keeps (``IndexRefineFlat``): the scores it returns are exact inner products, and it builds
    in seconds. Graph (HNSW) and inverted-file (IVF) indexes lose to it on embeddings whose
    nearest neighbours are scattered: many of a query's true neighbours lie in other lists or
    graph regions than its own, so they must visit a large part of the data to reach
    recall@10 ≥ 0.95, and an inverted file fine enough to avoid that needs a k-means that takes
    longer than the whole scan index to build (``bench/bench_scale.py``). The quantized index
    needs ``training`` vectors (any representative sample; the vectors to add will do). Its
    search parameters are set by :func:`tune`, which is called again on an index read back.
    """
    import faiss

    if count <= FLAT_LIMIT:
        return faiss.IndexFlatIP(dimension)
    if training is None or len(training) == 0:
        raise ValueError("a quantized index needs training vectors")
    step = SUBVECTOR_DIMENSIONS if dimension % SUBVECTOR_DIMENSIONS == 0 else 1
    index = faiss.index_factory(
        dimension, f"PQ{dimension // step}x4fs,RFlat", faiss.METRIC_INNER_PRODUCT
    )
    index.train(training[:: max(1, len(training) // TRAINING_ROWS)])
    return tune(index)


def tune(index: Any) -> Any:
    """Set ``index``'s search parameters (how deep the exact re-ranking goes); returns it.

    They decide recall and speed, and are set here for a new index and for one read back from
    disk alike, so a loaded index searches with this module's parameters rather than with
    whatever the build that wrote it had.
    """
    import faiss

    if isinstance(index, faiss.IndexRefine):
        index.k_factor = REFINE_FACTOR
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
