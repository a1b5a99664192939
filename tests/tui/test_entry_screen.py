"""The entry screen: links with history, and snippet runs that stream, fail and cancel."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey
from tui_helpers import BUNDLED, LexicalEngine, make_app, type_query, wait_for

from glossary.loader import Glossary, collect
from tui.app import GlossaryApp
from tui.messages import OpenEntry
from tui.screens.dialogs import ConfirmRunScreen, ErrorDialog
from tui.screens.entry_screen import EntryScreen
from tui.screens.search_screen import SearchScreen
from tui.screens.snippet_editor import SnippetEditor, SnippetEditorScreen
from tui.widgets.entry.relations import RelationLink, RelationSearch
from tui.widgets.entry.run_panel import RunPanel
from tui.widgets.footer import KeyFooter
from tui.widgets.paragraph import Paragraph
from tui.widgets.search.results_list import ResultsList
from tui.widgets.search.search_input import SearchInput

pytestmark = pytest.mark.anyio


def shown_headword(app: GlossaryApp) -> str | None:
    """The headword the entry screen draws, once its view has been built and laid out."""
    headwords = app.screen.query("#headword") if isinstance(app.screen, EntryScreen) else []
    if not headwords or not headwords[0].region:
        return None
    return str(headwords[0].render())


async def open_entry(app: GlossaryApp, pilot: object, entry_id: str) -> EntryScreen:
    app.post_message(OpenEntry(entry_id))
    await wait_for(
        pilot, lambda: isinstance(app.screen, EntryScreen) and app.screen.entry.id == entry_id
    )
    assert isinstance(app.screen, EntryScreen)
    await wait_for(pilot, lambda: shown_headword(app) == app.screen.entry.term.en)
    return app.screen


async def run_confirmed(app: GlossaryApp, pilot: Pilot[None]) -> None:
    """Run a user-folder snippet: ``r``, then "Run" in the confirmation dialog."""
    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmRunScreen))
    await pilot.press("y")


async def focus_link(pilot: Pilot[None], ref: str) -> None:
    """Tab until the link to ``ref`` has the focus (the words without an entry come first)."""
    for _ in range(20):
        focused = pilot.app.focused
        if isinstance(focused, RelationLink) and focused.ref == ref:
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached the link to {ref}")


def status_of(panel: RunPanel) -> str:
    return str(panel.query_one("#run-status").render())


async def test_entry_shows_every_part(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entry(app, pilot, "autograd")
        text = " ".join(str(w.render()) for w in screen.query("Static, Label, EntryMeta"))
        text += " ".join(p.text for p in screen.query(Paragraph))
        for part in (
            "autograd",
            "自動微分（じどうびぶん）",
            "concept",
            "since torch 0.4",
            "Definition 定義",
            "逆向きにたどって",  # the folded YAML line break leaves no space in Japanese
            "Synonyms 同意語",
            "Antonyms 対義語",
            "Co-occurring 共起語",
            "Related 関連語",
            "勾配（こうばい）",
            "Example 例",
            "dy/dx",
            "Asked as 聞き方",
            "“微分を自動で計算したい”",
            "Sources 出典",
        ):
            assert part in text, part
        assert [link.ref for link in screen.query(RelationLink)] == ["tensor", "torch.cat"]


async def test_follow_links_and_come_back_through_history(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, "自動微分")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        await focus_link(pilot, "tensor")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.entry.id == "tensor")
        await pilot.press("tab", "tab")  # tensor → autograd, torch.cat: take torch.cat
        assert isinstance(app.focused, RelationLink) and app.focused.ref == "torch.cat"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.entry.id == "torch.cat")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen.entry.id == "tensor")
        await pilot.press("backspace")
        await wait_for(pilot, lambda: app.screen.entry.id == "autograd")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        assert app.screen.query_one(SearchInput).value == "自動微分"
        assert app.screen.query_one(ResultsList).rows[0].hit.id == "autograd"


async def test_clicking_a_link_follows_it(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_entry(app, pilot, "flashlight")
        link = screen.query_one(RelationLink)
        await pilot.click(link)
        await wait_for(pilot, lambda: app.screen.entry.id == "flame-torch")


async def test_run_streams_the_real_output(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entry(app, pilot, "autograd")
        panel = screen.run_panel
        assert not panel.display
        await pilot.press("r")
        assert panel.display
        await wait_for(pilot, lambda: not panel.running)
        assert panel.output.splitlines()[:2] == ["y = 9.0", "dy/dx = 6.0"]
        assert "Finished" in status_of(panel)
        assert panel.query_one("#run-status").has_class("-ok")


async def test_run_button_runs_too(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(100, 50)) as pilot:
        screen = await open_entry(app, pilot, "autograd")
        screen.query_one("#run-snippet").scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#run-snippet")
        await wait_for(pilot, lambda: "dy/dx = 6.0" in screen.run_panel.output)


async def test_a_failing_snippet_says_so_plainly(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entry(app, pilot, "torch.cat")
        await pilot.press("r")
        panel = screen.run_panel
        await wait_for(pilot, lambda: not panel.running)
        assert "oops" in panel.output
        assert "exit status 3" in status_of(panel)
        assert panel.query_one("#run-status").has_class("-error")


async def test_user_snippets_ask_first(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entry(app, pilot, "slow-count")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmRunScreen))
        await pilot.press("enter")  # the default button is "Don't run"
        await wait_for(pilot, lambda: app.screen is screen)
        assert not screen.run_panel.running and not screen.run_panel.display


async def test_a_long_run_streams_and_cancels_while_the_ui_answers(
    lexical_engine: LexicalEngine,
) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entry(app, pilot, "slow-count")
        await run_confirmed(app, pilot)
        panel = screen.run_panel
        await wait_for(pilot, lambda: "tick 3" in panel.output)
        assert panel.running
        # The UI answers while the run goes on: scrolling, copying and a binding all work.
        started = time.monotonic()
        await pilot.press("c")
        assert app.clipboard == "slow count / ゆっくり数える"
        assert time.monotonic() - started < 1.0
        await pilot.press("x")
        await wait_for(pilot, lambda: not panel.running, timeout=5)
        assert "Cancelled" in status_of(panel)
        assert "tick 999" not in panel.output


async def test_leaving_the_entry_stops_its_run(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entry(app, pilot, "slow-count")
        screen.run_panel.start(screen.entry)
        await wait_for(pilot, lambda: "tick 1" in screen.run_panel.output)
        handle = screen.run_panel._handle
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        await wait_for(pilot, lambda: handle.done, timeout=5)
        assert handle.wait().cancelled


async def test_copy_term_and_code(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_entry(app, pilot, "autograd")
        await pilot.press("c")
        assert app.clipboard == "autograd / 自動微分"
        await pilot.press("y")
        assert app.clipboard.startswith("# A gradient by hand")


async def test_an_unknown_entry_opens_an_error_dialog(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        app.post_message(OpenEntry("no-such-entry"))
        await wait_for(pilot, lambda: isinstance(app.screen, ErrorDialog))
        assert "no-such-entry" in app.screen.message
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))


async def test_slash_goes_back_to_a_new_search(lexical_engine: LexicalEngine) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await type_query(pilot, "tensor")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: app.screen.entry.id != "tensor")
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        query = app.screen.query_one(SearchInput)
        assert query.has_focus and query.selected_text == "tensor"
        await pilot.press(*"松明")  # typing replaces the selected query
        assert query.value == "松明"


async def test_opening_before_the_entries_have_loaded_waits_in_a_worker(
    lexical_engine: LexicalEngine,
) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.glossary is not None)
        app.glossary = None  # as if the entries were still loading
        app.post_message(OpenEntry("tensor"))
        await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        assert app.screen.entry.id == "tensor"
        await pilot.pause(0.1)  # let the new screen finish mounting before the app closes


async def test_the_next_entry_opens_fresh_on_the_same_screen(
    lexical_engine: LexicalEngine,
) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entry(app, pilot, "autograd")
        await focus_link(pilot, "torch.cat")
        await pilot.press("enter")  # follow a link: history of one
        await wait_for(pilot, lambda: screen.entry.id == "torch.cat")
        await pilot.press("r")
        await wait_for(pilot, lambda: not screen.run_panel.running)
        assert screen.run_panel.display and screen.history
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        again = await open_entry(app, pilot, "tensor")
        assert again is screen
        assert not screen.history and not screen.run_panel.display
        assert screen.sub_title.startswith("tensor")
        assert screen.entry_view.entry is screen.entry
        await pilot.press("escape")  # no history: straight back to the results
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))


def footer_keys(screen: EntryScreen) -> list[FooterKey]:
    return list(screen.query_one(KeyFooter).query(FooterKey))


def footer_says(screen: EntryScreen) -> list[str]:
    return [key.description for key in footer_keys(screen)]


async def test_the_footer_is_rebuilt_only_when_its_keys_change(
    lexical_engine: LexicalEngine,
) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entry(app, pilot, "autograd")
        while not isinstance(app.focused, RelationLink):
            await pilot.press("tab")
        await pilot.pause()
        keys = footer_keys(screen)
        first = app.focused
        await pilot.press("tab")  # the next link: the bindings change, the keys do not
        await wait_for(pilot, lambda: app.focused is not first)
        await pilot.pause()
        assert isinstance(app.focused, RelationLink)
        assert footer_keys(screen) == keys

        screen = await open_entry(app, pilot, "slow-count")
        assert "Run" in footer_says(screen) and "Cancel" not in footer_says(screen)
        await run_confirmed(app, pilot)
        await wait_for(pilot, lambda: "Cancel" in footer_says(screen))
        await pilot.press("x")
        await wait_for(pilot, lambda: "Cancel" not in footer_says(screen))


async def test_the_view_keeps_its_widgets_from_entry_to_entry(
    lexical_engine: LexicalEngine,
) -> None:
    """Related words go on the widgets already there; parts an entry lacks are hidden."""
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entry(app, pilot, "autograd")
        headword = screen.query_one("#headword")
        first_link = screen.query_one(".-related").query_one(RelationLink)
        assert screen.query_one("#snippet").display
        app.post_message(OpenEntry("flashlight"))  # no example, no sources, one link
        await wait_for(pilot, lambda: shown_headword(app) == "flashlight")
        assert screen.query_one("#headword") is headword
        assert not screen.query_one("#snippet").display
        assert not screen.query_one("#sources").display
        assert [link.ref for link in screen.query(RelationLink)] == ["flame-torch"]
        assert screen.query_one(RelationLink) is first_link
        assert first_link.text == "→ torch (flaming)  松明（たいまつ）"
        assert not screen.query_one(".-synonyms").display
        await pilot.press("escape")  # back to autograd, its example shown again
        await wait_for(pilot, lambda: shown_headword(app) == "autograd")
        assert screen.query_one("#snippet").display


class ReloadingEngine(LexicalEngine):
    """The fixture engine over the bundled fixture data and a user folder it re-reads on a
    rebuild, as the real engine re-reads the glossary files."""

    def __init__(self, user: Path) -> None:
        super().__init__()
        self.user = user
        self.rebuild_indexes()

    def rebuild_indexes(
        self, progress: Callable[[str, int, int], None] | None = None, semantic: bool = True
    ) -> None:
        entries, origins, problems = collect([BUNDLED, self.user], trusted=[BUNDLED])
        assert not problems, problems
        self.glossary = Glossary(entries=entries, origins=origins, folders=[BUNDLED, self.user])


OVERRIDE = """\
entries:
  - id: torch.cat
    kind: api
    api: torch.cat
    term: {{en: torch.cat, ja: テンソルの連結, reading: てんそるのれんけつ}}
    definition:
      en: A user's own torch.cat entry.
      ja: ユーザーの torch.cat。
    snippet:
      code: |
        print("user code ran")
