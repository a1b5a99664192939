"""The bookmarks: a list of the entries the reader marked (``b`` on an entry), to open one.

The list comes from :mod:`glossary.bookmarks`, so it is the same one ``torchgloss
bookmarks`` shows and it survives a restart. Enter opens the highlighted entry, Delete
removes its bookmark, Escape closes the list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from glossary.bookmarks import Bookmark, list_bookmarks, remove_bookmark
from glossary.errors import GlossaryError
from tui.messages import OpenEntry

if TYPE_CHECKING:
    from glossary.schema import Entry

EMPTY = "No bookmarks yet: press b on an entry to bookmark it."


class BookmarksScreen(ModalScreen[None]):
    """Lists the bookmarks, newest first (read in a worker); Enter opens one.

    Args:
        lookup_entry: the loaded entry of an id, ``None`` for an id not (or no longer) loaded.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("delete,d", "remove", "Remove"),
    ]

    def __init__(self, lookup_entry: Callable[[str], Entry | None]) -> None:
        super().__init__()
        self.lookup_entry = lookup_entry
        self.bookmarks: list[Bookmark] = []
        self.loaded = False
        """True once the list is read (and shown)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-bookmarks") as dialog:
            dialog.border_title = "Bookmarks · ブックマーク"
            yield OptionList(id="bookmark-list")
            yield Label(EMPTY, id="bookmarks-empty")
            yield Label("Enter opens · d removes · Esc closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#bookmarks-empty").display = False
        self.query_one(OptionList).focus()
        self._read()

    @work(thread=True, exclusive=True)
    def _read(self) -> None:
        try:
            bookmarks = list_bookmarks()
        except GlossaryError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._show, bookmarks)

    def _failed(self, error: GlossaryError) -> None:
        self.dismiss(None)
        self.notify(str(error), title=error.title, severity="error", timeout=10)

    def _show(self, bookmarks: list[Bookmark]) -> None:
        self.bookmarks = list(reversed(bookmarks))
        options = self.query_one(OptionList)
        options.add_options(self._option(b) for b in self.bookmarks)
        if self.bookmarks:
            options.highlighted = 0
        self._show_empty()
        self.loaded = True

    def _option(self, bookmark: Bookmark) -> Option:
        entry = self.lookup_entry(bookmark.entry_id)
        words = f"{entry.term.en} · {entry.term.ja}" if entry else "(not in the loaded glossary)"
        # Content, not a str: a prompt string would be read as markup.
        return Option(Content(f"{words}  [{bookmark.entry_id}]"), id=bookmark.entry_id)

    def _show_empty(self) -> None:
        empty = not self.bookmarks
        self.query_one("#bookmarks-empty").display = empty
        self.query_one(OptionList).display = not empty

    @on(OptionList.OptionSelected)
    def _on_selected(self, event: OptionList.OptionSelected) -> None:
        entry_id = event.option.id
        self.dismiss(None)
        if entry_id:
            self.app.post_message(OpenEntry(entry_id))

    def action_remove(self) -> None:
        """Remove the highlighted entry's bookmark."""
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None or not self.bookmarks:
            return
        entry_id = self.bookmarks[index].entry_id
        try:
            remove_bookmark(entry_id)
        except GlossaryError as exc:
            self.notify(str(exc), title=exc.title, severity="error")
            return
        del self.bookmarks[index]
        options.remove_option_at_index(index)
        self._show_empty()
        self.notify(f"Removed the bookmark of {entry_id}.", title="Bookmarks", timeout=3)
