"""How long does each action in the terminal browser keep the event loop from answering?

Issue 6: "No action blocks the UI for more than a tenth of a second once the model is
loaded." This starts the real app (the real SearchEngine over the bundled glossary, the real
embedding model and snippet runner), waits until semantic search is ready, and drives it with
Textual's pilot through every kind of action a reader takes. A heartbeat coroutine wakes
every 5 ms on the app's event loop and records how late each wake-up was: the longest delay
during an action is the longest a keypress would have waited for the UI to notice it. The
table shows, per action, the median over the repetitions of that longest delay, and the
worst repetition.

The pilot runs the app headless; so that the timings include turning each frame into
terminal escape codes (as a real terminal would need), the bench app renders every frame's
segments anyway (see :class:`BenchApp`).

    python bench/bench_tui.py                      # 5 repetitions, in TORCHGLOSS_HOME
    python bench/bench_tui.py --repeat 3 --home /tmp/tg   # builds model and indexes there
    python bench/bench_tui.py --without footer-keys        # one Textual patch left out

The Textual patches (:mod:`tui.patches`) are installed as ``torchgloss tui`` installs them,
but those named with ``--without``: the difference is what a patch buys.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from rich.cells import cell_len

HEARTBEAT_S = 0.005
"""How often the heartbeat wakes: the resolution of the measurement."""

SETTLE_S = 0.3
"""Time measured after an action's visible result, for the work it left queued (timers,
refreshes, a preview that follows the cursor)."""

WIDE = (160, 48)
NARROW = (80, 24)

PALETTE_COMMANDS = [
    "Language filter: English",
    "Language filter: 日本語",
    "Language filter: any",
    "Kind filter: api",
    "Kind filter: concept",
    "Kind filter: any",
    "Toggle light/dark theme",
    "Copy term (English)",
    "Copy snippet",
    "New search",
    "Help: keys",
]
"""Our commands, run through the palette in every repetition (the rebuild runs once)."""


class Heartbeat:
    """Wakes every :data:`HEARTBEAT_S` on the event loop and keeps the worst lateness since
    the last :meth:`reset`: how long the loop could not have answered anything.

    With it, the CPU time the loop's thread spent in that worst interval: the UI's own work.
    The difference is time the thread waited, for the GIL (a worker thread held it) or for a
    core (on a shared machine, another process had both).
    """

    def __init__(self) -> None:
        self.worst = 0.0
        self.worst_cpu = 0.0
        self.last_beat = time.perf_counter()

    async def run(self) -> None:
        """Beat until cancelled."""
        while True:
            self.last_beat = time.perf_counter()
            cpu = time.thread_time()
            await asyncio.sleep(HEARTBEAT_S)
            late = time.perf_counter() - self.last_beat - HEARTBEAT_S
            if late > self.worst:
                self.worst = late
                self.worst_cpu = time.thread_time() - cpu

    def reset(self) -> None:
        """Start a new measurement."""
        self.worst = self.worst_cpu = 0.0

    def late(self) -> float:
        """How late the next beat is right now, in seconds (0 when it is not yet due)."""
        return max(0.0, time.perf_counter() - self.last_beat - HEARTBEAT_S)


class StallSampler(threading.Thread):
    """Where the UI thread is while the heartbeat is late (``--why``): a sampling profiler
    that only looks during blocks, so its counts point at what blocks, not at what is busy.

    Every couple of milliseconds, if the heartbeat is more than ``threshold`` seconds late,
    it records every function on the event-loop thread's stack under the current action.
    """

    def __init__(self, heartbeat: Heartbeat, threshold: float) -> None:
        super().__init__(daemon=True)
        self.heartbeat = heartbeat
        self.threshold = threshold
        self.loop_thread = threading.get_ident()
        self.action = ""
        self.samples: dict[str, Counter[str]] = defaultdict(Counter)
        self.collections: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self.stopped = threading.Event()
        self._gc_started = 0.0
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        """Time the garbage collector's passes: a full one stops every thread."""
        if phase == "start":
            self._gc_started = time.perf_counter()
        elif self.action:
            took = (time.perf_counter() - self._gc_started) * 1000
            if took >= 5:
                self.collections[self.action].append((info["generation"], took))

    def run(self) -> None:
        while not self.stopped.wait(0.002):
            if not self.action or self.heartbeat.late() < self.threshold:
                continue
            frame = sys._current_frames().get(self.loop_thread)
            seen: set[str] = set()
            while frame is not None:
                code = frame.f_code
                where = f"{Path(code.co_filename).name}:{code.co_firstlineno} {code.co_name}"
                seen.add(where)
                frame = frame.f_back
            self.samples[self.action].update(seen)
            self.samples[self.action]["(samples)"] += 1

    def report(self, top: int = 25) -> None:
        """The functions most often on the stack during each action's blocks."""
        for action, counts in self.samples.items():
            total = counts.pop("(samples)")
            print(f"\n{action}: {total} samples while blocked")
            for generation, took in self.collections.get(action, []):
                print(f"  gc of generation {generation}: {took:.0f} ms")
            for where, count in counts.most_common(top):
                print(f"  {100 * count / total:5.0f}%  {where}")


