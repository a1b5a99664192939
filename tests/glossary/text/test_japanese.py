"""Sudachi wrapping, BM25 terms and pykakasi readings on the cases the search relies on."""

from __future__ import annotations

import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.text.readings import kana_reading
from glossary.text.sudachi import normalized_text, reading, tokenize
from glossary.text.words import index_terms, latin_terms, stem, term_words


def test_normalized_text_folds_spelling_variants() -> None:
    assert normalized_text("テンソルをつなげる") == normalized_text("テンソルを繋げる")
    assert normalized_text("オプティマイザ") == "オプティマイザー"


def test_normalized_text_leaves_latin_alone() -> None:
    assert normalized_text("torch.cat を使う").startswith("torch.cat ")


def test_reading_of_kanji() -> None:
    assert reading("自動微分") == "じどうびぶん"
    assert reading("torch.cat") is None


def test_tokenize_accepts_text_longer_than_sudachi_allows() -> None:
    long_text = "自動微分で勾配を計算する。" * 6000  # about 230 KB of UTF-8
    assert len(tokenize(long_text)) > 6000


def test_tokenizer_is_safe_from_threads() -> None:
    results: list[int] = []

    def work() -> None:
        for _ in range(20):
            results.append(len(tokenize("テンソルをつなげる")))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(results) == {3}


def test_index_terms_in_both_languages() -> None:
    terms = index_terms("テンソルを、既存の次元に沿ってつなげる DataLoader zero_grad tensors")
    assert {"てんそる", "次元", "繋げる"} <= set(terms)
    assert {"dataloader", "data", "loader", "zero_grad", "zero", "grad", "tensor"} <= set(terms)
    assert "を" not in terms


def test_each_term_keeps_the_word_it_comes_from() -> None:
    text = "Reshaping views つなげる DataLoader"
    pairs = term_words(text)
    assert [term for term, _ in pairs] == index_terms(text)
    words = dict(pairs)
    assert words["reshap"] == "Reshaping" and words["view"] == "views"
    assert words["繋げる"] == "つなげる"
    assert words["data"] == words["loader"] == "DataLoader"


def test_latin_terms_drop_stop_words_and_stem() -> None:
    assert latin_terms("What is the learning rate of tensors?") == ["learn", stem("rate"), "tensor"]
    assert stem("concatenating") == stem("concatenate") == stem("concatenated")
    assert stem("class") == "class" and stem("bias") == "bias"


def test_kana_reading_with_pykakasi() -> None:
    assert kana_reading("自動微分") == "じどうびぶん"
    assert kana_reading("懐中電灯") == "かいちゅうでんとう"
    assert kana_reading("torch.nn モジュール") is None
    assert kana_reading("tensor") is None


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_index_terms_never_fail(text: str) -> None:
    for term in index_terms(text):
        assert term and term == term.strip()
