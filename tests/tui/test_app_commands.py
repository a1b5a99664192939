"""App-wide conventions: command palette, help, theme, clipboard from the results."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from tui_helpers import LexicalEngine, make_app, wait_for

from glossary.errors import GlossaryDataError, Problem
from tui.app import GlossaryApp
from tui.screens.dialogs import ErrorDialog
from tui.screens.help_screen import HelpScreen
from tui.screens.search_screen import SearchScreen

pytestmark = pytest.mark.anyio


async def run_command(pilot: object, name: str) -> None:
    app = pilot.app  # type: ignore[attr-defined]
    await pilot.press("ctrl+p")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*name)  # type: ignore[attr-defined]
    await pilot.pause(0.3)  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette))


async def test_palette_sets_the_kind_filter(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_command(pilot, "Kind filter: api")
        assert app.kind_filter == "api"
        assert app.screen.query_one("#kind-filter").value == "api"  # type: ignore[attr-defined]


async def test_palette_sets_the_language_filter(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_command(pilot, "Language filter: 日本語")
        assert app.lang_filter == "ja"


async def test_palette_toggles_the_theme(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.current_theme.dark
        await run_command(pilot, "Toggle light/dark theme")
        assert not app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark


async def test_palette_rebuilds_the_indexes(lexical_engine: LexicalEngine) -> None:
    rebuilt: list[bool] = []
    lexical_engine.rebuild_indexes = lambda *_, **__: rebuilt.append(True)  # type: ignore[method-assign]
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await run_command(pilot, "Rebuild search indexes")
        await wait_for(pilot, lambda: rebuilt)


async def test_help_opens_with_f1_and_question_mark(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"torch")
        await wait_for(pilot, lambda: app.screen.shown_query == "torch")
        await pilot.press("down", "question_mark")  # in the results, ? is help, not a letter
        assert isinstance(app.screen, HelpScreen)


async def test_copy_term_from_the_results(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"flashlight")
        await wait_for(pilot, lambda: app.screen.shown_query == "flashlight")
        await run_command(pilot, "Copy term (日本語)")
        assert app.clipboard == "懐中電灯"


async def test_a_glossary_that_cannot_open_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = GlossaryDataError([Problem("mine.yaml", 3, "term", "required field is missing")])

    def failing_open(*args: object, **kwargs: object) -> None:
        raise problem

    monkeypatch.setattr("tui.app.open_engine", failing_open)
    app = GlossaryApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog))
        assert "mine.yaml:3" in app.screen.message
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        hint = app.screen.query_one("#results-hint")
        assert "could not be opened" in str(hint.render())
