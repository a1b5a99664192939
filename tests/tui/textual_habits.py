"""Which of Textual's habits that ``tui/patches.py`` works around are still there.

Run as a script, in a fresh interpreter where no patch is installed (the test process has
them installed); prints one JSON object: each patch's name and whether Textual still has the
habit it corrects. ``tests/tui/test_patches.py`` runs it; a ``false`` means Textual fixed
the habit, and the patch can go.
"""

from __future__ import annotations

import asyncio
import gc
import json
from collections.abc import Callable

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widgets import Footer, OptionList


def freed_only_by_the_collector(make: Callable[[], object]) -> bool:
    """Whether what ``make`` builds (and drops) dies in a reference cycle."""
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        make()
        gc.collect()
        return any(isinstance(obj, Strip) for obj in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


def lines_cache_themselves() -> bool:
    """A line cut, or cropped-and-extended, to its own length caches itself."""

    def cut() -> None:
        Strip([Segment("hello")], 5).divide([5])

    def crop() -> None:
        Strip([Segment("hello")], 5).crop_extend(0, 5, None)

    return freed_only_by_the_collector(cut) or freed_only_by_the_collector(crop)


class Probe(App[None]):
    def compose(self) -> ComposeResult:
        yield OptionList("one", "two")
        yield Footer()


async def widget_habits() -> dict[str, bool]:
    """A restyle attaches new component nodes; the footer rebuilds unchanged keys."""
    app = Probe()
    async with app.run_test() as pilot:
        options = app.query_one(OptionList)
        before = {name: styles.node for name, styles in options._component_styles.items()}
        options.focus()
        await pilot.pause()
        app.stylesheet.update(options)
        after = {name: styles.node for name, styles in options._component_styles.items()}
        new_nodes = bool(before) and all(after[name] is not before[name] for name in before)

        footer = app.query_one(Footer)
        keys = list(footer.children)
        await footer.recompose()
        await pilot.pause()
        rebuilt = bool(keys) and not set(map(id, keys)) & set(map(id, footer.children))
    return {"component-nodes": new_nodes, "footer-keys": rebuilt}


def main() -> None:
    habits = {
        "lines-without-self": lines_cache_themselves(),
    }
    habits.update(asyncio.run(widget_habits()))
    print(json.dumps(habits))


if __name__ == "__main__":
    main()
