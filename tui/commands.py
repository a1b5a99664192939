"""torchgloss's own command-palette commands (Ctrl+P): filters, theme, index, clipboard.

Each command is a name, a help line and an app method; the palette fuzzy-matches names, and
lists them all (discovery) before anything is typed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from glossary.i18n import N_, _, japanese, translate
from glossary.schema import Kind

if TYPE_CHECKING:
    from tui.app import GlossaryApp

Command = tuple[str, Callable[[], object], str]
"""(name shown in the palette, what it does, help line)."""

LANGUAGE_NAMES: dict[str | None, str] = {None: N_("any"), "en": "English", "ja": "日本語"}


def other_language_name(name: str) -> str:
    """``name`` (shown in the interface language) in the other language, so that a command is
    found by either: ``テーマ`` finds "Toggle light/dark theme" in an English interface."""
    if japanese():
        return _ENGLISH_NAMES.get(name, name)
    return translate(name, "ja")


#: Shown (Japanese) name -> English name, filled as :meth:`GlossaryCommands.commands` runs.
_ENGLISH_NAMES: dict[str, str] = {}


def _named(english: str, **values: str) -> str:
    """The command name ``english`` in the interface language, remembering the English."""
    shown = _(english).format(**values)
    _ENGLISH_NAMES[shown] = english.format(**values)
    return shown


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
                        _named(N_("Language filter: {name}"), name=_(name)),
                        partial(app.set_language, lang),
                        _("Show entries in this language only") if lang else _("Show every entry"),
                    )
                )
        if app.kind_filter is not None:
            commands.append(
                (
                    _named(N_("Kind filter: any")),
                    partial(app.set_kind, None),
                    _("Show entries of every kind"),
                )
            )
        for kind in Kind:
            if kind.value != app.kind_filter:
                commands.append(
                    (
                        _named(N_("Kind filter: {kind}"), kind=kind.value),
                        partial(app.set_kind, kind.value),
                        _("Show only entries of kind {kind!r}").format(kind=kind.value),
                    )
                )
        commands += [
            (
                _named(N_("Toggle light/dark theme")),
                app.action_toggle_theme,
                _("Switch between light and dark"),
            ),
            (
                _named(N_("Rebuild search indexes")),
                app.action_rebuild_indexes,
                _("Rebuild the lexical and semantic indexes from the glossary files"),
            ),
            (
                _named(N_("Copy term")),
                app.action_copy_term,
                _("Copy the current entry's term (English / 日本語)"),
            ),
            (
                _named(N_("Copy term (English)")),
                partial(app.action_copy_term, "en"),
                _("Copy the current entry's English term"),
            ),
            (
                _named(N_("Copy term (日本語)")),
                partial(app.action_copy_term, "ja"),
                _("Copy the current entry's Japanese term"),
            ),
            (
                _named(N_("Copy snippet")),
                app.action_copy_snippet,
                _("Copy the current entry's example code"),
            ),
            ("Bookmarks", app.action_bookmarks, "List the bookmarked entries and open one"),
            ("Search history", app.action_history, "Search again for a past query"),
            ("Bookmark entry", app.action_bookmark, "Bookmark the current entry (or remove it)"),
            (_named(N_("New search")), app.action_new_search, _("Back to the query box")),
            (_named(N_("Help: keys")), app.action_help, _("Show every key binding")),
        ]
        return commands

    async def discover(self) -> Hits:
        """All commands, before anything is typed."""
        for name, callback, help_text in self.commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """Commands whose names, in either language, fuzzy-match ``query``; the hit shows
        the name that matched best."""
        matcher = self.matcher(query)
        for name, callback, help_text in self.commands():
            other = other_language_name(name)
            score, shown = max((matcher.match(name), name), (matcher.match(other), other))
            if score > 0:
                yield Hit(score, matcher.highlight(shown), callback, text=name, help=help_text)
