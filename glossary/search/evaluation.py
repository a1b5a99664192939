"""Measure search quality on a file of queries with known answers.

A query file is YAML::

    queries:
      - {query: テンソルをつなげる, expected: [torch.cat], kind: paraphrase, lang: ja}
      - {query: "torch.cta", expected: torch.cat, kind: typo, lang: en}

``expected`` holds one or more acceptable entry ids (a query is answered when any of them is
ranked); ``kind`` is one of :data:`QUERY_KINDS` and ``lang`` one of :data:`QUERY_LANGS`.
:func:`evaluate` runs every query in each mode and reports recall@1, recall@5 and MRR@10,
overall, by query kind and by language, as typed objects (:class:`EvalReport`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glossary.errors import GlossaryError, UsageError
from glossary.search.types import Mode

if TYPE_CHECKING:
    from glossary.search.engine import SearchEngine

#: How people type glossary vocabulary (``queries.yaml``, ``holdout.yaml``).
VOCABULARY_KINDS = ("exact", "paraphrase", "kana", "romaji", "typo", "width", "mixed")
#: How people really ask (``real.yaml``, ``real_holdout.yaml``, ``errors.yaml``): question
#: titles, how-to titles, blog-style titles and pasted errors or tracebacks.
REAL_KINDS = ("question", "howto", "title", "error")
QUERY_KINDS = VOCABULARY_KINDS + REAL_KINDS
QUERY_LANGS = ("ja", "en", "mixed")
MODES = (Mode.LEXICAL, Mode.SEMANTIC, Mode.HYBRID)
DEPTH = 10  # results fetched per query: MRR@10
#: What "done" means for the shipped set (issue 4): hybrid recall@1 and recall@5 overall.
TARGET_RECALL_1 = 0.85
TARGET_RECALL_5 = 0.95


@dataclass(frozen=True, slots=True)
class EvalQuery:
    """One query and the entry ids that answer it."""

    query: str
    expected: tuple[str, ...]
    kind: str
    lang: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Metrics:
    """Recall@1, recall@5 and MRR@10 over ``count`` queries."""

    count: int
    recall_at_1: float
    recall_at_5: float
    mrr_at_10: float

    @classmethod
    def of(cls, ranks: Sequence[int | None]) -> Metrics:
        """From the 1-based rank of each query's first right answer (``None``: not in top 10)."""
        n = len(ranks)
        if n == 0:
            return cls(0, 0.0, 0.0, 0.0)
        return cls(
            n,
            sum(1 for r in ranks if r is not None and r <= 1) / n,
            sum(1 for r in ranks if r is not None and r <= 5) / n,
            sum(1.0 / r for r in ranks if r is not None and r <= DEPTH) / n,
        )

    def ranked(self) -> dict[str, float]:
        """The three ranking metrics by field name (what :meth:`EvalReport.hybrid_not_best`
        compares mode against mode)."""
        return {
            "recall_at_1": self.recall_at_1,
            "recall_at_5": self.recall_at_5,
            "mrr_at_10": self.mrr_at_10,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "recall@1": round(self.recall_at_1, 4),
            "recall@5": round(self.recall_at_5, 4),
            "mrr@10": round(self.mrr_at_10, 4),
        }


@dataclass(frozen=True, slots=True)
class QueryOutcome:
    """How one mode did on one query."""

    query: EvalQuery
    ranked: tuple[str, ...]  # the top ids, best first
    rank: int | None  # 1-based rank of the first expected id, None if not in the top 10

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query.query,
            "expected": list(self.query.expected),
            "kind": self.query.kind,
            "lang": self.query.lang,
            "rank": self.rank,
            "top": list(self.ranked[:5]),
        }


@dataclass(slots=True)
class ModeReport:
    """Metrics of one mode: overall, by query kind and by language, plus every outcome."""

    mode: Mode
    overall: Metrics
    by_kind: dict[str, Metrics]
    by_lang: dict[str, Metrics]
    outcomes: list[QueryOutcome]

    def misses(self, at: int = 1) -> list[QueryOutcome]:
        """Queries whose answer is not within the top ``at``."""
        return [o for o in self.outcomes if o.rank is None or o.rank > at]

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_json(),
            "by_kind": {k: m.to_json() for k, m in self.by_kind.items()},
            "by_lang": {k: m.to_json() for k, m in self.by_lang.items()},
            "misses": [o.to_json() for o in self.misses()],
        }


