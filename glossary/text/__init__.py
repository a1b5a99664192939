"""Japanese and English text handling for search: normalization, tokenization and readings.

:mod:`~glossary.text.normalize` folds width, case, kana and romaji into comparable keys (cheap:
only ``unicodedata`` and ``jaconv``); :mod:`~glossary.text.sudachi` wraps the SudachiPy
tokenizer; :mod:`~glossary.text.words` turns text into index terms for BM25;
:mod:`~glossary.text.readings` computes kana readings of kanji with pykakasi, at index-build
time only.
"""
