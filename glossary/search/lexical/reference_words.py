"""The words of the reference layer's summaries, searched with BM25.

A reference entry has no curated text, only its dotted name and its docstring's summary, and
those are English; this small index lets the summary's words count for it the way an entry's
words count for a curated one. It is built in memory from the installed torch's layer when
first needed (the layer's text is never shipped), with the same terms as the lexical index
(:func:`glossary.text.words.latin_terms`: identifiers split, stemmed, no stop words).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from glossary.search.lexical.strengths import BM25_B, BM25_K1


class ReferenceWords:
    """BM25 over ``name → text`` (each reference entry's embedded text)."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        from glossary.text.words import latin_terms

        self.names = list(texts)
        self.postings: dict[str, list[tuple[int, int]]] = {}
        self.doc_len: list[int] = []
        for row, text in enumerate(texts.values()):
            counts: dict[str, int] = {}
            for term in latin_terms(text):
                counts[term] = counts.get(term, 0) + 1
            for term, tf in counts.items():
                self.postings.setdefault(term, []).append((row, tf))
            self.doc_len.append(sum(counts.values()))
        self.avg_len = sum(self.doc_len) / len(self.doc_len) if self.doc_len else 1.0

    def search(self, terms: Sequence[str], limit: int) -> dict[str, tuple[float, list[str]]]:
        """The best ``limit`` names for the query's BM25 ``terms``, each with its text score on
        the fusion's scale: its share of the best score, times the share of the query's terms
        (by IDF) it contains, as :func:`glossary.search.fusion.fuse` scores curated text, and
        the query's terms it contains."""
        n = len(self.names)
        idf = {}
        # A query term no summary has (a Japanese word against English docstrings) still
        # counts in the share of the query covered, at the rarest term's weight: ``2`` alone
        # must not cover ``画像の解像度を2倍に``.
        total = 0.0
        for term in dict.fromkeys(terms):
            df = len(self.postings.get(term, ()))
            weight = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
            total += weight
            if df:
                idf[term] = weight
        if not idf:
            return {}
        scores: dict[int, float] = {}
        coverage: dict[int, float] = {}
        matched: dict[int, list[str]] = {}
        for term, weight in idf.items():
            for row, tf in self.postings[term]:
                norm = BM25_K1 * (1 - BM25_B + BM25_B * self.doc_len[row] / self.avg_len)
                scores[row] = scores.get(row, 0.0) + weight * tf * (BM25_K1 + 1) / (tf + norm)
                coverage[row] = coverage.get(row, 0.0) + weight / total
                matched.setdefault(row, []).append(term)
        best = max(scores.values())
        ranked = sorted(scores, key=lambda row: -coverage[row] * scores[row])[:limit]
        return {
            self.names[row]: (coverage[row] * scores[row] / best, matched[row]) for row in ranked
        }
