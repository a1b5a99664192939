"""Turn text in either language into index terms for BM25.

Japanese runs go through Sudachi (shortest units, plus the longer compound where it differs,
each in its dictionary-normalized form: つなげる and 繋げる give the same term); function words
and light verbs are dropped. Latin runs are split here: identifiers into their parts
(``DataLoader`` → ``dataloader``, ``data``, ``loader``; ``zero_grad`` → ``zero_grad``, ``zero``,
``grad``), lower-cased, stop words dropped and lightly stemmed so that ``tensors``,
``concatenating`` and ``concatenate`` meet. The same function serves documents and queries, so
both sides always agree.
"""

from __future__ import annotations

import re
import unicodedata

from glossary.text.normalize import fold
from glossary.text.sudachi import japanese_runs, tokenize

_LATIN_TOKEN_RE = re.compile(r"[0-9A-Za-z_]+")
_CAMEL_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP_WORDS = _word_set(
    """a an the of to in on for and or is are was were be been being by with as at it its
    this that these those from into onto what whats how which who whom why when where do does
    did i me my you your we our they them their he she his her can could should would will
    shall may might must there here than then so such not no yes if else about over under per
    via also only just very more most some any each every all both other another one ones thing
    things way ways get gets got make makes made using use used uses want need like"""
)
_KEPT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "接尾辞", "接頭辞"})
_LIGHT_WORDS = _word_set(
    """する ある いる なる できる れる られる ない こと もの よう ため とき
    事 物 為 時 様 為る 居る 成る 出来る 有る 無い"""
)


def stem(word: str) -> str:
    """A light English stemmer (plural, -ing, -ed, final e), the same for queries and texts."""
    for suffix in ("ies", "ing", "es", "ed", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is", "as")):
                return word
            base = word[: -len(suffix)]
            return base + "y" if suffix == "ies" else base
    return word


def latin_terms(text: str) -> list[str]:
    """Index terms of non-Japanese text: identifiers split, lower-cased, stemmed, no stop words."""
    return [term for term, _ in _latin_term_words(text)]


def _latin_term_words(text: str) -> list[tuple[str, str]]:
    """:func:`latin_terms`, each with the token of ``text`` it comes from."""
    terms: list[tuple[str, str]] = []
    for token in _LATIN_TOKEN_RE.findall(text):
        parts = [p for p in token.split("_") if p]
        pieces = {token.lower()}
        for part in parts:
            pieces.add(part.lower())
            pieces.update(piece.lower() for piece in _CAMEL_RE.findall(part))
        for piece in sorted(pieces, key=lambda p: (p != token.lower(), p)):
            if len(piece) < 2 and not piece.isdigit():
                continue
            if piece in _STOP_WORDS:
                continue
            terms.append((stem(piece), token))
    return terms


def japanese_terms(text: str) -> list[str]:
    """Index terms of a run of Japanese text (content words, normalized and folded)."""
    return [term for term, _ in _japanese_term_words(text)]


def _japanese_term_words(text: str) -> list[tuple[str, str]]:
    """:func:`japanese_terms`, each with the word of ``text`` it comes from."""
    short = tokenize(text, "A")
    terms = [
        (_japanese_term(m.normalized), m.surface) for m in short if _is_content(m.pos, m.normalized)
    ]
    seen = {term for term, _ in terms}
    for m in tokenize(text, "C"):
        term = _japanese_term(m.normalized)
        if term not in seen and _is_content(m.pos, m.normalized):
            terms.append((term, m.surface))
            seen.add(term)
    return [(t, w) for t, w in terms if t and not (len(t) == 1 and "\u3041" <= t <= "\u309f")]


def _is_content(pos: str, normalized: str) -> bool:
    return pos in _KEPT_POS and normalized not in _LIGHT_WORDS


def _japanese_term(normalized: str) -> str:
    return fold(normalized)


def index_terms(text: str) -> list[str]:
    """All BM25 terms of ``text``, in order (duplicates kept: they are term frequencies)."""
    return [term for term, _ in term_words(text)]


def term_words(text: str) -> list[tuple[str, str]]:
    """:func:`index_terms`, each term with the word of ``text`` it comes from (after NFKC):
    ``reshaping views`` → ``(reshap, reshaping)``, ``(view, views)``; ``DataLoader`` gives
    three terms of the one word. What a search shows as the words that matched, since a term
    (a stem, a dictionary form) is not what the user wrote."""
    text = unicodedata.normalize("NFKC", text)
    terms: list[tuple[str, str]] = []
    last = 0
    for start, end in japanese_runs(text):
        terms.extend(_latin_term_words(text[last:start]))
        terms.extend(_japanese_term_words(text[start:end]))
        last = end
    terms.extend(_latin_term_words(text[last:]))
    return terms
