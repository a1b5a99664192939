"""The line under the query box: language and kind filters, then how the search went."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Select, Static

from glossary.schema import Kind
from tui.semantic import SemanticState

ANY = "any"
"""The filter value that lets everything through (``Select`` needs a real value)."""

LANGUAGE_CHOICES: list[tuple[str, str]] = [
    ("lang: any", ANY),
    ("lang: English", "en"),
    ("lang: 日本語", "ja"),
]
KIND_CHOICES: list[tuple[str, str]] = [("kind: any", ANY)] + [
    (f"kind: {kind.value}", kind.value) for kind in Kind
]


class FilterBar(Horizontal):
    """Two compact selects (mouse or keyboard) and a status line on the right."""

    def compose(self) -> ComposeResult:
        yield Select(LANGUAGE_CHOICES, value=ANY, allow_blank=False, compact=True, id="lang-filter")
        yield Select(KIND_CHOICES, value=ANY, allow_blank=False, compact=True, id="kind-filter")
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
