"""Combine name evidence, BM25 and dense similarity into one ranking.

Each signal is brought to [0, 1] for the query at hand, then summed with weights, and a tier
bonus puts every entry with certain name evidence (an exact id, name, alias or reading, a
dotted suffix such as ``cat`` → ``torch.cat``) above every entry without it:

``score = w_name · strength + w_text · text + w_semantic · semantic`` outside the tier, and
``score = tier + w_name · strength + tier_mix · (w_text · text + w_semantic · semantic)``
inside it, so a headword ranks above an alias of another entry and text and meaning only
break ties between equally certain names;

* ``strength`` — the best name evidence (:mod:`.lexical`: 1.0 for an exact name, about 0.7
  for a typo, less for a short prefix);
* ``text`` — BM25, as a share of the best BM25 score of the query, times the share of the
  query's terms (by IDF) the entry contains: the best text match of a one-word query that
  only appears in passing does not count as much as one containing every word;
* ``semantic`` — cosine similarity rescaled between a background level (the similarity of the
  ``background_rank``-th entry) and the best similarity of the query.

Outside the tier, a typo or a prefix needs support from the text or the meaning to beat a
strong paraphrase match. The semantic weight is lowered for a query that is one identifier or
one kana word: its vector is a poor guide (``torch.cta`` is near nothing in particular).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from glossary.search.dense import DenseHit
from glossary.search.lexical import DECISIVE, LexicalCandidate
from glossary.search.types import Match, Mode, Signal


@dataclass(frozen=True, slots=True)
class FusionWeights:
    """The knobs of :func:`fuse` (defaults chosen on the shipped evaluation set)."""

    name: float = 1.0
    text: float = 0.75
    semantic: float = 0.8
    tier: float = 1.0
    #: Within the tier, text and meaning only break ties between equally certain names.
    tier_mix: float = 0.025
    #: Dense vectors of a lone identifier or kana word say little: scale semantic by this.
    name_shaped_semantic: float = 0.5
    #: Nor do the words of one: ``torch.optim.lr_sch`` is a name being typed, and the prose
    #: that happens to contain its fragment ``sch`` says less than the names it begins.
    name_shaped_text: float = 0.1
    background_rank: int = 20
    #: The least gap between the best similarity and the background that counts as the full
    #: semantic score: when every entry is about as close as the best, meaning decides little.
    min_semantic_span: float = 0.02


@dataclass(slots=True)
class Fused:
    """One ranked entry (by its id) with every signal's evidence."""

    entry_id: str
    score: float
    matches: list[Match] = field(default_factory=list)


def _semantic_scale(
    dense: Sequence[DenseHit], background_rank: int, min_span: float
) -> tuple[float, float]:
    if not dense:
        return 0.0, 1.0
    top = dense[0].score
    if len(dense) < 2:
        return 0.0, max(top, 1e-6)
    floor = dense[min(background_rank, len(dense) - 1)].score
    return floor, max(top - floor, min_span, 1e-6)


