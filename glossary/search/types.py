"""What a search returns: typed results that say why each entry was found.

These are plain dataclasses (no pydantic) so that the cold lexical path stays cheap, and they
turn into the JSON of ``torchgloss search --json`` with :meth:`SearchHit.to_json`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Signal(StrEnum):
    """Which part of the engine found an entry."""

    NAME = "name"  # the query is (or starts) an id, API name or headword
    ALIAS = "alias"  # … an alias
    READING = "reading"  # … the kana/romaji reading of a Japanese headword or alias
    FUZZY = "fuzzy"  # … close to one of those, with typos
    TEMPLATE = "template"  # a pasted error matches an error entry's message template
    TEXT = "text"  # BM25 over the words of all the entry's text
    SEMANTIC = "semantic"  # dense-vector similarity


class Mode(StrEnum):
    """Which signals a search may use."""

    HYBRID = "hybrid"
    LEXICAL = "lexical"
    SEMANTIC = "semantic"


@dataclass(frozen=True, slots=True)
class Match:
    """One signal's evidence for a hit: what matched on each side, and the signal's own score.

    ``surface`` is the entry's side: the name, alias or word whose reading matched, the error
    template, the passage's text (a name or an ``asked_as`` request) or, for a definition or
    names row, that row's label; for ``text`` (BM25) it is the query's words that the entry
    contains, space-separated, as the user spelled them. ``query_surface`` is the part of the
    query, as typed, that matched (empty where the whole query was compared: meaning, error
    templates). ``field`` says which part of the entry ``surface`` is: ``headword``, ``api``,
    ``id``, ``name`` (a piece of a headword), ``alias``, ``reading``, ``error_message``,
    ``text``, or the dense row's field (``definition_en``, ``definition_ja``, ``names``,
    ``surface`` for a name embedded alone, ``asked_as``); empty when unknown.
    """

    signal: Signal
    surface: str
    score: float
    query_surface: str = ""
    field: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "signal": self.signal.value,
            "surface": self.surface,
            "score": round(self.score, 4),
            "query_surface": self.query_surface,
            "field": self.field,
        }


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One ranked result."""

    id: str
    term_en: str
    term_ja: str
    kind: str
    api: str | None
    score: float
    matched_by: tuple[Match, ...]
    summary_en: str = ""
    summary_ja: str = ""
    #: ``curated`` (an entry of a glossary folder) or ``reference`` (the installed torch's docs).
    layer: str = "curated"

    def to_json(self) -> dict[str, Any]:
        """The object shape of ``--json`` results.

        ``summary`` is the opening sentence of the definition in each language (what a
        result line shows), so a script needs no ``show`` call per hit.
        """
        return {
            "id": self.id,
            "term": {"en": self.term_en, "ja": self.term_ja},
            "api": self.api,
            "kind": self.kind,
            "layer": self.layer,
            "summary": {"en": self.summary_en, "ja": self.summary_ja},
            "score": round(self.score, 6),
            "matched_by": [m.to_json() for m in self.matched_by],
        }


@dataclass(slots=True)
class SearchResponse:
    """The ranked hits for one query, with how they were obtained."""

    query: str
    results: list[SearchHit] = field(default_factory=list)
    mode: Mode = Mode.HYBRID
    semantic_used: bool = False
    elapsed_ms: float = 0.0
    notices: list[str] = field(default_factory=list)  # e.g. why semantic search was skipped
    #: Texts the dense index still needs embedded, when the search was told not to wait for
    #: them (``embed_now=False``) and answered from words alone; 0 otherwise.
    semantic_backlog: int = 0
    #: Whether the first result is a close match (a name, a strong text match or a close
    #: meaning); ``False`` means the results are only the nearest entries there are.
    confident: bool = True

    def to_json(self) -> dict[str, Any]:
        """``{"query": …, "confident": …, "notices": […], "results": […]}`` as documented
        for ``--json`` (``glossary/search-output.schema.json``)."""
        return {
            "query": self.query,
            "confident": self.confident,
            "notices": list(self.notices),
            "results": [hit.to_json() for hit in self.results],
        }


@dataclass(frozen=True, slots=True)
class LoadedParts:
    """Which of an engine's costly parts are loaded so far: what a query has had to wait
    for (a certain name needs none of them; a precomputed query vector no encoder)."""

    dense_index: bool
    passage_encoder: bool  # the full model, for building an index
    query_encoder: bool  # the query-side model


@dataclass(frozen=True, slots=True)
class RebuildReport:
    """What :meth:`~glossary.search.engine.SearchEngine.rebuild_indexes` rebuilt, for a front
    end to report: ``torchgloss index rebuild`` prints it, its JSON progress ends with it."""

    #: Entries in the new lexical index (bundled and user entries that validate).
    entries: int
    #: How many entries or files were left out because they do not validate.
    skipped: int
    #: Rows (passages and names) of the new dense index; ``None`` when it was not rebuilt.
    vectors: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"entries": self.entries, "skipped": self.skipped, "vectors": self.vectors}
