"""Styles for the parts of a widget's text (its component classes, set in ``app.tcss``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from textual.style import Style
from textual.widget import Widget


def part_style(widget: Widget, component: str) -> Style:
    """The style of ``component`` for a span of ``widget``'s text.

    Its colour is blended over the widget's real background, so translucent theme colours
    (``$text-muted`` is the foreground at partial opacity) keep their contrast in light and
    dark themes alike. The span gets no background unless the component sets one, so a
    highlighted row's background still shows through it.
    """
    style = widget.get_visual_style(component)
    if widget.get_component_styles(component).has_rule("background"):
        return style
    return replace(style, background=None)


class PartStyles:
    """The current styles of a widget's parts, for text the widget builds once and keeps.

    Building styled text costs more than drawing it, so widgets keep what they built and
    build it again only when :meth:`refresh` (called where they draw) finds that a part's
    style changed: a theme switch. Looking the styles up where the widget draws, rather than
    when Textual reports a style change, is what makes this safe: Textual restyles the parts
    only after telling the widget that its own styles changed.
    """

    def __init__(self, widget: Widget, components: Iterable[str]) -> None:
        self._widget = widget
        self._components = tuple(sorted(components))
        self._styles: dict[str, Style] = {}
        self.version = 0
        """Changes whenever a part's style does: what was built with an older one is stale."""

    def __getitem__(self, component: str) -> Style:
        if not self._styles:
            self.refresh()
        return self._styles[component]

    def refresh(self) -> bool:
        """Look the parts' styles up again; ``True`` if one changed since the last time."""
        styles = {component: part_style(self._widget, component) for component in self._components}
        if styles == self._styles:
            return False
        self._styles = styles
        self.version += 1
        return True