@dataclass(slots=True)
class EvalReport:
    """The result of :func:`evaluate`."""

    source: str
    query_count: int
    modes: dict[Mode, ModeReport]
    unknown_ids: list[str] = field(default_factory=list)

    def hybrid_not_best(self) -> list[tuple[str, str]]:
        """``(kind, metric)`` pairs where hybrid trails the best single mode."""
        hybrid = self.modes.get(Mode.HYBRID)
        singles = [self.modes[m] for m in (Mode.LEXICAL, Mode.SEMANTIC) if m in self.modes]
        if hybrid is None or not singles:
            return []
        worse = []
        for kind, metrics in hybrid.by_kind.items():
            others = [r.by_kind[kind].ranked() for r in singles if kind in r.by_kind]
            for name, value in metrics.ranked().items():
                if others and value < max(o[name] for o in others) - 1e-9:
                    worse.append((kind, name))
        return worse

    def meets_targets(self) -> bool:
        """Hybrid reaches the recall targets and is never worse than a single mode by kind."""
        hybrid = self.modes.get(Mode.HYBRID)
        return (
            hybrid is not None
            and hybrid.overall.recall_at_1 >= TARGET_RECALL_1
            and hybrid.overall.recall_at_5 >= TARGET_RECALL_5
            and not self.hybrid_not_best()
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "queries": self.query_count,
            "modes": {mode.value: report.to_json() for mode, report in self.modes.items()},
            "hybrid_not_best": [list(pair) for pair in self.hybrid_not_best()],
            "meets_targets": self.meets_targets(),
            "unknown_ids": self.unknown_ids,
        }


def load_queries(path: Path) -> list[EvalQuery]:
    """Read and check a query file.

    Raises:
        GlossaryError: the file is missing, not YAML, or a query is malformed (with its line).
    """
    from glossary.yamlsafe import YamlReadError, read_yaml

    try:
        data, lines = read_yaml(path)
    except YamlReadError as exc:
        where = f"{path}:{exc.line}" if exc.line else str(path)
        raise GlossaryError(f"{where}: {exc.message}") from None
    items = data.get("queries") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise GlossaryError(f"{path}: expected a mapping with a list under 'queries'.")
    queries = []
    for i, item in enumerate(items):
        line = lines.line_of(("queries", i))
        where = f"{path}:{line}" if line else str(path)
        if not isinstance(item, dict):
            raise GlossaryError(f"{where}: each query must be a mapping.")
        text, expected = item.get("query"), item.get("expected")
        kind, lang = item.get("kind"), item.get("lang")
        if isinstance(expected, str):
            expected = [expected]
        if not isinstance(text, str) or not text.strip():
            raise GlossaryError(f"{where}: 'query' must be non-empty text.")
        if (
            not isinstance(expected, list)
            or not expected
            or not all(isinstance(e, str) for e in expected)
        ):
            raise GlossaryError(f"{where}: 'expected' must be an id or a list of ids.")
        if kind not in QUERY_KINDS:
            raise GlossaryError(f"{where}: 'kind' must be one of {', '.join(QUERY_KINDS)}.")
        if lang not in QUERY_LANGS:
            raise GlossaryError(f"{where}: 'lang' must be one of {', '.join(QUERY_LANGS)}.")
        queries.append(EvalQuery(text, tuple(expected), kind, lang, line))
    if not queries:
        raise GlossaryError(f"{path}: no queries.")
    return queries


def evaluate(
    engine: SearchEngine,
    queries: Sequence[EvalQuery],
    modes: Iterable[Mode] = MODES,
    *,
    source: str = "",
    progress: Callable[[str, int, int], None] | None = None,
) -> EvalReport:
    """Run every query in every mode and collect the metrics.

    Args:
        engine: an open engine (semantic modes load its model on first use).
        queries: from :func:`load_queries`.
        modes: which modes to measure.
        source: where the queries came from, for the report.
        progress: ``progress(mode, done, total)`` after each query.
    """
    known = set(engine.lexical.ids)
    unknown = sorted({i for q in queries for i in q.expected if i not in known})
    reports: dict[Mode, ModeReport] = {}
    for mode in modes:
        mode = Mode(mode)
        outcomes = []
        for done, query in enumerate(queries, 1):
            try:
                response = engine.search(query.query, limit=DEPTH, mode=mode)
                ranked = tuple(hit.id for hit in response.results)
            except UsageError:
                ranked = ()
            rank = next((i for i, rid in enumerate(ranked, 1) if rid in query.expected), None)
            outcomes.append(QueryOutcome(query, ranked, rank))
            if progress is not None:
                progress(mode.value, done, len(queries))
        reports[mode] = _mode_report(mode, outcomes)
    return EvalReport(source, len(queries), reports, unknown)


def _mode_report(mode: Mode, outcomes: list[QueryOutcome]) -> ModeReport:
    def grouped(key: Callable[[QueryOutcome], str], order: Sequence[str]) -> dict[str, Metrics]:
        groups: dict[str, list[int | None]] = {}
        for outcome in outcomes:
            groups.setdefault(key(outcome), []).append(outcome.rank)
        return {name: Metrics.of(groups[name]) for name in order if name in groups}

    return ModeReport(
        mode,
        Metrics.of([o.rank for o in outcomes]),
        grouped(lambda o: o.query.kind, QUERY_KINDS),
        grouped(lambda o: o.query.lang, QUERY_LANGS),
        outcomes,
    )
