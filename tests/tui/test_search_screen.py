"""Searching as you type: Japanese and English, paste, filters, semantic loading."""

from __future__ import annotations

import pytest
from textual import events
from tui_helpers import LexicalEngine, make_app, type_query, wait_for

from tui.screens.entry_screen import EntryScreen
from tui.screens.search_screen import SearchScreen
from tui.widgets.search.entry_preview import EntryText
from tui.widgets.search.results_list import ResultsList
from tui.widgets.search.search_input import SearchInput

pytestmark = pytest.mark.anyio


def result_ids(app: object) -> list[str]:
    screen = app.screen  # type: ignore[attr-defined]
    return [row.hit.id for row in screen.query_one(ResultsList).rows]


async def test_typing_japanese_shows_autograd_first(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"自動微分")
        await wait_for(pilot, lambda: result_ids(app))
        assert result_ids(app)[0] == "autograd"
        assert app.screen.query_one(SearchInput).value == "自動微分"
        rows = app.screen.query_one(ResultsList).rows
        assert "勾配" in rows[0].definition  # a Japanese query shows the Japanese definition


async def test_an_ime_commit_burst_is_one_search(lexical_engine: LexicalEngine) -> None:
    """An input method commits a whole word at once: the keys arrive back to back."""
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.glossary is not None)  # warm-up queries done
        before = len(lexical_engine.searches)
        for character in "自動微分":
            app.post_message(events.Key(character, character))
        await wait_for(pilot, lambda: result_ids(app))
        assert lexical_engine.searches[before:] == ["自動微分"]
        assert result_ids(app)[0] == "autograd"


async def test_pasting_japanese_searches(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        query = app.screen.query_one(SearchInput)
        query.post_message(events.Paste("懐中電灯"))
        await wait_for(pilot, lambda: result_ids(app))
        assert query.value == "懐中電灯"
        assert result_ids(app)[0] == "flashlight"


TRACEBACK = """Traceback (most recent call last):
  File "train.py", line 12, in <module>
    out = model(x)
RuntimeError: mat1 and mat2 shapes cannot be multiplied (64x512 and 256x10)
"""


async def test_a_pasted_traceback_is_searched_whole(lexical_engine: LexicalEngine) -> None:
    """Issue 23, point 5: Textual's Input keeps the first line of a paste; the query box
    keeps all four, shows them on one line, and the engine gets them as pasted."""
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.glossary is not None)  # warm-up queries done
        query = app.screen.query_one(SearchInput)
        query.post_message(events.Paste(TRACEBACK))
        whole = TRACEBACK.strip()
        await wait_for(pilot, lambda: app.screen.shown_query == whole)
        assert lexical_engine.searches[-1] == whole
        assert query.value == " ⏎ ".join(TRACEBACK.strip("\n").split("\n"))
        assert query.value.endswith("(64x512 and 256x10)")
        # Typing after the paste edits the same query; its line breaks stay.
        await pilot.press("end", "!")
        await wait_for(pilot, lambda: app.screen.shown_query == whole + "!")


async def test_a_paste_with_the_results_focused_goes_to_the_query(
    lexical_engine: LexicalEngine,
) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, "torch")
        await pilot.press("down")
        assert isinstance(app.focused, ResultsList)
        app.focused.post_message(events.Paste("tensor\nsecond line"))
        await wait_for(pilot, lambda: app.screen.shown_query == "torchtensor\nsecond line")
        assert isinstance(app.focused, SearchInput)


async def test_terminal_cursor_follows_the_caret_for_ime(lexical_engine: LexicalEngine) -> None:
    """An input method composes at the terminal cursor: it must sit in the query box."""
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        query = app.screen.query_one(SearchInput)
        region = query.content_region
        assert app.cursor_position.y == region.y
        assert app.cursor_position.x == region.x
        await pilot.press(*"じどう")
        assert app.cursor_position.x == region.x + 6  # three double-width kana
        # A blinking caret would redraw the line and erase a composition drawn in the cells.
        assert not query.cursor_blink


async def test_enter_right_after_typing_opens_the_first_result(
    lexical_engine: LexicalEngine,
) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"自動微分", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        assert app.screen.entry.id == "autograd"


