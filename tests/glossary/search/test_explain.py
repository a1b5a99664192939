"""The "matched" explanation: what the user typed, what it matched in the entry, in words.

Lexical evidence comes from the real index over the bundled glossary; meaning evidence from
the real fusion of dense hits (the rows a dense index returns), so the labels of its rows are
checked as they reach a reader.
"""

from __future__ import annotations

import pytest

from glossary import i18n
from glossary.search.dense import DenseHit
from glossary.search.engine import SearchEngine
from glossary.search.explain import explain
from glossary.search.fusion import fuse
from glossary.search.types import Match, Mode, SearchHit, Signal


def first(engine: SearchEngine, query: str) -> SearchHit:
    return engine.search(query, mode=Mode.LEXICAL, limit=1).results[0]


def match(hit: SearchHit, signal: Signal) -> Match:
    return next(m for m in hit.matched_by if m.signal is signal)


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TORCHGLOSS_LANG", "en")
    i18n.reset()


def test_text_matches_carry_the_query_words_not_their_stems(lexical_engine: SearchEngine) -> None:
    hit = first(lexical_engine, "reshaping views")
    text = match(hit, Signal.TEXT)
    assert text.surface == text.query_surface
    assert set(text.surface.split()) <= {"reshaping", "views"}
    assert "reshap" not in text.surface.split() and "view" not in text.surface.split()


def test_name_matches_record_what_was_typed_and_which_name(lexical_engine: SearchEngine) -> None:
    alias = match(first(lexical_engine, "テンソルをつなげる"), Signal.ALIAS)
    assert (alias.query_surface, alias.surface, alias.field) == (
        "テンソルをつなげる",
        "テンソルを繋げる",
        "alias",
    )
    name = match(first(lexical_engine, "what is autograd"), Signal.NAME)
    assert (name.query_surface, name.field) == ("autograd", "headword")
    api = match(first(lexical_engine, "DataLoader の num_workers"), Signal.NAME)
    assert api.query_surface in ("DataLoader", "num_workers")


def test_explanations_quote_both_sides(lexical_engine: SearchEngine) -> None:
    assert explain(first(lexical_engine, "ばっちさいず").matched_by) == [
        "“ばっちさいず” = headword “バッチサイズ”"
    ]
    assert explain(first(lexical_engine, "nn.Linear").matched_by) == ["alias “nn.Linear”"]
    assert explain(first(lexical_engine, "cat").matched_by)[0] == "alias “cat”"
    prefix = explain(first(lexical_engine, "torch.nn.Lin").matched_by)
    assert prefix[0] == "“torch.nn.Lin” begins headword “torch.nn.Linear”"


def test_words_show_beside_a_name_that_matched_one_part(lexical_engine: SearchEngine) -> None:
    phrases = explain(first(lexical_engine, "bmm と matmul の違い").matched_by)
    assert phrases[0].startswith("“bmm” = headword") or phrases[0].startswith("“matmul”")
    assert any(p.startswith("words “bmm”, “matmul”") for p in phrases)


def test_meaning_rows_read_as_their_text_or_a_human_label() -> None:
    for field, label, phrase in [
        ("definition_en", "definition (en)", "meaning close to its English definition"),
        ("definition_ja", "definition (ja)", "meaning close to its Japanese definition"),
        ("names", "names", "meaning close to its names"),
        ("asked_as", "how do I save a model", "meaning close to “how do I save a model”"),
        ("surface", "テンソルを繋げる", "meaning close to “テンソルを繋げる”"),
    ]:
        for hit in (DenseHit("a", 0.9, label, field), DenseHit("a", 0.9, label)):
            ranked = fuse([], ["a"], [hit, DenseHit("b", 0.1, "x", "asked_as")], Mode.HYBRID)
            assert explain(ranked[0].matches) == [phrase], (field, hit)


def test_long_texts_are_cut_when_quoted() -> None:
    text = "why does my tensor " * 10
    (phrase,) = explain([Match(Signal.SEMANTIC, text, 0.8, field="asked_as")])
    assert phrase.endswith("…”") and len(phrase) < 90


def test_japanese_interface(lexical_engine: SearchEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TORCHGLOSS_LANG", "ja")
    i18n.reset()
    try:
        assert explain(first(lexical_engine, "gakushuuritsu").matched_by) == [
            "「gakushuuritsu」＝「学習率」の読み"
        ]
        assert explain(first(lexical_engine, "torch.cta").matched_by) == [
            "「torch.cta」は見出し語「torch.cat」に綴りが近い"
        ]
        meaning = explain([Match(Signal.SEMANTIC, "definition (ja)", 0.8, field="definition_ja")])
        assert meaning == ["意味が日本語の定義に近い"]
    finally:
        i18n.reset()
