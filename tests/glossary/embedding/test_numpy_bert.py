"""The numpy forward pass's building blocks against their torch counterparts.

The whole pass is held to sentence-transformers in ``test_sentence_transformers.py`` and
``test_models.py``; these pin the pieces whose numpy form is our own (erf, bfloat16 widening)
over their full range, and the guarantee that matters for speed: no torch import.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from glossary.embedding.bert_weights import as_float32, load_bert_weights
from glossary.embedding.numpy_bert import blas_threads, erf, gelu, layer_norm


def test_erf_and_gelu_match_torch_over_the_whole_range() -> None:
    x = np.linspace(-12, 12, 200_001, dtype=np.float32)
    ref = torch.from_numpy(x)
    assert np.abs(erf(x) - torch.erf(ref).numpy()).max() < 2e-7
    assert np.abs(gelu(x) - torch.nn.functional.gelu(ref).numpy()).max() < 2e-6
    assert np.array_equal(erf(-x), -erf(x)) and gelu(x).dtype == np.float32


def test_layer_norm_matches_torch() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(3, 5, (2, 7, 48)).astype(np.float32)
    w, b = rng.normal(size=48).astype(np.float32), rng.normal(size=48).astype(np.float32)
    ref = torch.nn.functional.layer_norm(
        *map(torch.from_numpy, (x,)), (48,), torch.from_numpy(w), torch.from_numpy(b), 1e-12
    )
    assert np.abs(layer_norm(x, w, b, 1e-12) - ref.numpy()).max() < 1e-5


def test_bfloat16_weights_widen_exactly() -> None:
    values = torch.randn(1000).to(torch.bfloat16)
    bits = values.view(torch.int16).numpy().view(np.uint16)
    assert np.array_equal(as_float32(bits, "BF16"), values.float().numpy())


@pytest.mark.slow
def test_the_word_table_stays_on_disk(built_model: Path) -> None:
    weights = load_bert_weights(built_model)
    assert isinstance(weights.words.base, np.memmap) or isinstance(weights.words, np.memmap)
    assert weights.words.shape[1] == weights.config.hidden == 384
    rows = weights.word_rows(np.array([[5, 5, 7]]))
    assert rows.shape == (1, 3, 384) and np.array_equal(rows[0, 0], rows[0, 1])


@pytest.mark.slow
def test_a_query_vector_needs_no_torch(built_model: Path) -> None:
    code = (
        "import sys\n"
        "from glossary.embedding.encoder import load_query_encoder\n"
        "v = load_query_encoder().encode_queries(['テンソルをつなげる'])\n"
        "assert v.shape == (1, 384)\n"
        "print(sorted(m for m in ('torch', 'transformers', 'sentence_transformers', 'safetensors')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_blas_threads_limits_numpy_and_restores_it() -> None:
    from threadpoolctl import threadpool_info

    def counts() -> list[int]:
        return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]

    before = counts()
    assert before, "numpy links a BLAS"
    with blas_threads(1):
        assert counts() == [1] * len(before)
    assert counts() == before
