"""The torchgloss terminal browser: the App, its state, and the slow work it runs in workers.

State that several screens show (the engine, whether semantic search has loaded, the
language and kind filters) lives here as reactives; screens watch it. Opening the engine
and loading the embedding model run in worker threads, rebuilding the indexes in a child
process (:mod:`tui.rebuild`), so the UI draws and answers keys from the first frame; the
search screen says what is still loading.

Keeping every action under a tenth of a second (``bench/bench_tui.py`` measures it) shapes
a few choices here: the results and the entry screen are two modes, never stacked, so a
theme switch restyles one screen; full garbage collections wait for a pause in typing
(:mod:`tui.freezing_gc`), and fewer of Textual's objects end up in reference cycles that only
those passes free (:mod:`tui.patches`, installed by the command that starts the app).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from glossary.errors import EntryNotFoundError, GlossaryError
from glossary.i18n import _
from glossary.loader import Glossary
from glossary.progress import StageClock, describe_seconds_left
from glossary.schema import Entry
from glossary.settings import Settings
from tui import memory
from tui.commands import GlossaryCommands
from tui.engine import GlossaryEngine, load_entries, open_engine, reference_layer, warm_up
from tui.freezing_gc import FreezingCollector
from tui.links import docs_link, open_in_browser
from tui.messages import OpenEntry, SearchFor
from tui.rebuild import rebuild_in_child
from tui.screens.bookmarks_screen import BookmarksScreen
from tui.screens.dialogs import ErrorDialog
from tui.screens.entry_screen import EntryScreen
from tui.screens.help_screen import HelpScreen
from tui.screens.history_screen import HistoryScreen
from tui.screens.reference_screen import ReferenceScreen
from tui.screens.search_screen import SearchScreen
from tui.semantic import SemanticState
from tui.snippets import SnippetStarter, start_snippet
from tui.widgets.search.search_input import SearchInput

if TYPE_CHECKING:
    from glossary.reference import ReferenceLayer

SEMANTIC_TEXT: dict[SemanticState, str] = {
    SemanticState.OFF: _("lexical only"),
    SemanticState.LOADING: _("◌ semantic loading…"),
    SemanticState.READY: _("● semantic ready"),
    SemanticState.FAILED: _("✕ semantic unavailable"),
}

LANGUAGE_CYCLE: list[str | None] = [None, "en", "ja"]

LIGHT_THEME = "textual-light"
DARK_THEME = "textual-dark"

SEARCH_MODE = "search"
ENTRY_MODE = "entry"

THEME_REPAINT_DELAY_S = 1 / 60
"""How long a theme switch holds the repaint back (one frame): see ``watch_theme``."""

GC_TICK_S = 0.25
"""How often the app checks whether a full garbage collection is due (see
:mod:`tui.freezing_gc`)."""


class GlossaryApp(App[None]):
    """Browse and search the torch glossary; run its examples.

    Args:
        engine: a ready engine to use (tests pass a lexical-only one); when ``None`` the real
            :class:`~glossary.search.engine.SearchEngine` is opened in a worker.
        extra_folders: glossary folders given with ``--data``.
        model: embedding model name or path for the engine (``--model``).
        device: device for the model (``--device``).
        load_semantic: load the embedding model in a worker after start-up; off, search
            stays lexical (``--no-semantic``, and snapshot tests, which want a stable screen).
        start_snippet: starts a snippet run (the real runner unless a test passes another).
    """

    CSS_PATH = "app.tcss"
    TITLE = "torchgloss"
    SUB_TITLE = "torch の用語集 · glossary"
    COMMANDS: ClassVar[set[type[Any]]] = App.COMMANDS | {GlossaryCommands}  # type: ignore[assignment]
    SCREENS: ClassVar[dict[str, Callable[[], Screen[Any]]]] = {"help": HelpScreen}
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {SEARCH_MODE: SearchScreen}
    """The results and the entry screen (:data:`ENTRY_MODE`, added per app) each have a
    screen stack of their own (see :mod:`tui.screens.entry_screen`); dialogs go on top of
    the one on show."""
    DEFAULT_MODE = SEARCH_MODE
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", _("Help")),
        Binding("question_mark", "help", _("Help"), show=False),
        Binding("ctrl+t", "toggle_theme", _("Theme"), show=False),
        Binding("f4,ctrl+b", "bookmarks", "Bookmarks", show=False),
        Binding("f5", "history", "History", show=False),
    ]

    engine_ready: var[bool] = var(False)
    """True once :attr:`engine` is open."""
    engine_error: var[str] = var("")
    """Why the engine could not be opened (the dialog said it in full)."""
    semantic_state: var[SemanticState] = var(SemanticState.OFF)
    """Whether semantic search answers yet (see :class:`~tui.semantic.SemanticState`)."""
    lang_filter: var[str | None] = var(None)
    """``None`` (any), ``"en"`` or ``"ja"``."""
    kind_filter: var[str | None] = var(None)
    """``None`` (any) or a :class:`~glossary.schema.Kind` value."""
    indexes_rebuilt: var[int] = var(0)
    """How many times the indexes were rebuilt (the results search again each time)."""

    def __init__(
        self,
        engine: GlossaryEngine | None = None,
        *,
        extra_folders: Sequence[Path] = (),
        model: str | None = None,
        device: str | None = None,
        load_semantic: bool = True,
        start_snippet: SnippetStarter = start_snippet,
    ) -> None:
        super().__init__()
        self.engine: GlossaryEngine | None = engine
        self._owns_engine = engine is None
        self.extra_folders = list(extra_folders)
        self.model = model
        self.device = device
        self.load_semantic = load_semantic
        self.start_snippet = start_snippet
        self.semantic_message = ""
        self._semantic_percent = ""
        self._clock = StageClock()
        self._previous_semantic_state = SemanticState.OFF
        self.glossary: Glossary | None = None
        """Every entry, once loaded in a worker; lookups here never wait on the engine."""
        self._collector = FreezingCollector()
        self._entry_screen: EntryScreen | None = None
        self._reference: ReferenceLayer | None = None
        """The installed torch's reference layer, once a reference page was opened."""
        self.add_mode(ENTRY_MODE, self._new_entry_screen)
        self.theme = DARK_THEME
        self.settings = Settings()
        """The settings file's: theme, filters, history length."""
        self._settings_error = memory.apply_settings(self)

    def on_mount(self) -> None:
        if self._settings_error is not None:
            self.show_error(self._settings_error)
        self._collector.start()
        self.set_interval(GC_TICK_S, self._collector.tick)
        if self.engine is None:
            self._open_engine()
        else:
            self._engine_opened(self.engine)

    def on_unmount(self) -> None:
        self._collector.stop()

    async def on_event(self, event: events.Event) -> None:
        back = isinstance(event, events.AppFocus)
        if back or (isinstance(event, events.InputEvent) and not event.is_forwarded):
            self._collector.activity()
        elif isinstance(event, events.AppBlur):
            self._collector.away()
        await super().on_event(event)

    # -- engine and model ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="engine")
    def _open_engine(self) -> None:
        """Open the engine (checks the data, loads the lexical index) off the UI thread."""
        try:
            engine = open_engine(self.extra_folders, model=self.model, device=self.device)
        except GlossaryError as exc:
            self.call_later(self._engine_failed, exc)
            return
        self.call_later(self._engine_opened, engine)

    def _engine_failed(self, error: GlossaryError) -> None:
        self.engine_error = f"{error.title}: the glossary could not be opened. Ctrl+Q quits."
        self.show_error(error)

    def _engine_opened(self, engine: GlossaryEngine) -> None:
        """Lexical search works from here on; the full entries load next, then the model."""
        self.engine = engine
        self.engine_ready = True
        if engine.skipped:
            units = {(p.path, p.entry_id) for p in engine.skipped}
            self.notify(
                _("{count} entries were skipped: their files do not validate ({first}).").format(
                    count=len(units), first=engine.skipped[0]
                ),
                title=_("Glossary"),
                severity="warning",
                timeout=12,
            )
        self._load_entries(engine)

    @work(thread=True, exclusive=True, group="entries")
    def _load_entries(self, engine: GlossaryEngine) -> None:
        """Read every entry (about a second of YAML and validation) off the UI thread, and
        warm the lexical search up: the first Japanese query loads the Sudachi dictionary, and
        that load holds the GIL (so it would stall the UI) for a tenth of a second or more.

        Entries and the warmed-up lexical search stay as long as the app: frozen once loaded,
        out of the collector's passes from then on (tui.freezing_gc)."""
        try:
            with self._collector.keeping():
                glossary = load_entries(engine)
                warm_up(engine)
        except GlossaryError as exc:
            self.call_later(self._entries_failed, exc)
            return
        self.call_later(self._entries_loaded, engine, glossary)

    def _entries_failed(self, error: GlossaryError) -> None:
        self.show_error(error)

    def _entries_loaded(self, engine: GlossaryEngine, glossary: Glossary | None) -> None:
        self.glossary = glossary
        self._prepare_entry_screen()
        if engine.semantic_ready:
            self.semantic_state = SemanticState.READY
        elif self.load_semantic:
            self.semantic_state = SemanticState.LOADING
            self._load_semantic(engine)

    @work(thread=True, exclusive=True, group="semantic", exit_on_error=False)
    def _load_semantic(self, engine: GlossaryEngine) -> None:
        """Load the embedding model and dense index (several seconds). The model brings many
        long-lived objects: frozen once loaded, out of the cyclic collector's passes, which
        would otherwise stall the UI."""
        with self._collector.keeping():
            engine.ensure_semantic(progress=self._progress)

    def _progress(self, stage: str, done: int = 0, total: int = 0) -> None:
        """Progress from the engine, called in its thread: ``stage`` and ``done`` of ``total``."""
        self.call_later(self._set_semantic_progress, stage, done, total)

    def _set_semantic_progress(self, stage: str, done: int, total: int) -> None:
        left = describe_seconds_left(self._clock.seconds_left(stage, done, total))
        self.semantic_message = f"{stage} {done}/{total} {left}".strip() if total else stage
        self._semantic_percent = f" {100 * done // total}%" if total else ""
        if left:
            self._semantic_percent += f" · {left}"
        self.mutate_reactive(GlossaryApp.semantic_state)

    @property
    def semantic_text(self) -> str:
        """What the status line says about semantic search, in a few words."""
        text = SEMANTIC_TEXT[self.semantic_state]
        if self.semantic_state is SemanticState.LOADING and self._semantic_percent:
            text = f"{text.rstrip('…')}{self._semantic_percent}"
        return text

    @property
    def semantic_detail(self) -> str:
        """The longer story (the status line's tooltip): the stage or the error."""
        shown = (SemanticState.LOADING, SemanticState.FAILED)
        return self.semantic_message if self.semantic_state in shown else ""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Semantic search is optional: if the model fails to load, say so and carry on."""
        worker = event.worker
        if worker.group == "semantic":
            if event.state is WorkerState.SUCCESS:
                self.semantic_message = self._semantic_percent = ""
                self.semantic_state = SemanticState.READY
            elif event.state is WorkerState.ERROR:
                error = worker.error
                self.semantic_message = (
                    str(error)
                    if isinstance(error, GlossaryError)
                    else (f"{type(error).__name__}: {error}")
                )
                self.semantic_state = SemanticState.FAILED
                self.notify(
                    _("Semantic search could not load; lexical search still works.") + f"\n{error}",
                    title=_("Model problem"),
                    severity="warning",
                    timeout=10,
                )

    # -- navigation ---------------------------------------------------------------------

    def entry(self, entry_id: str) -> Entry:
        """The entry with this id (raises ``EntryNotFoundError``).

        From the loaded entries when they are there; before that, from the engine, which may
        read files: call it from a worker then.
        """
        if self.glossary is not None:
            return self.glossary.get(entry_id)
        if self.engine is None:
            raise EntryNotFoundError("The glossary is still loading; try again in a moment.")
        return self.engine.entry(entry_id)

    def lookup_entry(self, entry_id: str) -> Entry | None:
        """The entry with this id if the loaded entries have it (never waits)."""
        if self.glossary is None:
            return None
        return self.glossary.by_id.get(entry_id)

    async def on_open_entry(self, message: OpenEntry) -> None:
        """A result was chosen or a link followed: push its entry screen."""
        if self.engine is None:
            return
        if isinstance(self.screen, SearchScreen) and self.screen.shown_query.strip():
            memory.remember_query(self, self.screen.shown_query)
        if message.layer == "reference":
            self._open_reference(self.engine, message.entry_id)
            return
        if self.glossary is None:
            self._open_entry_when_loaded(message.entry_id)
            return
        try:
            entry = self.entry(message.entry_id)
        except GlossaryError as exc:
            self.show_error(exc)
            return
        await self._push_entry(entry)

    @work(thread=True, group="open-entry")
    def _open_entry_when_loaded(self, entry_id: str) -> None:
        """Enter before the entries have loaded: fetch this one in a thread instead."""
        try:
            entry = self.entry(entry_id)
        except GlossaryError as exc:
            self.call_later(self.show_error, exc)
            return
        self.call_later(self._push_entry, entry)

    @work(thread=True, exclusive=True, group="open-reference")
    def _open_reference(self, engine: GlossaryEngine, name: str) -> None:
        """A reference hit was chosen: find its page (the layer is read once, in a thread)."""
        from glossary.reference.curated import linking_entries

        if self._reference is None:
            self._reference = reference_layer(engine)
        layer = self._reference
        found = layer.resolve(name) if layer is not None else None
        if layer is None or found is None:
            error = EntryNotFoundError(
                _(
                    "No page for {name}: the reference layer of the installed torch is not "
                    "built. `torchgloss show {name}` builds it."
                ).format(name=name)
            )
            self.call_later(self.show_error, error)
            return
        linked = linking_entries(self.glossary, found) if self.glossary is not None else []
        screen = ReferenceScreen(found, layer.torch_version, linked)
        self.call_later(self._push_reference, screen)

    def _push_reference(self, screen: ReferenceScreen) -> None:
        """Show a reference page over the results."""
        if self.current_mode != SEARCH_MODE:
            self.show_search()
        self._close_dialogs()
        self.push_screen(screen)

    async def _push_entry(self, entry: Entry) -> None:
        """Show ``entry``: on the entry screen if it is on show (a followed link, kept in its
        history), else as a new visit, switching from the results to the entry screen."""
        if isinstance(self.screen, EntryScreen):
            self.screen.show_entry(entry)
            return
        self._close_dialogs()
        if self._entry_screen is None:
            self.switch_mode(ENTRY_MODE)  # builds the screen
            assert self._entry_screen is not None
            await self._entry_screen.open(entry)
        else:
            await self._entry_screen.open(entry)
            self.switch_mode(ENTRY_MODE)

    def _new_entry_screen(self) -> EntryScreen:
        """The entry mode's screen, made once (when the mode is first shown)."""
        self._entry_screen = EntryScreen()
        return self._entry_screen

    def _prepare_entry_screen(self) -> None:
        """Build the entry screen now, while the model loads, not on the first Enter.

        Creating the entry mode composes the screen and styles it and the results twice
        over (a tenth of a second); switching there and straight back, in one callback,
        does that work here without drawing a frame of it.
        """
        if self._entry_screen is None and len(self.screen_stack) == 1:
            self.switch_mode(ENTRY_MODE)
            self.switch_mode(SEARCH_MODE)
            self.call_after_refresh(self._warm_entry_screen)

    async def _warm_entry_screen(self) -> None:
        """Fill the entry screen's view once, with an entry that has every part, and lay it
        out the same way (there and straight back): the view keeps its widgets from entry to
        entry, and their first layout, a tenth of a second, would otherwise fall on the
        reader's first Enter."""
        screen = self._entry_screen
        if screen is None or self.glossary is None:
            return
        if not screen.is_mounted:
            self.set_timer(0.1, self._warm_entry_screen)
            return
        view = screen.entry_view
        if view.entry is not None:  # the reader got there first
            return
        full = next(
            (
                entry
                for entry in self.glossary.entries
                if entry.snippet and entry.sources and entry.aliases and entry.asked_as.all()
            ),
            None,
        )
        if full is None:
            return
        await view.show(full)
        if view.entry is full and self.current_mode == SEARCH_MODE and len(self.screen_stack) == 1:
            self.switch_mode(ENTRY_MODE)
            self.switch_mode(SEARCH_MODE)

    def _close_dialogs(self) -> None:
        """Close whatever is over the screen of the current mode (help, a dialog)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def show_search(self) -> SearchScreen:
        """Back to the results, as they were left; a run on the entry screen stops."""
        self._close_dialogs()
        if self.current_mode != SEARCH_MODE:
            if isinstance(self.screen, EntryScreen):
                self.screen.leave()
            self.switch_mode(SEARCH_MODE)
        screen = self.screen
        assert isinstance(screen, SearchScreen)
        return screen

    def action_new_search(self) -> None:
        """Back to the search screen, query selected."""
        self.show_search().action_focus_query()

    def action_help(self) -> None:
        """Show the key bindings."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen("help")

    def show_error(self, error: GlossaryError) -> None:
        """A user error, in a dialog, with its own title."""
        self.push_screen(ErrorDialog(_(error.title), str(error)))

    # -- filters, theme, index ----------------------------------------------------------

    def set_language(self, lang: str | None) -> None:
        """Search entries in one language (``"en"``, ``"ja"``) or any (``None``)."""
        self.lang_filter = lang

    def set_kind(self, kind: str | None) -> None:
        """Search entries of one kind, or any (``None``)."""
        self.kind_filter = kind

    def action_cycle_language(self) -> None:
        """any → English → 日本語 → any."""
        index = LANGUAGE_CYCLE.index(self.lang_filter)
        self.lang_filter = LANGUAGE_CYCLE[(index + 1) % len(LANGUAGE_CYCLE)]

    def action_toggle_theme(self) -> None:
        """Switch between the light and the dark theme."""
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME

    def watch_theme(self) -> None:
        """A theme switch restyles every widget and then repaints the whole screen: each
        takes 25–75 ms on a wide terminal, but Textual runs them back to back, so a key
        pressed meanwhile would wait for both. Holding the repaint back a moment lets the
        event loop answer in between."""
        if self.is_running:
            self.delay_update(THEME_REPAINT_DELAY_S)

    def action_rebuild_indexes(self) -> None:
        """Rebuild the search indexes in a worker (lexical search keeps answering)."""
        if self.engine is None:
            return
        self.notify(_("Rebuilding the search indexes…"), title=_("Index"))
        self._previous_semantic_state = self.semantic_state
        if self.load_semantic:
            self.semantic_message = "rebuilding"
            self.semantic_state = SemanticState.LOADING
        self._rebuild_indexes(self.engine)

    @work(thread=True, exclusive=True, group="rebuild")
    def _rebuild_indexes(self, engine: GlossaryEngine) -> None:
        """Rebuild, then search with the new indexes. The engine the app opened itself is
        rebuilt in a child process and opened again (see :mod:`tui.rebuild`); one given to
        the app (tests pass one) rebuilds itself here.

        Loading what was rebuilt (here, not in the child) holds the collector's passes back,
        and freezes it: as at start-up, the new indexes and entries live as long as the app
        (see :mod:`tui.freezing_gc`)."""
        try:
            if self._owns_engine:
                rebuild_in_child(
                    self.extra_folders,
                    model=self.model,
                    device=self.device,
                    semantic=self.load_semantic,
                    progress=self._progress,
                )
            else:
                engine.rebuild_indexes(self._progress, semantic=self.load_semantic)
            with self._collector.keeping():
                if self._owns_engine:
                    engine = open_engine(self.extra_folders, model=self.model, device=self.device)
                    if self.load_semantic:
                        engine.ensure_semantic(progress=self._progress)
                glossary = load_entries(engine)
        except GlossaryError as exc:
            self.call_later(self._rebuild_failed, exc)
            return
        self.call_later(self._rebuilt, engine, glossary)

    def _rebuilt(self, engine: GlossaryEngine, glossary: Glossary | None) -> None:
        self.engine = engine
        self.glossary = glossary
        self.semantic_message = self._semantic_percent = ""
        self.semantic_state = (
            SemanticState.READY if engine.semantic_ready else self._previous_semantic_state
        )
        self.notify(_("Search indexes rebuilt."), title=_("Index"))
        self.indexes_rebuilt += 1

    def _rebuild_failed(self, error: GlossaryError) -> None:
        self.semantic_message = self._semantic_percent = ""
        self.semantic_state = self._previous_semantic_state
        self.show_error(error)

    # -- history and bookmarks (tui.memory) ----------------------------------------------

    def action_bookmarks(self) -> None:
        """List the bookmarks; the one chosen opens."""
        if not isinstance(self.screen, BookmarksScreen):
            self.push_screen(BookmarksScreen(self.lookup_entry))

    def action_history(self) -> None:
        """List past queries; the one chosen is searched again."""
        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen(), callback=self._search_again)

    def on_search_for(self, message: SearchFor) -> None:
        """A related word without an entry was chosen: search for it."""
        self._search_again(message.words)

    def _search_again(self, query: str | None) -> None:
        if query:
            box = self.show_search().query_one(SearchInput)
            box.set_query(query)  # searches, as typing would
            box.focus()

    def action_bookmark(self) -> None:
        """Bookmark the entry on show (or under the results cursor), or remove its bookmark."""
        entry = self._current_entry()
        if entry is None:
            self.notify("No entry selected.", severity="warning", timeout=3)
        else:
            memory.toggle(self, entry)

    # -- documentation link -------------------------------------------------------------

    def action_open_docs(self) -> None:
        """Open the documentation page of the entry on show in the web browser."""
        entry = self._current_entry()
        url = docs_link(entry) if entry is not None else None
        if entry is None or url is None:
            what = entry.id if entry is not None else _("this entry")
            self.notify(
                _("No documentation link for {entry}.").format(entry=what),
                severity="warning",
                timeout=4,
            )
            return
        self.open_link(url)

    def open_link(self, url: str) -> None:
        """Open ``url`` in the web browser, in a worker; say so, or offer it to copy."""

        def work() -> None:
            if open_in_browser(url):
                self.call_from_thread(
                    self.notify, _("Opened {url}").format(url=url), title=_("Browser"), timeout=4
                )
                return
            self.call_from_thread(self.copy_to_clipboard, url)
            self.call_from_thread(
                self.notify,
                _("No web browser to open it in; the link is copied: {url}").format(url=url),
                title=_("Browser"),
                severity="warning",
                timeout=8,
            )

        self.run_worker(work, thread=True, group="browser")

    # -- clipboard ----------------------------------------------------------------------

    def _current_entry(self) -> Entry | None:
        current: Callable[[], Entry | None] | None = getattr(self.screen, "current_entry", None)
        return current() if current is not None else None

    def copy_term(self, entry: Entry, lang: str | None = None) -> None:
        """Copy the term: ``"en / ja"``, or one language."""
        term = entry.term
        text = {"en": term.en, "ja": term.ja}.get(lang or "", f"{term.en} / {term.ja}")
        self.copy_to_clipboard(text)
        self.notify(_("Copied {text}").format(text=text), title=_("Clipboard"), timeout=3)

    def copy_snippet(self, entry: Entry) -> None:
        """Copy the example's code."""
        if entry.snippet is None:
            self.notify(f"{entry.id} has no example to copy.", severity="warning", timeout=3)
            return
        self.copy_to_clipboard(entry.snippet.code)
        lines = entry.snippet.code.count("\n") + 1
        self.notify(f"Copied {lines} lines of {entry.id}'s example", title="Clipboard", timeout=3)

    def action_copy_term(self, lang: str | None = None) -> None:
        """Copy the term of the entry on show (or under the results cursor)."""
        entry = self._current_entry()
        if entry is None:
            self.notify("No entry selected.", severity="warning", timeout=3)
        else:
            self.copy_term(entry, lang)

    def action_copy_snippet(self) -> None:
        """Copy the example of the entry on show (or under the results cursor)."""
        entry = self._current_entry()
        if entry is None:
            self.notify("No entry selected.", severity="warning", timeout=3)
        else:
            self.copy_snippet(entry)
