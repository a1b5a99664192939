"""Which FAISS index a number of vectors gets, and that the approximate one finds the top 10."""

from __future__ import annotations

import faiss
import numpy as np
import pytest

from glossary.search.dense import faiss_choice

DIMENSION = 64


def clustered(count: int, rng: np.random.Generator) -> np.ndarray:
    """Unit vectors around ``count // 20`` centres, as ``bench/bench_scale.py`` makes them."""
    centres = rng.standard_normal((max(1, count // 20), DIMENSION), dtype=np.float32)
    vectors = centres[rng.integers(0, len(centres), count)]
    vectors += 0.35 * rng.standard_normal((count, DIMENSION), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def test_small_counts_get_exact_search() -> None:
    index = faiss_choice.new_index(DIMENSION, faiss_choice.FLAT_LIMIT)
    assert isinstance(index, faiss.IndexFlatIP)


def test_the_quantized_index_needs_training_vectors() -> None:
    with pytest.raises(ValueError, match="training"):
        faiss_choice.new_index(DIMENSION, faiss_choice.FLAT_LIMIT + 1)


def test_above_the_limit_scores_are_exact_and_the_top_ten_is_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(faiss_choice, "FLAT_LIMIT", 1_000)
    rng = np.random.default_rng(0)
    data = clustered(5_000, rng)
    index = faiss_choice.new_index(DIMENSION, len(data), training=data)
    assert isinstance(index, faiss.IndexRefineFlat)
    index.add(data)
    probe = data[rng.integers(0, len(data), 50)] + 0.05 * rng.standard_normal(
        (50, DIMENSION), dtype=np.float32
    )
    probe /= np.linalg.norm(probe, axis=1, keepdims=True)
    exact = faiss.IndexFlatIP(DIMENSION)
    exact.add(data)
    truth_scores, truth = exact.search(probe, 10)
    scores, found = index.search(probe, 10)
    recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)])
    assert recall >= 0.95
    # The re-ranking is against the raw vectors: the scores are exact inner products.
    assert np.allclose(scores, np.einsum("qkd,qd->qk", data[found], probe), atol=1e-5)
    assert scores[:, 0] == pytest.approx(truth_scores[:, 0], abs=1e-5)


def test_the_refine_factor_survives_serialization(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faiss_choice, "FLAT_LIMIT", 100)
    data = clustered(2_000, np.random.default_rng(1))
    index = faiss_choice.new_index(DIMENSION, len(data), training=data)
    index.add(data)
    loaded = faiss.deserialize_index(faiss.serialize_index(index))
    assert isinstance(loaded, faiss.IndexRefineFlat)
    assert loaded.k_factor == faiss_choice.REFINE_FACTOR
    assert loaded.search(data[:5], 1)[1][:, 0].tolist() == [0, 1, 2, 3, 4]


def test_an_odd_dimension_still_gets_a_quantized_index(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(faiss_choice, "FLAT_LIMIT", 100)
    data = np.random.default_rng(2).standard_normal((1_000, 7), dtype=np.float32)
    data /= np.linalg.norm(data, axis=1, keepdims=True)
    index = faiss_choice.new_index(7, len(data), training=data)
    index.add(data)
    assert index.search(data[:3], 1)[1][:, 0].tolist() == [0, 1, 2]