def bench_app_class() -> type[Any]:
    """:class:`tui.app.GlossaryApp`, rendering each frame to escape codes as a terminal would.

    Imported here so that ``--home`` is set before the glossary reads its environment.
    """
    from textual._compositor import CompositorUpdate
    from textual.screen import Screen

    import tui.app
    from tui.app import GlossaryApp

    class BenchApp(GlossaryApp):
        """The real app; headless, but paying for the terminal output all the same."""

        CSS_PATH = str(Path(tui.app.__file__).with_name(GlossaryApp.CSS_PATH))

        def _display(self, screen: Screen[Any], renderable: Any) -> None:
            super()._display(screen, renderable)
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(self.console)

    return BenchApp


class Bench:
    """Drives the app and collects, per action, the worst event-loop delay of each run."""

    def __init__(
        self, pilot: Any, heartbeat: Heartbeat, sampler: StallSampler | None = None
    ) -> None:
        self.pilot = pilot
        self.app = pilot.app
        self.heartbeat = heartbeat
        self.sampler = sampler
        self.results: dict[str, list[tuple[float, float]]] = defaultdict(list)
        self.failures: Counter[str] = Counter()
        """Scenarios that got stuck (an action whose result never came), by name."""

    async def wait_for(self, condition: Callable[[], object], timeout: float = 30.0) -> None:
        """Let the app run until ``condition()`` holds."""
        deadline = time.monotonic() + timeout
        while not condition():
            if not self.app.is_running:
                raise RuntimeError("the app has stopped")
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"timed out waiting for {condition.__qualname__} "
                    f"(screen {self.app.screen!r}, focus {self.app.focused!r})"
                )
            await asyncio.sleep(0.01)

    @asynccontextmanager
    async def measure(self, name: str) -> AsyncIterator[None]:
        """Record the worst delay from entering the block to :data:`SETTLE_S` after it."""
        await asyncio.sleep(0.05)
        self.heartbeat.reset()
        if self.sampler is not None:
            self.sampler.action = name
        yield
        await asyncio.sleep(SETTLE_S)
        self.results[name].append((self.heartbeat.worst * 1000, self.heartbeat.worst_cpu * 1000))
        if self.sampler is not None:
            self.sampler.action = ""

    # -- helpers (not measured) -----------------------------------------------------------

    def on(self, screen_type: type[Any]) -> bool:
        return isinstance(self.app.screen, screen_type)

    async def home(self) -> None:
        """Back to the search screen with an empty query box."""
        from tui.screens.search_screen import SearchScreen

        while not self.on(SearchScreen):
            await self.pilot.press("escape")
        screen = self.app.screen
        screen.action_focus_query()
        if screen.query_text:
            await self.pilot.press("escape")
            await self.wait_for(lambda: screen.shown_query == "")

    async def search(self, query: str, name: str) -> None:
        """Type ``query`` key by key and wait for its results (measured as ``name``)."""
        await self.home()
        screen = self.app.screen
        async with self.measure(name):
            await self.pilot.press(*query)
            await self.wait_for(lambda: screen.shown_query == query)

    # -- the actions ----------------------------------------------------------------------

    async def search_and_browse(self, size: tuple[int, int], label: str) -> None:
        """Queries, moving in the results, an entry, a link and back, at one terminal size."""
        from tui.screens.entry_screen import EntryScreen
        from tui.screens.search_screen import SearchScreen
        from tui.widgets.entry.relations import RelationLink

        await self.search("自動微分", f"type 自動微分 ({label})")
        await self.search("concatenate tensors", f"type English query ({label})")
        async with self.measure(f"move in results ↓×6 ↑×3 ({label})"):
            await self.pilot.press("down", "down", "down", "down", "down", "down")
            await self.pilot.press("up", "up", "up")
        async with self.measure(f"page down / up ({label})"):
            await self.pilot.press("pagedown", "pageup")
        await self.search("autograd", "type autograd")
        async with self.measure(f"open entry (Enter) ({label})"):
            await self.pilot.press("enter")
            await self.wait_for(lambda: self.on(EntryScreen))
        screen = self.app.screen
        async with self.measure(f"Tab to a link ({label})"):
            while not isinstance(self.app.focused, RelationLink):
                await self.pilot.press("tab")
        first = screen.entry.id
        async with self.measure(f"follow a link ({label})"):
            await self.pilot.press("enter")
            await self.wait_for(lambda: screen.entry.id != first)
        async with self.measure(f"back to previous entry ({label})"):
            await self.pilot.press("escape")
            await self.wait_for(lambda: screen.entry.id == first)
        async with self.measure(f"back to results ({label})"):
            await self.pilot.press("escape")
            await self.wait_for(lambda: self.on(SearchScreen))

    async def run_and_cancel(self) -> None:
        """Run autograd's example to the end, then start it again and cancel it."""
        from tui.screens.entry_screen import EntryScreen

        await self.search("autograd", "type autograd")
        await self.pilot.press("enter")
        await self.wait_for(lambda: self.on(EntryScreen))
        panel = self.app.screen.run_panel
        async with self.measure("run snippet to the end (r)"):
            await self.start_run(panel)
            await self.wait_for(lambda: not panel.running, timeout=120)
        await self.start_run(panel)
        await asyncio.sleep(0.3)
        async with self.measure("cancel a run (x)"):
            await self.pilot.press("x")
            await self.wait_for(lambda: not panel.running, timeout=30)

    async def start_run(self, panel: Any) -> None:
        """Press ``r`` and wait until the run has started (it may have ended already: the
        pilot's key press waits for the screen to settle, and a short run can end first)."""
        before = panel.runs_started
        await self.pilot.press("r")
        try:
            await self.wait_for(lambda: panel.runs_started > before)
        except TimeoutError as exc:
            status = panel.query_one("#run-status").render()
            entry = getattr(self.app.screen, "entry", None)
            raise TimeoutError(
                f"{exc}; run status {str(status)!r}, entry {getattr(entry, 'id', None)!r}"
            ) from None

    async def help_screen(self) -> None:
        """Open and close help from the search screen and from an entry."""
        from tui.screens.entry_screen import EntryScreen
        from tui.screens.help_screen import HelpScreen

        await self.search("tensor", "type English query (80×24)")
        await self.pilot.press("down")  # into the results: there ? is help, not a letter
        for where in ("results", "entry"):
            if where == "entry":
                await self.pilot.press("enter")
                await self.wait_for(lambda: self.on(EntryScreen))
            for key in ("f1", "question_mark"):
                async with self.measure(f"open help ({key}, over {where})"):
                    await self.pilot.press(key)
                    await self.wait_for(lambda: self.on(HelpScreen))
                async with self.measure("close help (Esc)"):
                    await self.pilot.press("escape")
                    await self.wait_for(lambda: not self.on(HelpScreen))

    async def themes(self, label: str) -> None:
        """Ctrl+T four times, over the results and over an entry."""
        from tui.screens.entry_screen import EntryScreen

        await self.search("tensor", f"type English query ({label})")
        for where in ("results", "entry"):
            if where == "entry":
                await self.pilot.press("enter")
                await self.wait_for(lambda: self.on(EntryScreen))
            for _ in range(4):
                async with self.measure(f"toggle theme Ctrl+T (over {where}, {label})"):
                    await self.pilot.press("ctrl+t")

    async def open_entry(self, entry_id: str) -> None:
        """Show ``entry_id`` as a followed link would (not measured)."""
        from tui.messages import OpenEntry
        from tui.screens.entry_screen import EntryScreen

        await self.home()
        self.app.post_message(OpenEntry(entry_id))
        await self.wait_for(lambda: self.on(EntryScreen))

    async def run_command(self, command: str, done: Callable[[], object] = lambda: True) -> None:
        """Open the palette, type ``command``, run it; measured until ``done()``."""
        from textual.command import CommandPalette

        async with self.measure("open palette (Ctrl+P)"):
            await self.pilot.press("ctrl+p")
            await self.wait_for(lambda: self.on(CommandPalette))
        async with self.measure("type a command name"):
            await self.pilot.press(*command)
            await asyncio.sleep(0.3)  # the palette searches as one types
        async with self.measure(f"palette: {command}"):
            await self.pilot.press("enter")
            await self.wait_for(lambda: not self.on(CommandPalette))
            await self.wait_for(done, timeout=600)

    async def palette(self) -> None:
        """Each of our commands, run from autograd's entry."""
        for command in PALETTE_COMMANDS:
            await self.open_entry("autograd")
            await self.run_command(command)
        await self.home()

    async def rebuild(self) -> None:
        """The rebuild command: the model re-embeds every entry in a worker (measured until
        semantic search is back)."""
        app = self.app
        seen_loading: list[bool] = []

        def rebuilt() -> bool:
            if app.semantic_state == "loading":
                seen_loading.append(True)
            return bool(seen_loading) and app.semantic_state == "ready"

        await self.search("tensor", "type English query (80×24)")
        await self.run_command("Rebuild search indexes", rebuilt)

    async def leave(self) -> None:
        """The terminal loses focus after a round of use, and the collector's deep pass runs
        then (``tui.freezing_gc``): measured as the wait of a key pressed on coming back at once.
        """
        from textual import events

        collector = self.app._collector
        done = collector.deep_passes
        due = bool(collector.frozen_passes)
        async with self.measure("deep GC pass (terminal left)"):
            self.app.post_message(events.AppBlur())
            await self.wait_for(lambda: not due or collector.deep_passes > done)
        self.app.post_message(events.AppFocus())

    async def resize(self) -> None:
        """From 80×24 to wide and back, over the results and over an entry."""
        from tui.screens.entry_screen import EntryScreen

        await self.search("tensor", "type English query (80×24)")
        for where in ("results", "entry"):
            if where == "entry":
                await self.pilot.press("enter")
                await self.wait_for(lambda: self.on(EntryScreen))
            for size, name in ((WIDE, "wide"), (NARROW, "80×24")):
                async with self.measure(f"resize to {name} (over {where})"):
                    await self.pilot.resize_terminal(*size)
        await self.home()


