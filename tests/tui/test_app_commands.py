"""App-wide conventions: command palette, help, theme, clipboard from the results."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.style import Style
from tui_helpers import LexicalEngine, make_app, type_query, wait_for

from glossary.errors import GlossaryDataError, Problem
from tui.app import GlossaryApp
from tui.screens.dialogs import ErrorDialog
from tui.screens.entry_screen import EntryScreen
from tui.screens.help_screen import HelpScreen
from tui.screens.search_screen import SearchScreen
from tui.widgets.parts import part_style
from tui.widgets.search.results_list import LegibleRow, ResultsList

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
        await type_query(pilot, "torch")
        await pilot.press("down", "question_mark")  # in the results, ? is help, not a letter
        assert isinstance(app.screen, HelpScreen)


async def test_copy_term_from_the_results(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, "flashlight")
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


def row_styles(app: GlossaryApp) -> tuple[Style, Style]:
    """The style of the first result's Japanese headword, as drawn and as the theme says."""
    results = app.screen.query_one(ResultsList)
    prompt = results.get_option_at_index(0).prompt
    assert isinstance(prompt, LegibleRow)
    prompt = prompt.content
    start = prompt.plain.index("自動微分")
    drawn = next(span.style for span in prompt.spans if span.start == start)
    assert isinstance(drawn, Style)
    return drawn, part_style(results, "results--term-ja")


def drawn_and_themed_term(app: GlossaryApp) -> tuple[object, object]:
    """The colour the first result's English headword is drawn in, and its part's colour
    in the theme."""
    results = app.screen.query_one(ResultsList)
    term = results.rows[0].hit.term_en
    drawn = next(segment.style for segment in results.render_line(0) if segment.text == term)
    return drawn.color, part_style(results, "results--term").rich_style.color


async def test_a_theme_switch_restyles_the_result_rows(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, "自動微分")
        await pilot.pause()  # the rows are laid out
        dark, expected = row_styles(app)
        assert dark == expected
        drawn, themed = drawn_and_themed_term(app)
        assert drawn == themed
        await pilot.press("ctrl+t")
        await pilot.pause()
        light, expected = row_styles(app)
        assert light == expected
        assert light != dark
        drawn_light, themed_light = drawn_and_themed_term(app)
        assert drawn_light == themed_light != themed


async def test_a_theme_switch_on_an_entry_reaches_the_results(
    lexical_engine: LexicalEngine,
) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, "自動微分")
        dark, _ = row_styles(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        await pilot.pause()
        light, expected = row_styles(app)
        assert light == expected != dark
        assert not app.screen.styles.background.brightness < 0.5  # the light background
