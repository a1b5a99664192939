"""The app over the real search engine and runner, as a person would use it.

``test_done_when_*`` is the issue's acceptance path on the real bundled glossary (lexical
search, which needs no model): type 自動微分, autograd comes first, Enter opens it, its
snippet runs for real, Escape closes its output and Escape again returns to the results.

The ``slow`` test loads the real embedding model in a worker (built once per test session into
the session's model cache) over the small fixture glossary, and checks that results keep
coming while it loads and that semantic matches join once it has.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from tui_helpers import BUNDLED, USER, type_query, wait_for

from glossary.datafiles import data_fingerprint
from glossary.loader import Glossary, collect
from glossary.search.engine import SearchEngine
from glossary.search.lexical import LexicalIndex
from glossary.search.types import Signal
from tui.app import GlossaryApp
from tui.screens.entry_screen import EntryScreen
from tui.screens.reference_screen import ReferenceScreen
from tui.screens.search_screen import SearchScreen
from tui.widgets.search.results_list import ResultsList
from tui.widgets.search.search_input import SearchInput

pytestmark = pytest.mark.anyio


def shown_ids(app: GlossaryApp) -> list[str]:
    return [row.hit.id for row in app.screen.query_one(ResultsList).rows]


async def test_done_when_autograd_opens_runs_and_returns() -> None:
    app = GlossaryApp(load_semantic=False)  # opens the real SearchEngine in a worker
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.engine_ready, timeout=60)
        await type_query(pilot, "自動微分", timeout=20)
        assert shown_ids(app)[0] == "autograd"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen), timeout=20)
        screen = app.screen
        assert isinstance(screen, EntryScreen) and screen.entry.id == "autograd"
        await pilot.press("r")
        panel = screen.run_panel
        await wait_for(pilot, lambda: not panel.running and panel.output, timeout=60)
        assert panel.query_one("#run-status").has_class("-ok"), panel.output
        expected = screen.entry.snippet.expected_output  # type: ignore[union-attr]
        assert expected is not None
        assert panel.output.split() == expected.split()
        await pilot.press("escape")  # closes the output
        assert not panel.display
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        assert shown_ids(app)[0] == "autograd"


TRACEBACK = """Traceback (most recent call last):
  File "train.py", line 12, in <module>
    out = model(x)
RuntimeError: mat1 and mat2 shapes cannot be multiplied (64x512 and 256x10)
"""


async def test_a_pasted_traceback_finds_its_error_entry() -> None:
    """Issue 23, point 5, on the real glossary: the engine's traceback handling sees the whole
    paste (its first line alone finds nothing about this error)."""
    app = GlossaryApp(load_semantic=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.engine_ready, timeout=60)
        app.screen.query_one(SearchInput).post_message(events.Paste(TRACEBACK))
        await wait_for(pilot, lambda: app.screen.shown_query == TRACEBACK.strip(), timeout=20)
        assert shown_ids(app)[0] == "error-mat1-mat2-shapes"


async def test_a_reference_hit_opens_its_page() -> None:
    """Issue 23: a torch name without a curated entry (the engine builds the reference layer
    of the installed torch for it) is marked in the results and opens its page."""
    app = GlossaryApp(load_semantic=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.engine_ready, timeout=60)
        await type_query(pilot, "torch.fft.irfftn", timeout=60)
        rows = app.screen.query_one(ResultsList).rows
        assert rows[0].hit.id == "torch.fft.irfftn" and rows[0].hit.layer == "reference"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReferenceScreen), timeout=20)
        await pilot.pause()
        signature = str(app.screen.query_one("#reference-signature").render())
        assert signature.startswith("torch.fft.irfftn(")
        assert "irfftn" in str(app.screen.query_one("#reference-url").render())


@pytest.fixture(scope="session")
def built_model(session_model_cache: Path) -> Path:
    """The default embedding model, built once per session in the session's model cache."""
    from glossary.embedding.convert import ensure_default_model

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TORCHGLOSS_MODEL_CACHE", str(session_model_cache))
        return ensure_default_model()


def fixture_search_engine() -> SearchEngine:
    """The real engine over the fixture glossary only (its dense index builds in seconds)."""
    folders = [BUNDLED, USER]
    entries, origins, problems = collect(folders, trusted=[BUNDLED])
    assert not problems
    fingerprint = data_fingerprint(folders)
    glossary = Glossary(entries=entries, origins=origins, folders=folders)
    lexical = LexicalIndex.build(entries, fingerprint)
    return SearchEngine(folders, [], fingerprint, lexical, glossary=glossary)


@pytest.mark.slow
async def test_semantic_search_loads_in_a_worker_and_joins(built_model: Path) -> None:
    engine = fixture_search_engine()
    app = GlossaryApp(engine, load_semantic=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.semantic_state == "loading")
        await type_query(pilot, "backprop", timeout=20)
        assert shown_ids(app)[0] == "autograd"  # lexical, while the model loads
        await wait_for(pilot, lambda: app.semantic_state == "ready", timeout=180)
        await pilot.press(*["backspace"] * len("backprop"), *"lamp you carry in your hand")
        query = "lamp you carry in your hand"
        await wait_for(pilot, lambda: app.screen.shown_query == query, timeout=30)
        rows = app.screen.query_one(ResultsList).rows
        assert rows and rows[0].hit.id == "flashlight"
        assert any(m.signal is Signal.SEMANTIC for m in rows[0].hit.matched_by)
