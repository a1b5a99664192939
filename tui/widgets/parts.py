"""Styles for the parts of a widget's text (its component classes, set in ``app.tcss``)."""

from __future__ import annotations

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
