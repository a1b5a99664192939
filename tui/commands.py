"""torchgloss's own command-palette commands (Ctrl+P): filters, theme, index, clipboard.

Each command is a name, a help line and an app method; the palette fuzzy-matches names, and
lists them all (discovery) before anything is typed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from glossary.schema import Kind

if TYPE_CHECKING:
    from tui.app import GlossaryApp

Command = tuple[str, Callable[[], object], str]
"""(name shown in the palette, what it does, help line)."""

LANGUAGE_NAMES: dict[str | None, str] = {None: "any", "en": "English", "ja": "日本語"}


class GlossaryCommands(Provider):
    """The commands of :class:`~tui.app.GlossaryApp`."""

    @property
    def gloss_app(self) -> GlossaryApp:
        """The app the palette was opened on."""
        from tui.app import GlossaryApp

        app = self.app
        assert isinstance(app, GlossaryApp)
        return app

    def commands(self) -> list[Command]:
        """Every command that makes sense right now."""
        app = self.gloss_app
        commands: list[Command] = []
        for lang, name in LANGUAGE_NAMES.items():
            if lang != app.lang_filter:
                commands.append(
                    (
                        f"Language filter: {name}",
                        partial(app.set_language, lang),
                        "Show entries in this language only" if lang else "Show every entry",
                    )
                )
        if app.kind_filter is not None:
            commands.append(
                ("Kind filter: any", partial(app.set_kind, None), "Show entries of every kind")
            )
        for kind in Kind:
            if kind.value != app.kind_filter:
                commands.append(
                    (
                        f"Kind filter: {kind.value}",
                        partial(app.set_kind, kind.value),
                        f"Show only entries of kind {kind.value!r}",
                    )
                )
        commands += [
            ("Toggle light/dark theme", app.action_toggle_theme, "Switch between light and dark"),
            (
                "Rebuild search indexes",
                app.action_rebuild_indexes,
                "Rebuild the lexical and semantic indexes from the glossary files",
            ),
            ("Copy term", app.action_copy_term, "Copy the current entry's term (English / 日本語)"),
            (
                "Copy term (English)",
                partial(app.action_copy_term, "en"),
                "Copy the current entry's English term",
            ),
            (
                "Copy term (日本語)",
                partial(app.action_copy_term, "ja"),
                "Copy the current entry's Japanese term",
            ),
            ("Copy snippet", app.action_copy_snippet, "Copy the current entry's example code"),
            ("Bookmarks", app.action_bookmarks, "List the bookmarked entries and open one"),
            ("Search history", app.action_history, "Search again for a past query"),
            ("Bookmark entry", app.action_bookmark, "Bookmark the current entry (or remove it)"),
            ("New search", app.action_new_search, "Back to the query box"),
            ("Help: keys", app.action_help, "Show every key binding"),
        ]
        return commands

    async def discover(self) -> Hits:
        """All commands, before anything is typed."""
        for name, callback, help_text in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands whose names fuzzy-match ``query``."""
        matcher = self.matcher(query)
        for name, callback, help_text in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
