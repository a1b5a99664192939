"""The query box: it keeps the terminal's cursor where an input method composes text, and
keeps a pasted multi-line text (a traceback) whole."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Offset
from textual.widgets import Input

LINE_MARK = " ⏎ "
"""What stands for a line break of a pasted text in the one-line box (the history list
shows a remembered multi-line query the same way)."""


def shown_form(text: str) -> str:
    """``text`` on one line: its lines joined with :data:`LINE_MARK`, blank ends dropped."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")
    return LINE_MARK.join(lines)


def query_form(value: str) -> str:
    """The query a box's ``value`` stands for: each :data:`LINE_MARK` a line break again."""
    return value.replace(LINE_MARK, "\n")


class SearchInput(Input):
    """An :class:`~textual.widgets.Input` for queries in English or Japanese.

    A Japanese input method draws its composition (the kana before conversion, the candidate
    window) at the terminal's own cursor, before the application sees a single key (Textual
    issues #1469 and #3404). Textual moves that cursor to an Input's caret when the caret
    moves; this subclass also moves it whenever the box is laid out, shown again or resized,
    so the composition appears in the box from the very first keystroke.

    Textual's Input keeps only the first line of a paste; a pasted traceback is then just
    ``Traceback (most recent call last):``. Here a multi-line paste is kept whole: the box
    shows it on one line (:func:`shown_form`), and :attr:`query` gives the text with its line
    breaks back, so the search sees the traceback as it was pasted.

    Its caret does not blink. A blink redraws the line twice a second, and an input method
    that draws its composition into the terminal's cells (a front-end processor running
    inside the terminal, such as ``uim-fep``) sees it erased each time: tried in tmux under
    uim-fep with Anthy, the kana vanished within half a second with blinking, and stayed put
    until conversion and commit without it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "screen.focus_results", "Results", show=False),
    ]

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id)
        self.cursor_blink = False

    @property
    def query(self) -> str:
        """The text to search for: the value, with a pasted text's line breaks."""
        return query_form(self.value)

    def set_query(self, text: str) -> None:
        """Show ``text`` (which may have several lines) as the query, caret at its end."""
        self.value = shown_form(text)
        self.cursor_position = len(self.value)

    def _on_paste(self, event: events.Paste) -> None:
        """Insert a paste; one of several lines goes in whole, in its one-line form."""
        text = event.text
        if "\n" not in text and "\r" not in text:
            return  # one line: Textual's own handler inserts it
        event.prevent_default()  # not Input's handler, which keeps the first line
        event.stop()
        line = shown_form(text)
        if not line:
            return
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(line)
        else:
            self.replace(line, *selection)

    @property
    def cursor_screen_offset(self) -> Offset:
        """The screen cell of the caret itself.

        Textual's own value is one cell further right when the caret is at the end of the
        text (it makes room to draw the caret there); an input method would then start its
        composition one cell away from the text. Here it starts exactly on the caret.
        """
        x, y, _width, _height = self.content_region
        scroll_x, _ = self.scroll_offset
        to_cell = getattr(self, "_position_to_cell", None)  # private in Textual 8.2
        if to_cell is None:
            return super().cursor_screen_offset
        return Offset(x + to_cell(self.cursor_position) - scroll_x, y)

    def sync_terminal_cursor(self) -> None:
        """Put the terminal cursor on the caret, if this box has the focus."""
        if self.has_focus and self.is_mounted and self.content_region:
            self.app.cursor_position = self.cursor_screen_offset
            self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.sync_terminal_cursor)

    def on_show(self, event: events.Show) -> None:
        self.call_after_refresh(self.sync_terminal_cursor)

    def on_focus(self, event: events.Focus) -> None:
        self.call_after_refresh(self.sync_terminal_cursor)
