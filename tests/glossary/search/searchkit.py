"""Helpers for the search tests: a tiny deterministic encoder and small real entries."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from glossary.schema import Entry


class HashEncoder:
    """Bag of character trigrams hashed into 64 dimensions: similar strings, similar vectors."""

    dimension = 64

    def __init__(self, model_id: str = "hash-test") -> None:
        self.model_id = model_id
        self.calls = 0  # texts encoded so far

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        self.calls += len(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            padded = f"  {prefix}{text.casefold()}  "
            for i in range(len(padded) - 2):
                digest = hashlib.blake2b(padded[i : i + 3].encode(), digest_size=2).digest()
                out[row, int.from_bytes(digest, "little") % self.dimension] += 1.0
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
        return out

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "")

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "")


def hash_signature(encoder: HashEncoder) -> dict[str, object]:
    """A model signature for :class:`HashEncoder` (what ``dense.model_signature`` returns)."""
    return {"model_id": encoder.model_id, "source": "test", "dimension": encoder.dimension}


def make_entry(entry_id: str, en: str, ja: str, definition: str, **extra: object) -> Entry:
    """A valid entry with little typing."""
    data: dict[str, object] = {
        "id": entry_id,
        "kind": extra.pop("kind", "concept"),
        "term": {
            "en": en,
            "ja": ja,
            **({"reading": extra.pop("reading")} if "reading" in extra else {}),
        },
        "definition": {"en": definition, "ja": extra.pop("definition_ja", definition)},
        **extra,
    }
    return Entry.model_validate(data)


def write_glossary(folder: Path, entries: Sequence[Entry]) -> Path:
    """Write ``entries`` as one YAML file in ``folder`` (created); returns the folder."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "entries": [
            e.model_dump(mode="json", exclude_none=True, exclude_defaults=True) for e in entries
        ]
    }
    (folder / "entries.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return folder


def ids(response: Any) -> list[str]:
    """The ids of a SearchResponse's results, in order."""
    return [hit.id for hit in response.results]
