"""The lexical index: names, aliases, readings, dotted API suffixes, fuzzy keys and BM25.

Built once from the glossary (with Sudachi and pykakasi, which are slow to load) and saved as
one compiled JSON file in the cache, keyed by :func:`glossary.loader.data_fingerprint`. A
query then needs only this file, :mod:`glossary.text.normalize` and, for Japanese text, the
Sudachi dictionary: no pydantic, no YAML, no model.

What it matches, strongest first (the ``strength`` of a :class:`LexicalCandidate`):

* exact keys — an id, API name, headword, alias or reading after width/case/kana folding
  (``ｔｏｒｃｈ．ｃａｔ``, ``テンソル`` = ``てんそる``), after Sudachi normalization
  (``オプティマイザ`` = ``オプティマイザー``) or after dropping separators and kana long vowels;
* readings — a kana or romaji query against the reading of a kanji headword or alias
  (``じどうびぶん``, ``jidou bibun`` → 自動微分);
* dotted suffixes — ``cat`` → ``torch.cat``, ``nn.Linear`` → ``torch.nn.Linear``;
* prefixes (``torch.nn.Lin``) and typos (``torch.cta``, ``DataLoder``) — weaker;
* BM25 over the index terms (:mod:`glossary.text.words`) of all of an entry's text, with
  names weighted above definitions and definitions above relations.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glossary.atomic import write_bytes_atomic
from glossary.errors import IndexError_
from glossary.search.freshness import FileStat, folder_names, yaml_stats
from glossary.search.types import Match, Signal
from glossary.text.normalize import (
    fold,
    has_japanese,
    has_kanji,
    loose,
    romaji_to_kana,
    strip_question,
)

if TYPE_CHECKING:
    from glossary.schema import Entry

#: Bump when the compiled layout or how keys are made changes: old files are rebuilt.
FORMAT_VERSION = 5
MAGIC = "torchgloss-lexical"

# Base strengths of the surfaces an entry is known by.
NAME = 1.0  # id, API name, headword
ALIAS = 0.96
READING = 0.95
PART = 0.92  # a part of a headword: "全結合層" of "全結合層（線形層）"
# How much a key kind keeps of its surface's strength.
NORMALIZED = 0.99  # Sudachi normalized form
QUESTION = 0.99  # question framing removed ("… とは")
LOOSE = 0.96  # separators and long vowels dropped
ROMAJI = 0.97  # a romaji query read as kana
KANJI_READING = 0.84  # a kanji query compared by its sound (homophones are possible)
CASE_BONUS = 0.01  # the query has the surface's exact letter case
# Weaker kinds of evidence, each below any exact key.
SUFFIX = 0.9  # minus SUFFIX_STEP for each dotted component left out
SUFFIX_STEP = 0.015
LAST_PART = 0.7  # only the query's last dotted part matched ("x.view")
IDENTIFIER = 0.6  # a code-like word inside a longer query
PREFIX_BASE, PREFIX_SPAN = 0.5, 0.3  # 0.5 + 0.3 * (query length / name length)
FUZZY_BASE, FUZZY_SPAN = 0.45, 0.3  # 0.45 + 0.3 * similarity
#: Evidence at least this strong makes an entry a certain answer (no need for the model).
DECISIVE = 0.85

MAX_PREFIX_HITS = 60
MAX_FUZZY_HITS = 30
MAX_LEXICAL_CHARS = 200  # longer queries are not names: only BM25 runs on them
MAX_TEXT_CHARS = 2000  # BM25 reads at most this much of a query
BM25_K1, BM25_B = 1.2, 0.75

_SIGNALS = [Signal.NAME, Signal.ALIAS, Signal.READING]
_SIGNAL_CODE = {signal: code for code, signal in enumerate(_SIGNALS)}
_IDENTIFIER_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_DOTTED_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")
_CAMEL_CASE_RE = re.compile(r"[a-z][A-Z]|[A-Z]{2,}[a-z]")
_PAREN_RE = re.compile(r"[(（]([^()（）]*)[)）]")

# BM25 field weights: term frequency counts this much per occurrence in the field.
BM25_FIELDS = {
    "names": 2.0,
    "definition": 1.0,
    "asked_as": 1.0,
    "synonyms": 1.0,
    "related": 0.5,
    "cooccurring": 0.5,
    "tags": 0.5,
    "antonyms": 0.25,
    "notes": 0.25,
}

Posting = tuple[int, int, int, float]  # entry index, signal code, surface index, strength
PostingList = Sequence[Any]
"""The postings under one key, flat: ``[entry, code, surface, strength, entry, …]``.

