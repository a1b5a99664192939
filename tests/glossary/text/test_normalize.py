"""Normalization: examples from the issue, and properties over random Unicode (hypothesis)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.text.normalize import (
    clean,
    collapse_kana,
    fold,
    has_japanese,
    has_kanji,
    is_hiragana,
    kata_to_hira,
    loose,
    romaji_to_kana,
    strip_question,
)

ANY_TEXT = st.text(alphabet=st.characters(codec=None), max_size=60)
KANA = st.text(alphabet=st.characters(min_codepoint=0x3041, max_codepoint=0x30FA), max_size=30)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("ｔｏｒｃｈ．ｃａｔ", "torch.cat"),
        ("ＰｙＴｏｒｃｈ", "pytorch"),
        ("ﾃﾝｿﾙ", "てんそる"),
        ("テンソル", "てんそる"),
        ("  Data   Loader ", "data loader"),
    ],
)
def test_fold_examples(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("オプティマイザ", "オプティマイザー"),
        ("DataLoader", "data_loader"),
        ("zero grad", "zero_grad"),
        ("がくしゅうりつ", "ガクシューリツ"),
        ("じどびぶん", "じどうびぶん"),
    ],
)
def test_loose_keys_meet(a: str, b: str) -> None:
    assert loose(fold(a)) == loose(fold(b))


def test_loose_keeps_keys_that_would_vanish() -> None:
    assert loose("@") == "@"
    assert loose("...") == "..."


def test_collapse_kana_long_vowels_and_small_kana() -> None:
    assert collapse_kana("がくしゅうりつ") == collapse_kana("がくしゅりつ")
    assert collapse_kana("きって") == collapse_kana("きて")
    assert collapse_kana("おおきい") == "おき"


@pytest.mark.parametrize(
    ("romaji", "kana"),
    [
        ("jidou bibun", "じどうびぶん"),
        ("zidoubibun", "じどうびぶん"),
        ("gakusyuuritu", "がくしゅうりつ"),
        ("kaichuu dentou", "かいちゅうでんとう"),
        ("jidō bibun", "じどびぶん"),
        ("shimbun", "しんぶん"),
    ],
)
def test_romaji_readings(romaji: str, kana: str) -> None:
    assert kana in romaji_to_kana(romaji)


def test_romaji_ambiguous_nn_gives_both_readings() -> None:
    assert set(romaji_to_kana("konnichiha")) >= {"こんにちは"}


@pytest.mark.parametrize("english", ["tensor", "DataLoader", "torch.cat", "batch", "", "123"])
def test_english_is_not_romaji(english: str) -> None:
    assert romaji_to_kana(english) == []


@pytest.mark.parametrize(
    ("question", "core"),
    [
        ("torch compile とは", "torch compile"),
        ("自動微分とは何ですか?", "自動微分"),
        ("nn.linear の使い方", "nn.linear"),
        ("what is autograd?", "autograd"),
        ("とは", "とは"),
    ],
)
def test_strip_question(question: str, core: str) -> None:
    assert strip_question(question) == core


def test_clean_removes_what_cannot_be_shown() -> None:
    assert clean("  torch\x00.cat\u200f ") == "torch .cat"
    assert clean("a\ud800b") == "ab"  # a lone surrogate
    assert clean("\ud83d\ude00") == "😀"  # a surrogate pair becomes its character
    assert clean("\u202eabc\u202c") == "abc"  # right-to-left override
    assert clean("مرحبا בעולם") == "مرحبا בעולם"  # right-to-left text itself stays
    assert clean(" \t\n ") == ""


def test_script_detection() -> None:
    assert has_japanese("torch の使い方") and not has_japanese("torch.cat")
    assert has_kanji("自動微分") and not has_kanji("じどうびぶん")
    assert is_hiragana("じどうびぶん") and not is_hiragana("ジドウ")
    assert kata_to_hira("ヴァイオリン") == "ゔぁいおりん"


@settings(max_examples=300)
@given(ANY_TEXT)
def test_clean_output_is_printable_and_stable(text: str) -> None:
    cleaned = clean(text)
    cleaned.encode("utf-8")  # no lone surrogates left
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in cleaned)
    assert clean(cleaned) == cleaned


@settings(max_examples=300)
@given(ANY_TEXT)
def test_fold_and_loose_are_idempotent(text: str) -> None:
    text = clean(text)
    key = fold(text)
    assert fold(key) == key
    assert loose(loose(key)) == loose(key)
    assert not any("ァ" <= ch <= "ヶ" for ch in key)


@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=30))
def test_full_width_folds_like_ascii(text: str) -> None:
    wide = "".join(chr(ord(ch) + 0xFEE0) for ch in text)
    assert fold(wide) == fold(text)


@given(KANA)
def test_katakana_and_hiragana_fold_alike(text: str) -> None:
    hira = kata_to_hira(text)
    assert fold(text) == fold(hira)


@settings(max_examples=300)
@given(ANY_TEXT)
def test_romaji_and_question_never_fail(text: str) -> None:
    for reading in romaji_to_kana(text):
        assert is_hiragana(reading)
    core = strip_question(fold(clean(text)))
    assert core or not fold(clean(text)).strip()
