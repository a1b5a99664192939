"""A BERT / XLM-RoBERTa encoder forward pass in plain torch, loaded straight from safetensors.

transformers takes most of a second to import and builds a module tree we do not need; this is
the same arithmetic in some forty lines (post-LN layers, exact GELU, absolute positions), with
the weights read from ``model.safetensors``. The word-embedding table, most of the file, is
memory-mapped and only the rows a batch uses are read on CPU, so loading costs what the
encoder layers cost (about 21 M values for the default model).
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

_WORDS = "embeddings.word_embeddings.weight"
_NUMPY_DTYPES = {"F16": np.float16, "F32": np.float32}


@dataclass(frozen=True, slots=True)
class _Layer:
    qkv_w: torch.Tensor
    qkv_b: torch.Tensor
    out_w: torch.Tensor
    out_b: torch.Tensor
    attn_ln_w: torch.Tensor
    attn_ln_b: torch.Tensor
    up_w: torch.Tensor
    up_b: torch.Tensor
    down_w: torch.Tensor
    down_b: torch.Tensor
    ffn_ln_w: torch.Tensor
    ffn_ln_b: torch.Tensor


class LeanBert:
    """Pooled (not yet normalized) sentence vectors from a BERT-family checkpoint.

    Args:
        folder: a folder with ``config.json`` and ``model.safetensors`` (parameter names as
            transformers saves them, with or without a ``bert.``/``roberta.`` prefix).
        device: torch device string.
        pooling: ``"mean"`` (masked mean over all tokens) or ``"cls"`` (first token).
    """

    def __init__(self, folder: Path, device: str = "cpu", pooling: str = "mean") -> None:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.device = torch.device(device)
        self.pooling = pooling
        self.hidden = int(config["hidden_size"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.pad_id = int(config.get("pad_token_id") or 0)
        # RoBERTa-style models number positions from padding_idx + 1.
        roberta = config.get("model_type") in ("roberta", "xlm-roberta")
        self.position_offset = self.pad_id + 1 if roberta else 0

        path = folder / "model.safetensors"
        header, data_start = _safetensors_header(path)
        words = next(k for k in header if k.endswith(_WORDS))
        prefix = words[: -len(_WORDS)]
        self._words_cpu: np.ndarray | None = None
        self._words_dev: torch.Tensor | None = None
        entry = header[words]
        if self.device.type == "cpu" and entry["dtype"] in _NUMPY_DTYPES:
            begin = entry["data_offsets"][0]
            self._words_cpu = np.memmap(
                path,
                dtype=_NUMPY_DTYPES[entry["dtype"]],
                mode="r",
                offset=data_start + begin,
                shape=tuple(entry["shape"]),
            )

        from safetensors import safe_open

        with safe_open(str(path), framework="pt") as f:

            def get(name: str) -> torch.Tensor:
                return f.get_tensor(prefix + name).to(self.device, torch.float32)

            if self._words_cpu is None:
                self._words_dev = get(_WORDS)
            self.positions = get("embeddings.position_embeddings.weight")
            self.token_type = get("embeddings.token_type_embeddings.weight")[0]
            self.emb_ln = (get("embeddings.LayerNorm.weight"), get("embeddings.LayerNorm.bias"))
            self.layers = [
                self._layer(get, f"encoder.layer.{i}.")
                for i in range(int(config["num_hidden_layers"]))
            ]

    @staticmethod
    def _layer(g: Callable[[str], torch.Tensor], p: str) -> _Layer:
        att = p + "attention."
        return _Layer(
            qkv_w=torch.cat([g(f"{att}self.{n}.weight") for n in ("query", "key", "value")]),
            qkv_b=torch.cat([g(f"{att}self.{n}.bias") for n in ("query", "key", "value")]),
            out_w=g(f"{att}output.dense.weight"),
            out_b=g(f"{att}output.dense.bias"),
            attn_ln_w=g(f"{att}output.LayerNorm.weight"),
            attn_ln_b=g(f"{att}output.LayerNorm.bias"),
            up_w=g(f"{p}intermediate.dense.weight"),
            up_b=g(f"{p}intermediate.dense.bias"),
            down_w=g(f"{p}output.dense.weight"),
            down_b=g(f"{p}output.dense.bias"),
            ffn_ln_w=g(f"{p}output.LayerNorm.weight"),
            ffn_ln_b=g(f"{p}output.LayerNorm.bias"),
        )

    def _embed_tokens(self, ids: np.ndarray) -> torch.Tensor:
        """Word-embedding rows for ``ids`` (``int64[B, L]``) as float32 on the device."""
        if self._words_dev is not None:
            return self._words_dev[torch.from_numpy(ids).to(self.device)]
        assert self._words_cpu is not None
        unique, inverse = np.unique(ids, return_inverse=True)
        rows = torch.from_numpy(np.asarray(self._words_cpu[unique], dtype=np.float32))
        return rows[torch.from_numpy(inverse.reshape(ids.shape))]

    @torch.inference_mode()
    def pooled(self, batch: list[list[int]]) -> torch.Tensor:
        """One pooled vector per token-id sequence (special tokens included), as ``[B, H]``."""
        size, length = len(batch), max(len(seq) for seq in batch)
        ids = np.full((size, length), self.pad_id, dtype=np.int64)
        mask = np.zeros((size, length), dtype=bool)
        for row, seq in enumerate(batch):
            ids[row, : len(seq)] = seq
            mask[row, : len(seq)] = True
        keep = torch.from_numpy(mask).to(self.device)
        hidden, heads = self.hidden, self.heads
        start = self.position_offset
        x = self._embed_tokens(ids) + self.positions[start : start + length] + self.token_type
        x = F.layer_norm(x, (hidden,), *self.emb_ln, self.eps)
        attn_mask = None if mask.all() else keep[:, None, None, :]
        for ly in self.layers:
            qkv = F.linear(x, ly.qkv_w, ly.qkv_b).view(size, length, 3, heads, hidden // heads)
            q, k, v = qkv.permute(2, 0, 3, 1, 4)
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
            ctx = ctx.transpose(1, 2).reshape(size, length, hidden)
            attn = F.linear(ctx, ly.out_w, ly.out_b)
            x = F.layer_norm(x + attn, (hidden,), ly.attn_ln_w, ly.attn_ln_b, self.eps)
            ffn = F.linear(F.gelu(F.linear(x, ly.up_w, ly.up_b)), ly.down_w, ly.down_b)
            x = F.layer_norm(x + ffn, (hidden,), ly.ffn_ln_w, ly.ffn_ln_b, self.eps)
        if self.pooling == "cls":
            return x[:, 0]
        weights = keep.unsqueeze(-1).to(x.dtype)
        return (x * weights).sum(dim=1) / weights.sum(dim=1)


def _safetensors_header(path: Path) -> tuple[dict, int]:
    """The JSON header of a safetensors file and the offset where its data begins."""
    with path.open("rb") as fh:
        head = fh.read(8)
        size = struct.unpack("<Q", head)[0] if len(head) == 8 else -1
        if not 0 < size <= path.stat().st_size - 8:
            raise ValueError(f"{path.name} is truncated or damaged")
        header = json.loads(fh.read(size))
    header.pop("__metadata__", None)
    return header, 8 + size