def fuse(
    lexical: Sequence[LexicalCandidate],
    entry_ids: Sequence[str],
    dense: Sequence[DenseHit],
    mode: Mode = Mode.HYBRID,
    weights: FusionWeights | None = None,
    *,
    name_shaped: bool = False,
) -> list[Fused]:
    """Rank the union of lexical candidates and dense hits (see the module docstring).

    Args:
        lexical: from :meth:`LexicalIndex.search`; ``candidate.entry`` indexes ``entry_ids``.
        entry_ids: the lexical index's ids, by entry number.
        dense: from :meth:`DenseIndex.search`, best first (empty when the model was skipped).
        mode: ``LEXICAL`` ignores ``dense``; ``SEMANTIC`` ranks by ``dense`` alone.
        weights: fusion weights; the defaults when ``None``.
        name_shaped: the query is one identifier or kana word (see :func:`is_name_shaped`),
            whose dense vector is less telling than a sentence's.
    """
    w = weights or FusionWeights()
    if mode is Mode.SEMANTIC:
        return [Fused(hit.entry_id, hit.score, [_semantic_match(hit)]) for hit in dense]
    use_dense = mode is Mode.HYBRID and bool(dense)
    best_bm25 = max((c.bm25 for c in lexical), default=0.0)
    floor, span = _semantic_scale(dense, w.background_rank, w.min_semantic_span)
    semantic_weight = w.semantic * (w.name_shaped_semantic if name_shaped else 1.0)
    text_weight = w.text * (w.name_shaped_text if name_shaped else 1.0)
    semantic_of: dict[str, tuple[float, DenseHit]] = {}
    if use_dense:
        for hit in dense:
            semantic_of[hit.entry_id] = (max(0.0, (hit.score - floor) / span), hit)
    fused: dict[str, Fused] = {}
    for candidate in lexical:
        entry_id = entry_ids[candidate.entry]
        text = candidate.coverage * candidate.bm25 / best_bm25 if best_bm25 > 0 else 0.0
        semantic = semantic_of.get(entry_id, (0.0, None))[0]
        support = text_weight * text + semantic_weight * semantic
        if candidate.strength >= DECISIVE:
            score = w.tier + w.name * candidate.strength + w.tier_mix * support
        else:
            score = w.name * candidate.strength + support
        fused[entry_id] = Fused(entry_id, score, list(candidate.matches.values()))
    for entry_id, (semantic, hit) in semantic_of.items():
        item = fused.get(entry_id)
        if item is None:
            item = fused[entry_id] = Fused(entry_id, semantic_weight * semantic)
        if semantic > 0:
            item.matches.append(_semantic_match(hit))
    ranked = sorted(
        (item for item in fused.values() if item.matches), key=lambda f: (-f.score, f.entry_id)
    )
    for item in ranked:
        item.matches.sort(key=lambda m: _SIGNAL_ORDER[m.signal])
    return ranked


def _semantic_match(hit: DenseHit) -> Match:
    """The evidence of the entry's closest row: its text or label, and which field it is."""
    return Match(Signal.SEMANTIC, hit.label, hit.score, field=hit.field)


_SIGNAL_ORDER = {signal: i for i, signal in enumerate(Signal)}
_NAME_SHAPED_RE = re.compile(r"^(?:[A-Za-z0-9_.]+|[\u3041-\u309f\u30a0-\u30ffー]+)$")


def is_name_shaped(query: str) -> bool:
    """One identifier (``torch.cta``, ``unsqeeze``) or one kana word, not a phrase."""
    import unicodedata

    return bool(_NAME_SHAPED_RE.match(unicodedata.normalize("NFKC", query).strip()))


def meaning_only(
    dense: Sequence[DenseHit],
    others: Sequence[tuple[str, float]],
    weights: FusionWeights | None = None,
    *,
    words: Mapping[str, tuple[float, list[str]]] | None = None,
    name_shaped: bool = False,
    handicap: float = 0.0,
    ceiling: float = 1.0,
    share: float = 1.0,
) -> list[Fused]:
    """Scores, on :func:`fuse`'s scale, for entries outside the curated indexes (reference
    names): ``others`` holds their cosines with the same query vector, ``words`` their text
    score (already on the fusion's 0–1 scale) and the query terms they contain.

    Cosines are rescaled with the background and best similarity of ``dense`` (the curated
    hits), so adding these entries changes no curated score. ``handicap`` is taken off each
    cosine and the sum is scaled by ``share``: at similar strength the curated entry ranks
    first. The rescaled similarity stops at ``ceiling`` (1 is the best curated hit's).
    """
    w = weights or FusionWeights()
    floor, span = _semantic_scale(dense, w.background_rank, w.min_semantic_span)
    semantic_weight = w.semantic * (w.name_shaped_semantic if name_shaped else 1.0)
    text_weight = w.text * (w.name_shaped_text if name_shaped else 1.0)
    cosines = dict(others)
    words = words or {}
    found = []
    for entry_id in dict.fromkeys([*cosines, *words]):
        cosine = cosines.get(entry_id)
        semantic = 0.0
        if cosine is not None:
            semantic = min(ceiling, max(0.0, (cosine - handicap - floor) / span))
        text, terms = words.get(entry_id, (0.0, []))
        score = share * (text_weight * text + semantic_weight * semantic)
        if score > 0:
            matches = (
                [Match(Signal.SEMANTIC, "", cosine, field="summary")]
                if semantic > 0 and cosine
                else []
            )
            if text > 0:
                matches.insert(0, Match(Signal.TEXT, " ".join(terms), text, field="text"))
            found.append(Fused(entry_id, score, matches))
    return found
