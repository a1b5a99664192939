"""F1 / ``?``: every key, by screen, and a few words on how search works."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label

from tui.widgets.paragraph import Paragraph

HELP_SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Search 検索",
        [
            ("type", "search as you type: English, 日本語 (kanji or kana) or romaji"),
            ("↓", "from the query box into the results"),
            ("↑ ↓ PgUp PgDn", "move in the results"),
            ("Enter", "open the entry (from the query box: the first result)"),
            ("Esc", "back to the query box; there, clear it"),
            ("F2", "language filter: any → English → 日本語"),
            ("F3", "kind filter"),
        ],
    ),
    (
        "Entry 項目",
        [
            ("Tab  Shift+Tab", "next / previous link (words marked → open their entry)"),
            ("Enter, click", "follow the link"),
            ("Esc, Backspace", "back: the previous entry, then the results"),
            ("r", "run the example (examples from your own folders ask first)"),
            ("x", "cancel the running example"),
            ("y  c", "copy the example's code / the term"),
            ("/", "new search"),
        ],
    ),
    (
        "Everywhere",
        [
            ("Ctrl+P", "command palette: filters, theme, rebuild index, copy …"),
            ("Ctrl+T", "light or dark theme"),
            ("F1  ?", "this help"),
            ("Ctrl+Q", "quit"),
        ],
    ),
]

SEARCH_NOTE = (
    "Each result says why it matched: name, alias, reading (kana or romaji), fuzzy (a near "
    "spelling), text (words of the definition) or meaning (semantic search, which joins once "
    "the model has loaded: see the bottom right of the search screen)."
)


class HelpScreen(ModalScreen[None]):
    """The key bindings of every screen, in a scrollable dialog."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "dismiss", "Close help"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "torchgloss help ヘルプ"
            body.border_subtitle = "Esc to close"
            for title, rows in HELP_SECTIONS:
                yield Label(title, classes="section-title")
                for key, text in rows:
                    with Horizontal(classes="help-row"):
                        yield Label(key, classes="help-key")
                        yield Paragraph(text, classes="help-text")
            yield Paragraph(SEARCH_NOTE, id="help-note")
