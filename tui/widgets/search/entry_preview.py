"""The preview beside the results on a wide terminal: the highlighted entry, read-only.

The preview follows the results cursor, so it changes on every move. It is one widget that
draws the whole entry as styled lines, rather than the entry screen's tree of some thirty
widgets (focusable links, buttons, a scrolling code block): mounting, laying out and
restyling that tree took tens of milliseconds at each move and at each theme switch. The
parts take their styles from ``app.tcss`` through component classes, like the entry screen's
widgets, so both look alike in either theme. Clicking a related word that has an entry
opens it, as on the entry screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.highlight import highlight
from textual.style import Style
from textual.widget import Widget

from glossary.i18n import _
from glossary.schema import Entry
from glossary.search.types import SearchHit
from tui.format import tidy_japanese
from tui.messages import OpenEntry
from tui.widgets.entry.entry_view import headword_ja, meta_content
from tui.widgets.entry.relations import RELATION_TITLES, TermLookup, relation_lines
from tui.widgets.entry.sections import (
    ENTRY_SECTIONS,
    ERROR_TITLES,
    SECTION_TITLES,
    has_section,
)
from tui.widgets.paragraph import wrapped_lines
from tui.widgets.parts import PartStyles
from tui.widgets.search.results_list import NOT_CURATED

EMPTY = "Nothing selected."


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph of the preview.

    ``kind`` is ``text`` (``text`` wrapped to the width, styled as ``component``), ``meta``
    (the entry's meta line) or ``code`` (``text`` is code: highlighted, one line per line).
    ``gap`` puts a blank line before it; ``ref`` is the entry a click on it opens; ``url``
    makes it a terminal hyperlink.
    """

    kind: Literal["text", "meta", "code"]
    text: str = ""
    component: str = ""
    gap: bool = False
    hanging: int = 0
    by_words: bool = False
    ref: str | None = None
    url: str | None = None


def entry_blocks(entry: Entry, lookup: TermLookup) -> list[Block]:
    """The paragraphs of ``entry``, top to bottom, section by section as the entry screen
    shows them (:data:`~tui.widgets.entry.sections.ENTRY_SECTIONS`)."""
    blocks: list[Block] = []
    for section in ENTRY_SECTIONS:
        if has_section(entry, section):
            blocks += section_blocks(entry, section, lookup)
    return blocks


def _title(text: str) -> Block:
    return Block("text", text, "entry-text--title", gap=True)


def _bilingual(en: str, ja: str) -> list[Block]:
    return [
        Block("text", en, "entry-text--definition"),
        Block("text", tidy_japanese(ja), "entry-text--definition", gap=True),
    ]


def section_blocks(entry: Entry, section: str, lookup: TermLookup) -> list[Block]:
    """The paragraphs of one section of ``entry``."""
    if section == "entry-head":
        blocks = [
            Block("text", entry.term.en, "entry-text--headword", gap=True),
            Block("text", headword_ja(entry), "entry-text--headword-ja"),
            Block("meta", gap=True),
        ]
        if entry.aliases:
            aliases = "also: " + ", ".join(entry.aliases)
            blocks.append(Block("text", aliases, "entry-text--aliases", by_words=True))
        return blocks
    if section == "definition":
        return [
            _title(SECTION_TITLES["definition"]),
            *_bilingual(entry.definition.en, entry.definition.ja),
        ]
    if section == "error":
        error = entry.error
        assert error is not None
        lines = "\n".join([error.exception, *("  " + template for template in error.messages)])
        blocks = [_title(ERROR_TITLES["error"]), Block("text", lines, "entry-text--definition")]
        blocks += [_title(ERROR_TITLES["cause"]), *_bilingual(error.cause.en, error.cause.ja)]
        blocks += [_title(ERROR_TITLES["fix"]), *_bilingual(error.fix.en, error.fix.ja)]
        reproduce = entry.snippet.reproduce if entry.snippet is not None else None
        if reproduce:
            blocks += [
                _title(ERROR_TITLES["reproduce"]),
                Block("code", reproduce, "entry-text--code"),
            ]
        return blocks
    if section == "relations":
        blocks = []
        for name, items in entry.relations().items():
            if not items:
                continue
            blocks.append(_title(RELATION_TITLES[name]))
            for line in relation_lines(items, lookup):
                marks = {"link": "→ ", "search": "· "}
                text = marks.get(line.kind, "") + line.text
                component = f"entry-text--{'word' if line.kind == 'search' else line.kind}"
                by_words = line.kind != "note"
                ref = line.ref if line.kind == "link" else None
                block = Block("text", text, component, hanging=2, by_words=by_words, ref=ref)
                blocks.append(block)
        return blocks
    if section == "snippet":
        assert entry.snippet is not None
        return [
            _title(SECTION_TITLES["snippet"]),
            Block("code", entry.snippet.code, "entry-text--code"),
        ]
    if section == "asked-as":
        requests = entry.asked_as.all()
        return [
            _title(SECTION_TITLES["asked-as"]),
            *(Block("text", f"“{request}”", "entry-text--note", hanging=1) for request in requests),
        ]
    if section == "sources":
        blocks = [_title(SECTION_TITLES["sources"])]
        for source in entry.sources:
            text = f"· {source.title}"
            blocks.append(
                Block("text", text, "entry-text--source", hanging=2, by_words=True, url=source.url)
            )
        return blocks
    raise ValueError(f"the preview has no part for section {section!r}")


