"""A small pure-Python copy of the default model's tokenizer, for fast start-up at query time.

``tokenizers.Tokenizer.from_file`` builds a trie of all 250,002 pieces first, which takes a good
fraction of what torch's import costs. A query is a few dozen characters, so a Viterbi over a
dict is fast enough, and the dict loads from :data:`FILE_NAME` far sooner (the README has the
figures). It computes
exactly what ``tokenizer.json`` computes (see :mod:`glossary.embedding.spm_tokenizer`):
normalize code point by code point, collapse runs of spaces, put ``▁`` in front and for every
space, then pick the best-scoring split, one ``<unk>`` per character no piece covers. The
tests check that both give the same ids. Passages, which come in thousands, go through
``tokenizers`` instead.
"""

from __future__ import annotations

import json
import re
import struct
from array import array
from pathlib import Path

from glossary.embedding.e5file import E5Vocab

FILE_NAME = "unigram_vocab.bin"
_MAGIC = b"TGU1"
_UNK_PENALTY = 10.0  # as in SentencePiece and tokenizers: unknown = lowest score - 10
_SPACES = re.compile(" {2,}")


def write_vocab(vocab: E5Vocab, normalization: dict[int, str], path: Path) -> None:
    """Save what :class:`UnigramTokenizer` needs in one compact file."""
    if any("\0" in piece for piece in vocab.pieces):
        raise ValueError("a piece contains NUL, which the file format uses as a separator")
    header = json.dumps(
        {
            "unk_id": vocab.unk_id,
            "bos_id": vocab.bos_id,
            "eos_id": vocab.eos_id,
            "count": len(vocab.pieces),
            "max_piece_chars": max(len(p) for p in vocab.pieces),
            "normalization": {str(cp): out for cp, out in normalization.items()},
        },
        ensure_ascii=False,
    ).encode("utf-8")
    scores = array("f", vocab.scores.astype("<f4").tobytes())
    with path.open("wb") as fh:
        fh.write(_MAGIC + struct.pack("<I", len(header)) + header)
        fh.write(scores.tobytes())
        fh.write("\0".join(vocab.pieces).encode("utf-8"))


class UnigramTokenizer:
    """Token ids for the default model, identical to its ``tokenizer.json``."""

    def __init__(self, path: Path) -> None:
        data = path.read_bytes()
        if data[:4] != _MAGIC:
            raise ValueError(f"{path} is not a torchgloss vocabulary file")
        (header_len,) = struct.unpack_from("<I", data, 4)
        start = 8 + header_len
        header = json.loads(data[8:start])
        count = header["count"]
        scores = array("f")
        scores.frombytes(data[start : start + 4 * count])
        pieces = data[start + 4 * count :].decode("utf-8").split("\0")
        if len(pieces) != count or len(scores) != count:
            raise ValueError(f"{path} is damaged")
        self.ids = dict(zip(pieces, range(count), strict=True))
        self.scores = scores.tolist()
        self.unk_id: int = header["unk_id"]
        self.bos_id: int = header["bos_id"]
        self.eos_id: int = header["eos_id"]
        self.unk_score = min(self.scores) - _UNK_PENALTY
        self.max_piece: int = header["max_piece_chars"]
        self.table = {int(cp): out for cp, out in header["normalization"].items()}

    def normalize(self, text: str) -> str:
        """The string the pieces are matched against (``▁`` for spaces, one in front)."""
        text = _SPACES.sub(" ", text.translate(self.table))
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", "\u2581")

    def encode(self, text: str) -> list[int]:
        """``<s>``, the best split of ``text`` into pieces, ``</s>``."""
        s = self.normalize(text)
        n = len(s)
        ids, scores = self.ids, self.scores
        best: list[float | None] = [0.0] + [None] * n
        back = [0] * (n + 1)
        piece = [0] * (n + 1)
        for i in range(n):
            base = best[i]
            assert base is not None  # every position is reachable (unknowns cover one char)
            single = False
            for end in range(i + 1, min(n, i + self.max_piece) + 1):
                pid = ids.get(s[i:end])
                if pid is None:
                    continue
                single = single or end == i + 1
                score = base + scores[pid]
                current = best[end]
                if current is None or score > current:
                    best[end], back[end], piece[end] = score, i, pid
            if not single:
                score = base + self.unk_score
                current = best[i + 1]
                if current is None or score > current:
                    best[i + 1], back[i + 1], piece[i + 1] = score, i, self.unk_id
        out = []
        end = n
        while end > 0:
            out.append(piece[end])
            end = back[end]
        out.reverse()
        return [self.bos_id, *out, self.eos_id]