SCENARIOS = ["browse", "run", "help", "themes", "palette", "resize", "wide", "leave", "rebuild"]
"""Groups of actions (``--only``); each but the rebuild runs once per repetition."""


async def run_scenario(bench: Bench, scenario: str) -> None:
    """One group of actions, ending on the search screen at 80×24."""
    if scenario == "browse":
        await bench.search_and_browse(NARROW, "80×24")
    elif scenario == "run":
        await bench.run_and_cancel()
    elif scenario == "help":
        await bench.help_screen()
    elif scenario == "themes":
        await bench.themes("80×24")
    elif scenario == "palette":
        await bench.palette()
    elif scenario == "resize":
        await bench.resize()
    elif scenario == "leave":
        await bench.leave()
    elif scenario == "wide":
        await bench.pilot.resize_terminal(*WIDE)
        await bench.search_and_browse(WIDE, "wide")
        await bench.themes("wide")
        await bench.home()
        await bench.pilot.resize_terminal(*NARROW)
    await bench.home()


async def run_scenario_or_report(bench: Bench, scenario: str) -> None:
    """:func:`run_scenario`; one that gets stuck is reported (and counted in the table as a
    failure) and the bench goes on from the search screen."""
    try:
        await run_scenario(bench, scenario)
    except TimeoutError as exc:
        print(f"  {scenario}: {exc}", flush=True)
        bench.failures[scenario] += 1
        await bench.home()


