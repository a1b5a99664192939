"""The stylesheet restyles widgets' component nodes instead of attaching new ones."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.widgets import OptionList

from tui import component_styles
from tui.component_styles import install, process_component_classes


class ComponentApp(App[None]):
    """An app with a widget styled through component classes."""

    def __init__(self) -> None:
        super().__init__()
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
    assert install()
    assert Stylesheet._process_component_classes is process_component_classes
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
        assert component_styles.textuals_own is not None
        component_styles.textuals_own(app.stylesheet, options)
        assert component_rules(options) == light
        assert {name: s.node for name, s in options._component_styles.items()} != nodes
