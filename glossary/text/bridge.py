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
from dataclasses import dataclass
from importlib import resources

from glossary.text.normalize import has_japanese, loose

LEXICON = "ja_en.tsv"
MIN_KEY = 2
"""A Japanese word of one character (和, 積) would match inside too many unrelated words."""


@dataclass(frozen=True)
class Bridged:
    """A Japanese word found in a query and the English words it stands for."""

    japanese: str  # as folded by :func:`glossary.text.normalize.loose`
    english: tuple[str, ...]


class Lexicon:
    """Japanese word → English words, read from lines ``english<TAB>ja1,ja2``."""

    def __init__(self, text: str) -> None:
        self.words: dict[str, tuple[str, ...]] = {}
        for line in text.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            english, _, japanese = line.partition("\t")
            english = english.strip()
            for word in japanese.split(","):
                key = loose(word.strip())
                if len(key) >= MIN_KEY and english:
                    known = self.words.get(key, ())
                    if english not in known:
                        self.words[key] = (*known, english)
        self.longest = max(map(len, self.words), default=0)

    def find(self, text: str) -> list[Bridged]:
        """The lexicon's Japanese words in ``text``, scanning left to right and taking the
        longest word at each place (``最小二乗法`` is ``最小二乗`` + … before ``最小``)."""
        folded = loose(text)
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
            text = resources.files("glossary.text").joinpath(LEXICON).read_text("utf-8")
            _lexicon = Lexicon(text)
        return _lexicon


def bridge(text: str) -> list[Bridged]:
    """The Japanese words of ``text`` that the lexicon bridges to English; ``[]`` for text
    without Japanese."""
    if not has_japanese(text):
        return []
    return lexicon().find(text)
