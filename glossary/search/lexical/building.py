"""Compiling glossary entries into the lexical index's tables (slow: Sudachi and pykakasi)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from glossary.search.lexical.strengths import (
    ALIAS,
    LOOSE,
    NAME,
    NORMALIZED,
    PART,
    READING,
    SIGNAL_CODE,
    SUFFIX,
    SUFFIX_STEP,
)
from glossary.search.types import Signal
from glossary.text.normalize import fold, has_japanese, loose

if TYPE_CHECKING:
    from glossary.schema import Entry
    from glossary.search.lexical.index import PostingList

_DOTTED_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")
_PAREN_RE = re.compile(r"[(（]([^()（）]*)[)）]")

# BM25 field weights: term frequency counts this much per occurrence in the field.
BM25_FIELDS = {
    "names": 2.0,
    "messages": 2.0,
    "definition": 1.0,
    "asked_as": 1.0,
    "synonyms": 1.0,
    "related": 0.5,
    "cooccurring": 0.5,
    "tags": 0.5,
    "antonyms": 0.25,
    "notes": 0.25,
}


def compile_entries(entries: Sequence[Entry], fingerprint: str) -> dict[str, Any]:
    """The compiled tables of ``entries``, as :class:`~.index.LexicalIndex` takes them."""
    return _Builder(entries).compile(fingerprint)


def compile_after(
    base: dict[str, Any], entries: Sequence[Entry], fingerprint: str
) -> dict[str, Any]:
    """The compiled tables of ``base``'s entries followed by ``entries``, from ``base`` (the
    compiled tables of its own entries, as :func:`compile_entries` made them) without
    analysing its entries again.

    Equal, key by key and in order, to :func:`compile_entries` of the whole list, provided
    no entry of ``entries`` has the id of one in ``base`` (it would replace it) and every
    ``ref`` of ``base``'s entries names one of its own (as validation requires). BM25 needs
    nothing recomputed: document frequencies and the average length are read from the
    postings and ``doc_len`` when the index is loaded.
    """
    return _Builder(entries, base).compile(fingerprint)


def summary(text: str, limit: int = 160) -> str:
    """The first sentence of a definition, cut to ``limit`` characters."""
    text = " ".join(text.split())
    match = re.search(r"(?<=[.!?])\s|(?<=[。！？])", text)
    first = text[: match.start()] if match else text
    first = first.strip()
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def surface_parts(surface: str) -> list[str]:
    """Pieces of a headword people type on their own: ``全結合層（線形層）`` → 全結合層, 線形層."""
    parts = [p.strip() for p in _PAREN_RE.findall(surface)]
    outside = _PAREN_RE.sub(" ", surface).strip()
    return [p for p in dict.fromkeys([outside, *parts]) if p and p != surface]


class _Builder:
    """Collects keys, suffixes and BM25 postings for every entry."""

    def __init__(self, entries: Sequence[Entry], base: dict[str, Any] | None = None) -> None:
        self.entries = list(entries)
        #: The compiled tables of the entries before ``entries`` (see :func:`compile_after`).
        self.base = base or {"entries": [], "surfaces": [], "postings": {}, "doc_len": []}
        self.surfaces: list[str] = list(self.base["surfaces"])
        self.surface_ids: dict[str, int] = {text: i for i, text in enumerate(self.surfaces)}
        self.exact = _unflatten(self.base.get("exact", {}))
        self.loose = _unflatten(self.base.get("loose", {}))
        self.suffix = _unflatten(self.base.get("suffix", {}))
        #: ``[entry, exception, template]`` of every error entry's message templates.
        self.templates: list[list[Any]] = [list(t) for t in self.base.get("templates", [])]

    def _surface(self, text: str) -> int:
        if text not in self.surface_ids:
            self.surface_ids[text] = len(self.surfaces)
            self.surfaces.append(text)
        return self.surface_ids[text]

    @staticmethod
    def _put(
        table: dict[str, dict[tuple[int, int, int], float]],
        key: str,
        posting: tuple[int, int, int],
        strength: float,
    ) -> None:
        if not key:
            return
        slot = table.setdefault(key, {})
        slot[posting] = max(slot.get(posting, 0.0), strength)

    def _add_surface(self, entry: int, signal: Signal, surface: str, strength: float) -> None:
        from glossary.text.readings import kana_reading
        from glossary.text.sudachi import normalized_text, reading

        posting = (entry, SIGNAL_CODE[signal], self._surface(surface))
        key = fold(surface)
        self._put(self.exact, key, posting, strength)
        self._put(self.loose, loose(key), posting, strength * LOOSE)
        if has_japanese(surface):
            normalized = fold(normalized_text(surface))
            self._put(self.exact, normalized, posting, strength * NORMALIZED)
            self._put(self.loose, loose(normalized), posting, strength * NORMALIZED * LOOSE)
            reading_posting = (entry, SIGNAL_CODE[Signal.READING], posting[2])
            sound_strength = READING * strength / NAME  # an alias's reading counts as less
            # In this order, not a set's: the file is then the same from one export to the next.
            for sound in dict.fromkeys((kana_reading(surface), reading(surface))):
                if sound and sound != key:
                    self._put(self.exact, sound, reading_posting, sound_strength)
                    self._put(self.loose, loose(sound), reading_posting, sound_strength * LOOSE)
        if _DOTTED_RE.match(surface):
            parts = surface.split(".")
            for depth in range(1, len(parts)):
                suffix_key = fold(".".join(parts[depth:]))
                strength_here = SUFFIX - SUFFIX_STEP * (depth - 1)
                self._put(self.suffix, suffix_key, posting, strength_here * strength / NAME)

    def compile(self, fingerprint: str) -> dict[str, Any]:
        # What a relation naming only its target reads of it: the target's headwords.
        terms = {row[0]: (row[3], row[4]) for row in self.base["entries"]}
        terms.update((entry.id, (entry.term.en, entry.term.ja)) for entry in self.entries)
        docs: list[dict[str, float]] = []
        for index, entry in enumerate(self.entries, start=len(self.base["entries"])):
            names = [(Signal.NAME, entry.id, NAME), (Signal.NAME, entry.term.en, NAME)]
            names.append((Signal.NAME, entry.term.ja, NAME))
            if entry.api:
                names.append((Signal.NAME, entry.api, NAME))
            names += [(Signal.ALIAS, alias, ALIAS) for alias in entry.aliases]
            for signal, surface, strength in list(names):
                names += [(signal, part, PART * strength / NAME) for part in surface_parts(surface)]
            for signal, surface, strength in names:
                self._add_surface(index, signal, surface, strength)
            if entry.term.reading:
                surface = self._surface(entry.term.ja)
                posting = (index, SIGNAL_CODE[Signal.READING], surface)
                key = fold(entry.term.reading)
                self._put(self.exact, key, posting, READING)
                self._put(self.loose, loose(key), posting, READING * LOOSE)
            docs.append(_document_terms(entry, terms))
            if entry.error is not None:
                self.templates += [
                    [index, entry.error.exception, template] for template in entry.error.messages
                ]
        return self._finish(fingerprint, docs)

    def _finish(self, fingerprint: str, docs: list[dict[str, float]]) -> dict[str, Any]:
        postings: dict[str, list[float]] = {
            term: list(flat) for term, flat in self.base["postings"].items()
        }
        for index, terms in enumerate(docs, start=len(self.base["entries"])):
            for term, tf in terms.items():
                postings.setdefault(term, []).extend((index, round(tf, 3)))

        def flat(table: dict[str, dict[tuple[int, int, int], float]]) -> dict[str, PostingList]:
            return {
                key: [
                    value
                    for posting, strength in slot.items()
                    for value in (*posting, round(strength, 4))
                ]
                for key, slot in table.items()
            }

        name_keys = sorted({*self.exact, *self.suffix})
        return {
            "fingerprint": fingerprint,
            "entries": [list(row) for row in self.base["entries"]]
            + [
                [
                    e.id,
                    e.kind.value,
                    e.api,
                    e.term.en,
                    e.term.ja,
                    e.term.reading,
                    summary(e.definition.en),
                    summary(e.definition.ja),
                ]
                for e in self.entries
            ],
            "surfaces": self.surfaces,
            "exact": flat(self.exact),
            "loose": flat(self.loose),
            "suffix": flat(self.suffix),
            "postings": postings,
            "doc_len": [
                *self.base["doc_len"],
                *(round(sum(terms.values()), 3) for terms in docs),
            ],
            "name_keys": name_keys,
            "templates": self.templates,
        }


def _unflatten(table: dict[str, PostingList]) -> dict[str, dict[tuple[int, int, int], float]]:
    """A compiled posting table back in the builder's form (``{key: {posting: strength}}``)."""
    grown: dict[str, dict[tuple[int, int, int], float]] = {}
    for key, flat in table.items():
        fields = iter(flat)
        grown[key] = {
            (int(entry), int(code), int(surface)): strength
            for entry, code, surface, strength in zip(fields, fields, fields, fields, strict=True)
        }
    return grown


