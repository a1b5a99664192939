"""The query box, which keeps the terminal's cursor where an input method composes text."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Offset
from textual.widgets import Input


class SearchInput(Input):
    """An :class:`~textual.widgets.Input` for queries in English or Japanese.

    A Japanese input method draws its composition (the kana before conversion, the candidate
    window) at the terminal's own cursor, before the application sees a single key (Textual
    issues #1469 and #3404). Textual moves that cursor to an Input's caret when the caret
    moves; this subclass also moves it whenever the box is laid out, shown again or resized,
    so the composition appears in the box from the very first keystroke.

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
