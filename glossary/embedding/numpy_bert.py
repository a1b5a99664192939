"""The BERT forward pass of :mod:`.lean_bert` in numpy alone: a query without ``import torch``.

A one-off ``torchgloss search`` for a new paraphrase needs one forward pass over a dozen tokens:
a few milliseconds of arithmetic. ``import torch`` costs more than everything else the search
does together, so the query path runs the same saved weights through numpy
(already loaded for FAISS). The arithmetic is the one transformers and :class:`.LeanBert` do,
in float32: post-LN layers, softmax attention over unmasked tokens, exact (erf) GELU; a test
holds it to sentence-transformers' output within 1e-5 cosine.

It is meant for short inputs on CPU; index builds run through torch, which uses fused kernels
and a GPU when there is one.

numpy's BLAS starts a thread per core for any matrix product above a small size, and on a busy
machine those threads cost more than they save (a query is much slower with two BLAS
threads than with one; the README has the figures). :func:`blas_threads` sets the count per
batch with threadpoolctl (BSD, from the joblib/scikit-learn authors; it is made for exactly
this and is cheap to import).
"""

from __future__ import annotations

import contextlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from glossary.embedding.bert_weights import BertWeights, load_bert_weights, pad_batch

if TYPE_CHECKING:
    from threadpoolctl import ThreadpoolController

# Coefficients of the Chebyshev fit for erfc in Numerical Recipes (Press et al., 2nd ed.,
# §6.2): fractional error below 1.2e-7 everywhere, far inside the 1e-5 cosine budget.
_ERFC_COEFFS = (
    -1.26551223,
    1.00002368,
    0.37409196,
    0.09678418,
    -0.18628806,
    0.27886807,
    -1.13520398,
    1.48851587,
    -0.82215223,
    0.17087277,
)


def erf(x: np.ndarray) -> np.ndarray:
    """The error function, elementwise (numpy has none; scipy would cost an import)."""
    z = np.abs(x.astype(np.float64))
    t = 1.0 / (1.0 + 0.5 * z)
    poly = np.zeros_like(t)
    for coeff in reversed(_ERFC_COEFFS[1:]):
        poly = t * (poly + coeff)
    erfc = t * np.exp(-z * z + _ERFC_COEFFS[0] + poly)
    return np.copysign(1.0 - erfc, x).astype(x.dtype)


def gelu(x: np.ndarray) -> np.ndarray:
    """Exact GELU, ``x·Φ(x)``, as ``torch.nn.functional.gelu`` computes by default."""
    return 0.5 * x * (1.0 + erf(x * np.float32(1 / np.sqrt(2))))


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    """LayerNorm over the last axis (biased variance, as torch computes it)."""
    mean = x.mean(axis=-1, keepdims=True)
    centered = x - mean
    var = np.mean(centered * centered, axis=-1, keepdims=True)
    return centered / np.sqrt(var + np.float32(eps)) * weight + bias


def softmax(x: np.ndarray) -> np.ndarray:
    """Softmax over the last axis; ``-inf`` entries get weight 0."""
    shifted = np.exp(x - x.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


@cache
def _controller() -> ThreadpoolController:
    """The BLAS libraries loaded in this process (found once: the search takes milliseconds)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def blas_threads(wanted: int) -> contextlib.AbstractContextManager[object]:
    """A context in which numpy's matrix products use at most ``wanted`` threads."""
    return _controller().limit(limits=wanted, user_api="blas")


class NumpyBert:
    """Pooled (not yet normalized) sentence vectors, computed with numpy on CPU.

    Args:
        folder: a folder with ``config.json`` and ``model.safetensors``.
        pooling: ``"mean"`` (masked mean over all tokens) or ``"cls"`` (first token).
    """

    def __init__(self, folder: Path, pooling: str = "mean") -> None:
        self.weights: BertWeights = load_bert_weights(folder)
        self.pooling = pooling

    def pooled(self, batch: list[list[int]]) -> np.ndarray:
        """One pooled vector per token-id sequence (special tokens included), ``float32[B, H]``."""
        w = self.weights
        cfg = w.config
        ids, mask = pad_batch(batch, cfg.pad_id)
        size, length = ids.shape
        heads, head_dim = cfg.heads, cfg.hidden // cfg.heads
        start = cfg.position_offset
        x = w.word_rows(ids) + w.positions[start : start + length] + w.token_type
        x = layer_norm(x, w.emb_ln_w, w.emb_ln_b, cfg.eps)
        # Added to the attention scores: -inf on padding keys, so they get no weight.
        key_bias = np.where(mask, np.float32(0), np.float32(-np.inf))[:, None, None, :]
        scale = np.float32(1 / np.sqrt(head_dim))
        for ly in w.layers:
            qkv = (x @ ly.qkv_w.T + ly.qkv_b).reshape(size, length, 3, heads, head_dim)
            q, k, v = qkv.transpose(2, 0, 3, 1, 4)  # each [B, heads, L, head_dim]
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + key_bias
            ctx = (softmax(scores) @ v).transpose(0, 2, 1, 3).reshape(size, length, -1)
            x = layer_norm(x + ctx @ ly.out_w.T + ly.out_b, ly.attn_ln_w, ly.attn_ln_b, cfg.eps)
            ffn = gelu(x @ ly.up_w.T + ly.up_b) @ ly.down_w.T + ly.down_b
            x = layer_norm(x + ffn, ly.ffn_ln_w, ly.ffn_ln_b, cfg.eps)
        if self.pooling == "cls":
            return np.ascontiguousarray(x[:, 0], dtype=np.float32)
        weights = mask[:, :, None].astype(np.float32)
        return ((x * weights).sum(axis=1) / weights.sum(axis=1)).astype(np.float32)
