"""The stylesheet that parses each theme's CSS once."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.css import stylesheet as textual_stylesheet
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.widgets import OptionList

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


def test_a_new_source_is_the_only_one_parsed_again_with_each_theme(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first use of a widget class adds its CSS; the others keep their parsed rules."""
    parsed: list[str] = []
    parse = textual_stylesheet.parse

    def counting_parse(scope: str, css: str, *args: Any, **kwargs: Any) -> Any:
        parsed.append(css)
        return parse(scope, css, *args, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counting_parse)
    dark = {"primary": "red", "surface": "black"}
    light = {"primary": "blue", "surface": "white"}
    sheet = ThemeStylesheet(variables=dark)
    sheet.add_source(CSS, read_from=("test", "CSS"))
    sheet.reparse()
    sheet.set_variables(light)
    sheet.reparse()
    assert parsed == [CSS, CSS]
    more = "Button { color: $primary; }"
    sheet.add_source(more, read_from=("test", "more"))
    sheet.reparse()
    sheet.set_variables(dark)
    sheet.reparse()
    assert parsed == [CSS, CSS, more, more]
    plain = Stylesheet(variables=dark)
    plain.add_source(CSS, read_from=("test", "CSS"))
    plain.add_source(more, read_from=("test", "more"))
    plain.reparse()
    assert [rule.css for rule in sheet.rules] == [rule.css for rule in plain.rules]


class ComponentApp(App[None]):
    """An app with the stylesheet under test and a widget styled through component classes."""

    def __init__(self) -> None:
        super().__init__()
        self.stylesheet = ThemeStylesheet(variables=self.get_css_variables())
        self.theme = "textual-dark"

    def compose(self) -> ComposeResult:
        yield OptionList("one", "two", "three")


def component_rules(node: DOMNode) -> dict[str, object]:
    return {
        name: (dict(styles.base._rules), dict(styles.inline._rules))
        for name, styles in node._component_styles.items()
    }


@pytest.mark.anyio
async def test_restyles_keep_the_component_nodes_and_give_textuals_styles() -> None:
    app = ComponentApp()
    async with app.run_test() as pilot:
        options = app.query_one(OptionList)
        nodes = {name: styles.node for name, styles in options._component_styles.items()}
        dark = component_rules(options)
        app.theme = "textual-light"
        await pilot.pause()
        options.focus()
        await pilot.pause()
        assert {name: s.node for name, s in options._component_styles.items()} == nodes
        light = component_rules(options)
        assert light != dark
        # Textual's own method, with new virtual nodes, finds the same styles.
        Stylesheet._process_component_classes(app.stylesheet, options)
        assert component_rules(options) == light
        assert {name: s.node for name, s in options._component_styles.items()} != nodes
