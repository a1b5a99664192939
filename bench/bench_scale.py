"""How the dense index scales with the glossary: build time, memory, size, latency, recall.

Synthetic vectors stand in for embeddings (no model is run): points scattered around many
cluster centres on the unit sphere, which is how sentence embeddings are laid out; pure noise
would be a worst case no real glossary has. The index type is the one torchgloss itself picks
for that many vectors (:func:`glossary.search.dense.new_index`); for approximate indexes the
recall@10 against exact search is measured on the same queries.

Queries are timed one at a time, as torchgloss asks them, on ``--threads`` FAISS threads (1 by
default: a single query gains little from more, and on a shared machine OpenMP threads waiting
for each other turn a 1 ms scan into 20 ms).

usage: python bench/bench_scale.py [--sizes 1000,10000,100000,1000000] [--queries 200] [--threads 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

DIMENSION = 384
#: The checkout this file belongs to: its ``glossary`` is measured, not an installed one.
ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    """Resident memory of this process now (MB), from /proc."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def synthetic(count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` unit vectors around ``count // 20`` random centres."""
    centres = rng.standard_normal((max(1, count // 20), DIMENSION), dtype=np.float32)
    vectors = centres[rng.integers(0, len(centres), count)]
    vectors += 0.35 * rng.standard_normal((count, DIMENSION), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def measure(count: int, queries: int, rng: np.random.Generator) -> dict[str, object]:
    import faiss

    from glossary.search.dense import new_index

    data = synthetic(count, rng)
    picks = rng.integers(0, count, queries)
    probe = data[picks] + 0.2 * rng.standard_normal((queries, DIMENSION), dtype=np.float32)
    probe /= np.linalg.norm(probe, axis=1, keepdims=True)

    before = rss_mb()
    start = time.perf_counter()
    index = new_index(DIMENSION, count, training=data)
    index.add(data)
    build_s = time.perf_counter() - start
    memory = rss_mb() - before  # what the index itself holds
    size_mb = len(faiss.serialize_index(index)) / 2**20

    latencies = []
    found = []
    for row in probe:
        t = time.perf_counter()
        _, ids = index.search(row.reshape(1, -1), 10)
        latencies.append((time.perf_counter() - t) * 1000)
        found.append(ids[0])
    latencies.sort()

    recall = 1.0
    if not isinstance(index, faiss.IndexFlat):
        exact = faiss.IndexFlatIP(DIMENSION)
        exact.add(data)
        _, truth = exact.search(probe, 10)
        recall = statistics.mean(
            len(set(f.tolist()) & set(t.tolist())) / 10 for f, t in zip(found, truth, strict=True)
        )
    return {
        "vectors": count,
        "index": type(index).__name__,
        "build_s": build_s,
        "memory_mb": memory,
        "size_mb": size_mb,
        "p50_ms": latencies[len(latencies) // 2],
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1],
        "recall10": recall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1, help="FAISS (OpenMP) threads")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import faiss

    faiss.omp_set_num_threads(args.threads)
    print(f"FAISS {faiss.__version__}, {args.threads} thread(s), {args.queries} queries")
    rng = np.random.default_rng(0)
    header = f"{'vectors':>9} {'index':<16} {'build s':>8} {'mem MB':>8} {'size MB':>8} "
    header += f"{'p50 ms':>7} {'p95 ms':>7} {'recall@10':>9}"
    print(header)
    print("-" * len(header))
    for size in (int(s) for s in args.sizes.split(",")):
        row = measure(size, args.queries, rng)
        print(
            f"{row['vectors']:>9,} {row['index']:<16} {row['build_s']:>8.2f} "
            f"{row['memory_mb']:>8.0f} {row['size_mb']:>8.1f} {row['p50_ms']:>7.2f} "
            f"{row['p95_ms']:>7.2f} {row['recall10']:>9.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
