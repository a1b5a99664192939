"""Synonyms, antonyms, co-occurring and related words; those that link to entries are links.

A link is a focusable one-line widget (``→ word``): Tab reaches it, Enter or a click follows
it. A word without an entry of its own (``· word``) is focusable too: Enter or a click
searches for it, so no related word is a dead end, and the reader still tells at a glance
which ones lead straight to an entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Literal

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label

from glossary.i18n import _
from glossary.schema import Relation, Term
from tui.format import tidy_japanese
from tui.messages import OpenEntry, SearchFor
from tui.widgets.paragraph import Paragraph

RELATION_TITLES: dict[str, str] = {
    "synonyms": "Synonyms 同意語",
    "antonyms": "Antonyms 対義語",
    "cooccurring": "Co-occurring 共起語",
    "related": "Related 関連語",
}

TermLookup = Callable[[str], Term | None]
"""Finds the headword of a linked entry (``None`` when the id is not loaded)."""


def relation_text(item: Relation, lookup: TermLookup) -> str:
    """``en  ja（reading）``; a bare link borrows the linked entry's headword."""
    en, ja, reading = item.en, item.ja, item.reading
    if item.ref and not (en or ja):
        target = lookup(item.ref)
        if target is not None:
            en, ja, reading = target.en, target.ja, target.reading
        else:
            en = item.ref
    words = [w for w in (en, ja) if w]
    if len(words) == 2 and words[0] == words[1]:
        words = words[:1]
    text = "  ".join(words)
    if reading and reading != ja:
        text += f"（{reading}）"
    return text


def search_words(item: Relation) -> str:
    """What a word without an entry searches for: its English, else its Japanese, else the
    id it names."""
    return item.en or item.ja or item.ref or ""


@dataclass(frozen=True, slots=True)
class RelationLine:
    """What a relation group shows, in order: a ``link`` to the entry ``ref``, a ``search``
    for the words ``ref`` (a word without an entry), or the ``note`` under the word before
    it."""

    kind: Literal["link", "search", "note"]
    text: str
    ref: str | None = None


def relation_lines(items: list[Relation], lookup: TermLookup) -> list[RelationLine]:
    """The lines of one relation group: a link or a search for each item, then its note."""
    lines: list[RelationLine] = []
    for item in items:
        text = relation_text(item, lookup)
        if item.ref and lookup(item.ref) is not None:
            lines.append(RelationLine("link", text, item.ref))
        else:
            lines.append(RelationLine("search", text, search_words(item)))
        if item.note is not None:
            lines.append(RelationLine("note", f"  {item.note.en} / {tidy_japanese(item.note.ja)}"))
    return lines


class RelationLink(Paragraph, can_focus=True):
    """A related word that opens its entry (Enter or click)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "follow", "Follow link")]

    def __init__(self, text: str, ref: str) -> None:
        super().__init__("", hanging=2, by_words=True, classes="relation-link")
        self.show_link(text, ref)

    def show_link(self, text: str, ref: str) -> None:
        """Lead to ``ref`` now, under the words ``text``."""
        self.text = f"→ {text}"
        self.ref = ref
        self.tooltip = f"Open {ref}"

    def action_follow(self) -> None:
        """Ask the screen to open the linked entry."""
        self.post_message(OpenEntry(self.ref))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_follow()


class RelationSearch(Paragraph, can_focus=True):
    """A related word without an entry of its own: Enter or a click searches for it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "search", _("Search for it"))]

    def __init__(self, text: str, words: str) -> None:
        super().__init__("", hanging=2, by_words=True, classes="relation-word")
        self.show_words(text, words)

    def show_words(self, text: str, words: str) -> None:
        """Show ``text``; searching finds ``words``."""
        self.text = f"· {text}"
        self.words = words
        self.tooltip = _("Search for “{words}”").format(words=words)

    def action_search(self) -> None:
        """Ask the app to search for the word."""
        self.post_message(SearchFor(self.words))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_search()


def line_widget(line: RelationLine) -> Paragraph:
    """A new widget showing ``line``."""
    if line.kind == "link" and line.ref is not None:
        return RelationLink(line.text, line.ref)
    if line.kind == "search" and line.ref is not None:
        return RelationSearch(line.text, line.ref)
    return Paragraph(line.text, hanging=2, classes="relation-note")


def show_line(widget: Widget, line: RelationLine) -> bool:
    """Show ``line`` on a widget made by :func:`line_widget` for a line of the same kind;
    ``False`` (and nothing changed) when it was made for another kind."""
    if isinstance(widget, RelationLink):
        if line.kind != "link" or line.ref is None:
            return False
        widget.show_link(line.text, line.ref)
        return True
    if isinstance(widget, RelationSearch):
        if line.kind != "search" or line.ref is None:
            return False
        widget.show_words(line.text, line.ref)
        return True
    if line.kind != "note" or not isinstance(widget, Paragraph):
        return False
    widget.text = line.text
    return True


class RelationGroup(Vertical):
    """One kind of relation: a title and one word per line.

    The entry view keeps one group per kind from entry to entry, and :meth:`show` puts the
    next entry's words on the widgets already there where it can: widgets that are removed
    die in reference cycles that only a slow full garbage collection frees (see
    ``tui/freezing_gc.py``), and the related words were most of what each link followed left.
    """

    def __init__(self, field_name: str, lookup: TermLookup) -> None:
        super().__init__(classes=f"relation-group -{field_name}")
        self.field_name = field_name
        self._lookup = lookup

    def compose(self) -> ComposeResult:
        yield Label(RELATION_TITLES[self.field_name], classes="section-title")

    async def show(self, items: list[Relation]) -> None:
        """Show ``items`` (hidden when there are none); returns once they are mounted."""
        self.display = bool(items)
        lines = relation_lines(items, self._lookup)
        widgets = list(self.children)[1:]
        kept = 0
        for widget, line in zip(widgets, lines, strict=False):
            if not show_line(widget, line):
                break
            kept += 1
        if widgets[kept:]:
            await self.remove_children(widgets[kept:])
        if lines[kept:]:
            await self.mount_all([line_widget(line) for line in lines[kept:]])


def relation_groups(lookup: TermLookup) -> list[RelationGroup]:
    """A group for each kind of relation, in display order (each hidden until shown)."""
    return [RelationGroup(name, lookup) for name in RELATION_TITLES]
