"""Everything about one entry, top to bottom: headword, definitions, words, example, sources.

The entry screen's view: links focus with Tab, the example scrolls sideways and has buttons.
The preview beside the results draws the same parts as plain styled lines instead
(:mod:`tui.widgets.search.entry_preview`), with :func:`meta_content` and :func:`headword_ja`
from here.
"""

from __future__ import annotations

import asyncio
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
from tui.widgets.entry.sections import (
    ENTRY_SECTIONS,
    ERROR_TITLES,
    SECTION_TITLES,
    has_section,
)
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
    row of labels: widgets cost time at every restyle, and memory once replaced.
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

    entry: reactive[Entry | None] = reactive(None)

    def render(self) -> Content:
        if self.entry is None:
            return Content("")
        return meta_content(self.entry, lambda component: part_style(self, component))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()


class EntryView(VerticalScroll):
    """A scrolling view of one :class:`Entry`; set :attr:`entry` (or await :meth:`show`)
    to show another.

    Its widgets are made once and filled with each entry; the related words go on the
    widgets already there, and only those that differ in number or kind are added or removed
    (:class:`~tui.widgets.entry.relations.RelationGroup`). A replaced widget is garbage that
    dies in a reference cycle, which only a slow full collection frees (``tui/freezing_gc.py``),
    and rebuilding the whole view at every link followed made a third of that garbage.
    """

    entry: reactive[Entry | None] = reactive(None, init=False)

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
        self._relations = Vertical(classes="entry-section", id="relations")
        self._groups = {group.field_name: group for group in relation_groups(lookup)}
        self._filling = asyncio.Lock()  # one fill at a time: the last shows the last entry

    def compose(self) -> ComposeResult:
        yield Static("Nothing selected.", classes="entry-empty", id="entry-empty")
        for section in ENTRY_SECTIONS:
            yield from self._compose_section(section)

    def _compose_section(self, section: str) -> ComposeResult:
        """The widgets of one of :data:`~tui.widgets.entry.sections.ENTRY_SECTIONS`, in a
        container with the section's name as its id."""
        if section == "entry-head":
            with Vertical(id="entry-head"):
                yield Static(markup=False, id="headword")
                yield Static(markup=False, id="headword-ja")
                yield EntryMeta(id="entry-meta")
                yield Static(markup=False, id="entry-aliases")
        elif section == "relations":
            with self._relations:
                yield from self._groups.values()
        else:
            with Vertical(classes="entry-section", id=section):
                yield from self._compose_section_body(section)

    def _compose_section_body(self, section: str) -> ComposeResult:
        if section == "definition":
            yield Label(SECTION_TITLES["definition"], classes="section-title")
            yield Paragraph("", id="definition-en", classes="definition -en")
            yield Paragraph("", id="definition-ja", classes="definition -ja")
        elif section == "error":
            yield Label(ERROR_TITLES["error"], classes="section-title")
            yield Static(markup=False, id="error-messages")
            yield Label(ERROR_TITLES["cause"], classes="section-title")
            yield Paragraph("", id="error-cause-en", classes="definition -en")
            yield Paragraph("", id="error-cause-ja", classes="definition -ja")
            yield Label(ERROR_TITLES["fix"], classes="section-title")
            yield Paragraph("", id="error-fix-en", classes="definition -en")
            yield Paragraph("", id="error-fix-ja", classes="definition -ja")
            yield Label(ERROR_TITLES["reproduce"], classes="section-title")
            with HorizontalScroll(id="reproduce-scroll"):
                yield Static(id="reproduce-code")
        elif section == "snippet":
            yield Label(SECTION_TITLES["snippet"], classes="section-title")
            with HorizontalScroll(id="snippet-scroll"):
                yield Static(id="snippet-code")
            with Horizontal(id="snippet-actions"):
                yield Button("▶ Run  r", id="run-snippet", compact=True)
                yield Button("Copy code  y", id="copy-snippet", compact=True)
                yield Button("Copy term  c", id="copy-term", compact=True)
        elif section == "asked-as":
            yield Label(SECTION_TITLES["asked-as"], classes="section-title")
            yield Static(id="asked-as-list")
        elif section == "sources":
            yield Label(SECTION_TITLES["sources"], classes="section-title")
            yield Static(id="sources-list")
        else:
            raise ValueError(f"the entry view has no part for section {section!r}")

    async def on_mount(self) -> None:
        await self._fill()

    async def watch_entry(self) -> None:
        await self._fill()

    async def show(self, entry: Entry | None) -> None:
        """Show ``entry``; returns once its related words are mounted too."""
        self.set_reactive(EntryView.entry, entry)
        await self._fill()

    def _fill_error(self, entry: Entry) -> None:
        """The error section: exception and templates, cause, fix and the reproduction."""
        error, snippet = entry.error, entry.snippet
        assert error is not None
        lines = [error.exception, *("  " + template for template in error.messages)]
        self.query_one("#error-messages", Static).update("\n".join(lines))
        for name, text in (("cause", error.cause), ("fix", error.fix)):
            self.query_one(f"#error-{name}-en", Paragraph).text = text.en
            self.query_one(f"#error-{name}-ja", Paragraph).text = tidy_japanese(text.ja)
        reproduce = snippet.reproduce if snippet is not None else None
        code = highlight((reproduce or "").rstrip("\n"), language="python")
        self.query_one("#reproduce-code", Static).update(code)

    def _part(self, selector: str, *, shown: bool = True) -> Widget:
        part = self.query_one(selector)
        part.display = shown
        return part

    async def _fill(self) -> None:
        async with self._filling:
            await self._fill_parts()

    async def _fill_parts(self) -> None:
        entry = self.entry
        self._part("#entry-empty", shown=entry is None)
        for section in ENTRY_SECTIONS:
            self._part(f"#{section}", shown=has_section(entry, section))
        relations = entry.relations() if entry is not None else {}
        for name, group in self._groups.items():
            await group.show(relations.get(name, []))
        if entry is not None and entry.error is not None:
            self._fill_error(entry)
        snippet = entry.snippet if entry is not None else None
        if snippet is not None:
            code = highlight(snippet.code.rstrip("\n"), language="python")
            self.query_one("#snippet-code", Static).update(code)
            self.query_one("#snippet-scroll", HorizontalScroll).scroll_home(animate=False)
        requests = entry.asked_as.all() if entry is not None else []
        if requests:
            self.query_one("#asked-as-list", Static).update(asked_as_content(requests))
        sources = entry.sources if entry is not None else []
        if sources:
            self.query_one("#sources-list", Static).update(sources_content(sources))
        if entry is None:
            return
        self.query_one("#headword", Static).update(entry.term.en)
        self.query_one("#headword-ja", Static).update(headword_ja(entry))
        self.query_one(EntryMeta).entry = entry
        aliases = self._part("#entry-aliases", shown=bool(entry.aliases))
        if entry.aliases:
            assert isinstance(aliases, Static)
            aliases.update("also: " + ", ".join(entry.aliases))
        self.query_one("#definition-en", Paragraph).text = entry.definition.en
        self.query_one("#definition-ja", Paragraph).text = tidy_japanese(entry.definition.ja)