def _document_terms(entry: Entry, terms: dict[str, tuple[str, str]]) -> dict[str, float]:
    """Weighted term frequencies of everything an entry says, field by field; ``terms`` holds
    the English and Japanese headword of every entry, by id (what a bare link reads)."""
    from glossary.text.words import index_terms

    fields: dict[str, list[str]] = {
        "names": [entry.id, entry.term.en, entry.term.ja, entry.term.reading or "", *entry.aliases],
        "definition": [entry.definition.en, entry.definition.ja],
        "asked_as": entry.asked_as.all(),
        "tags": list(entry.tags),
        "notes": [],
        "messages": [],
    }
    if entry.error is not None:
        from glossary.text.error_templates import template_words

        fields["messages"] = [
            entry.error.exception,
            *(template_words(t) for t in entry.error.messages),
            entry.error.cause.en,
            entry.error.cause.ja,
        ]
    for name, items in entry.relations().items():
        texts = fields.setdefault(name, [])
        for item in items:
            texts += [item.en or "", item.ja or ""]
            target = terms.get(item.ref) if item.ref else None
            if target is not None and not (item.en or item.ja):
                texts += list(target)
            if item.note is not None:
                fields["notes"] += [item.note.en, item.note.ja]
    counts: dict[str, float] = {}
    for name, texts in fields.items():
        weight = BM25_FIELDS[name]
        for text in texts:
            if text:
                for term in index_terms(text):
                    counts[term] = counts.get(term, 0.0) + weight
    return counts
