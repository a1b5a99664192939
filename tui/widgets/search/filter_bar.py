"""The line under the query box: language and kind filters, then how the search went."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Select, Static

from glossary.i18n import _
from glossary.schema import Kind
from tui.semantic import SemanticState

ANY = "any"
"""The filter value that lets everything through (``Select`` needs a real value)."""

LANGUAGE_CHOICES: list[tuple[str, str]] = [
    (_("lang: {name}").format(name=_("any")), ANY),
    (_("lang: {name}").format(name="English"), "en"),
    (_("lang: {name}").format(name="日本語"), "ja"),
]
KIND_CHOICES: list[tuple[str, str]] = [(_("kind: {kind}").format(kind=_("any")), ANY)] + [
    (_("kind: {kind}").format(kind=kind.value), kind.value) for kind in Kind
]


class FilterBar(Horizontal):
    """Two compact selects (mouse or keyboard) and a status line on the right.

    ``lang`` and ``kind`` are the filters to start with (``None``: any); a select posts its
    first value when it mounts, so starting with the app's keeps that from resetting them.
    """

    def __init__(
        self, lang: str | None = None, kind: str | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._initial = (lang or ANY, kind or ANY)

    def compose(self) -> ComposeResult:
        lang, kind = self._initial
        yield Select(
            LANGUAGE_CHOICES, value=lang, allow_blank=False, compact=True, id="lang-filter"
        )
        yield Select(KIND_CHOICES, value=kind, allow_blank=False, compact=True, id="kind-filter")
        yield Static("", id="search-status")
        yield Static("", id="semantic-status")

    def set_filters(self, lang: str | None, kind: str | None) -> None:
        """Show these filters (``None`` is "any") without posting a change back."""
        for select_id, value in (("#lang-filter", lang), ("#kind-filter", kind)):
            select: Select[str] = self.query_one(select_id, Select)
            wanted = value or ANY
            if select.value != wanted:
                with select.prevent(Select.Changed):
                    select.value = wanted

    def set_status(self, text: str) -> None:
        """The result count and time of the last search."""
        self.query_one("#search-status", Static).update(text)

    def set_semantic_state(self, state: SemanticState, text: str, detail: str = "") -> None:
        """Show ``text`` for ``state``; the state's class picks the style, and the detail (the
        stage being loaded, or the error) shows on hover."""
        label = self.query_one("#semantic-status", Static)
        label.update(text)
        label.tooltip = detail or None
        label.set_classes(f"-{state}")
