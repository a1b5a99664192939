"""Reference hits in the browser: a torch name without a curated entry is marked "not yet
curated" in the results, and opening it shows its page instead of failing (issue 23)."""

from __future__ import annotations

import pytest
from textual.widgets import Static
from tui_helpers import LexicalEngine, make_app, type_query, wait_for

from tui.screens.dialogs import ErrorDialog
from tui.screens.reference_screen import ReferenceScreen
from tui.screens.search_screen import SearchScreen
from tui.widgets.search.entry_preview import EntryText
from tui.widgets.search.results_list import ResultsList, row_content

pytestmark = pytest.mark.anyio


def shown(screen: ReferenceScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_a_reference_hit_is_marked_and_opens_its_page(
    lexical_engine: LexicalEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import webbrowser

    opened: list[str] = []

    class Recorder(webbrowser.BaseBrowser):
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            opened.append(url)
            return True

    monkeypatch.setattr(webbrowser, "get", lambda using=None: Recorder("recorder"))
    app = make_app(lexical_engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await type_query(pilot, "torch.rsqrt")
        results = app.screen.query_one(ResultsList)
        row = results.rows[0]
        assert row.hit.layer == "reference"
        line = row_content(row, results._parts).plain
        assert line.startswith("torch.rsqrt  api  not yet curated")
        assert "reciprocal of the square-root" in line
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReferenceScreen))
        screen = app.screen
        assert isinstance(screen, ReferenceScreen)
        await pilot.pause()
        assert shown(screen, "#headword") == "torch.rsqrt"
        assert shown(screen, "#reference-badge").startswith("not yet curated")
        assert "torch 2.0.0" in shown(screen, "#reference-badge")
        assert shown(screen, "#reference-signature") == "torch.rsqrt(input, *, out=None) -> Tensor"
        doc = shown(screen, "#reference-doc")
        assert "reciprocal" in doc and ":attr:" not in doc and "√" in doc  # rendered, not reST
        assert shown(screen, "#reference-url") == RSQRT_URL
        await pilot.press("o")
        await wait_for(pilot, lambda: opened)
        assert opened == [RSQRT_URL]
        await pilot.press("c")
        assert app.clipboard == "torch.rsqrt"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        assert app.screen.query_one(ResultsList).rows[0].hit.id == "torch.rsqrt"


RSQRT_URL = "https://docs.pytorch.org/docs/stable/generated/torch.rsqrt.html"


async def test_without_a_reference_layer_it_says_what_to_do(
    lexical_engine: LexicalEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, "torch.rsqrt")
        lexical_engine.reference_layer = None  # as if it had gone (and none is built here)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog))
        assert "torchgloss show torch.rsqrt" in app.screen.message


async def test_the_wide_preview_shows_a_reference_hit(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(140, 36)) as pilot:
        await type_query(pilot, "torch.rsqrt")
        text = app.screen.query_one(EntryText)
        await wait_for(pilot, lambda: "not yet curated" in str(text.render()))
        shown_text = " ".join(str(text.render()).split())
        assert "torch.rsqrt" in shown_text and "reciprocal of the square-root" in shown_text
