"""Embedding models: the bundled multilingual E5, any sentence-transformers model, encoders.

Importing this package is cheap: the names below load their modules on first use, and torch,
transformers and sentence-transformers are imported only inside the code that runs a model.

Example::

    from glossary.embedding import load_encoder

    encoder = load_encoder()  # builds the default model on first use
    vectors = encoder.encode_queries(["テンソルをつなげる"])  # float32, L2-normalized rows
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Encoder": "glossary.embedding.encoder",
    "LeanEncoder": "glossary.embedding.encoder",
    "SentenceTransformerEncoder": "glossary.embedding.encoder",
    "load_encoder": "glossary.embedding.encoder",
    "load_query_encoder": "glossary.embedding.encoder",
    "ModelSpec": "glossary.embedding.spec",
    "resolve_model": "glossary.embedding.models",
    "ensure_default_model": "glossary.embedding.convert",
    "pick_device": "glossary.embedding.device",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
