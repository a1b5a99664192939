"""A BERT-family checkpoint read into numpy arrays, for the two forward passes that run it.

:mod:`.lean_bert` (torch, any device) and :mod:`.numpy_bert` (numpy alone, CPU) compute the
same arithmetic from the same weights; this module is the one place that knows the file layout
(transformers' parameter names in ``model.safetensors``, with or without a ``bert.`` or
``roberta.`` prefix) and the few config values the arithmetic needs. It reads the safetensors
header itself and memory-maps the data, so it needs neither torch nor the safetensors package:
the word-embedding table (most of the file) stays on disk and only the rows a batch uses are
ever read.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

WEIGHTS_FILE = "model.safetensors"
_WORDS = "embeddings.word_embeddings.weight"
#: safetensors dtypes numpy reads directly; BF16 is widened by hand in :func:`as_float32`.
_NUMPY_DTYPES = {"F16": np.float16, "F32": np.float32, "BF16": np.uint16}


@dataclass(frozen=True, slots=True)
class BertConfig:
    """The config values a forward pass needs."""

    hidden: int
    heads: int
    layers: int
    eps: float
    pad_id: int
    #: RoBERTa-style models number positions from ``pad_id + 1``; BERT from 0.
    position_offset: int


@dataclass(frozen=True, slots=True)
class LayerWeights:
    """One encoder layer, float32; query, key and value stacked into one projection."""

    qkv_w: np.ndarray
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    attn_ln_w: np.ndarray
    attn_ln_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ffn_ln_w: np.ndarray
    ffn_ln_b: np.ndarray


@dataclass(frozen=True, slots=True)
class BertWeights:
    """A whole checkpoint: the memory-mapped word table and float32 copies of the rest.

    ``words`` keeps the file's dtype (float16 for the default model; raw ``uint16`` bits for
    bfloat16); pass it through :func:`as_float32` or :meth:`word_rows`.
    """

    config: BertConfig
    words: np.ndarray
    words_dtype: str
    positions: np.ndarray
    token_type: np.ndarray
    emb_ln_w: np.ndarray
    emb_ln_b: np.ndarray
    layers: tuple[LayerWeights, ...]

    def word_rows(self, ids: np.ndarray) -> np.ndarray:
        """float32 word-embedding rows for ``ids`` (any shape), reading each distinct row once."""
        unique, inverse = np.unique(ids, return_inverse=True)
        rows = as_float32(np.asarray(self.words[unique]), self.words_dtype)
        return rows[inverse.reshape(ids.shape)]


def pad_batch(batch: list[list[int]], pad_id: int) -> tuple[np.ndarray, np.ndarray]:
    """Token-id sequences as one ``int64[B, L]`` array padded with ``pad_id``, and its mask."""
    size, length = len(batch), max(len(seq) for seq in batch)
    ids = np.full((size, length), pad_id, dtype=np.int64)
    mask = np.zeros((size, length), dtype=bool)
    for row, seq in enumerate(batch):
        ids[row, : len(seq)] = seq
        mask[row, : len(seq)] = True
    return ids, mask


def as_float32(values: np.ndarray, dtype: str) -> np.ndarray:
    """``values`` as stored in a safetensors file of ``dtype`` (F16, F32 or BF16), as float32."""
    if dtype == "BF16":
        return (values.astype(np.uint32) << 16).view(np.float32)
    return values.astype(np.float32)


def read_config(folder: Path) -> BertConfig:
    """The forward-pass settings in ``folder/config.json``.

    Raises:
        OSError, ValueError, KeyError: the file is missing, not JSON, or lacks a size.
    """
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    pad_id = int(config.get("pad_token_id") or 0)
    roberta = config.get("model_type") in ("roberta", "xlm-roberta")
    return BertConfig(
        hidden=int(config["hidden_size"]),
        heads=int(config["num_attention_heads"]),
        layers=int(config["num_hidden_layers"]),
        eps=float(config.get("layer_norm_eps", 1e-12)),
        pad_id=pad_id,
        position_offset=pad_id + 1 if roberta else 0,
    )


def load_bert_weights(folder: Path) -> BertWeights:
    """Read the checkpoint in ``folder`` (``config.json`` and ``model.safetensors``).

    Raises:
        OSError: a file cannot be read.
        ValueError: the weights file is truncated, damaged, or of an unsupported dtype.
        KeyError, StopIteration: a parameter the architecture needs is absent.
    """
    config = read_config(folder)
    path = folder / WEIGHTS_FILE
    header, data_start = safetensors_header(path)
    words_name = next(k for k in header if k.endswith(_WORDS))
    prefix = words_name[: -len(_WORDS)]
    mapped = np.memmap(path, dtype=np.uint8, mode="r")

    def raw(name: str) -> tuple[np.ndarray, str]:
        entry = header[prefix + name]
        dtype = entry["dtype"]
        if dtype not in _NUMPY_DTYPES:
            raise ValueError(f"{path.name}: {name} has dtype {dtype}, not F16, BF16 or F32")
        begin, end = (data_start + int(o) for o in entry["data_offsets"])
        if end > mapped.size or begin > end:
            raise ValueError(f"{path.name} is truncated or damaged ({name})")
        shape = tuple(int(n) for n in entry["shape"])
        return mapped[begin:end].view(_NUMPY_DTYPES[dtype]).reshape(shape), dtype

    def get(name: str) -> np.ndarray:
        values, dtype = raw(name)
        return as_float32(values, dtype)

    def layer(p: str) -> LayerWeights:
        att = p + "attention."
        qkv = ("query", "key", "value")
        return LayerWeights(
            qkv_w=np.concatenate([get(f"{att}self.{n}.weight") for n in qkv]),
            qkv_b=np.concatenate([get(f"{att}self.{n}.bias") for n in qkv]),
            out_w=get(f"{att}output.dense.weight"),
            out_b=get(f"{att}output.dense.bias"),
            attn_ln_w=get(f"{att}output.LayerNorm.weight"),
            attn_ln_b=get(f"{att}output.LayerNorm.bias"),
            up_w=get(f"{p}intermediate.dense.weight"),
            up_b=get(f"{p}intermediate.dense.bias"),
            down_w=get(f"{p}output.dense.weight"),
            down_b=get(f"{p}output.dense.bias"),
            ffn_ln_w=get(f"{p}output.LayerNorm.weight"),
            ffn_ln_b=get(f"{p}output.LayerNorm.bias"),
        )

    words, words_dtype = raw(_WORDS)
    return BertWeights(
        config=config,
        words=words,
        words_dtype=words_dtype,
        positions=get("embeddings.position_embeddings.weight"),
        token_type=get("embeddings.token_type_embeddings.weight")[0],
        emb_ln_w=get("embeddings.LayerNorm.weight"),
        emb_ln_b=get("embeddings.LayerNorm.bias"),
        layers=tuple(layer(f"encoder.layer.{i}.") for i in range(config.layers)),
    )


def safetensors_header(path: Path) -> tuple[dict, int]:
    """The JSON header of a safetensors file and the offset where its data begins."""
    with path.open("rb") as fh:
        head = fh.read(8)
        size = struct.unpack("<Q", head)[0] if len(head) == 8 else -1
        if not 0 < size <= path.stat().st_size - 8:
            raise ValueError(f"{path.name} is truncated or damaged")
        header = json.loads(fh.read(size))
    header.pop("__metadata__", None)
    return header, 8 + size
