"""The Japanese→English bridge: the lexicon file's shape and how words are found in a query."""

from __future__ import annotations

from importlib import resources

from glossary.text.bridge import MIN_KEY, Lexicon, bridge, lexicon
from glossary.text.normalize import has_japanese


def test_the_lexicon_file_is_well_formed() -> None:
    text = resources.files("glossary.text").joinpath("ja_en.tsv").read_text("utf-8")
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        assert line.count("\t") == 1, f"ja_en.tsv:{number}: one tab between English and Japanese"
        english, japanese = line.split("\t")
        assert english and english == english.strip().lower(), f"ja_en.tsv:{number}"
        assert english not in seen, f"ja_en.tsv:{number}: {english!r} twice"
        seen.add(english)
        for word in japanese.split(","):
            assert len(word) >= MIN_KEY and has_japanese(word), f"ja_en.tsv:{number}: {word!r}"
    assert len(seen) > 1000


def test_the_longest_word_is_taken_at_each_place() -> None:
    words = Lexicon("least\t最小\nleast squares\t最小二乗\nsolution\t解法\nencoder\tエンコーダ\n")
    found = words.find("最小二乗法の解法")
    assert [item.english for item in found] == [("least squares",), ("solution",)]
    assert [item.english for item in words.find("エンコーダーの出力")] == [("encoder",)]


def test_a_japanese_word_may_stand_for_several_english_words() -> None:
    words = Lexicon("distributed\t分散\nvariance\t分散\n")
    assert words.find("分散学習")[0].english == ("distributed", "variance")


def test_text_without_japanese_is_not_bridged() -> None:
    assert bridge("pseudo inverse of a matrix") == []
    assert bridge("") == []


def test_the_package_lexicon_knows_common_terms() -> None:
    text = "ベータ分布から疑似逆行列の固有値をサンプリング"
    found = {english for item in bridge(text) for english in item.english}
    assert {"pseudoinverse", "distribution", "eigenvalues"} <= found
    assert lexicon() is lexicon()  # read once
