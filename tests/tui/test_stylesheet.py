"""The stylesheet that parses each theme's CSS once."""

from __future__ import annotations

from tui.stylesheet import ThemeStylesheet

CSS = "Label { color: $primary; } Static { background: $surface; }"


def test_switching_back_to_a_theme_reuses_its_parsed_rules() -> None:
    sheet = ThemeStylesheet(variables={"primary": "red", "surface": "black"})
    sheet.add_source(CSS, read_from=("test", "CSS"))
    sheet.reparse()
    dark = sheet.rules
    sheet.set_variables({"primary": "blue", "surface": "white"})
    sheet.reparse()
    light = sheet.rules
    assert light is not dark
    assert "blue" in light[0].css or "#0000FF" in light[0].css.upper()
    sheet.set_variables({"primary": "red", "surface": "black"})
    sheet.reparse()
    assert sheet.rules is dark


def test_a_new_source_is_parsed() -> None:
    sheet = ThemeStylesheet(variables={"primary": "red", "surface": "black"})
    sheet.add_source(CSS, read_from=("test", "CSS"))
    sheet.reparse()
    before = sheet.rules
    sheet.add_source("Button { color: $primary; }", read_from=("test", "more"))
    sheet.reparse()
    assert sheet.rules is not before
    assert len(sheet.rules) == len(before) + 1