class EntryText(Widget):
    """An entry drawn as lines of styled text, wrapped to the widget's width."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "entry-text--headword",
        "entry-text--headword-ja",
        "entry-text--aliases",
        "entry-text--title",
        "entry-text--definition",
        "entry-text--word",
        "entry-text--link",
        "entry-text--note",
        "entry-text--code",
        "entry-text--source",
        "entry-meta--kind",
        "entry-meta--api",
        "entry-meta--since",
        "entry-meta--id",
    }

    def __init__(self, lookup: TermLookup, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lookup = lookup
        self._entry: Entry | None = None
        self._blocks: list[Block] = [Block("text", EMPTY, "entry-text--aliases", gap=True)]
        self._lines: tuple[int, int, list[Content], list[str | None]] | None = None
        self._parts = PartStyles(self, self.COMPONENT_CLASSES)
        self._highlighted: dict[str, list[Content]] = {}

    @property
    def entry(self) -> Entry | None:
        """The entry on show."""
        return self._entry

    def show(self, entry: Entry | None) -> None:
        """Show ``entry`` (``None``: say that nothing is selected)."""
        self._entry = entry
        self._highlighted.clear()
        if entry is None:
            self._blocks = [Block("text", EMPTY, "entry-text--aliases", gap=True)]
        else:
            self._blocks = entry_blocks(entry, self._lookup)
        self._lines = None
        self.refresh(layout=True)

    def show_reference(self, hit: SearchHit) -> None:
        """Show what a reference hit says of itself: its name, that it is not curated, its
        summary (its page opens with Enter)."""
        self._entry = None
        self._highlighted.clear()
        self._blocks = [
            Block("text", hit.term_en, "entry-text--headword", gap=True),
            Block("text", NOT_CURATED, "entry-text--note"),
            Block("text", hit.summary_en or " ", "entry-text--definition", gap=True),
            Block("text", _("Enter opens its page."), "entry-text--aliases", gap=True),
        ]
        self._lines = None
        self.refresh(layout=True)

    def _code_lines(self, code: str) -> list[Content]:
        """``code`` highlighted, once per entry (its colours are theme variables, looked up
        when drawn, so a theme switch needs no new highlighting)."""
        lines = self._highlighted.get(code)
        if lines is None:
            highlighted = highlight(code.rstrip("\n"), language="python")
            lines = self._highlighted[code] = highlighted.split("\n", allow_blank=True)
        return lines

    def _block_lines(self, block: Block, width: int) -> list[Content]:
        if block.kind == "meta" and self._entry is not None:
            meta = meta_content(self._entry, self._parts.__getitem__)
            return [meta.truncate(width, ellipsis=True)]
        style = self._parts[block.component]
        if block.kind == "code":
            pad = Content(" ")
            return [
                Content.assemble(pad, line.truncate(width - 2, ellipsis=True), pad)
                .pad_right(max(width - 2 - line.cell_length, 0))
                .stylize_before(style)
                for line in self._code_lines(block.text)
            ]
        if block.url:
            style = style + Style(link=block.url)
        return [
            Content.styled(line, style)
            for line in wrapped_lines(block.text, width, block.hanging, block.by_words)
        ]

    def lines(self, width: int) -> tuple[list[Content], list[str | None]]:
        """The lines at ``width`` cells, and for each the entry a click there opens."""
        version = self._parts.version
        if self._lines is None or self._lines[:2] != (width, version):
            lines: list[Content] = []
            refs: list[str | None] = []
            for block in self._blocks:
                if block.gap:
                    lines.append(Content(""))
                    refs.append(None)
                block_lines = self._block_lines(block, max(width, 4))
                lines += block_lines
                refs += [block.ref] * len(block_lines)
            self._lines = (width, self._parts.version, lines, refs)
        return self._lines[2], self._lines[3]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width)[0])

    def render(self) -> Content:
        self._parts.refresh()  # after a theme switch, the lines are styled again
        return Content("\n").join(self.lines(self.content_size.width)[0])

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        _, refs = self.lines(self.content_size.width)
        ref = refs[offset.y] if 0 <= offset.y < len(refs) else None
        if ref is not None:
            event.stop()
            self.post_message(OpenEntry(ref))


class EntryPreview(VerticalScroll):
    """Scrolls an :class:`EntryText`; set :attr:`entry` to show another (or ``None``)."""

    def __init__(self, lookup: TermLookup, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = EntryText(lookup, id="preview-text")

    def compose(self) -> ComposeResult:
        yield self._text

    @property
    def entry(self) -> Entry | None:
        """The entry on show."""
        return self._text.entry

    @entry.setter
    def entry(self, entry: Entry | None) -> None:
        self._text.show(entry)
        self.scroll_home(animate=False)

    def show_reference(self, hit: SearchHit) -> None:
        """Show a reference hit (a torch name without a curated entry)."""
        self._text.show_reference(hit)
        self.scroll_home(animate=False)
