"""A bridge from Japanese words to the English words of torch's docstrings.

The reference layer (:mod:`glossary.reference`) knows each public name of torch only by its
English docstring summary, and a Japanese question (``疑似逆行列を計算したい``) shares no word
with ``Computes the pseudoinverse (Moore-Penrose inverse) of a matrix.``; the multilingual
model alone does not reach across for such terms either. ``ja_en.tsv`` (next to this module) is
a hand-written lexicon, one English word of those summaries per line with the Japanese words a
Japanese PyTorch user types for it; :func:`bridge` finds them in a query, longest first, and
gives the English words each stands for.

Pure Python over :mod:`glossary.text.normalize`; the lexicon is read once per process, on the
first Japanese query that needs it.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from glossary.text.normalize import fold, has_japanese, kata_to_hira

LEXICON = "ja_en.tsv"
MIN_KEY = 2
"""A Japanese word of one character (和, 積) would match inside too many unrelated words."""


@dataclass(frozen=True)
class Bridged:
    """A Japanese word found in a query and the English words it stands for."""

    japanese: str  # as folded by :func:`key`
    english: tuple[str, ...]


_SEPARATORS = str.maketrans("", "", " ー・･-_")


def key(text: str) -> str:
    """The form a Japanese word is compared in: :func:`~glossary.text.normalize.fold`
    (width, case, katakana → hiragana) without long-vowel marks or separators, so
    ``エンコーダー`` and ``えんこーだ`` are one word. Cheaper than the forgiving
    :func:`~glossary.text.normalize.loose`, which the lexicon's thousands of words would
    make the slow part of a first Japanese query."""
    return fold(text).translate(_SEPARATORS)


def key_lines(text: str) -> str:
    """:func:`key` of each line of ``text`` at once, the line breaks kept."""
    return kata_to_hira(unicodedata.normalize("NFKC", text).casefold()).translate(_SEPARATORS)


class Lexicon:
    """Japanese word → English words, read from lines ``english<TAB>ja1,ja2``."""

    def __init__(self, text: str) -> None:
        self.words: dict[str, tuple[str, ...]] = {}
        rows = [
            line.partition("\t")[::2]
            for line in text.splitlines()
            if line.strip() and not line.startswith("#")
        ]
        # One fold of all the Japanese columns together: a fold per word is most of the
        # cost of reading the file.
        folded_rows = key_lines("\n".join(japanese for _, japanese in rows)).split("\n")
        for (english, _), japanese in zip(rows, folded_rows, strict=True):
            english = english.strip()
            for folded in japanese.split(","):
                if len(folded) >= MIN_KEY and english:
                    known = self.words.get(folded, ())
                    if english not in known:
                        self.words[folded] = (*known, english)
        self.longest = max(map(len, self.words), default=0)

    def find(self, text: str) -> list[Bridged]:
        """The lexicon's Japanese words in ``text``, scanning left to right and taking the
        longest word at each place (``最小二乗法`` is ``最小二乗`` + … before ``最小``)."""
        folded = key(text)
        found: list[Bridged] = []
        start = 0
        while start < len(folded):
            for end in range(min(len(folded), start + self.longest), start + MIN_KEY - 1, -1):
                english = self.words.get(folded[start:end])
                if english is not None:
                    found.append(Bridged(folded[start:end], english))
                    start = end
                    break
            else:
                start += 1
        return found


_lexicon: Lexicon | None = None
_lock = threading.Lock()


def lexicon() -> Lexicon:
    """The package's lexicon, read on first use."""
    global _lexicon
    with _lock:
        if _lexicon is None:
            text = Path(__file__).with_name(LEXICON).read_text("utf-8")
            _lexicon = Lexicon(text)
        return _lexicon


def bridge(text: str) -> list[Bridged]:
    """The Japanese words of ``text`` that the lexicon bridges to English; ``[]`` for text
    without Japanese."""
    if not has_japanese(text):
        return []
    return lexicon().find(text)
