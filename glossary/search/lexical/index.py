"""The compiled lexical index in memory, and how a query is matched against it.

See :mod:`glossary.search.lexical` for what it matches. The index is built by
:mod:`.building` and read from disk by :mod:`.storage`; this module only holds and searches it.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glossary.errors import Problem
from glossary.search.lexical.query import MAX_LEXICAL_CHARS, LexicalQuery
from glossary.search.lexical.strengths import (
    BM25_B,
    BM25_K1,
    CASE_BONUS,
    FUZZY_BASE,
    FUZZY_SPAN,
    IDENTIFIER,
    KANJI_READING,
    LAST_PART,
    MAX_FUZZY_HITS,
    MAX_PREFIX_HITS,
    NAME,
    NORMALIZED,
    PLAIN_MENTION,
    PREFIX_BASE,
    PREFIX_SPAN,
    QUESTION,
    ROMAJI,
    SIGNALS,
    SUFFIX,
    TEMPLATE,
    TEMPLATE_OTHER_TYPE,
)
from glossary.search.types import Match, Signal
from glossary.text.normalize import fold, has_japanese, has_kanji, loose

if TYPE_CHECKING:
    from glossary.schema import Entry
    from glossary.search.freshness import FileStat

_IDENTIFIER_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_CAMEL_CASE_RE = re.compile(r"[a-z][A-Z]|[A-Z]{2,}[a-z]")
#: Words of questions that are also the last part of some API name, never a mention of it.
_COMMON_WORDS = frozenset(
    [
        "tensor",
        "tensors",
        "model",
        "models",
        "module",
        "modules",
        "data",
        "dataset",
        "loss",
        "layer",
        "layers",
        "device",
        "batch",
        "function",
        "functions",
        "torch",
        "pytorch",
        "python",
        "numpy",
        "value",
        "values",
        "shape",
        "size",
        "type",
        "types",
        "error",
        "code",
        "input",
        "inputs",
        "output",
        "outputs",
        "weight",
        "weights",
        "gradient",
        "gradients",
        "grad",
        "train",
        "training",
        "test",
        "list",
        "array",
        "image",
        "images",
        "file",
        "files",
        "float",
        "double",
        "long",
        "half",
        "index",
        "indices",
        "mask",
        "label",
        "labels",
        "time",
        "memory",
        "network",
        "parameter",
        "parameters",
        "optimizer",
        "scheduler",
        "sample",
        "samples",
        "step",
        "steps",
        "load",
        "save",
        "when",
        "what",
        "where",
        "which",
        "does",
        "with",
        "from",
        "into",
        "have",
        "their",
        "there",
        "this",
        "that",
        "than",
        "then",
        "them",
        "they",
        "make",
        "using",
        "used",
        "each",
        "every",
        "both",
        "other",
        "same",
        "just",
        "only",
        "also",
        "first",
        "last",
        "many",
        "much",
        "more",
        "most",
        "some",
        "true",
        "false",
        "none",
        "work",
        "works",
        "working",
        "number",
        "numbers",
        "example",
        "examples",
        "difference",
        "between",
        "without",
        "inside",
        "after",
        "before",
        "while",
        "print",
    ]
)

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

    def add(
        self, signal: Signal, surface: str, strength: float, typed: str = "", field: str = ""
    ) -> None:
        """Keep ``strength`` if it beats this signal's best so far (``typed``: the query's
        words that matched ``surface``; ``field``: which part of the entry it is, see
        :class:`Match`)."""
        best = self.matches.get(signal)
        if best is None or strength > best.score:
            self.matches[signal] = Match(signal, surface, strength, typed, field)
        self.strength = max(self.strength, strength)


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
        self.templates: list[tuple[int, str, str]] = [tuple(t) for t in data["templates"]]
        self._compiled: list[Any] | None = None
        self.avg_len = (sum(self.doc_len) / len(self.doc_len)) if self.doc_len else 1.0
        #: Entries of the folders left out because they do not validate (search goes on
        #: with the rest; ``torchgloss validate`` names them all).
        self.skipped = [Problem(**problem) for problem in data.get("skipped", ())]
        #: The compiled tables as built or read (what :mod:`.storage` writes back).
        self.compiled = data

    def __len__(self) -> int:
        return len(self.entries)

    # --------------------------------------------------------------- building and storage

    @classmethod
    def build(
        cls, entries: Sequence[Entry], fingerprint: str, skipped: Sequence[Problem] = ()
    ) -> LexicalIndex:
        """Compile ``entries`` (slow: loads Sudachi and pykakasi); ``skipped`` are the
        problems of the entries left out, kept with the index so a search can name them."""
        from glossary.search.lexical.building import compile_entries

        return cls(with_skipped(compile_entries(entries, fingerprint), skipped))

    def save(
        self, path: Path, folders: Sequence[str] = (), stats: Sequence[FileStat] | None = None
    ) -> None:
        """Write the index atomically; see :func:`.storage.save`."""
        from glossary.search.lexical import storage

        storage.save(self, path, folders, stats)

    @classmethod
    def load(cls, path: Path, fingerprint: str) -> LexicalIndex | None:
        """The index at ``path`` if built from ``fingerprint`` and intact; see :mod:`.storage`."""
        from glossary.search.lexical import storage

        return storage.load(path, fingerprint)

    # ---------------------------------------------------------------------------- searching

    def search(self, query: LexicalQuery) -> list[LexicalCandidate]:
        """Every entry with any lexical evidence, strongest first (then by BM25)."""
        found: dict[int, LexicalCandidate] = {}

        def hit(
            postings: Iterable[Posting],
            factor: float,
            signal: Signal | None = None,
            typed: str = query.core_typed,
        ) -> None:
            for entry, code, surface, strength in postings:
                candidate = found.setdefault(entry, LexicalCandidate(entry))
                text = self.surfaces[surface]
                bonus = CASE_BONUS if text == query.core_raw else 0.0
                field = _FIELDS[code]
                candidate.add(
                    signal or SIGNALS[code], text, strength * factor + bonus, typed, field
                )

        lexical = len(query.text) <= MAX_LEXICAL_CHARS
        if lexical:
            self._exact_keys(query, hit)
            self._suffixes(query, hit)
            self._identifiers(query, hit)
            self._prefixes(query, found)
            self._typos(query, found)
        if query.error_message:
            self._templates(query, found)
        self._bm25(query, found)
        self._name_fields(found)
        return sorted(found.values(), key=lambda c: (-c.strength, -c.bm25, c.entry))

    def _name_fields(self, found: dict[int, LexicalCandidate]) -> None:
        """Say which name matched (headword, API name or id) where the postings say "name"."""
        for candidate in found.values():
            if not candidate.strength:
                continue  # words only
            info = self.entries[candidate.entry]
            for signal, match in candidate.matches.items():
                if match.field == "name":
                    candidate.matches[signal] = replace(
                        match, field=_name_field(info, match.surface)
                    )

    def _exact_keys(self, query: LexicalQuery, hit: Callable[..., None]) -> None:
        forms = [(query.folded, 1.0, query.text), (query.core, QUESTION, query.core_typed)]
        if query.normalized:
            forms.append((query.normalized, NORMALIZED, query.core_typed))
        # Loose postings carry their LOOSE discount from the build already.
        for form, factor, typed in forms:
            hit(_find(self.exact, form), factor, typed=typed)
            hit(_find(self.loose, loose(form)), factor, typed=typed)
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
                typed = query.core_typed.rsplit(".", 1)[-1]
                hit(_find(self.exact, last), LAST_PART / NAME, Signal.NAME, typed)
                hit(_find(self.suffix, last), LAST_PART / SUFFIX, Signal.NAME, typed)

    def _identifiers(self, query: LexicalQuery, hit: Callable[..., None]) -> None:
        """Names mentioned inside a longer query: ``DataLoader の num_workers``, ``Adam の学習率``,
        ``what does .contiguous() do``, ``what does the gather function do``.

        Code-like words (dotted, snake_case, CamelCase, or written ``.x`` / ``x()``) may name
        any entry. Other Latin words count only as API names: beside Japanese text when
        capitalized like a name (``Adam`` in ``Adam の学習率``, but neither ``GPU`` in ``GPU が
        使えるか確認``, not an API, nor ``tensor`` in ``tensor の形を変える``, a common noun);
        and, more weakly, as the last part of an API name in a sentence of three words or more
        (``permute``, ``einsum``, ``gather``), unless they are common words of questions.
        """
        text = query.core_raw
        found = list(_IDENTIFIER_RE.finditer(text))
        if len(found) == 1 and found[0].group().casefold() == query.core:
            return
        mixed = has_japanese(query.core)
        sentence = mixed or len(query.core.split()) >= 3
        for match in found:
            word = match.group()
            written_as_code = (match.start() > 0 and text[match.start() - 1] == ".") or text[
                match.end() : match.end() + 1
            ] == "("
            code_like = (
                "." in word or "_" in word or bool(_CAMEL_CASE_RE.search(word)) or written_as_code
            )
            key = fold(word)
            if code_like:
                postings = self._name_postings(key)
                if written_as_code:  # ".contiguous()" is a method, not the concept of the word
                    postings = [p for p in postings if self._is_api(p[0])]
                hit(postings, IDENTIFIER, Signal.NAME, word)
            elif mixed and len(word) > 1 and not word.islower():
                postings = [p for p in self._name_postings(key) if self._is_api(p[0])]
                hit(postings, IDENTIFIER, Signal.NAME, word)
            elif mixed and len(word) >= 3 and word.islower() and key not in _COMMON_WORDS:
                # A lowercase API name beside Japanese ("bmm と matmul の違い") is a mention.
                postings = [p for p in _find(self.suffix, key) if self._is_api(p[0])]
                hit(postings, IDENTIFIER, Signal.NAME, word)
            elif sentence and len(word) >= 4 and word.islower() and key not in _COMMON_WORDS:
                postings = [p for p in _find(self.suffix, key) if self._is_api(p[0])]
                hit(postings, PLAIN_MENTION, Signal.NAME, word)

    def _templates(self, query: LexicalQuery, found: dict[int, LexicalCandidate]) -> None:
        """A pasted error against every error entry's message templates (compiled once)."""
        if self._compiled is None:
            from glossary.text.error_templates import TemplateError, compile_template

            compiled = []
            for entry, exception, template in self.templates:
                try:
                    compiled.append((entry, exception, template, compile_template(template)))
                except TemplateError:
                    continue  # validated at load; an index from elsewhere is not trusted
            self._compiled = compiled
        message = query.error_message or ""
        pasted = query.error_type.rsplit(".", 1)[-1]
        for entry, exception, template, pattern in self._compiled:
            if pattern.search(message) is None:
                continue
            same = not pasted or pasted == exception.rsplit(".", 1)[-1]
            candidate = found.setdefault(entry, LexicalCandidate(entry))
            strength = TEMPLATE if same else TEMPLATE_OTHER_TYPE
            candidate.add(Signal.TEMPLATE, template, strength, field="error_message")

    def _is_api(self, entry: int) -> bool:
        return self.entries[entry].kind == "api"

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
                    text = self.surfaces[surface]
                    candidate.add(
                        SIGNALS[code], text, strength * own, query.core_typed, _FIELDS[code]
                    )

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
            for entry, code, surface, own in self._name_postings(key):
                candidate = found.setdefault(entry, LexicalCandidate(entry))
                text = self.surfaces[surface]
                candidate.add(Signal.FUZZY, text, strength * own, query.core_typed, _FIELDS[code])

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
        words = dict(query.term_words)
        for candidate in found.values():
            if candidate.terms:
                # The query's words, not the terms: "reshape", not the stem "reshap".
                typed = " ".join(dict.fromkeys(words.get(term, term) for term in candidate.terms))
                match = Match(Signal.TEXT, typed, candidate.bm25, typed, "text")
                candidate.matches[Signal.TEXT] = match


#: The entry field a posting's signal code stands for; "name" is refined by :func:`_name_field`.
_FIELDS = [signal.value for signal in SIGNALS]


def _name_field(info: EntryInfo, surface: str) -> str:
    """Which of the entry's names ``surface`` is: ``headword``, ``api``, ``id`` or ``name``
    (a piece of one, such as the part of a headword outside its parentheses)."""
    if surface in (info.term_en, info.term_ja):
        return "headword"
    if surface == info.api:
        return "api"
    return "id" if surface == info.id else "name"


def with_skipped(compiled: dict[str, Any], skipped: Sequence[Problem]) -> dict[str, Any]:
    """``compiled`` with the problems of the entries left out recorded in it."""
    if skipped:
        compiled["skipped"] = [dataclasses.asdict(problem) for problem in skipped]
    return compiled


def _edit_budget(key: str) -> int:
    """How many typos a key of this length may hold and still be recognised."""
    length = len(key)
    if length > 64 or has_kanji(key):
        return 0  # a different kanji is a different word (内積, 外積), not a slip of the key
    if has_japanese(key):
        return 0 if length < 3 else 1 if length < 6 else 2
    return 0 if length < 4 else 1 if length < 7 else 2 if length < 14 else 3
