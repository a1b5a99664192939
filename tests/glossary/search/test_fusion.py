"""Fusion: exact names first, headwords before aliases, typos needing support, modes apart."""

from __future__ import annotations

from glossary.search.dense import DenseHit
from glossary.search.fusion import FusionWeights, fuse, is_name_shaped
from glossary.search.lexical import LexicalCandidate
from glossary.search.types import Match, Mode, Signal

IDS = ["a", "b", "c", "d"]


def candidate(
    entry: int, signal: Signal | None, strength: float, bm25: float = 0.0
) -> LexicalCandidate:
    found = LexicalCandidate(entry, bm25=bm25, coverage=1.0 if bm25 else 0.0)
    if signal is not None:
        found.add(signal, IDS[entry], strength)
    if bm25:
        found.matches[Signal.TEXT] = Match(Signal.TEXT, "words", bm25)
    return found


def order(result: list) -> list[str]:  # type: ignore[type-arg]
    return [item.entry_id for item in result]


def test_exact_name_beats_strong_meaning() -> None:
    lexical = [candidate(0, Signal.NAME, 1.0)]
    dense = [DenseHit("b", 0.95, "definition (en)"), DenseHit("a", 0.70, "names")]
    assert order(fuse(lexical, IDS, dense))[0] == "a"


def test_headword_beats_an_alias_of_another_entry_whatever_the_support() -> None:
    lexical = [candidate(1, Signal.ALIAS, 0.96, bm25=9.0), candidate(0, Signal.NAME, 1.0)]
    dense = [DenseHit("b", 0.95, "x"), DenseHit("a", 0.60, "y")]
    assert order(fuse(lexical, IDS, dense))[:2] == ["a", "b"]


def test_ties_between_exact_names_are_broken_by_meaning() -> None:
    lexical = [candidate(0, Signal.ALIAS, 0.96), candidate(1, Signal.ALIAS, 0.96)]
    dense = [DenseHit("b", 0.90, "x"), DenseHit("a", 0.80, "y")] + [
        DenseHit(f"z{i}", 0.7, "z") for i in range(30)
    ]
    assert order(fuse(lexical, IDS, dense))[:2] == ["b", "a"]


def test_typo_with_support_beats_meaning_alone() -> None:
    lexical = [candidate(0, Signal.FUZZY, 0.72, bm25=2.0)]
    background = [DenseHit(f"z{i}", 0.70, "z") for i in range(30)]
    dense = [DenseHit("b", 0.86, "x"), DenseHit("a", 0.84, "y"), *background]
    assert order(fuse(lexical, IDS, dense, name_shaped=True))[0] == "a"


def test_lexical_mode_ignores_vectors_and_semantic_mode_uses_only_them() -> None:
    lexical = [candidate(0, Signal.NAME, 1.0)]
    dense = [DenseHit("b", 0.9, "x"), DenseHit("a", 0.5, "y")]
    assert order(fuse(lexical, IDS, dense, Mode.LEXICAL)) == ["a"]
    semantic = fuse(lexical, IDS, dense, Mode.SEMANTIC)
    assert order(semantic) == ["b", "a"]
    assert all(m.signal is Signal.SEMANTIC for item in semantic for m in item.matches)


def test_matched_by_lists_every_signal_in_a_stable_order() -> None:
    lexical = [candidate(0, Signal.ALIAS, 0.96, bm25=3.0)]
    lexical[0].add(Signal.READING, "よみ", 0.9)
    dense = [DenseHit("a", 0.9, "definition (ja)")]
    item = fuse(lexical, IDS, dense)[0]
    assert [m.signal for m in item.matches] == [
        Signal.ALIAS,
        Signal.READING,
        Signal.TEXT,
        Signal.SEMANTIC,
    ]


def test_weights_are_adjustable() -> None:
    lexical = [candidate(0, None, 0.0, bm25=5.0)]
    dense = [DenseHit("b", 0.9, "x"), DenseHit("a", 0.5, "y")]
    text_heavy = FusionWeights(text=5.0, semantic=0.1)
    meaning_heavy = FusionWeights(text=0.1, semantic=5.0)
    assert order(fuse(lexical, IDS, dense, weights=text_heavy))[0] == "a"
    assert order(fuse(lexical, IDS, dense, weights=meaning_heavy))[0] == "b"


def test_name_shaped_queries() -> None:
    assert is_name_shaped("torch.cta") and is_name_shaped("じどうびぶん")
    assert is_name_shaped("ｔｏｒｃｈ．ｃａｔ")
    assert not is_name_shaped("join tensors") and not is_name_shaped("テンソルを繋げる")
