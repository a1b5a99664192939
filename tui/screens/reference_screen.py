"""The page of a reference entry: a public name of the installed torch without a curated entry.

What ``torchgloss show`` prints for such a name (:mod:`glossary.reference`): its signature,
summary, rendered docstring and documentation link, marked "not yet curated" (there is no
Japanese and no example of ours). Curated entries that link to the name are links here.
It goes over the results, and Escape returns to them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import HorizontalScroll, Vertical, VerticalScroll
from textual.content import Content
from textual.highlight import highlight
from textual.screen import Screen
from textual.style import Style
from textual.widgets import Header, Label, Static

from glossary.i18n import _
from glossary.reference import render_docstring
from glossary.reference.docstrings import doc_body
from tui.widgets.entry.relations import RelationLink
from tui.widgets.footer import KeyFooter
from tui.widgets.search.results_list import NOT_CURATED

if TYPE_CHECKING:
    from glossary.reference import ReferenceEntry
    from glossary.schema import Entry
    from tui.app import GlossaryApp


def reference_badge(torch_version: str) -> str:
    """The line that says where the page comes from and that it is not curated."""
    return _("{not_curated} · the installed torch {version}'s own documentation").format(
        not_curated=NOT_CURATED, version=torch_version
    )


class ReferenceScreen(Screen[None]):
    """Shows one :class:`~glossary.reference.ReferenceEntry`; ``o`` opens its docs page."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "back", _("Back")),
        Binding("o", "open_docs", _("Docs")),
        Binding("c", "copy_name", _("Copy name")),
        Binding("slash", "app.new_search", _("Search"), show=False),
    ]

    def __init__(self, entry: ReferenceEntry, torch_version: str, linked: list[Entry]) -> None:
        super().__init__()
        self.entry = entry
        self.torch_version = torch_version
        self.linked = linked
        """Curated entries that link to this name."""

    @property
    def gloss_app(self) -> GlossaryApp:
        """The app: the browser and the clipboard."""
        from tui.app import GlossaryApp

        assert isinstance(self.app, GlossaryApp)
        return self.app

    def compose(self) -> ComposeResult:
        entry = self.entry
        self.sub_title = f"{entry.name} · {NOT_CURATED}"
        yield Header()
        with VerticalScroll(id="reference-view"):
            with Vertical(id="entry-head"):
                yield Static(entry.name, markup=False, id="headword")
                yield Static(reference_badge(self.torch_version), id="reference-badge")
                meta = f"{entry.kind}  {entry.module}"
                if entry.deprecated:
                    meta += "  " + _("deprecated")
                yield Static(meta, markup=False, id="reference-meta")
                if entry.aliases:
                    also = _("also: {names}").format(names=", ".join(entry.aliases))
                    yield Static(also, markup=False, id="entry-aliases")
            if entry.display_signature:
                with Vertical(classes="entry-section"):
                    yield Label(_("Signature"), classes="section-title")
                    with HorizontalScroll(id="signature-scroll"):
                        yield Static(
                            highlight(entry.display_signature, language="python"),
                            id="reference-signature",
                        )
            body = render_docstring(doc_body(entry.doc, entry.short_name))
            with Vertical(classes="entry-section"):
                yield Label(_("Documentation"), classes="section-title")
                if entry.summary and not " ".join(body.split()).startswith(entry.summary):
                    yield Static(entry.summary, markup=False, id="reference-summary")
                text = body or _("(no docstring in the installed torch)")
                yield Static(text, markup=False, id="reference-doc")
            with Vertical(classes="entry-section"):
                yield Label(_("Documentation page"), classes="section-title")
                yield Static(
                    Content.assemble((entry.url, Style(link=entry.url))), id="reference-url"
                )
            if self.linked:
                with Vertical(classes="entry-section"):
                    yield Label(_("Curated entries that link here"), classes="section-title")
                    for linked in self.linked:
                        yield RelationLink(f"{linked.term.en}  {linked.term.ja}", linked.id)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#reference-view").focus()

    def current_entry(self) -> None:
        """No curated entry is on show (bookmarks and copy commands say so)."""
        return None

    def action_back(self) -> None:
        """Back to the results."""
        self.app.pop_screen()

    def action_open_docs(self) -> None:
        """Open the documentation page in the web browser."""
        self.gloss_app.open_link(self.entry.url)

    def action_copy_name(self) -> None:
        """Copy the dotted name."""
        self.gloss_app.copy_to_clipboard(self.entry.name)
        self.notify(_("Copied {text}").format(text=self.entry.name), title=_("Clipboard"))