"""


async def test_trust_is_decided_for_the_code_that_runs(tmp_path: Path) -> None:
    """Issue 22, point 6: a user's override of a bundled id is on screen; the override is
    removed and the indexes rebuilt; ``r`` on the still-open entry asks again (its code is
    the user's, whatever the new glossary says of the id) and runs nothing unasked."""
    user = tmp_path / "user"
    user.mkdir()
    (user / "mine.yaml").write_text(OVERRIDE.format(), encoding="utf-8")
    engine = ReloadingEngine(user)
    app = make_app(engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entry(app, pilot, "torch.cat")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmRunScreen))
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen)

        (user / "mine.yaml").write_text("entries: []\n", encoding="utf-8")
        rebuilt = app.indexes_rebuilt
        app.action_rebuild_indexes()
        await wait_for(pilot, lambda: app.indexes_rebuilt > rebuilt)
        assert app.glossary is not None and app.glossary.origins["torch.cat"].trusted

        await pilot.press("r")  # the old entry, with the user's code, is still on show
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmRunScreen))
        assert "user code ran" in app.screen.code
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.pause(0.5)
        assert "user code ran" not in screen.run_panel.output
        assert not screen.run_panel.running

        # Confirmed once, that exact code runs without asking again; bundled code never asks.
        await run_confirmed(app, pilot)
        await wait_for(pilot, lambda: "user code ran" in screen.run_panel.output, timeout=30)
        await wait_for(pilot, lambda: not screen.run_panel.running, timeout=30)
        screen.run_panel.log_widget.clear()
        await pilot.press("r")
        await wait_for(pilot, lambda: "user code ran" in screen.run_panel.output, timeout=30)
        assert not isinstance(app.screen, ConfirmRunScreen)


