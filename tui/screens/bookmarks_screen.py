"""The bookmarks: a list of the entries the reader marked (``b`` on an entry), to open one.

The list comes from :mod:`glossary.bookmarks`, so it is the same one ``torchgloss
bookmarks`` shows and it survives a restart. Enter opens the highlighted entry, Delete
removes its bookmark, Escape closes the list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from glossary.bookmarks import Bookmark, remove_bookmark
from glossary.errors import GlossaryError

if TYPE_CHECKING:
    from glossary.schema import Term

EMPTY = "No bookmarks yet: press b on an entry to bookmark it."


class BookmarksScreen(ModalScreen[str | None]):
    """Lists ``bookmarks``; dismisses with the id of the entry to open, or ``None``.

    Args:
        bookmarks: the bookmarks, oldest first (shown newest first).
        lookup_term: the headwords of an entry id, ``None`` for an id no longer loaded.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("delete,d", "remove", "Remove"),
    ]

    def __init__(
        self, bookmarks: list[Bookmark], lookup_term: Callable[[str], Term | None]
    ) -> None:
        super().__init__()
        self.bookmarks = list(reversed(bookmarks))
        self.lookup_term = lookup_term

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-bookmarks") as dialog:
            dialog.border_title = "Bookmarks · ブックマーク"
            yield OptionList(*self._options(), id="bookmark-list")
            yield Label(EMPTY, id="bookmarks-empty")
            yield Label("Enter opens · d removes · Esc closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self._show_empty()
        self.query_one(OptionList).focus()

    def _options(self) -> list[Option]:
        options = []
        for bookmark in self.bookmarks:
            term = self.lookup_term(bookmark.entry_id)
            words = f"{term.en} · {term.ja}" if term else "(no longer in the glossary)"
            options.append(Option(f"{words}  [{bookmark.entry_id}]", id=bookmark.entry_id))
        return options

    def _show_empty(self) -> None:
        empty = not self.bookmarks
        self.query_one("#bookmarks-empty").display = empty
        self.query_one(OptionList).display = not empty

    @on(OptionList.OptionSelected)
    def _on_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

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
