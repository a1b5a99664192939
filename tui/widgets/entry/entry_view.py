"""Everything about one entry, top to bottom: headword, definitions, words, example, sources.

The entry screen's view: links focus with Tab, the example scrolls sideways and has buttons.
The preview beside the results draws the same parts as plain styled lines instead
(:mod:`tui.widgets.search.entry_preview`), with :func:`meta_content` and :func:`headword_ja`
from here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Horizontal, HorizontalScroll, Vertical, VerticalScroll
from textual.content import Content
from textual.highlight import highlight
from textual.reactive import reactive
from textual.style import Style
from textual.widget import Widget
from textual.widgets import Button, Label, Static

from glossary.schema import Entry, Source
from tui.format import tidy_japanese
from tui.widgets.entry.relations import TermLookup, relation_groups
from tui.widgets.paragraph import Paragraph
from tui.widgets.parts import part_style


def sources_content(sources: list[Source]) -> Content:
    """One line per source; titles with a URL are terminal hyperlinks."""
    lines = [
        Content.assemble("· ", (source.title, Style(link=source.url)))
        if source.url
        else Content(f"· {source.title}")
        for source in sources
    ]
    return Content("\n").join(lines)


def asked_as_content(requests: list[str]) -> Content:
    """One quoted line per request: how people ask for the entry without its name, so a
    reader sees which words of theirs find it."""
    return Content("\n").join(Content(f"“{request}”") for request in requests)


def meta_content(entry: Entry, style_of: Callable[[str], Style]) -> Content:
    """The meta line: the kind as a badge, the API name, the first version, the id, each
    styled by ``style_of`` its component class (``entry-meta--kind`` …)."""
    parts: list[tuple[str, str]] = [(f" {entry.kind.value} ", "entry-meta--kind")]
    if entry.api and entry.api != entry.term.en:
        parts.append((entry.api, "entry-meta--api"))
    if entry.since:
        parts.append((f"since torch {entry.since}", "entry-meta--since"))
    parts.append((f"id {entry.id}", "entry-meta--id"))
    pieces: list[str | tuple[str, Style]] = []
    for index, (text, component) in enumerate(parts):
        if index:
            pieces.append("  ")
        pieces.append((text, style_of(component)))
    return Content.assemble(*pieces)


def headword_ja(entry: Entry) -> str:
    """The Japanese headword, with its reading when that differs: ``自動微分（じどうびぶん）``."""
    term = entry.term
    if not term.reading or term.reading == term.ja:
        return term.ja
    return f"{term.ja}（{term.reading}）"


class EntryMeta(Widget):
    """One line: the kind as a badge, the API name, the first torch version, the id.

    One widget with styled parts (component classes, styled in ``app.tcss``) rather than a
    row of labels: an entry view is rebuilt on every link followed, so widgets count.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "entry-meta--kind",
        "entry-meta--api",
        "entry-meta--since",
        "entry-meta--id",
    }
    DEFAULT_CSS = """
    EntryMeta {
        height: 1;
    }
    """

    def __init__(self, entry: Entry, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entry = entry

    def render(self) -> Content:
        return meta_content(self.entry, lambda component: part_style(self, component))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()


class EntryView(VerticalScroll):
    """A scrolling view of one :class:`Entry`; set :attr:`entry` to show another."""

    entry: reactive[Entry | None] = reactive(None, recompose=True)

    def __init__(
        self,
        lookup: TermLookup,
        entry: Entry | None = None,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._lookup = lookup
        self.set_reactive(EntryView.entry, entry)

    def compose(self) -> ComposeResult:
        entry = self.entry
        if entry is None:
            yield Static("Nothing selected.", classes="entry-empty")
            return
        term = entry.term
        with Vertical(id="entry-head"):
            yield Static(term.en, markup=False, id="headword")
            yield Static(headword_ja(entry), markup=False, id="headword-ja")
            yield EntryMeta(entry, id="entry-meta")
            if entry.aliases:
                yield Static("also: " + ", ".join(entry.aliases), markup=False, id="entry-aliases")
        with Vertical(classes="entry-section", id="definition"):
            yield Label("Definition 定義", classes="section-title")
            yield Paragraph(entry.definition.en, classes="definition -en")
            yield Paragraph(tidy_japanese(entry.definition.ja), classes="definition -ja")
        groups = relation_groups(entry, self._lookup)
        if groups:
            with Vertical(classes="entry-section", id="relations"):
                yield from groups
        if entry.snippet is not None:
            with Vertical(classes="entry-section", id="snippet"):
                yield Label("Example 例", classes="section-title")
                with HorizontalScroll(id="snippet-scroll"):
                    yield Static(
                        highlight(entry.snippet.code.rstrip("\n"), language="python"),
                        id="snippet-code",
                    )
                with Horizontal(id="snippet-actions"):
                    yield Button("▶ Run  r", id="run-snippet", compact=True)
                    yield Button("Copy code  y", id="copy-snippet", compact=True)
                    yield Button("Copy term  c", id="copy-term", compact=True)
        requests = entry.asked_as.all()
        if requests:
            with Vertical(classes="entry-section", id="asked-as"):
                yield Label("Asked as 聞き方", classes="section-title")
                yield Static(asked_as_content(requests), id="asked-as-list")
        if entry.sources:
            with Vertical(classes="entry-section", id="sources"):
                yield Label("Sources 出典", classes="section-title")
                yield Static(sources_content(entry.sources), id="sources-list")
