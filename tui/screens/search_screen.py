"""The home screen: a query box, filters, the ranked results and, when wide, a preview.

Typing searches as you go: each change restarts a short debounce timer, and when it fires a
worker thread asks the engine. Only the newest query's answer is shown, so a slow answer to
an old query can never overwrite a newer one.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Key, Paste, Resize
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, OptionList, Select, Static

from glossary.errors import GlossaryError
from glossary.i18n import _
from glossary.search.types import Mode
from glossary.text.normalize import has_japanese
from tui.format import definition_line
from tui.messages import OpenEntry, SearchFinished
from tui.semantic import SemanticState
from tui.widgets.footer import KeyFooter
from tui.widgets.search.entry_preview import EntryPreview
from tui.widgets.search.filter_bar import ANY, FilterBar
from tui.widgets.search.results_list import ResultRow, ResultsList
from tui.widgets.search.search_input import SearchInput

if TYPE_CHECKING:
    from glossary.schema import Entry, Term
    from tui.app import GlossaryApp
    from tui.engine import GlossaryEngine

DEBOUNCE_S = 0.08
"""Quiet time after a keystroke before searching: fast enough to feel instant, long enough to
fold the burst of characters an input method commits into one search."""

PREVIEW_DELAY_S = 0.1
"""Quiet time before the preview follows the cursor (holding an arrow key stays smooth)."""

RESULT_LIMIT = 30

PREVIEW_FROM_WIDTH = 110
"""Terminal width from which the highlighted entry is previewed beside the results."""

HINT = _(
    "Type to search the glossary in English, 日本語 or romaji.\n\n"
    "  自動微分   torch.cat   テンソルをつなげる   jidoubibun   flashlight   松明\n\n"
    "↓ moves to the results, Enter opens one, F1 lists every key."
)


class SearchScreen(Screen[None]):
    """Search as you type; Enter opens the highlighted entry."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_highlighted", _("Open"), show=True),
        Binding("escape", "clear_or_focus", _("Clear"), show=False),
        Binding("f2", "app.cycle_language", _("Language")),
        Binding("f3", "pick_kind", _("Kind")),
        Binding("slash", "focus_query", _("Search"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._debounce: Timer | None = None
        self._preview_timer: Timer | None = None
        self._generation = 0
        self._shown_generation = 0
        self._search_lock = threading.Lock()
        self._open_when_answered = False
        self.shown_query = ""
        """The query whose results are on show."""

    @property
    def gloss_app(self) -> GlossaryApp:
        """The app, with its engine and filters."""
        from tui.app import GlossaryApp

        assert isinstance(self.app, GlossaryApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="search-top"):
            yield SearchInput(
                placeholder=_("Search: 自動微分, torch.cat, flashlight, たいまつ …"), id="query"
            )
            app = self.gloss_app
            yield FilterBar(app.lang_filter, app.kind_filter, id="filter-bar")
        with Horizontal(id="search-body"):
            with Vertical(id="results-pane"):
                yield ResultsList(id="results")
                yield Static(HINT, id="results-hint", markup=False)
            yield EntryPreview(self._lookup_term, id="preview")
        yield KeyFooter()

    def on_mount(self) -> None:
        app = self.gloss_app
        self._show_hint(HINT)
        bar = self.query_one(FilterBar)
        bar.set_filters(app.lang_filter, app.kind_filter)
        bar.set_status(_("Loading the glossary…"))
        self.watch(app, "engine_ready", self._on_engine_ready)
        self.watch(app, "engine_error", self._on_engine_error)
        self.watch(app, "semantic_state", self._on_semantic_state)
        self.watch(app, "lang_filter", self._on_filters, init=False)
        self.watch(app, "kind_filter", self._on_filters, init=False)
        self.watch(app, "indexes_rebuilt", self._on_indexes_rebuilt, init=False)
        self.query_one(SearchInput).focus()

    # -- state from the app -------------------------------------------------------------

    def _on_engine_ready(self, ready: bool) -> None:
        if ready:
            self.query_one(FilterBar).set_status("")
            self.run_search(immediately=True)

    def _on_engine_error(self, error: str) -> None:
        if error:
            self.query_one(FilterBar).set_status("")
            self._show_hint(error)

    def _on_semantic_state(self, state: SemanticState) -> None:
        app = self.gloss_app
        self.query_one(FilterBar).set_semantic_state(state, app.semantic_text, app.semantic_detail)
        if state is SemanticState.READY:
            self.run_search(immediately=True)  # the semantic signal joins the current query

    def _on_filters(self, _value: str | None) -> None:
        app = self.gloss_app
        self.query_one(FilterBar).set_filters(app.lang_filter, app.kind_filter)
        self.run_search(immediately=True)

    def _on_indexes_rebuilt(self, _count: int) -> None:
        self.run_search(immediately=True)

    # -- searching ----------------------------------------------------------------------

    @property
    def query_text(self) -> str:
        """The query as typed or pasted (with a pasted text's line breaks), without
        surrounding spaces."""
        return self.query_one(SearchInput).query.strip()

    @on(Input.Changed, "#query")
    def _on_query_changed(self) -> None:
        self.run_search()

    def run_search(self, *, immediately: bool = False) -> None:
        """Search for the current query after the debounce delay (or now)."""
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        if immediately:
            self._start_search()
        else:
            self._debounce = self.set_timer(DEBOUNCE_S, self._start_search)

    def _start_search(self) -> None:
        self._debounce = None
        app = self.gloss_app
        query = self.query_text
        self._generation += 1
        if not query:
            self._shown_generation = self._generation
            self._open_when_answered = False
            self.shown_query = ""
            self.query_one(ResultsList).show_rows([])
            self.query_one(FilterBar).set_status("")
            self._show_hint(HINT)
            return
        if app.engine is None:
            return  # searched again once the engine is ready
        lang = app.lang_filter
        kind = app.kind_filter
        self._search(app.engine, self._generation, query, lang, kind)

    @work(thread=True, exclusive=True, group="search")
    def _search(
        self,
        engine: GlossaryEngine,
        generation: int,
        query: str,
        lang: str | None,
        kind: str | None,
    ) -> None:
        """Ask the engine (in a thread: a semantic query embeds text, which takes a moment)."""
        with self._search_lock:
            if generation != self._generation:
                return  # a newer query is already waiting
            # Until the model has loaded, ask for lexical results only: a hybrid query would
            # wait for the model (the engine loads it under a lock) instead of answering now.
            mode = Mode.HYBRID if engine.semantic_ready else Mode.LEXICAL
            try:
                response = engine.search(query, limit=RESULT_LIMIT, lang=lang, kind=kind, mode=mode)
            except GlossaryError as exc:
                self.post_message(SearchFinished(generation, query, [], "", error=str(exc)))
                return
            japanese_first = lang == "ja" or (lang is None and has_japanese(query))
            rows = []
            for hit in response.results:
                entry = None
                if not (hit.summary_en and hit.summary_ja):
                    entry = self.gloss_app.lookup_entry(hit.id)
                rows.append(ResultRow(hit, definition_line(hit, entry, japanese_first)))
        count = len(rows)
        found = _("1 result · {ms} ms") if count == 1 else _("{count} results · {ms} ms")
        status = found.format(count=count, ms=f"{response.elapsed_ms:.0f}")
        if response.notices:
            status = f"{response.notices[0]} · {status}"
        self.post_message(SearchFinished(generation, query, rows, status))

    @on(Input.Submitted, "#query")
    def _on_query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open_highlighted()

    def on_search_finished(self, message: SearchFinished) -> None:
        if message.generation < self._shown_generation or message.generation != self._generation:
            return
        self._shown_generation = message.generation
        results = self.query_one(ResultsList)
        bar = self.query_one(FilterBar)
        if message.error:
            results.show_rows([])
            bar.set_status("")
            self._show_hint(message.error)
            return
        results.show_rows(message.rows, keep_cursor=message.query == self.shown_query)
        self.shown_query = message.query
        bar.set_status(message.status)
        if message.rows:
            self._show_hint(None)
            self._schedule_preview()
        else:
            self._show_hint(
                _("Nothing matches “{query}”. Try other words or a filter.").format(
                    query=message.query
                )
            )
        if self._open_when_answered:
            self._open_when_answered = False
            self.action_open_highlighted()

    def _show_hint(self, text: str | None) -> None:
        """Show a hint instead of the results (``None``: show the results)."""
        hint = self.query_one("#results-hint", Static)
        if text is not None:
            hint.update(text)
        # The class goes on the pane, not the screen: a class change restyles every widget
        # below it, and the pane holds two.
        self.query_one("#results-pane").set_class(text is not None, "-hint")

    # -- results and preview ------------------------------------------------------------

    @on(OptionList.OptionSelected, "#results")
    def _on_result_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            layer = self.query_one(ResultsList).layer_of(event.option.id)
            self.post_message(OpenEntry(event.option.id, layer))

    @on(OptionList.OptionHighlighted, "#results")
    def _on_result_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._schedule_preview()

    def _schedule_preview(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_DELAY_S, self._update_preview)

    def _update_preview(self) -> None:
        """Show the highlighted entry beside the results (only when there is room for it)."""
        self._preview_timer = None
        if not self.query_one("#preview").has_class("-shown"):
            return
        results = self.query_one(ResultsList)
        entry_id = results.highlighted_id
        preview = self.query_one("#preview", EntryPreview)
        hit = results.hit_of(entry_id) if entry_id else None
        if hit is not None and hit.layer == "reference":
            preview.show_reference(hit)
            return
        entry = self.gloss_app.lookup_entry(entry_id) if entry_id else None
        if preview.entry is not entry or entry is None:
            preview.entry = entry

    def on_resize(self, event: Resize) -> None:
        """Show the preview on a wide terminal (a class on the preview alone: one on the
        screen would restyle every widget of the screen)."""
        self.query_one("#preview").set_class(event.size.width >= PREVIEW_FROM_WIDTH, "-shown")
        self._schedule_preview()

    def _lookup_term(self, entry_id: str) -> Term | None:
        entry = self.gloss_app.lookup_entry(entry_id)
        return entry.term if entry is not None else None

    def current_entry(self) -> Entry | None:
        """The entry under the results cursor (what "copy term" copies here)."""
        entry_id = self.query_one(ResultsList).highlighted_id
        return self.gloss_app.lookup_entry(entry_id) if entry_id else None

    # -- keys ---------------------------------------------------------------------------

    def on_key(self, event: Key) -> None:
        """Typing anywhere on this screen goes to the query box (bound keys such as ``?``
        keep their binding)."""
        query = self.query_one(SearchInput)
        if event.key in self.active_bindings:
            return
        if event.is_printable and event.character and not query.has_focus:
            if isinstance(self.focused, Select) and self.focused.expanded:
                return
            event.stop()
            query.focus()
            query.insert_text_at_cursor(event.character)

    def on_paste(self, event: Paste) -> None:
        """A paste while the results have the focus goes to the query box, as typing does."""
        query = self.query_one(SearchInput)
        if not query.has_focus:
            event.stop()
            query.focus()
            query.post_message(Paste(event.text))

    def on_screen_resume(self) -> None:
        self.query_one(SearchInput).sync_terminal_cursor()

    def action_open_highlighted(self) -> None:
        """Open the entry under the cursor, or the first result.

        Enter right after typing (before the debounced search has answered) searches at once
        and opens the first result of that answer.
        """
        if self._debounce is not None or self._generation != self._shown_generation:
            self._open_when_answered = True
            if self._debounce is not None:
                self.run_search(immediately=True)
            return
        results = self.query_one(ResultsList)
        entry_id = results.highlighted_id
        if entry_id is None and results.option_count:
            entry_id = results.get_option_at_index(0).id
        if entry_id:
            self.post_message(OpenEntry(entry_id, results.layer_of(entry_id)))

    def action_focus_results(self) -> None:
        """Move from the query box into the results."""
        results = self.query_one(ResultsList)
        if results.option_count:
            # At once, not after the queued events (as ``focus()`` would): a second ↓ typed
            # right after the first must move in the results, not land in the query box.
            self.set_focus(results)
            if results.highlighted is None:
                results.highlighted = 0

    def action_focus_query(self) -> None:
        """Back to the query box, text selected so typing replaces it."""
        query = self.query_one(SearchInput)
        query.focus()
        query.select_all()

    def action_clear_or_focus(self) -> None:
        """Escape: from the results, back to the query; in the query box, clear it."""
        query = self.query_one(SearchInput)
        if not query.has_focus:
            query.focus()
        elif query.value:
            query.value = ""

    def action_pick_kind(self) -> None:
        """Open the kind filter's list."""
        select = self.query_one("#kind-filter", Select)
        select.focus()
        select.action_show_overlay()

    @on(Select.Changed, "#lang-filter")
    def _on_lang_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.gloss_app.lang_filter = None if event.value in (ANY, Select.NULL) else str(event.value)

    @on(Select.Changed, "#kind-filter")
    def _on_kind_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.gloss_app.kind_filter = None if event.value in (ANY, Select.NULL) else str(event.value)
