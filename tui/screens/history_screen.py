"""The search history: the queries whose results the reader opened, newest first.

Choosing one searches it again. The list comes from :mod:`glossary.bookmarks` (read in a
worker), so it survives a restart.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList

from glossary.bookmarks import list_history

EMPTY = "No searches yet: the queries whose results you open are kept here."


class HistoryScreen(ModalScreen[str | None]):
    """Lists past queries; dismisses with the one chosen, or ``None``."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self) -> None:
        super().__init__()
        self.queries: list[str] = []
        self.loaded = False
        """True once the list is read (and shown)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-history") as dialog:
            dialog.border_title = "Search history · 検索履歴"
            yield OptionList(id="history-list")
            yield Label(EMPTY, id="history-empty")
            yield Label("Enter searches again · Esc closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#history-empty").display = False
        self.query_one(OptionList).focus()
        self._read()

    @work(thread=True, exclusive=True)
    def _read(self) -> None:
        queries = list_history()  # a damaged history reads as empty
        self.app.call_from_thread(self._show, queries)

    def _show(self, queries: list[str]) -> None:
        self.queries = list(reversed(queries))
        options = self.query_one(OptionList)
        # Content, not a str: a prompt string would be read as markup ("[b]" in a query).
        options.add_options(Content(q.replace("\n", " ⏎ ")) for q in self.queries)
        if self.queries:
            options.highlighted = 0
        self.query_one("#history-empty").display = not self.queries
        options.display = bool(self.queries)
        self.loaded = True

    @on(OptionList.OptionSelected)
    def _on_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.queries[event.option_index])
