"""The look of the main screens, at 80×24 and on a wide terminal, dark and light.

Deterministic by construction: the fixture glossary, a lexical engine with a fixed timing,
semantic loading off, the caret not blinking, and a run with fixed output and duration.
Update after an intended change with ``pytest tests/tui --snapshot-update`` and look at the
SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_helpers import FixedRun, LexicalEngine, make_app, type_query, wait_for

from tui.messages import OpenEntry
from tui.screens.entry_screen import EntryScreen
from tui.widgets.search.search_input import SearchInput

SnapCompare = Callable[..., bool]


async def steady_caret(pilot: Pilot[Any]) -> None:
    """Wait for the query box, and stop its caret blinking (a blink is not a regression)."""
    await wait_for(pilot, lambda: pilot.app.screen.query(SearchInput))
    pilot.app.screen.query_one(SearchInput).cursor_blink = False


def search_for(query: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Type ``query`` and wait until its results are on show."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await steady_caret(pilot)
        await type_query(pilot, query)
        await pilot.pause(0.2)  # the preview follows the cursor after a short delay

    return run_before


def open_entry(entry_id: str, *, run: bool = False) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Open an entry (and run its snippet to the end)."""

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        app.post_message(OpenEntry(entry_id))
        await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        if run:
            await pilot.press("r")
            panel = app.screen.run_panel
            await wait_for(pilot, lambda: not panel.running)
        await pilot.pause(0.1)

    return run_before


@pytest.fixture
def app(lexical_engine: LexicalEngine) -> Any:
    return make_app(lexical_engine, start_snippet=FixedRun)


def test_start_screen(snap_compare: SnapCompare, app: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=steady_caret)


def test_results_80x24(snap_compare: SnapCompare, app: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=search_for("torch"))


def test_results_japanese_light_theme(snap_compare: SnapCompare, app: Any) -> None:
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=(80, 24), run_before=search_for("自動微分"))


def test_results_wide_with_preview(snap_compare: SnapCompare, app: Any) -> None:
    assert snap_compare(app, terminal_size=(140, 36), run_before=search_for("自動微分"))


def test_entry_80x24(snap_compare: SnapCompare, app: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_entry("autograd"))


def test_entry_wide_after_a_run(snap_compare: SnapCompare, app: Any) -> None:
    assert snap_compare(app, terminal_size=(140, 40), run_before=open_entry("autograd", run=True))


def test_entry_light_theme_after_a_run(snap_compare: SnapCompare, app: Any) -> None:
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_entry("autograd", run=True))


def test_confirm_before_running_user_code(snap_compare: SnapCompare, app: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_entry("slow-count")(pilot)
        await pilot.press("r")
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_help_screen(snap_compare: SnapCompare, app: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["f1"])
