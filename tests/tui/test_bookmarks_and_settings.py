"""Bookmarks, search history and settings in the browser (issue 23, point 9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import LexicalEngine, make_app, type_query, wait_for

from glossary.bookmarks import add_bookmark, append_history, list_bookmarks, list_history
from tui.messages import OpenEntry
from tui.screens.bookmarks_screen import BookmarksScreen
from tui.screens.dialogs import ErrorDialog
from tui.screens.entry_screen import EntryScreen
from tui.screens.history_screen import HistoryScreen
from tui.screens.search_screen import SearchScreen

pytestmark = pytest.mark.anyio


async def test_b_bookmarks_the_entry_and_it_opens_after_a_restart(
    lexical_engine: LexicalEngine,
) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        app.post_message(OpenEntry("torch.cat"))
        await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        await pilot.press("b")
        await wait_for(pilot, lambda: [b.entry_id for b in list_bookmarks()] == ["torch.cat"])
    # A new app (a restart) lists it, and Enter opens it.
    app = make_app(LexicalEngine())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.glossary is not None)
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, BookmarksScreen))
        assert "テンソルの連結" in str(
            app.screen.query_one("#bookmark-list").get_option_at_index(0).prompt
        )  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, EntryScreen) and app.screen.entry.id == "torch.cat",
        )


async def test_b_again_removes_the_bookmark(lexical_engine: LexicalEngine) -> None:
    add_bookmark("autograd")
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        app.post_message(OpenEntry("autograd"))
        await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        await pilot.press("b")
        await wait_for(pilot, lambda: list_bookmarks() == [])


async def test_the_bookmarks_screen_removes_and_says_when_empty(
    lexical_engine: LexicalEngine,
) -> None:
    add_bookmark("flashlight")
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+b")
        await wait_for(pilot, lambda: isinstance(app.screen, BookmarksScreen))
        await pilot.press("d")
        await wait_for(pilot, lambda: list_bookmarks() == [])
        assert app.screen.query_one("#bookmarks-empty").display
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, BookmarksScreen))


async def test_opening_a_result_remembers_the_query(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.engine_ready)
        await type_query(pilot, "torch.cat")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        await wait_for(pilot, lambda: list_history() == ["torch.cat"])


async def test_settings_set_theme_and_filters(
    lexical_engine: LexicalEngine, isolated_home: Path
) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text(
        'theme = "light"\n[filters]\nkind = "api"\n', encoding="utf-8"
    )
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.engine_ready)
        assert not app.current_theme.dark
        assert app.kind_filter == "api"


async def test_a_bad_settings_file_is_a_dialog_not_a_crash(
    lexical_engine: LexicalEngine, isolated_home: Path
) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("theme = light\n", encoding="utf-8")
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog))
        assert "config.toml:1" in app.screen.message  # type: ignore[attr-defined]
        assert app.current_theme.dark


async def test_f5_searches_a_past_query_again(lexical_engine: LexicalEngine) -> None:
    append_history("flashlight")
    append_history("torch.cat")
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.engine_ready)
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.loaded)
        await pilot.press("down", "enter")  # newest first: the second is flashlight
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, SearchScreen) and app.screen.shown_query == "flashlight",
        )


async def test_history_shows_markup_and_newlines_as_typed(lexical_engine: LexicalEngine) -> None:
    append_history("[bold]x[/bold]\nline two")
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.loaded)
        prompt = app.screen.query_one("#history-list").get_option_at_index(0).prompt  # type: ignore[attr-defined]
        assert str(prompt) == "[bold]x[/bold] ⏎ line two"
