"""The built folder is a real sentence-transformers model, and the lean engine agrees with it."""

from __future__ import annotations

import os

import numpy as np
import pytest

from glossary.embedding.encoder import LeanEncoder, SentenceTransformerEncoder

pytestmark = pytest.mark.slow

#: cos ≥ 1 - 1e-5: the lean forward pass computes what transformers computes.
LEAN_TOLERANCE = 1e-5


def test_sentence_transformers_loads_it_offline_and_embeds(
    st_encoder: SentenceTransformerEncoder, lean_encoder: LeanEncoder, parity_texts: list[str]
) -> None:
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    model = st_encoder.model  # SentenceTransformer(<the built folder>), loaded offline
    assert type(model).__name__ == "SentenceTransformer"
    texts = [t for t in parity_texts if len(t) < 200][::3]
    plain = model.encode([f"query: {t}" for t in texts], normalize_embeddings=True)
    assert plain.shape == (len(texts), 384)
    cosines = np.sum(plain * lean_encoder.encode_queries(texts), axis=1)
    assert cosines.min() >= 1 - LEAN_TOLERANCE


@pytest.mark.parametrize("engine", ["lean_encoder", "numpy_encoder"])
def test_lean_engines_equal_sentence_transformers(
    engine: str,
    st_encoder: SentenceTransformerEncoder,
    parity_texts: list[str],
    request: pytest.FixtureRequest,
) -> None:
    """Both lean forward passes (torch and numpy) over every kind of text, long ones included."""
    lean: LeanEncoder = request.getfixturevalue(engine)
    texts = [*parity_texts[::2], parity_texts[-1]]  # every kind, and one beyond 512 tokens
    for encode_lean, encode_st in (
        (lean.encode_queries, st_encoder.encode_queries),
        (lean.encode_passages, st_encoder.encode_passages),
    ):
        cosines = np.sum(encode_lean(texts) * encode_st(texts), axis=1)
        worst = int(np.argmin(cosines))
        assert cosines.min() >= 1 - LEAN_TOLERANCE, repr(texts[worst])


def test_empty_input_gives_an_empty_matrix(lean_encoder: LeanEncoder) -> None:
    assert lean_encoder.encode_queries([]).shape == (0, 384)
