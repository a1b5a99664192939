"""SudachiPy, loaded once and only when Japanese text needs it.

Loading the dictionary costs time and memory (figures: README, "Speed figures"), so
:func:`tokenizer` builds it on first use and keeps it; a lock makes that safe from several threads
(the TUI searches from a worker). Only runs of Japanese script are given to Sudachi: it reads ASCII
words as Japanese (``cat`` → シーエーティー, ``Linear`` → リニア), so Latin text is left to
:mod:`glossary.text.words`.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from glossary.text.normalize import kata_to_hira

if TYPE_CHECKING:
    from sudachipy import Tokenizer

#: Sudachi refuses inputs above about 49 KB; longer text is cut into pieces this long.
MAX_CHUNK_CHARS = 4000

_JAPANESE_RUN_RE = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f々〆ー・]+"
)
_lock = threading.Lock()
_tokenizer: Tokenizer | None = None


@dataclass(frozen=True, slots=True)
class Morpheme:
    """One Sudachi token: what was written, its dictionary-normalized form, reading and POS."""

    surface: str
    normalized: str
    reading: str  # katakana, as Sudachi gives it
    pos: str  # the top-level part of speech: 名詞, 動詞, 助詞 …


def tokenizer() -> Tokenizer:
    """The shared Sudachi tokenizer (core dictionary), created on first call."""
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            from sudachipy import Dictionary

            _tokenizer = Dictionary().tokenizer()
        return _tokenizer


def _chunks(text: str) -> list[str]:
    if len(text) <= MAX_CHUNK_CHARS:
        return [text]
    return [text[i : i + MAX_CHUNK_CHARS] for i in range(0, len(text), MAX_CHUNK_CHARS)]


def tokenize(text: str, mode: str = "C") -> list[Morpheme]:
    """Split Japanese ``text`` into morphemes (``mode`` A: shortest units, C: longest).

    Blank tokens are dropped. Input of any length is accepted.
    """
    from sudachipy import SplitMode

    split_mode = {"A": SplitMode.A, "B": SplitMode.B, "C": SplitMode.C}[mode]
    tok = tokenizer()
    result: list[Morpheme] = []
    for chunk in _chunks(text):
        if not chunk.strip():
            continue
        with _lock:  # a Sudachi tokenizer must not be used by two threads at once
            morphemes = [
                Morpheme(m.surface(), m.normalized_form(), m.reading_form(), m.part_of_speech()[0])
                for m in tok.tokenize(chunk, split_mode)
            ]
        result.extend(m for m in morphemes if m.surface.strip())
    return result


def japanese_runs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every run of Japanese script in ``text``."""
    return [match.span() for match in _JAPANESE_RUN_RE.finditer(text)]


def normalized_text(text: str) -> str:
    """``text`` with each Japanese run replaced by Sudachi's normalized forms.

    Spelling variants meet: ``テンソルをつなげる`` → ``テンソルを繋げる``,
    ``オプティマイザ`` → ``オプティマイザー``. Latin parts are kept as written.
    """
    pieces: list[str] = []
    last = 0
    for start, end in japanese_runs(text):
        pieces.append(text[last:start])
        pieces.extend(m.normalized for m in tokenize(text[start:end]))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def reading(text: str) -> str | None:
    """The hiragana reading of ``text``, or ``None`` unless it is all Japanese script.

    Sudachi reads unknown words as their surface, so the result may still hold kanji for rare
    words; callers use it as one more key, never as the only one.
    """
    stripped = "".join(text.split())
    runs = japanese_runs(stripped)
    if not runs or sum(end - start for start, end in runs) != len(stripped):
        return None
    return kata_to_hira("".join(m.reading for m in tokenize(stripped)))