async def test_arrow_keys_move_into_results_and_typing_returns(
    lexical_engine: LexicalEngine,
) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, "torch")
        results = app.screen.query_one(ResultsList)
        await pilot.press("down")
        assert results.has_focus
        await pilot.press("down")
        assert results.highlighted == 1
        await pilot.press("x")  # typing anywhere goes to the query box
        query = app.screen.query_one(SearchInput)
        assert query.has_focus and query.value == "torchx"
        await pilot.press("escape")
        assert query.value == ""


async def test_no_results_says_so(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"zzqx")
        pane = app.screen.query_one("#results-pane")
        await wait_for(pilot, lambda: pane.has_class("-hint") and lexical_engine.searches)
        await pilot.pause(0.05)
        hint = app.screen.query_one("#results-hint")
        assert "Nothing matches" in str(hint.render())


async def test_language_and_kind_filters_reach_the_engine(
    lexical_engine: LexicalEngine,
) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"torch")
        await wait_for(pilot, lambda: len(result_ids(app)) > 2)
        app.set_kind("object")
        await wait_for(pilot, lambda: set(result_ids(app)) == {"flashlight", "flame-torch"})
        await pilot.press("f2")
        assert app.lang_filter == "en"
        select = app.screen.query_one("#lang-filter")
        assert select.value == "en"  # type: ignore[attr-defined]


async def test_semantic_model_loads_in_a_worker_while_search_works() -> None:
    engine = LexicalEngine()
    app = make_app(engine, load_semantic=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.semantic_state == "loading"
        status = app.screen.query_one("#semantic-status")
        assert "loading" in str(status.render())
        await pilot.press(*"tensor")
        await wait_for(pilot, lambda: result_ids(app))  # lexical results while loading
        assert app.semantic_state == "loading"
        searched = engine.searches.count("tensor")
        engine.semantic_gate.set()
        await wait_for(pilot, lambda: app.semantic_state == "ready")
        # searched again, this time with the semantic signal
        await wait_for(pilot, lambda: engine.searches.count("tensor") == searched + 1)
        assert "ready" in str(status.render())


async def test_wide_screen_previews_the_highlighted_entry(
    lexical_engine: LexicalEngine,
) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.press(*"torch")
        await wait_for(pilot, lambda: result_ids(app))
        preview = app.screen.query_one("#preview")
        await wait_for(pilot, lambda: preview.entry is not None)  # type: ignore[attr-defined]
        assert preview.display
        assert preview.entry.id == result_ids(app)[0]  # type: ignore[attr-defined]


async def test_narrow_screen_has_no_preview(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        assert not app.screen.query_one("#preview").display


async def test_clicking_a_link_in_the_preview_opens_its_entry(
    lexical_engine: LexicalEngine,
) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(140, 36)) as pilot:
        await pilot.press(*"自動微分")
        await wait_for(pilot, lambda: result_ids(app) and result_ids(app)[0] == "autograd")
        text = app.screen.query_one(EntryText)
        await wait_for(pilot, lambda: text.entry is not None)
        lines, refs = text.lines(text.content_size.width)
        row = refs.index("tensor")
        assert lines[row].plain.startswith("→ tensor")
        await pilot.click(text, offset=(2, row))
        await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        assert app.screen.entry.id == "tensor"


async def test_the_preview_shows_every_part_of_the_entry(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(140, 60)) as pilot:
        await pilot.press(*"autograd")
        await wait_for(pilot, lambda: result_ids(app))
        text = app.screen.query_one(EntryText)
        await wait_for(pilot, lambda: text.entry is not None)
        shown = "\n".join(line.plain for line in text.lines(text.content_size.width)[0])
        for part in (
            "自動微分（じどうびぶん）",
            "since torch 0.4",
            "Definition 定義",
            "Synonyms 同意語",
            "→ tensor  テンソル",
            "Example 例",
            'print("dy/dx =", 2 * x)',
            "Sources 出典",
            "· PyTorch docs: Autograd mechanics",
            "Asked as 聞き方",
            "“work out gradients for me”",
            "“微分を自動で計算したい”",
        ):
            assert part in shown, part


async def test_two_quick_downs_from_the_query_reach_the_second_result(
    lexical_engine: LexicalEngine,
) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, "torch")
        assert len(result_ids(app)) > 2
        for _ in range(2):  # both queued before either is handled, as when typed quickly
            app.post_message(events.Key("down", None))
        await pilot.pause(0.1)
        assert app.screen.query_one(ResultsList).highlighted == 1
