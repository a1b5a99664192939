"""Query analysis for the lexical index: the forms of one query that the index compares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from glossary.text.normalize import fold, has_japanese, has_kanji, romaji_to_kana, strip_question

if TYPE_CHECKING:
    from glossary.text.tracebacks import PastedError

MAX_LEXICAL_CHARS = 200  # longer queries are not names: only BM25 runs on them
MAX_TEXT_CHARS = 2000  # BM25 reads at most this much of a query


@dataclass(frozen=True, slots=True)
class LexicalQuery:
    """The forms of one query the index compares (computed once per query)."""

    text: str  # cleaned query, as typed
    folded: str
    core: str  # folded, question framing removed
    core_raw: str  # the core with its original letter case, for the case bonus
    normalized: str | None  # Sudachi-normalized core (Japanese only)
    kana_readings: tuple[str, ...]  # romaji read as kana
    sound: str | None  # Sudachi reading of a kanji query
    terms: tuple[str, ...]  # BM25 terms
    #: Each BM25 term with the query's word it comes from (the first, if several).
    term_words: tuple[tuple[str, str], ...] = ()
    #: The core as typed (its kana and letter case), what a match shows the user typed.
    core_typed: str = ""
    error_message: str | None = None  # a pasted error's message, variable parts kept
    error_type: str = ""  # … and its exception type, when pasted


def analyze(
    text: str,
    *,
    romaji: bool = True,
    content: str | None = None,
    error: PastedError | None = None,
) -> LexicalQuery:
    """Prepare a cleaned query for :meth:`LexicalIndex.search`.

    Args:
        text: the query after :func:`glossary.text.normalize.clean`.
        romaji: also read a Latin-letter query as romaji (off for ``--lang en``).
        content: the words BM25 reads (the query without its context words, or a pasted
            error's fixed words); ``text`` itself when ``None``.
        error: the error pasted in the query, matched against error entries' templates.
    """
    from glossary.text.words import term_words

    short = text[:MAX_LEXICAL_CHARS]
    folded = fold(short)
    core = strip_question(folded)
    core_raw = _raw_core(short, core)
    japanese = has_japanese(core)
    normalized = sound = None
    if japanese and len(text) <= MAX_LEXICAL_CHARS:
        from glossary.text.sudachi import normalized_text, reading

        normalized = fold(normalized_text(core))
        if has_kanji(core):
            sound = reading(core)
    readings = tuple(romaji_to_kana(core)) if romaji and not japanese else ()
    words: dict[str, str] = {}
    for term, word in term_words((content or text)[:MAX_TEXT_CHARS]):
        words.setdefault(term, word)
    return LexicalQuery(
        text=text,
        folded=folded,
        core=core,
        core_raw=core_raw,
        normalized=normalized if normalized != core else None,
        kana_readings=readings,
        sound=sound,
        terms=tuple(words),
        term_words=tuple(words.items()),
        core_typed=_typed_core(short, core),
        error_message=error.message[:MAX_TEXT_CHARS] if error else None,
        error_type=error.exception if error else "",
    )


def _raw_core(text: str, core: str) -> str:
    """The part of ``text`` that folds to ``core``, with its letter case (best effort)."""
    import unicodedata

    nfkc = " ".join(unicodedata.normalize("NFKC", text).split())
    start = nfkc.casefold().find(core)
    return nfkc[start : start + len(core)] if start >= 0 else core


def _typed_core(text: str, core: str) -> str:
    """The part of ``text`` that folds to ``core``, as typed: its kana as well as its case
    (:func:`_raw_core` finds it through case folding alone, so not for katakana)."""
    import unicodedata

    from glossary.text.normalize import kata_to_hira

    nfkc = " ".join(unicodedata.normalize("NFKC", text).split())
    folded = kata_to_hira(nfkc.casefold())
    start = folded.find(core) if len(folded) == len(nfkc) else -1
    return nfkc[start : start + len(core)] if start >= 0 else _raw_core(text, core)