async def drive(
    repeat: int,
    scenarios: list[str],
    sampler_threshold: float | None,
    without: list[str],
    semantic: bool = True,
) -> tuple[dict[str, list[tuple[float, float]]], Counter[str], StallSampler | None]:
    """Install the patches but ``without``, start the app, wait for the model (unless not
    ``semantic``), run the scenarios ``repeat`` times."""
    from tui.patches import install

    print(f"patches: {install(without)}")
    app = bench_app_class()(load_semantic=semantic)
    heartbeat = Heartbeat()
    sampler = None
    if sampler_threshold is not None:
        sampler = StallSampler(heartbeat, sampler_threshold)
        sampler.start()
    async with app.run_test(size=NARROW) as pilot:
        beat = asyncio.create_task(heartbeat.run())
        bench = Bench(pilot, heartbeat, sampler)
        started = time.perf_counter()
        if semantic:
            await bench.wait_for(lambda: app.semantic_state == "ready", timeout=600)
        else:
            await bench.wait_for(lambda: app.glossary is not None, timeout=600)
        print(f"ready after {time.perf_counter() - started:.1f} s")
        await asyncio.sleep(1.0)
        for index in range(repeat):
            print(f"repetition {index + 1}/{repeat}", flush=True)
            for scenario in scenarios:
                if scenario != "rebuild":
                    await run_scenario_or_report(bench, scenario)
        if "rebuild" in scenarios:
            await bench.rebuild()
        collector = app._collector
        print(
            f"garbage in cycles freed by the collector: {collector.freed:,} objects "
            f"({collector.passes} survivor passes, {collector.deep_passes} deep)"
        )
        gc.unfreeze()
        gc.collect()
        print(f"live tracked objects at the end: {len(gc.get_objects()):,}")
        gc.freeze()
        beat.cancel()
    if sampler is not None:
        sampler.stopped.set()
    return bench.results, bench.failures, sampler


