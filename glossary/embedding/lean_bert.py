"""A BERT / XLM-RoBERTa encoder forward pass in plain torch, for batches and for GPUs.

transformers takes most of a second to import and builds a module tree we do not need; this is
the same arithmetic in a few dozen lines (post-LN layers, exact GELU, absolute positions), over
the weights :mod:`.bert_weights` reads. On CPU the word-embedding table stays memory-mapped and
only the rows a batch uses are read, so loading costs what the encoder layers cost (about 21 M
values for the default model). :mod:`.numpy_bert` computes the same without torch, for one-off
queries.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from glossary.embedding.bert_weights import (
    BertWeights,
    LayerWeights,
    as_float32,
    load_bert_weights,
    pad_batch,
)


class LeanBert:
    """Pooled (not yet normalized) sentence vectors from a BERT-family checkpoint.

    Args:
        folder: a folder with ``config.json`` and ``model.safetensors``.
        device: torch device string.
        pooling: ``"mean"`` (masked mean over all tokens) or ``"cls"`` (first token).
    """

    def __init__(self, folder: Path, device: str = "cpu", pooling: str = "mean") -> None:
        weights = load_bert_weights(folder)
        self.config = weights.config
        self.device = torch.device(device)
        self.pooling = pooling
        # On CPU the memory-mapped word table is read row by row; on a GPU it is copied whole,
        # and the host arrays are not kept.
        self._host: BertWeights | None = weights if self.device.type == "cpu" else None
        self._words_dev: torch.Tensor | None = None
        if self.device.type != "cpu":
            words = as_float32(np.asarray(weights.words), weights.words_dtype)
            self._words_dev = torch.from_numpy(words).to(self.device)

        def put(values: np.ndarray) -> torch.Tensor:
            return torch.from_numpy(values).to(self.device)

        self.positions = put(weights.positions)
        self.token_type = put(weights.token_type)
        self.emb_ln = (put(weights.emb_ln_w), put(weights.emb_ln_b))
        self.layers = [
            {f.name: put(getattr(layer, f.name)) for f in fields(LayerWeights)}
            for layer in weights.layers
        ]

    def _embed_tokens(self, ids: np.ndarray) -> torch.Tensor:
        """Word-embedding rows for ``ids`` (``int64[B, L]``) as float32 on the device."""
        if self._host is None:
            assert self._words_dev is not None
            return self._words_dev[torch.from_numpy(ids).to(self.device)]
        return torch.from_numpy(self._host.word_rows(ids))

    def pooled(self, batch: list[list[int]]) -> np.ndarray:
        """One pooled vector per token-id sequence (special tokens included), ``float32[B, H]``."""
        return self.pooled_tensor(batch).float().cpu().numpy()

    @torch.inference_mode()
    def pooled_tensor(self, batch: list[list[int]]) -> torch.Tensor:
        """:meth:`pooled`, left on the device as a ``[B, H]`` tensor."""
        cfg = self.config
        ids, mask = pad_batch(batch, cfg.pad_id)
        size, length = ids.shape
        keep = torch.from_numpy(mask).to(self.device)
        hidden, heads, eps = cfg.hidden, cfg.heads, cfg.eps
        start = cfg.position_offset
        x = self._embed_tokens(ids) + self.positions[start : start + length] + self.token_type
        x = F.layer_norm(x, (hidden,), *self.emb_ln, eps)
        attn_mask = None if mask.all() else keep[:, None, None, :]
        for ly in self.layers:
            qkv = F.linear(x, ly["qkv_w"], ly["qkv_b"]).view(size, length, 3, heads, -1)
            q, k, v = qkv.permute(2, 0, 3, 1, 4)
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
            ctx = ctx.transpose(1, 2).reshape(size, length, hidden)
            attn = F.linear(ctx, ly["out_w"], ly["out_b"])
            x = F.layer_norm(x + attn, (hidden,), ly["attn_ln_w"], ly["attn_ln_b"], eps)
            ffn = F.linear(F.gelu(F.linear(x, ly["up_w"], ly["up_b"])), ly["down_w"], ly["down_b"])
            x = F.layer_norm(x + ffn, (hidden,), ly["ffn_ln_w"], ly["ffn_ln_b"], eps)
        if self.pooling == "cls":
            return x[:, 0]
        weights = keep.unsqueeze(-1).to(x.dtype)
        return (x * weights).sum(dim=1) / weights.sum(dim=1)
