"""The results list's short "why it matched" column."""

from __future__ import annotations

from glossary.search.types import Match, SearchHit, Signal
from tui.widgets.search.results_list import why_matched


def hit(*matches: Match) -> SearchHit:
    return SearchHit("learning-rate", "learning rate", "学習率", "concept", None, 1.0, matches)


def test_a_reading_shows_what_was_typed() -> None:
    reading = Match(Signal.READING, "学習率", 0.9, "gakushuuritsu", "reading")
    assert why_matched(hit(reading)) == "reading gakushuuritsu"


def test_a_near_spelling_beside_an_exact_name_is_left_out() -> None:
    name = Match(Signal.NAME, "学習率", 1.0, "学習率", "headword")
    fuzzy = Match(Signal.FUZZY, "学習率スケジューラ", 0.6, "学習率", "alias")
    text = Match(Signal.TEXT, "学習率", 5.0, "学習率", "text")
    assert why_matched(hit(name, fuzzy, text)) == "name · text"
    assert why_matched(hit(fuzzy, text)) == "fuzzy 学習率スケジューラ · text"
