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

MISSING = 0.5


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

    def search(
        self, terms: Sequence[str | Sequence[str]], limit: int
    ) -> dict[str, tuple[float, list[str]]]:
        """The best ``limit`` names for the query's BM25 ``terms``, each with its text score on
        the fusion's scale: its share of the best score, times the share of the query's terms
        (by IDF) it contains, as :func:`glossary.search.fusion.fuse` scores curated text, and
        the query's terms it contains.

        A term may be a group of alternatives (the English words one Japanese word stands for,
        :mod:`glossary.text.bridge`): the group counts once, by the best alternative a summary
        has, so a word with three translations weighs what a word with one does.
        """
        n = len(self.names)
        slots: list[tuple[str, ...]] = []
        for term in terms:
            group = (term,) if isinstance(term, str) else tuple(dict.fromkeys(term))
            if group and group not in slots:
                slots.append(group)
        idf: dict[str, float] = {}
        # A query term no summary has (a Japanese word against English docstrings) still
        # counts in the share of the query covered, at the rarest term's weight: ``2`` alone
        # must not cover ``画像の解像度を2倍に``.
        total = 0.0
        for group in slots:
            weights = {term: self._idf(term, n) for term in group}
            present = [weights[term] for term in group if term in self.postings]
            total += max(present) if present else MISSING * max(weights.values())
            idf.update((term, weights[term]) for term in group if term in self.postings)
        if not idf:
            return {}
        scores: dict[int, float] = {}
        coverage: dict[int, float] = {}
        matched: dict[int, list[str]] = {}
        for group in slots:
            best: dict[int, tuple[float, float, str]] = {}  # row → (score, weight, term)
            for term in group:
                weight = idf.get(term)
                if weight is None:
                    continue
                for row, tf in self.postings[term]:
                    norm = BM25_K1 * (1 - BM25_B + BM25_B * self.doc_len[row] / self.avg_len)
                    score = weight * tf * (BM25_K1 + 1) / (tf + norm)
                    if row not in best or score > best[row][0]:
                        best[row] = (score, weight, term)
            for row, (score, weight, term) in best.items():
                scores[row] = scores.get(row, 0.0) + score
                coverage[row] = coverage.get(row, 0.0) + weight / total
                matched.setdefault(row, []).append(term)
        top = max(scores.values())
        ranked = sorted(scores, key=lambda row: -coverage[row] * scores[row])[:limit]
        return {
            self.names[row]: (coverage[row] * scores[row] / top, matched[row]) for row in ranked
        }

    def _idf(self, term: str, n: int) -> float:
        df = len(self.postings.get(term, ()))
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def query_terms(
    text: str, term_words: Sequence[tuple[str, str]]
) -> tuple[list[str | tuple[str, ...]], dict[str, str]]:
    """What :meth:`ReferenceWords.search` looks for in ``text``: its BM25 terms, where each
    Japanese word the bridge knows (:mod:`glossary.text.bridge`) is replaced by the group of
    its English words' terms; and, for each term, the word to show as typed.

    ``term_words`` are the query's BM25 terms with the word each comes from
    (:attr:`glossary.search.lexical.query.LexicalQuery.term_words`).
    """
    from glossary.text.bridge import bridge, key
    from glossary.text.normalize import has_japanese
    from glossary.text.words import latin_terms

    found = bridge(text)
    terms: list[str | tuple[str, ...]] = []
    typed: dict[str, str] = {}
    for term, word in term_words:
        folded = key(word)
        if has_japanese(word) and any(folded in b.japanese or b.japanese in folded for b in found):
            continue  # stands in the query as its English words below
        terms.append(term)
        typed.setdefault(term, word)
    for item in found:
        group: list[str] = []
        for english in item.english:
            for term in latin_terms(english):
                group.append(term)
                typed.setdefault(term, english)
        if group:
            terms.append(tuple(group))
    return terms, typed


def english_gloss(text: str) -> str:
    """``text`` in English words as far as the bridge knows them: its Latin-letter words and
    the English of each Japanese word it has (``ベータ分布からサンプル`` → ``beta
    distribution sample``); ``""`` when it bridges no Japanese word."""
    import re

    from glossary.text.bridge import bridge

    found = bridge(text)
    if not found:
        return ""
    latin = re.findall(r"[A-Za-z][A-Za-z0-9_.]*", text)
    return " ".join(dict.fromkeys([*latin, *(e for item in found for e in item.english)]))
