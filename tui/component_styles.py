"""Restyle widgets' component styles on the virtual nodes Textual attached before.

Widgets style parts of what they draw (an option list's highlighted row, a footer key)
through *component classes*, whose styles Textual computes by attaching a small virtual
node per component to the widget and styling it. Textual 8.2 attaches new ones at every
restyle (a focus move, a hover, a theme switch), and each old one dies in a reference cycle
with its styles: about 40 objects that only a full garbage-collector pass frees, and a
thousand such nodes per round of browsing in the bench. :func:`install` makes the
stylesheet restyle the virtual nodes it attached before instead, which gives the same styles
(every rule is set again) without the garbage; see :mod:`tui.freezing_gc` for why that
garbage costs keystrokes.

It replaces the private ``Stylesheet._process_component_classes`` and reads the private
``_component_styles`` and ``_get_component_classes`` of a node: :func:`install` checks they
are there and otherwise leaves Textual's own behaviour. The command that starts the browser
installs it (through :mod:`tui.patches`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode

if TYPE_CHECKING:
    from textual.css.styles import RenderStyles

_INSTALLED = "__torchgloss_reuses_component_nodes__"

textuals_own: Callable[[Stylesheet, DOMNode], None] | None = None
"""Textual's own method, once :func:`install` replaced it (the tests compare the two)."""


def install() -> bool:
    """Make every stylesheet reuse the component nodes (once); False, and nothing changed, if
    Textual no longer has the internals it replaces."""
    current = getattr(Stylesheet, "_process_component_classes", None)
    if getattr(current, _INSTALLED, False):
        return True
    node = DOMNode()
    if not (
        callable(current)
        and callable(getattr(node, "_get_component_classes", None))
        and isinstance(getattr(node, "_component_styles", None), dict)
    ):
        return False
    global textuals_own
    textuals_own = current
    setattr(process_component_classes, _INSTALLED, True)
    Stylesheet._process_component_classes = process_component_classes  # type: ignore[method-assign]
    return True


def process_component_classes(self: Stylesheet, node: DOMNode) -> None:
    """Style the node's component classes, on the virtual nodes attached last time where
    there are any (Textual's own version attaches new ones every time), and refresh the
    node when a component's rules changed."""
    component_classes = node._get_component_classes()
    if not component_classes:
        return
    changed = False
    old_styles = node._component_styles
    new_styles: dict[str, RenderStyles] = {}
    for component in sorted(component_classes):
        virtual = _virtual_node(node, old_styles.get(component))
        if virtual is None:
            virtual = DOMNode(classes=component)
            virtual._attach(node)
            before = None
        else:
            before = _rules(virtual.styles)
        self.apply(virtual, animate=False)
        changed = changed or before != _rules(virtual.styles)
        new_styles[component] = virtual.styles
    node._component_styles.clear()
    node._component_styles.update(new_styles)
    if changed:
        node.refresh()


def _virtual_node(node: DOMNode, styles: RenderStyles | None) -> DOMNode | None:
    """The virtual node behind a component's ``styles``, if it is still attached to ``node``."""
    virtual = styles.node if styles is not None else None
    if virtual is None or virtual._parent is not node:
        return None
    return virtual


def _rules(styles: RenderStyles) -> tuple[dict[str, object], dict[str, object]]:
    """A copy of what ``styles`` sets, to tell whether a restyle changed it."""
    return dict(styles.base._rules), dict(styles.inline._rules)
