"""Kana readings of kanji words, computed with pykakasi when an index is built.

pykakasi is slow to import (figures: README, "How it works"), so only index building calls this
module; a query in kana or romaji is compared with the readings stored in the index.
"""

from __future__ import annotations

import threading
from typing import Any

from glossary.text.normalize import has_japanese, kata_to_hira

_lock = threading.Lock()
_converter: Any = None


def _kakasi() -> Any:
    global _converter
    with _lock:
        if _converter is None:
            import pykakasi

            _converter = pykakasi.kakasi()
        return _converter


def kana_reading(text: str) -> str | None:
    """The hiragana reading of a Japanese word or phrase (``自動微分`` → ``じどうびぶん``).

    Returns ``None`` for text with no Japanese, or with Latin letters or digits mixed in
    (a reading of ``torch.nn モジュール`` would not be something anyone types).
    """
    if not has_japanese(text) or any(ch.isascii() and ch.isalnum() for ch in text):
        return None
    converter = _kakasi()
    with _lock:  # pykakasi keeps state while converting
        parts = converter.convert(text)
    reading = "".join(kata_to_hira(part["hira"]) for part in parts)
    reading = "".join(reading.split())
    return reading or None
