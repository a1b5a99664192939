"""What the browser remembers between runs: settings, search history, bookmarks.

The app calls these; each wraps the :mod:`glossary` function that does the work, runs file
I/O in a worker thread (the UI thread only renders), and turns a
:class:`~glossary.errors.GlossaryError` into a notification instead of an exception.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from glossary.bookmarks import append_history, toggle_bookmark
from glossary.errors import GlossaryError
from glossary.settings import Settings, load_settings

if TYPE_CHECKING:
    from glossary.schema import Entry
    from tui.app import GlossaryApp

THEMES = {"dark": "textual-dark", "light": "textual-light"}
"""The settings' short theme names; any other value is a Textual theme's own name."""


def apply_settings(app: GlossaryApp) -> GlossaryError | None:
    """Set ``app``'s settings, theme and filters from the settings file.

    Returns the error of a bad file (the app shows it once it runs; the defaults stay).
    """
    try:
        app.settings = load_settings()
    except GlossaryError as exc:
        app.settings = Settings()
        return exc
    theme = THEMES.get(app.settings.theme, app.settings.theme)
    if theme in app.available_themes:
        app.theme = theme
    app.lang_filter = app.settings.filters.lang
    app.kind_filter = app.settings.filters.kind
    return None


def remember_query(app: GlossaryApp, query: str) -> None:
    """Add ``query`` to the search history, in a worker (a failure only warns)."""
    limit = app.settings.limits.history

    def work() -> None:
        try:
            append_history(query, limit)
        except GlossaryError as exc:
            app.call_from_thread(app.notify, str(exc), title=exc.title, severity="warning")

    app.run_worker(work, thread=True, group="memory")


def toggle(app: GlossaryApp, entry: Entry) -> None:
    """Bookmark ``entry`` or remove its bookmark, in a worker, and say which."""

    def work() -> None:
        try:
            marked = toggle_bookmark(entry.id)
        except GlossaryError as exc:
            app.call_from_thread(app.notify, str(exc), title=exc.title, severity="error")
            return
        done = "Bookmarked" if marked else "Removed the bookmark of"
        app.call_from_thread(app.notify, f"{done} {entry.id}", title="Bookmarks", timeout=3)

    app.run_worker(work, thread=True, group="memory")
