"""A stylesheet that parses each theme's CSS once.

Textual substitutes the theme's colours (``$primary``, ``$text-muted`` …) into the CSS when
it parses it, so every theme switch parses all the CSS again: ours and that of every widget
class in use, a fifth of the switch's time. The parsed rules depend only on the variables
and the sources, so :class:`ThemeStylesheet` keeps the rules of the last few combinations,
and switching back to a theme already seen reuses them.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from textual.css.stylesheet import Stylesheet

if TYPE_CHECKING:
    from textual.css.model import RuleSet

KEPT = 2
"""Parsed rule lists kept: one per theme (light and dark). Each is a few thousand objects
that the garbage collector visits on every full pass, so no more than that."""


class ThemeStylesheet(Stylesheet):
    """A :class:`~textual.css.stylesheet.Stylesheet` whose :meth:`reparse` is cached by the
    variables and the sources it parses."""

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._parsed: OrderedDict[int, tuple[tuple[object, ...], list[RuleSet]]] = OrderedDict()

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
        super().reparse()
        key = self._parse_key()
        self._parsed[hash(key)] = (key, self._rules)
        while len(self._parsed) > KEPT:
            self._parsed.popitem(last=False)