async def test_a_word_without_an_entry_searches_for_itself(lexical_engine: LexicalEngine) -> None:
    """Issue 23, point 10: a related word shown with "·" is no dead end. Tab reaches it, and
    Enter searches for it."""
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entry(app, pilot, "autograd")
        words = [word.words for word in screen.query(RelationSearch)]
        assert words == [
            "automatic differentiation",
            "numerical differentiation",
            "gradient",
            "backward",
        ]
        await pilot.press("tab")
        assert isinstance(app.focused, RelationSearch)
        assert app.focused.text == "· automatic differentiation  自動微分（じどうびぶん）"
        while not (isinstance(app.focused, RelationSearch) and app.focused.words == "gradient"):
            await pilot.press("tab")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))
        await wait_for(pilot, lambda: app.screen.shown_query == "gradient")
        box = app.screen.query_one(SearchInput)
        assert box.value == "gradient" and box.has_focus
        assert "autograd" in [row.hit.id for row in app.screen.query_one(ResultsList).rows]


def record_opened(monkeypatch: pytest.MonkeyPatch, found: bool = True) -> list[str]:
    """The web browser, replaced at the OS boundary by one that records what it opened
    (``found=False``: no browser on this machine)."""
    import webbrowser

    opened: list[str] = []

    class Recorder(webbrowser.BaseBrowser):
        def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
            opened.append(url)
            return True

    def get(using: str | None = None) -> webbrowser.BaseBrowser:
        if not found:
            raise webbrowser.Error("could not locate runnable browser")
        return Recorder("recorder")

    monkeypatch.setattr(webbrowser, "get", get)
    return opened


