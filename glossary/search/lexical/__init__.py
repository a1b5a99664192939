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

The package, one module a job: :mod:`.query` (query analysis), :mod:`.strengths` (how strong
each kind of evidence is), :mod:`.building` (compiling entries), :mod:`.index` (the index in
memory and matching), :mod:`.storage` (the file format) and :mod:`.store` (where it lives,
and building it once under a lock).
"""

from glossary.search.lexical.building import summary, surface_parts
from glossary.search.lexical.index import EntryInfo, LexicalCandidate, LexicalIndex
from glossary.search.lexical.query import LexicalQuery, analyze
from glossary.search.lexical.storage import FORMAT_VERSION
from glossary.search.lexical.store import index_path, load_or_build, load_unchanged
from glossary.search.lexical.strengths import DECISIVE

__all__ = [
    "DECISIVE",
    "FORMAT_VERSION",
    "EntryInfo",
    "LexicalCandidate",
    "LexicalIndex",
    "LexicalQuery",
    "analyze",
    "index_path",
    "load_or_build",
    "load_unchanged",
    "summary",
    "surface_parts",
]
