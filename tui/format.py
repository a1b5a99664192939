"""Text helpers for display: one-line definitions, Japanese line joins and line breaking.

YAML's folded style (``>-``) joins lines with a space, which is right for English and wrong
for Japanese, where a line break inside a sentence carries no space. Display code removes a
single space between two Japanese characters so ``逆向きに たどって`` reads ``逆向きにたどって``.

Textual breaks lines at spaces only, so a Japanese sentence (one long "word") is pushed whole
onto a new line and then cut at the edge. :func:`wrap_paragraph` breaks between Japanese
characters as Japanese typesetting does, keeps Latin words whole, and follows the two basic
kinsoku rules: closing punctuation and small kana never start a line, opening brackets never
end one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.cells import cell_len

if TYPE_CHECKING:
    from glossary.schema import Entry
    from glossary.search.types import SearchHit

_WIDE_RANGES = r"\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_WIDE = rf"[{_WIDE_RANGES}]"
_SPACE_BETWEEN_WIDE = re.compile(rf"(?<={_WIDE}) (?={_WIDE})")


def tidy_japanese(text: str) -> str:
    """Drop the space a folded YAML line break left between two Japanese characters."""
    return _SPACE_BETWEEN_WIDE.sub("", text)


def one_line(text: str) -> str:
    """Whitespace collapsed to single spaces, Japanese joins tidied."""
    return tidy_japanese(" ".join(text.split()))


def definition_line(hit: SearchHit, entry: Entry | None, japanese_first: bool) -> str:
    """The one-line definition of a hit, in the reader's language when there is a choice."""
    en = hit.summary_en or (entry.definition.en if entry else "")
    ja = hit.summary_ja or (entry.definition.ja if entry else "")
    first, second = (ja, en) if japanese_first else (en, ja)
    return one_line(first or second)


_NO_LINE_START = set(
    "、。，．,.)）」』】〕〉》!?！？:：;；ー～…‥・ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞヽヾ"
)
_NO_LINE_END = set("(（「『【〔〈《")
_UNIT = re.compile(rf"{_WIDE}|[^\s{_WIDE_RANGES}]+|\s+")
"""What a line may break between: one Japanese character, one Latin word, or spaces."""
_WORD = re.compile(r"\S+|\s+")
"""The same for ``by_words``: whole words only."""


def _fold(unit: str, width: int) -> list[str]:
    """Cut one over-long word into pieces of at most ``width`` cells."""
    pieces = [""]
    for char in unit:
        if cell_len(pieces[-1] + char) > width:
            pieces.append("")
        pieces[-1] += char
    return pieces


def wrap_paragraph(text: str, width: int, *, by_words: bool = False) -> list[str]:
    """Break mixed Japanese/English ``text`` into lines of at most ``width`` cells.

    Latin words stay whole (unless longer than a line); any two Japanese characters may be
    split, except where a kinsoku rule forbids it. Spaces at a break disappear. With
    ``by_words``, lines break at spaces only, as for a list of short terms (``勾配（こうばい）``
    moves to the next line whole rather than splitting), and a term longer than a line is cut.

    >>> wrap_paragraph("PyTorch の自動微分エンジン。", 12)
    ['PyTorch の自', '動微分エンジ', 'ン。']
    """
    width = max(width, 2)
    lines: list[list[str]] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0
        for unit in (_WORD if by_words else _UNIT).findall(paragraph):
            size = cell_len(unit)
            if unit.isspace():
                if line and used + size <= width:
                    line.append(unit)
                    used += size
                elif line:
                    lines.append(line)
                    line, used = [], 0
                continue
            if used + size <= width:
                line.append(unit)
                used += size
                continue
            carry: list[str] = []
            if unit in _NO_LINE_START and len(line) > 1 and not line[-1].isspace():
                carry.append(line.pop())  # take the last character along (oidashi)
            while len(line) > 1 and line[-1] in _NO_LINE_END:
                carry.insert(0, line.pop())
            if sum(cell_len(u) for u in carry) + size > width:
                line += carry  # too narrow to honour the rule: break here anyway
                carry = []
            while line and line[-1].isspace():
                line.pop()
            if line:
                lines.append(line)
            line = carry
            used = sum(cell_len(u) for u in line)
            if size > width:
                *full, rest = _fold(unit, width)
                lines.extend([piece] for piece in full)
                line, used = [rest], cell_len(rest)
            else:
                line.append(unit)
                used += size
        while line and line[-1].isspace():
            line.pop()
        lines.append(line)
    return ["".join(line) for line in lines]