def told_by(app: GlossaryApp, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The messages ``app`` notifies from now on (each still shown: ``notify`` is wrapped)."""
    told: list[str] = []
    notify = app.notify

    def recording(message: str, **kwargs: Any) -> None:
        told.append(message)
        notify(message, **kwargs)

    monkeypatch.setattr(app, "notify", recording)
    return told


async def test_o_opens_the_documentation_link(
    lexical_engine: LexicalEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 23, point 10: ``o`` opens the entry's documentation page in the web browser."""
    opened = record_opened(monkeypatch)
    app = make_app(lexical_engine)
    told = told_by(app, monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_entry(app, pilot, "torch.cat")
        assert "Docs" in footer_says(app.screen)
        await pilot.press("o")
        await wait_for(pilot, lambda: opened)
        assert opened == ["https://docs.pytorch.org/docs/stable/generated/torch.cat.html"]
        await open_entry(app, pilot, "flashlight")  # no source, no API: nothing to open
        await pilot.press("o")
        await wait_for(pilot, lambda: told)
        assert "No documentation link for flashlight" in told[-1]
        assert len(opened) == 1


async def test_without_a_browser_the_link_is_copied(
    lexical_engine: LexicalEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_opened(monkeypatch, found=False)
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_entry(app, pilot, "torch.cat")
        await pilot.press("o")
        await wait_for(pilot, lambda: app.clipboard.startswith("https://"))
        assert app.clipboard == "https://docs.pytorch.org/docs/stable/generated/torch.cat.html"


async def test_x_and_escape_close_the_output_after_a_run(lexical_engine: LexicalEngine) -> None:
    """Issue 23, point 6: x cancels a run, and once it has ended x (or Escape) closes it."""
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entry(app, pilot, "autograd")
        panel = screen.run_panel
        await pilot.press("r")
        await wait_for(pilot, lambda: not panel.running)
        assert panel.display and "Close" in footer_says(screen)
        await pilot.press("x")
        assert not panel.display and "Close" not in footer_says(screen)
        await pilot.press("r")
        await wait_for(pilot, lambda: not panel.running and panel.output)
        await pilot.press("escape")  # first the output, then the entry
        assert not panel.display and isinstance(app.screen, EntryScreen)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen))


async def test_the_output_opens_short_under_the_code_and_resizes(
    lexical_engine: LexicalEngine,
) -> None:
    """At 80×24 the example stays in view above the output; + and − change its height."""
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entry(app, pilot, "autograd")
        panel = screen.run_panel
        await pilot.press("r")
        await wait_for(pilot, lambda: not panel.running)
        await pilot.pause(0.1)
        code = screen.query_one("#snippet-code")
        view = screen.entry_view.region
        assert panel.region.height <= 8
        assert code.region.y >= view.y and code.region.bottom <= panel.region.y
        assert view.bottom <= panel.region.y  # the view ends where the output begins
        heights = [panel.region.height]
        for key in ("plus", "plus", "plus", "minus"):
            await pilot.press(key)
            await pilot.pause()
            heights.append(panel.region.height)
        assert heights[0] < heights[1] < heights[2] == heights[3] > heights[4] == heights[1]


async def edit_to(pilot: Pilot[None], code: str) -> None:
    """Open the editor with e, replace its text by typing ``code``."""
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SnippetEditorScreen))
    editor = pilot.app.screen.query_one(SnippetEditor)
    assert editor.has_focus
    editor.select_all()
    await pilot.press(*code)
    assert editor.text == code


