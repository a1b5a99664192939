"""How strong each kind of lexical evidence is: the numbers building and matching share.

A surface's strength is set when the index is built (a name counts more than an alias); a
key kind keeps a share of it (a loose key less than an exact one); weaker kinds of evidence
(suffixes, identifiers inside a sentence, prefixes, typos) stay below every exact key.
"""

from __future__ import annotations

from glossary.search.types import Signal

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
IDENTIFIER = 0.8  # a code-like word inside a longer query (a mention: "nn.LSTM の入力")
PLAIN_MENTION = 0.5  # a plain word of a sentence that is the last part of an API name
PREFIX_BASE, PREFIX_SPAN = 0.5, 0.3  # 0.5 + 0.3 * (query length / name length)
FUZZY_BASE, FUZZY_SPAN = 0.45, 0.3  # 0.45 + 0.3 * similarity
TEMPLATE = 0.97  # a pasted error matches an error entry's message template
TEMPLATE_OTHER_TYPE = 0.8  # … but the pasted exception type is another one
#: Evidence at least this strong makes an entry a certain answer (no need for the model).
DECISIVE = 0.85

MAX_PREFIX_HITS = 60
MAX_FUZZY_HITS = 30

BM25_K1, BM25_B = 1.2, 0.75

#: The name signals a posting can carry, by their code in the compiled index.
SIGNALS = [Signal.NAME, Signal.ALIAS, Signal.READING]
SIGNAL_CODE = {signal: code for code, signal in enumerate(SIGNALS)}
