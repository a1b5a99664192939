"""Search over the glossary: lexical (names, readings, BM25), dense (FAISS) and their fusion.

Importing this package is cheap: it re-exports the result types only. The engine lives in
:mod:`glossary.search.engine` (``SearchEngine.open()``), which loads heavier parts on demand.
"""

from glossary.search.types import Match, Mode, SearchHit, SearchResponse, Signal

__all__ = ["Match", "Mode", "SearchHit", "SearchResponse", "Signal"]