async def test_edit_the_example_and_run_it_again(lexical_engine: LexicalEngine) -> None:
    """Issue 23, point 6: e edits the example, Ctrl+R runs the edit in the same runner.
    An edit of a bundled example is not trusted: it asks once for each exact text."""
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entry(app, pilot, "autograd")
        panel = screen.run_panel
        await edit_to(pilot, "print('edited', 6 * 7)")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmRunScreen))
        assert app.screen.edited and app.screen.code == "print('edited', 6 * 7)"
        await pilot.press("n")  # not confirmed: nothing runs
        await wait_for(pilot, lambda: app.screen is screen)
        assert not panel.display and screen.edited["autograd"] == "print('edited', 6 * 7)"

        await pilot.press("e")  # the edit was kept
        await wait_for(pilot, lambda: isinstance(app.screen, SnippetEditorScreen))
        assert app.screen.text == "print('edited', 6 * 7)"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmRunScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: not panel.running and panel.output, timeout=30)
        assert panel.output.strip() == "edited 42"
        assert panel.border_title.endswith("edited")

        await pilot.press("x", "e", "ctrl+r")  # confirmed once: runs again without asking
        await wait_for(pilot, lambda: panel.runs_started == 2)
        assert not isinstance(app.screen, ConfirmRunScreen)
        await wait_for(pilot, lambda: not panel.running and panel.output, timeout=30)
        assert panel.output.strip() == "edited 42"

        await pilot.press("r")  # r still runs the example itself
        await wait_for(pilot, lambda: panel.runs_started == 3 and not panel.running)
        assert panel.output.splitlines()[:2] == ["y = 9.0", "dy/dx = 6.0"]


async def test_escape_closes_the_editor_and_a_plain_edit_back_runs_unasked(
    lexical_engine: LexicalEngine,
) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_entry(app, pilot, "autograd")
        original = screen.entry.snippet.code  # type: ignore[union-attr]
        await edit_to(pilot, "print(1)")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.edited == {"autograd": "print(1)"} and not screen.run_panel.display
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, SnippetEditorScreen))
        app.screen.query_one(SnippetEditor).load_text(original)
        await pilot.press("ctrl+r")  # the bundled example's own text: trusted, no dialog
        await wait_for(pilot, lambda: screen.run_panel.runs_started == 1)
        assert not isinstance(app.screen, ConfirmRunScreen) and not screen.edited
        await wait_for(pilot, lambda: not screen.run_panel.running)
        assert "dy/dx = 6.0" in screen.run_panel.output
