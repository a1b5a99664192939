"""Both views of an entry, the entry screen and the preview, show the same sections in the
same order (tui.widgets.entry.sections)."""

from __future__ import annotations

import pytest
from textual.widget import Widget
from tui_helpers import LexicalEngine, make_app, wait_for

from glossary.schema import Term
from tui.screens.entry_screen import EntryScreen
from tui.widgets.entry.entry_view import EntryView
from tui.widgets.entry.relations import TermLookup
from tui.widgets.entry.sections import ENTRY_SECTIONS, has_section
from tui.widgets.search.entry_preview import entry_blocks, section_blocks

pytestmark = pytest.mark.anyio


def term_lookup(engine: LexicalEngine) -> TermLookup:
    def lookup(entry_id: str) -> Term | None:
        entry = engine.glossary.by_id.get(entry_id)
        return entry.term if entry is not None else None

    return lookup


def test_the_preview_has_a_part_for_every_section(lexical_engine: LexicalEngine) -> None:
    entry = lexical_engine.glossary.get("autograd")
    lookup = term_lookup(lexical_engine)
    for section in ENTRY_SECTIONS:
        if section != "error":
            assert has_section(entry, section), section
            assert section_blocks(entry, section, lookup), section
    with pytest.raises(ValueError, match="no part for section"):
        section_blocks(entry, "no-such-section", lookup)
    with pytest.raises(ValueError, match="no entry section"):
        has_section(entry, "no-such-section")


async def test_both_views_show_the_same_titles_in_the_same_order(
    lexical_engine: LexicalEngine,
) -> None:
    entry = lexical_engine.glossary.get("autograd")
    preview_titles = [
        block.text
        for block in entry_blocks(entry, term_lookup(lexical_engine))
        if block.component == "entry-text--title"
    ]
    app = make_app(lexical_engine)
    async with app.run_test(size=(100, 60)) as pilot:
        await wait_for(pilot, lambda: app.glossary is not None)
        await app._push_entry(entry)
        await wait_for(pilot, lambda: isinstance(app.screen, EntryScreen))
        view = app.screen.query_one(EntryView)
        await wait_for(pilot, lambda: view.entry is entry)
        for section in ENTRY_SECTIONS:
            assert view.query_one(f"#{section}").display == has_section(entry, section)
        view_titles = [
            str(label.render())
            for label in view.query("Label.section-title")
            if all(node.display for node in label.ancestors_with_self if isinstance(node, Widget))
        ]
    assert "Asked as 聞き方" in preview_titles
    assert view_titles == preview_titles
