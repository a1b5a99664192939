"""A stylesheet that parses each theme's CSS once and keeps widgets' component styles.

Textual substitutes the theme's colours (``$primary``, ``$text-muted`` …) into the CSS when
it parses it, so every theme switch parses all the CSS again: ours and that of every widget
class in use, a fifth of the switch's time. The parsed rules depend only on the variables
and the sources, so :class:`ThemeStylesheet` keeps the rules of the last few combinations,
and switching back to a theme already seen reuses them. It also keeps each source's rules
per theme: the first use of a widget class (the command palette, say) adds its CSS to the
sources, and Textual would then parse every source again, with each theme, 30 ms a switch.

Widgets style parts of what they draw (an option list's highlighted row, a footer key)
through *component classes*, whose styles Textual computes by attaching a small virtual
node per component to the widget and styling it. It attaches new ones at every restyle (a
focus move, a hover, a theme switch), and each old one dies in a reference cycle with its
styles: about 40 objects that only a full garbage-collector pass frees, and a thousand such
nodes per round of browsing in the bench. :class:`ThemeStylesheet` restyles the virtual
nodes it attached before instead, which gives the same styles (every rule is set again)
without the garbage; see :mod:`tui.freezing_gc` for why that garbage costs keystrokes.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode

if TYPE_CHECKING:
    from textual.css.model import RuleSet
    from textual.css.styles import RenderStyles
    from textual.css.types import CSSLocation

KEPT = 2
"""Parsed rule lists kept: one per theme (light and dark). Each is a few thousand objects
that the garbage collector visits on every full pass, so no more than that."""


class ThemeStylesheet(Stylesheet):
    """A :class:`~textual.css.stylesheet.Stylesheet` whose :meth:`reparse` is cached by the
    variables and the sources it parses."""

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._parsed: OrderedDict[int, tuple[tuple[object, ...], list[RuleSet]]] = OrderedDict()
        self._by_source: OrderedDict[tuple[object, ...], dict[tuple[object, ...], list[RuleSet]]]
        self._by_source = OrderedDict()

    def _parse_key(self) -> tuple[object, ...]:
        return (tuple(self._variables.items()), tuple(self.source.items()))

    def reparse(self) -> None:
        """Parse the sources with the current variables, or reuse an earlier parse of the
        very same sources and variables."""
        key = self._parse_key()
        digest = hash(key)
        cached = self._parsed.get(digest)
        if cached is not None and cached[0] == key:
            self._parsed.move_to_end(digest)
            self._rules = cached[1]
            self._rules_map = None
            self._require_parse = False
            return
        self._parse_sources()
        key = self._parse_key()
        self._parsed[hash(key)] = (key, self._rules)
        while len(self._parsed) > KEPT:
            self._parsed.popitem(last=False)

    def _parse_sources(self) -> None:
        """What Textual's ``reparse`` does, but each source's rules come from the per-theme
        cache: parse into a new stylesheet, so that an error leaves this one as it was."""
        fresh = ThemeStylesheet(variables=self._variables)
        fresh._by_source = self._by_source
        for read_from, (css, is_default_css, tie_breaker, scope) in self.source.items():
            fresh.add_source(
                css,
                read_from=read_from,
                is_default_css=is_default_css,
                tie_breaker=tie_breaker,
                scope=scope,
            )
        try:
            fresh.parse()
        except Exception:
            self._invalid_css.update(fresh._invalid_css)
            raise
        self._rules = fresh.rules
        self._rules_map = None
        self.source = fresh.source
        self._require_parse = False

    def _parse_rules(
        self,
        css: str,
        read_from: CSSLocation,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[RuleSet]:
        """One source's rules with the current variables, parsed once per theme (Textual's
        own cache of these forgets them all at every theme switch)."""
        variables = tuple(self._variables.items())
        rules_by_source = self._by_source.get(variables)
        if rules_by_source is None:
            rules_by_source = self._by_source[variables] = {}
            while len(self._by_source) > KEPT:
                self._by_source.popitem(last=False)
        else:
            self._by_source.move_to_end(variables)
        key = (css, read_from, is_default_rules, tie_breaker, scope)
        rules = rules_by_source.get(key)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            rules_by_source[key] = rules
        return rules

    def _process_component_classes(self, node: DOMNode) -> None:
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
