"""F1 / ``?``: every key, by screen, and a few words on how search works."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Label

from glossary.i18n import _
from tui.format import wrap_paragraph
from tui.widgets.paragraph import Paragraph
from tui.widgets.parts import part_style

HELP_SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Search 検索",
        [
            ("type", _("search as you type: English, 日本語 (kanji or kana) or romaji")),
            ("↓", _("from the query box into the results")),
            ("↑ ↓ PgUp PgDn", _("move in the results")),
            ("Enter", _("open the entry (from the query box: the first result)")),
            ("Esc", _("back to the query box; there, clear it")),
            (
                "F2",
                _("language: any → English → 日本語 (how a query is read, which definition shows)"),
            ),
            ("F3", _("kind filter")),
        ],
    ),
    (
        "Entry 項目",
        [
            (
                "Tab  Shift+Tab",
                _("next / previous link (→ opens its entry, · searches for the word)"),
            ),
            ("Enter, click", _("follow the link")),
            ("Esc, Backspace", _("back: the previous entry, then the results")),
            ("r", _("run the example (examples from your own folders ask first)")),
            ("e  Ctrl+R", _("edit the example; in the editor, run the edited code")),
            ("x  Esc", _("cancel the running example; once it has ended, close the output")),
            ("+  −", _("taller / shorter output")),
            ("o", _("open the documentation page in the web browser")),
            ("y  c", _("copy the example's code / the term")),
            ("b", "bookmark the entry (again: remove the bookmark)"),
            ("/", _("new search")),
        ],
    ),
    (
        _("Everywhere"),
        [
            ("Ctrl+P", _("command palette: filters, theme, rebuild index, copy …")),
            ("Ctrl+T", _("light or dark theme")),
            ("F4  Ctrl+B", "bookmarks: open one, d removes (also `torchgloss bookmarks`)"),
            ("F5", "search history: search a past query again"),
            ("F1  ?", _("this help")),
            ("Ctrl+Q", _("quit")),
        ],
    ),
]

SEARCH_NOTE = _(
    "Each result says why it matched: name, alias, reading (kana or romaji), fuzzy (a near "
    "spelling), text (words of the definition) or meaning (semantic search, which joins once "
    "the model has loaded: see the bottom right of the search screen)."
)


class KeyTable(Widget):
    """Keys and what they do, two columns, in one widget (a widget per row would make the
    help screen slow to open); the key column's style comes from ``app.tcss``."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-table--key"}
    DEFAULT_CSS = """
    KeyTable {
        height: auto;
    }
    """
    KEY_WIDTH = 18

    def __init__(self, rows: list[tuple[str, str]], *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.rows = rows

    def _lines(self, width: int) -> list[tuple[str, str]]:
        """(key or "", text) per screen line, the text wrapped beside its key."""
        lines: list[tuple[str, str]] = []
        for key, text in self.rows:
            for index, line in enumerate(wrap_paragraph(text, max(width - self.KEY_WIDTH, 10))):
                lines.append((key if index == 0 else "", line))
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        key_style = part_style(self, "key-table--key")
        lines = [
            Content.assemble((key + " " * max(self.KEY_WIDTH - cell_len(key), 1), key_style), text)
            for key, text in self._lines(self.content_size.width)
        ]
        return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """The key bindings of every screen, in a scrollable dialog.

    Installed once by the app (``SCREENS``), so it is composed on first use only.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "dismiss", _("Close help")),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "torchgloss help ヘルプ"
            body.border_subtitle = _("Esc to close")
            for title, rows in HELP_SECTIONS:
                yield Label(title, classes="section-title")
                yield KeyTable(rows)
            yield Paragraph(SEARCH_NOTE, id="help-note")
