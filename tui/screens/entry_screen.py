"""One entry, full screen: read it, follow its links, run its example.

Following a link shows the linked entry on the same screen and remembers where the reader
was; Escape walks back through that history one entry at a time (each at the scroll position
it was left at) and finally returns to the results, exactly as they were left.

The app keeps one entry screen, in a screen stack (a Textual *mode*) of its own beside the
results', and shows each opened entry on it. So the results and the entry are never stacked:
each screen is styled only while it is on show (a theme switch restyles one screen, not
two), and opening an entry composes only the entry's own view, never the header, footer and
output panel again.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Button, Header

from glossary.i18n import _
from glossary.snippets.trust import code_digest, is_trusted_code
from tui.screens.dialogs import ConfirmRunScreen
from tui.screens.snippet_editor import EditedCode, SnippetEditorScreen
from tui.widgets.entry.entry_view import EntryView
from tui.widgets.entry.run_panel import RunPanel
from tui.widgets.footer import KeyFooter

if TYPE_CHECKING:
    from glossary.schema import Entry, Term
    from tui.app import GlossaryApp


class EntryScreen(Screen[None]):
    """Shows :attr:`entry`; ``r`` runs its snippet into the output panel.

    Created empty by the app; :meth:`open` shows an entry as a new visit.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close_run", _("Close output"), show=False),
        Binding("escape,backspace", "back", _("Back")),
        Binding("r", "run", _("Run")),
        Binding("e", "edit", _("Edit")),
        Binding("x", "cancel_run", _("Cancel")),
        Binding("x", "close_run", _("Close")),
        Binding("plus,equals_sign", "resize_run(1)", _("Taller output"), show=False),
        Binding("minus", "resize_run(-1)", _("Shorter output"), show=False),
        Binding("y", "copy_snippet", _("Copy code")),
        Binding("c", "copy_term", _("Copy term"), show=False),
        Binding("o", "app.open_docs", _("Docs")),
        Binding("b", "app.bookmark", "Bookmark", show=False),
        Binding("slash", "app.new_search", _("Search"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._entry: Entry | None = None
        self.history: list[tuple[Entry, float]] = []
        """Entries left by following a link, with their scroll positions, oldest first."""
        self.confirmed: set[str] = set()
        """Digests (:func:`~glossary.snippets.trust.code_digest`) of code the user let run."""
        self.edited: dict[str, str] = {}
        """The reader's own version of an example, by entry id, for as long as the app runs."""

    @property
    def entry(self) -> Entry:
        """The entry on show."""
        assert self._entry is not None, "open() an entry first"
        return self._entry

    def _set_titles(self) -> None:
        if self._entry is not None:
            self.sub_title = f"{self._entry.term.en} · {self._entry.term.ja}"

    def compose(self) -> ComposeResult:
        yield Header()
        yield EntryView(self._lookup_term, self._entry, id="entry-view")
        run_panel = RunPanel(self.gloss_app.start_snippet, id="run-panel")
        run_panel.display = False
        yield run_panel
        yield KeyFooter()

    def on_mount(self) -> None:
        self.watch(self.run_panel, "running", self._on_running_changed, init=False)
        view = self.entry_view
        if view.entry is not self._entry:  # opened again while this screen was composed
            view.entry = self._entry
        view.focus()

    @property
    def entry_view(self) -> EntryView:
        """The view of the entry on show."""
        return self.query_one("#entry-view", EntryView)

    async def open(self, entry: Entry) -> None:
        """Show ``entry`` as a new visit: no history, no output panel, at the top.

        The app calls it before it switches to this screen, and switches once it returns:
        by then the view shows ``entry``, so the screen never appears with the entry of the
        last visit.
        """
        self.history.clear()
        self._entry = entry
        self._set_titles()
        if not self.is_mounted:  # still being built: compose (or on_mount) shows it
            return
        self.run_panel.reset()
        view = self.entry_view
        await view.show(entry)
        view.scroll_home(animate=False)
        view.focus()
        self.refresh_bindings()

    def leave(self) -> None:
        """The reader goes back to the results: stop the run, so that no process keeps
        going unseen (the screen itself is kept for the next entry)."""
        self.run_panel.cancel()

    def show_entry(self, entry: Entry) -> None:
        """Follow a link: show ``entry`` here, remembering the one left and its position."""
        view = self.entry_view
        self.history.append((self.entry, view.scroll_y))
        self._show(entry, 0.0)

    def _show(self, entry: Entry, scroll_y: float) -> None:
        self._entry = entry
        self._set_titles()
        view = self.entry_view
        view.entry = entry
        view.focus()
        self.call_after_refresh(view.scroll_to, y=scroll_y, animate=False)
        self.refresh_bindings()

    @property
    def gloss_app(self) -> GlossaryApp:
        """The app: entries, where they came from, the runner and the clipboard."""
        from tui.app import GlossaryApp

        assert isinstance(self.app, GlossaryApp)
        return self.app

    @property
    def run_panel(self) -> RunPanel:
        """The output panel of this screen's runs."""
        return self.query_one(RunPanel)

    def current_entry(self) -> Entry:
        """The entry on show (what the copy commands copy)."""
        return self.entry

    def _lookup_term(self, entry_id: str) -> Term | None:
        entry = self.gloss_app.lookup_entry(entry_id)
        return entry.term if entry is not None else None

    def _on_running_changed(self, _running: bool) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer Run and Edit only with a snippet (dimmed while running), Cancel only while
        running, closing and resizing the output only while it is on show."""
        entry_actions = ("run", "edit", "cancel_run", "copy_snippet", "copy_term", "open_docs")
        if self._entry is None:
            return action not in entry_actions
        if action in ("run", "edit"):
            if self.entry.snippet is None:
                return False
            return None if self.run_panel.running else True
        if action == "cancel_run":
            return self.run_panel.running
        if action == "close_run":
            return self.run_panel.display and not self.run_panel.running
        if action == "resize_run":
            return self.run_panel.display
        if action == "copy_snippet":
            return self.entry.snippet is not None
        return True

    def action_back(self) -> None:
        """Back to the previous entry, or to the results."""
        if self.history:
            self._show(*self.history.pop())
        else:
            self.gloss_app.show_search()

    def action_run(self) -> None:
        """Run the snippet; code from a user folder asks first (once for each exact text)."""
        entry = self.entry
        if entry.snippet is not None and not self.run_panel.running:
            self._run_checked(entry, entry)

    def action_edit(self) -> None:
        """Edit the example (the reader's last version of it, if any), then run it."""
        entry = self.entry
        if entry.snippet is None or self.run_panel.running:
            return
        code = self.edited.get(entry.id, entry.snippet.code)
        self.app.push_screen(
            SnippetEditorScreen(entry.id, code), callback=partial(self._edited, entry)
        )

    def _edited(self, entry: Entry, result: EditedCode | None) -> None:
        """Keep the edited text; run it if asked (as the example: isolated, and asked first
        unless it is, to the letter, a bundled example)."""
        if result is None or entry.snippet is None:
            return
        if result.code == entry.snippet.code:
            self.edited.pop(entry.id, None)
        else:
            self.edited[entry.id] = result.code
        if result.run and self._entry is entry and not self.run_panel.running:
            snippet = entry.snippet.model_copy(update={"code": result.code})
            self._run_checked(entry, entry.model_copy(update={"snippet": snippet}))

    def _run_checked(self, shown: Entry, to_run: Entry) -> None:
        """Run ``to_run`` (``shown``'s example, or an edited copy of it) if its code may run
        without asking; else ask first."""
        snippet = to_run.snippet
        assert snippet is not None
        edited = to_run is not shown
        digest = code_digest(snippet.code)
        glossary = self.gloss_app.glossary
        if digest in self.confirmed or is_trusted_code(glossary, to_run):
            self.run_panel.start(to_run, edited=edited)
            self._show_snippet()
            return
        origin = glossary.origins.get(shown.id) if glossary is not None else None
        self.app.push_screen(
            ConfirmRunScreen(
                shown.id, origin.path if origin else None, snippet.code, edited=edited
            ),
            callback=partial(self._start_confirmed, shown, to_run, digest),
        )

    def _start_confirmed(
        self, shown: Entry, to_run: Entry, digest: str, confirmed: bool | None
    ) -> None:
        """Run what the dialog showed, and only that: ``shown`` is the entry it was asked for."""
        if not confirmed:
            return
        self.confirmed.add(digest)
        if self._entry is shown:
            self.run_panel.start(to_run, edited=to_run is not shown)
            self._show_snippet()

    def _show_snippet(self) -> None:
        """Bring the example into view above the output panel once it is laid out."""
        snippet = self.entry_view.query_one("#snippet")
        self.call_after_refresh(snippet.scroll_visible, animate=False, top=True)

    def action_close_run(self) -> None:
        """Hide the output of a run that has ended."""
        self.run_panel.close()
        self.refresh_bindings()

    def action_resize_run(self, step: int) -> None:
        """Make the output panel taller (1) or shorter (-1)."""
        self.run_panel.change_height(step)

    def action_cancel_run(self) -> None:
        """Stop the running snippet."""
        self.run_panel.cancel()

    def action_copy_snippet(self) -> None:
        """Copy the example's code."""
        self.gloss_app.copy_snippet(self.entry)

    def action_copy_term(self) -> None:
        """Copy the headword in both languages."""
        self.gloss_app.copy_term(self.entry)

    @on(Button.Pressed, "#run-snippet")
    def _on_run_pressed(self) -> None:
        self.action_run()

    @on(Button.Pressed, "#copy-snippet")
    def _on_copy_snippet_pressed(self) -> None:
        self.action_copy_snippet()

    @on(Button.Pressed, "#copy-term")
    def _on_copy_term_pressed(self) -> None:
        self.action_copy_term()
