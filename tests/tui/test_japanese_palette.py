"""The browser in Japanese: palette commands found by their Japanese names, and shown in
Japanese when the interface is."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.command import CommandPalette
from tui_helpers import LexicalEngine, make_app, wait_for

from glossary import i18n
from tui.commands import GlossaryCommands

pytestmark = pytest.mark.anyio


@pytest.fixture
def japanese_interface(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """TORCHGLOSS_LANG=ja for what is translated at run time (the palette)."""
    monkeypatch.setenv("TORCHGLOSS_LANG", "ja")
    i18n.reset()
    yield
    monkeypatch.setenv("TORCHGLOSS_LANG", "en")
    i18n.reset()


async def palette_hits(pilot: object, query: str) -> list[str]:
    """The palette's hits for ``query``, as the user sees them."""
    app = pilot.app  # type: ignore[attr-defined]
    await pilot.press("ctrl+p")  # type: ignore[attr-defined]
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    palette = app.screen
    palette.query_one("Input").value = query
    await pilot.pause(0.5)  # type: ignore[attr-defined]
    options = palette.query_one("CommandList")
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_japanese_word_finds_the_theme_command_in_english(
    lexical_engine: LexicalEngine,
) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(100, 30)) as pilot:
        hits = await palette_hits(pilot, "テーマ")
        assert hits and "テーマの切り替え" in hits[0]
        assert app.current_theme.dark
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette))
        assert not app.current_theme.dark


async def test_palette_speaks_japanese(
    lexical_engine: LexicalEngine, japanese_interface: None
) -> None:
    app = make_app(lexical_engine)
    async with app.run_test(size=(100, 30)) as pilot:
        names = [name for name, _, _ in GlossaryCommands(app.screen).commands()]
        assert "テーマの切り替え（ライト/ダーク）" in names
        assert "種類で絞り込み: api" in names
        hits = await palette_hits(pilot, "テーマ")
        assert "テーマの切り替え" in hits[0]
        await pilot.press("escape")
        hits = await palette_hits(pilot, "theme")  # the English name still finds it
        assert hits and "theme" in hits[0].lower()