def print_table(results: dict[str, list[tuple[float, float]]]) -> None:
    """One row per action: runs, then the longest block (wall) and the UI thread's CPU time
    in it, median over the runs and worst run, in ms."""
    width = max(cell_len(name) for name in results)
    print(f"\n{'action':<{width}}  runs  block ms: median    max  cpu ms: median    max")
    print(f"{'-' * width}  ----  ----------------------  ---------------------")
    for name, runs in results.items():
        blocks = [block for block, _ in runs]
        cpus = [cpu for _, cpu in runs]
        flag = "  > 100 ms" if max(blocks) > 100 else ""
        print(
            f"{name}{' ' * (width - cell_len(name))}  {len(runs):>4}  "
            f"{statistics.median(blocks):>16.1f} {max(blocks):>6.1f}  "
            f"{statistics.median(cpus):>14.1f} {max(cpus):>6.1f}{flag}"
        )
    worst = max(block for runs in results.values() for block, _ in runs)
    beat = HEARTBEAT_S * 1000
    print(f"\nworst block over all actions: {worst:.1f} ms (heartbeat every {beat:g} ms)")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of every action")
    parser.add_argument("--home", type=Path, default=None, help="TORCHGLOSS_HOME to use")
    parser.add_argument(
        "--only",
        default=",".join(SCENARIOS),
        help=f"comma-separated groups of actions: {', '.join(SCENARIOS)}",
    )
    parser.add_argument(
        "--why",
        type=float,
        default=None,
        metavar="MS",
        help="also print where the UI thread was while blocked for more than MS ms",
    )
    parser.add_argument(
        "--without",
        default="",
        metavar="PATCHES",
        help="comma-separated Textual patches to leave out (see tui/patches.py)",
    )
    parser.add_argument(
        "--no-semantic",
        action="store_true",
        help="lexical search only: no model loaded (quicker; the patches' effect is the UI's)",
    )
    args = parser.parse_args()
    if args.home is not None:
        os.environ["TORCHGLOSS_HOME"] = str(args.home)
    scenarios = [name for name in args.only.split(",") if name]
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown groups: {', '.join(sorted(unknown))}")
    threshold = args.why / 1000 if args.why is not None else None
    without = [name for name in args.without.split(",") if name]
    from tui.patches import PATCHES

    if set(without) - PATCHES.keys():
        parser.error(f"unknown patches in --without; the patches are {', '.join(PATCHES)}")
    results, failures, sampler = asyncio.run(
        drive(args.repeat, scenarios, threshold, without, semantic=not args.no_semantic)
    )
    if sampler is not None:
        sampler.report()
    print_table(results)
    for scenario, count in failures.items():
        print(f"stuck: {scenario} {count}× (see above)")


if __name__ == "__main__":
    main()
