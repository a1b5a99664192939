"""Search answers names the curated glossary lacks from the installed torch's reference layer."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.search.engine import SearchEngine
from glossary.search.types import Mode


def _reference_only(engine: SearchEngine) -> str:
    """A public torch function no curated entry documents (the glossary grows: not fixed)."""
    layer = engine._reference_layer(build=True)
    assert layer is not None
    curated = {info.api for info in engine.lexical.entries if info.api}
    shorts = {name.rsplit(".", 1)[-1].rstrip("_") for name in curated}
    for entry in layer.entries:
        short = entry.name.rsplit(".", 1)[-1]
        top_level = entry.name.startswith("torch.") and entry.name.count(".") == 1
        snake = "_" in short.strip("_") and not short.endswith("_")
        new = entry.name not in curated and short not in shorts
        if top_level and snake and new and entry.kind == "function" and entry.summary:
            return entry.name
    raise AssertionError("every torch function is curated")


def test_whole_query_reference_name_comes_first(
    lexical_engine: SearchEngine, search_home: Path
) -> None:
    name = _reference_only(lexical_engine)
    for query in (name, name.rsplit(".", 1)[-1]):
        first = lexical_engine.search(query, mode=Mode.LEXICAL).results[0]
        assert (first.id, first.layer) == (name, "reference")
        assert first.to_json()["layer"] == "reference" and first.summary_en


def test_code_mention_inside_a_sentence_finds_the_reference_entry(
    lexical_engine: SearchEngine, search_home: Path
) -> None:
    name = _reference_only(lexical_engine)
    results = lexical_engine.search(f"{name} の使い方がわからない", mode=Mode.LEXICAL).results
    assert name in [hit.id for hit in results[:2]]


def test_curated_exact_name_is_not_shadowed(
    lexical_engine: SearchEngine, search_home: Path
) -> None:
    results = lexical_engine.search("torch.cat", mode=Mode.LEXICAL).results
    assert results[0].id == "torch.cat" and results[0].layer == "curated"
    assert [hit.id for hit in results].count("torch.cat") == 1


@pytest.mark.parametrize("layer", ["curated", "reference"])
def test_layer_filter(lexical_engine: SearchEngine, search_home: Path, layer: str) -> None:
    name = _reference_only(lexical_engine)
    results = lexical_engine.search(name, mode=Mode.LEXICAL, layer=layer).results
    assert {hit.layer for hit in results} <= {layer}
    assert (name in [hit.id for hit in results]) is (layer == "reference")