Flat, because a list per posting made the loaded index some 60,000 small lists: slower to
decode, and each one more object for every pass of the cyclic garbage collector (which the
terminal browser's long-lived process pays for, see ``tui/idle_gc.py``). A loaded index
holds them as tuples: the collector stops tracking a tuple of numbers after its first pass
over it, and never a list, so the 15,000 lists of the bundled glossary would be visited by
every full pass for nothing."""
TermPostings = Sequence[float]
"""The BM25 postings of one term, flat: ``(entry, tf, entry, tf, …)``."""


def _find(table: dict[str, PostingList], key: str) -> Iterator[Posting]:
    """The postings under ``key`` in ``table``, one tuple each (none if it is absent)."""
    fields = iter(table.get(key, ()))
    return zip(fields, fields, fields, fields, strict=False)  # whole: see LexicalIndex


@dataclass(frozen=True, slots=True)
class EntryInfo:
    """What a search hit shows of an entry, kept in the index so no YAML is read."""

    id: str
    kind: str
    api: str | None
    term_en: str
    term_ja: str
    reading: str | None
    summary_en: str
    summary_ja: str


@dataclass(slots=True)
class LexicalCandidate:
    """One entry the lexical index found, with its best evidence per signal."""

    entry: int
    strength: float = 0.0  # best name/alias/reading/fuzzy evidence, 0 if only BM25
    matches: dict[Signal, Match] = field(default_factory=dict)
    bm25: float = 0.0
    coverage: float = 0.0  # share of the query's term weight (IDF) this entry contains
    terms: list[str] = field(default_factory=list)

    def add(self, signal: Signal, surface: str, strength: float) -> None:
        """Keep ``strength`` if it beats this signal's best so far."""
        best = self.matches.get(signal)
        if best is None or strength > best.score:
            self.matches[signal] = Match(signal, surface, strength)
        self.strength = max(self.strength, strength)


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


def analyze(text: str, *, romaji: bool = True) -> LexicalQuery:
    """Prepare a cleaned query for :meth:`LexicalIndex.search`.

    Args:
        text: the query after :func:`glossary.text.normalize.clean`.
        romaji: also read a Latin-letter query as romaji (off for ``--lang en``).
    """
    from glossary.text.words import index_terms

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
    return LexicalQuery(
        text=text,
        folded=folded,
        core=core,
        core_raw=core_raw,
        normalized=normalized if normalized != core else None,
        kana_readings=readings,
        sound=sound,
        terms=tuple(dict.fromkeys(index_terms(text[:MAX_TEXT_CHARS]))),
    )


def _raw_core(text: str, core: str) -> str:
    """The part of ``text`` that folds to ``core``, with its letter case (best effort)."""
    import unicodedata

    nfkc = " ".join(unicodedata.normalize("NFKC", text).split())
    start = nfkc.casefold().find(core)
    return nfkc[start : start + len(core)] if start >= 0 else core


class LexicalIndex:
    """A compiled lexical index; see the module docstring for what it matches.

    Build it with :meth:`build`, persist it with :meth:`save`, and get it back cheaply with
    :meth:`load` (``None`` if missing, stale or damaged) or :func:`load_or_build`.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        for name in ("exact", "loose", "suffix", "postings"):  # tuples: see PostingList
            data[name] = {key: tuple(flat) for key, flat in data[name].items()}
        data["entries"] = [tuple(row) for row in data["entries"]]
        self.fingerprint: str = data["fingerprint"]
        self.entries = [EntryInfo(*row) for row in data["entries"]]
        self.ids = {info.id: i for i, info in enumerate(self.entries)}
        self.surfaces: list[str] = data["surfaces"]
        self.exact: dict[str, PostingList] = data["exact"]
        self.loose: dict[str, PostingList] = data["loose"]
        self.suffix: dict[str, PostingList] = data["suffix"]
        self.postings: dict[str, TermPostings] = data["postings"]
        tables: list[tuple[dict[str, Any], int]] = [
            (self.exact, 4),
            (self.loose, 4),
            (self.suffix, 4),
            (self.postings, 2),
        ]
        if any(len(flat) % width for table, width in tables for flat in table.values()):
            raise ValueError("a flat posting list is cut short")
        self.doc_len: list[float] = data["doc_len"]
        self.name_keys: list[str] = data["name_keys"]  # sorted: for prefixes and typos
        self.avg_len = (sum(self.doc_len) / len(self.doc_len)) if self.doc_len else 1.0
        self._data = data

    def __len__(self) -> int:
        return len(self.entries)

    # ----------------------------------------------------------------------------- building

    @classmethod
    def build(cls, entries: Sequence[Entry], fingerprint: str) -> LexicalIndex:
        """Compile ``entries`` (slow: loads Sudachi and pykakasi)."""
        return cls(_Builder(entries).compile(fingerprint))

    def to_bytes(
        self, folders: Sequence[str] = (), stats: Sequence[FileStat] | None = None
    ) -> bytes:
        """The on-disk form: a JSON header line, then the JSON payload it checksums.

        ``folders`` and ``stats`` (see :mod:`.freshness`) let a later run trust the recorded
        fingerprint without hashing the glossary files.
        """
        payload = json.dumps(self._data, ensure_ascii=False, separators=(",", ":")).encode()
        header = {
            "magic": MAGIC,
            "format": FORMAT_VERSION,
            "fingerprint": self.fingerprint,
            "sha256": hashlib.sha256(payload).hexdigest(),
            "entries": len(self.entries),
            "folders": list(folders),
            "stats": stats,
        }
        return json.dumps(header, ensure_ascii=False).encode() + b"\n" + payload

    def save(
        self, path: Path, folders: Sequence[str] = (), stats: Sequence[FileStat] | None = None
    ) -> None:
        """Write the index atomically (a reader sees the old file or the new, never half)."""
        try:
            write_bytes_atomic(path, self.to_bytes(folders, stats))
        except OSError as exc:
            raise IndexError_(f"Cannot write the search index {path} ({exc}).") from exc

    @staticmethod
    def read_header(path: Path) -> tuple[dict[str, Any], bytes] | None:
        """The header and raw payload of an index file, or ``None`` if it is not one."""
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        head, sep, payload = raw.partition(b"\n")
        try:
            header = json.loads(head)
        except ValueError:
            return None
        if not sep or not isinstance(header, dict) or header.get("magic") != MAGIC:
            return None
        if header.get("format") != FORMAT_VERSION:
            return None
        return header, payload

    @classmethod
    def _from_payload(cls, header: dict[str, Any], payload: bytes) -> LexicalIndex | None:
        if header.get("sha256") != hashlib.sha256(payload).hexdigest():
            return None
        try:
            index = cls(json.loads(payload))
        except (ValueError, KeyError, TypeError):
            return None
        return index if index.fingerprint == header.get("fingerprint") else None

    @classmethod
    def load(cls, path: Path, fingerprint: str) -> LexicalIndex | None:
        """The index at ``path`` if it was built from ``fingerprint`` and is intact, else None."""
        found = cls.read_header(path)
        if found is None or found[0].get("fingerprint") != fingerprint:
            return None
        return cls._from_payload(*found)

    @classmethod
    def load_unchanged(
        cls, path: Path, folders: Sequence[str], stats: Sequence[FileStat] | None
    ) -> LexicalIndex | None:
        """The index at ``path`` if built from these folders and no glossary file changed since.

        The fast check of a cold search: stat calls instead of hashing (see :mod:`.freshness`).
        """
        if stats is None:
            return None
        found = cls.read_header(path)
        if found is None:
            return None
        header, payload = found
        recorded = [list(s) for s in stats]
        if header.get("folders") != list(folders) or header.get("stats") != recorded:
            return None
        return cls._from_payload(header, payload)

    # ---------------------------------------------------------------------------- searching

    def search(self, query: LexicalQuery) -> list[LexicalCandidate]:
        """Every entry with any lexical evidence, strongest first (then by BM25)."""
        found: dict[int, LexicalCandidate] = {}

        def hit(postings: Iterable[Posting], factor: float, signal: Signal | None = None) -> None:
            for entry, code, surface, strength in postings:
                candidate = found.setdefault(entry, LexicalCandidate(entry))
                text = self.surfaces[surface]
                bonus = CASE_BONUS if text == query.core_raw else 0.0
                candidate.add(signal or _SIGNALS[code], text, strength * factor + bonus)

        lexical = len(query.text) <= MAX_LEXICAL_CHARS
        if lexical:
            self._exact_keys(query, hit)
            self._suffixes(query, hit)
            self._identifiers(query, hit)
            self._prefixes(query, found)
            self._typos(query, found)
        self._bm25(query, found)
        return sorted(found.values(), key=lambda c: (-c.strength, -c.bm25, c.entry))

    def _exact_keys(self, query: LexicalQuery, hit: Callable[..., None]) -> None:
        forms = [(query.folded, 1.0), (query.core, QUESTION)]
        if query.normalized:
            forms.append((query.normalized, NORMALIZED))
        # Loose postings carry their LOOSE discount from the build already.
        for form, factor in forms:
            hit(_find(self.exact, form), factor)
            hit(_find(self.loose, loose(form)), factor)
        for kana in query.kana_readings:
            hit(_find(self.exact, kana), ROMAJI, Signal.READING)
            hit(_find(self.loose, loose(kana)), ROMAJI, Signal.READING)
        if query.sound:
            hit(_find(self.loose, loose(query.sound)), KANJI_READING, Signal.READING)

    def _suffixes(self, query: LexicalQuery, hit: Callable[..., None]) -> None:
        if query.core in self.suffix:
            hit(_find(self.suffix, query.core), 1.0)
            return
        if "." in query.core and " " not in query.core:
            last = query.core.rsplit(".", 1)[1]
            if last:
                hit(_find(self.exact, last), LAST_PART / NAME, Signal.NAME)
                hit(_find(self.suffix, last), LAST_PART / SUFFIX, Signal.NAME)

    def _identifiers(self, query: LexicalQuery, hit: Callable[..., None]) -> None:
        """Names inside a longer query: ``DataLoader の num_workers``, ``Adam の学習率``.

        Code-like words (dotted, snake_case, CamelCase) may name any entry. Other Latin words
        count only beside Japanese text, only when capitalized like a name, and only as API
        names: ``Adam`` in ``Adam の学習率``, but neither ``GPU`` in ``GPU が使えるか確認``
        (not an API) nor ``tensor`` in ``tensor の形を変える`` (a common noun).
        """
        words = _IDENTIFIER_RE.findall(query.core_raw)
        if len(words) == 1 and words[0].casefold() == query.core:
            return
        mixed = has_japanese(query.core)
        for word in words:
            code_like = "." in word or "_" in word or bool(_CAMEL_CASE_RE.search(word))
            if not code_like and not (mixed and len(word) > 1 and not word.islower()):
                continue
            key = fold(word)
            postings = self._name_postings(key)
            if not code_like:
                postings = [p for p in postings if self.entries[p[0]].kind == "api"]
            hit(postings, IDENTIFIER, Signal.NAME)

    def _prefixes(self, query: LexicalQuery, found: dict[int, LexicalCandidate]) -> None:
        starts = [query.core, *(kana for kana in query.kana_readings if len(kana) >= 3)]
        for core in starts:
            if len(core) < (1 if has_japanese(core) else 2):
                continue
            start = bisect.bisect_left(self.name_keys, core)
            keys: list[str] = []
            for key in self.name_keys[start:]:
                if not key.startswith(core):
                    break
                if key != core:
                    keys.append(key)
            keys.sort(key=len)
            for key in keys[:MAX_PREFIX_HITS]:
                strength = PREFIX_BASE + PREFIX_SPAN * len(core) / len(key)
                for entry, code, surface, own in self._name_postings(key):
                    candidate = found.setdefault(entry, LexicalCandidate(entry))
                    candidate.add(_SIGNALS[code], self.surfaces[surface], strength * own)

    def _typos(self, query: LexicalQuery, found: dict[int, LexicalCandidate]) -> None:
        core = query.core
        budget = _edit_budget(core)
        if budget == 0:
            return
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        matches = process.extract(
            core, self.name_keys, scorer=OSA.distance, score_cutoff=budget, limit=MAX_FUZZY_HITS
        )
        for key, distance, _ in matches:
            if distance == 0:
                continue
            similarity = 1.0 - distance / max(len(core), len(key))
            strength = FUZZY_BASE + FUZZY_SPAN * similarity
            for entry, _code, surface, own in self._name_postings(key):
                candidate = found.setdefault(entry, LexicalCandidate(entry))
                candidate.add(Signal.FUZZY, self.surfaces[surface], strength * own)

    def _name_postings(self, key: str) -> list[Posting]:
        return [*_find(self.exact, key), *_find(self.suffix, key)]

    def _bm25(self, query: LexicalQuery, found: dict[int, LexicalCandidate]) -> None:
        n = len(self.entries)
        idf: dict[str, float] = {}
        for term in query.terms:
            postings = self.postings.get(term)
            if postings:
                df = len(postings) // 2
                idf[term] = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        total = sum(idf.values())
        if not total:
            return
        for term, weight in idf.items():
            fields = iter(self.postings[term])
            for entry_f, tf in zip(fields, fields, strict=False):
                entry = int(entry_f)
                norm = BM25_K1 * (1 - BM25_B + BM25_B * self.doc_len[entry] / self.avg_len)
                candidate = found.setdefault(entry, LexicalCandidate(entry))
                candidate.bm25 += weight * tf * (BM25_K1 + 1) / (tf + norm)
                candidate.coverage += weight / total
                candidate.terms.append(term)
        for candidate in found.values():
            if candidate.terms:
                surface = " ".join(candidate.terms)
                candidate.matches[Signal.TEXT] = Match(Signal.TEXT, surface, candidate.bm25)


def _edit_budget(key: str) -> int:
    """How many typos a key of this length may hold and still be recognised."""
    length = len(key)
    if length > 64 or has_kanji(key):
        return 0  # a different kanji is a different word (内積, 外積), not a slip of the key
    if has_japanese(key):
        return 0 if length < 3 else 1 if length < 6 else 2
    return 0 if length < 4 else 1 if length < 7 else 2 if length < 14 else 3


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

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = list(entries)
        self.surfaces: list[str] = []
        self.surface_ids: dict[str, int] = {}
        self.exact: dict[str, dict[tuple[int, int, int], float]] = {}
        self.loose: dict[str, dict[tuple[int, int, int], float]] = {}
        self.suffix: dict[str, dict[tuple[int, int, int], float]] = {}

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

        posting = (entry, _SIGNAL_CODE[signal], self._surface(surface))
        key = fold(surface)
        self._put(self.exact, key, posting, strength)
        self._put(self.loose, loose(key), posting, strength * LOOSE)
        if has_japanese(surface):
            normalized = fold(normalized_text(surface))
            self._put(self.exact, normalized, posting, strength * NORMALIZED)
            self._put(self.loose, loose(normalized), posting, strength * NORMALIZED * LOOSE)
            reading_posting = (entry, _SIGNAL_CODE[Signal.READING], posting[2])
            sound_strength = READING * strength / NAME  # an alias's reading counts as less
            for sound in {kana_reading(surface), reading(surface)}:
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
        by_id = {entry.id: entry for entry in self.entries}
        docs: list[dict[str, float]] = []
        for index, entry in enumerate(self.entries):
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
                posting = (index, _SIGNAL_CODE[Signal.READING], surface)
                key = fold(entry.term.reading)
                self._put(self.exact, key, posting, READING)
                self._put(self.loose, loose(key), posting, READING * LOOSE)
            docs.append(_document_terms(entry, by_id))
        return self._finish(fingerprint, docs)

    def _finish(self, fingerprint: str, docs: list[dict[str, float]]) -> dict[str, Any]:
        postings: dict[str, TermPostings] = {}
        for index, terms in enumerate(docs):
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
            "entries": [
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
            "doc_len": [round(sum(terms.values()), 3) for terms in docs],
            "name_keys": name_keys,
        }


def _document_terms(entry: Entry, by_id: dict[str, Entry]) -> dict[str, float]:
    """Weighted term frequencies of everything an entry says, field by field."""
    from glossary.text.words import index_terms

    fields: dict[str, list[str]] = {
        "names": [entry.id, entry.term.en, entry.term.ja, entry.term.reading or "", *entry.aliases],
        "definition": [entry.definition.en, entry.definition.ja],
        "asked_as": entry.asked_as.all(),
        "tags": list(entry.tags),
        "notes": [],
    }
    for name, items in entry.relations().items():
        texts = fields.setdefault(name, [])
        for item in items:
            texts += [item.en or "", item.ja or ""]
            target = by_id.get(item.ref) if item.ref else None
            if target is not None and not (item.en or item.ja):
                texts += [target.term.en, target.term.ja]
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


def index_path(folders: Sequence[Path]) -> Path:
    """Where the compiled index for this set of glossary folders lives."""
    from glossary.paths import indexes_dir

    key = hashlib.sha256("\0".join(folder_names(folders)).encode()).hexdigest()[:16]
    return indexes_dir() / f"lexical-{key}.json"


def load_unchanged(folders: Sequence[Path]) -> LexicalIndex | None:
    """The saved index for ``folders`` when no glossary file changed since it was built.

    Needs no fingerprint (no hashing, no :mod:`glossary.loader`); ``None`` means "check
    properly" with :func:`load_or_build`.
    """
    return LexicalIndex.load_unchanged(
        index_path(folders), folder_names(folders), yaml_stats(folders)
    )


def load_or_build(
    folders: Sequence[Path],
    fingerprint: str,
    entries: Callable[[], Sequence[Entry]],
    *,
    force: bool = False,
) -> tuple[LexicalIndex, bool]:
    """The saved index for ``folders`` if current and intact; otherwise build and save it.

    Two processes may call this at once: the build runs under a file lock and the second
    process reuses what the first wrote. Returns the index and whether it was (re)built.

    Args:
        folders: the glossary folders, in merge order.
        fingerprint: :func:`glossary.loader.data_fingerprint` of those folders.
        entries: called only when a build is needed; returns the merged entries.
        force: build even over a current index.
    """
    path = index_path(folders)
    names = folder_names(folders)
    stats = yaml_stats(folders)
    index = None if force else LexicalIndex.load(path, fingerprint)
    if index is not None:
        _refresh_stats(index, path, names, stats)
        return index, False
    from filelock import FileLock, Timeout

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(path.with_name(f".{path.name}.lock")), timeout=300):
            index = None if force else LexicalIndex.load(path, fingerprint)  # built meanwhile?
            if index is not None:
                return index, False
            index = LexicalIndex.build(entries(), fingerprint)
            index.save(path, names, stats)
            return index, True
    except Timeout as exc:
        raise IndexError_(
            f"Another torchgloss process has held the index lock in {path.parent} for 5 "
            "minutes; stop it or delete the .lock file there, and try again."
        ) from exc
    except OSError as exc:
        raise IndexError_(f"Cannot write the search index in {path.parent} ({exc}).") from exc


def _refresh_stats(
    index: LexicalIndex, path: Path, names: list[str], stats: list[FileStat] | None
) -> None:
    """Files were touched but their content is the same: record the new stats (best effort)."""
    found = LexicalIndex.read_header(path)
    if stats is None or found is None or found[0].get("stats") == stats:
        return
    with contextlib.suppress(IndexError_):
        index.save(path, names, stats)
