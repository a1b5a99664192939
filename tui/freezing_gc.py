"""Full garbage collections that freeze what survives, run by the app between keystrokes.

CPython's cyclic collector runs a full pass (its oldest generation) whenever enough objects
have survived the younger passes, and a full pass visits every tracked object that is not
frozen. A Textual app soon keeps a great many alive (every rendered line is a ``Strip`` with
little caches of its own, and each caches the lines cut from it), and with the glossary and the
model a full pass then holds the GIL long enough to notice on a small machine, at whatever
moment. The key being handled waits, and so do the worker threads.

:class:`FreezingCollector` turns CPython's automatic full passes off and runs two kinds of its
own from a timer on the UI thread:

* **Survivor passes**, as often as CPython would run a full pass (``due_after`` passes of
  the middle generation). Each collects what is not frozen and then freezes
  (``gc.freeze``) the survivors, so the next one only visits what was made since, however
  long the app has run. Waiting for a pause in typing instead would let the objects of many
  keystrokes pile up and make each pass cost as much as the block it was meant to avoid.
* **Deep passes**, which unfreeze everything and collect it. Frozen objects are still freed
  by reference counting, but a frozen *cycle* is never collected, and the app's widgets
  die in cycles (a closed palette, the related words of the last entry). A deep pass costs
  what a full pass always did and more (the dead cycles are freed then; :mod:`tui.patches`
  and :mod:`tui.line_caches` keep them few, and the README has what a deep pass costs), so
  it waits for a long pause (``deep_quiet_s`` without input: a reader reading) or for the
  terminal to lose focus. Only when the survivor passes have frozen ``deep_after_objects``
  more objects since the last one (a few minutes of use without a long pause) does it take
  the next short pause (``quiet_s``) instead, so that memory stays bounded.

While the app loads something it will keep (the entries, the model, rebuilt indexes: up to
a few hundred thousand objects, built in a worker thread), both kinds wait, for at most
``max_hold_s``: a pass then would visit everything loaded so far only to keep it. The worker
wraps its load in :meth:`FreezingCollector.keeping`, which freezes it at the end (or, if the
load failed, only lets the passes go on).

The young generations are left to CPython: their passes are short, and collect most of the
short-lived cycles.

The frozen objects are counted as the survivor passes freeze them, never with
:func:`gc.get_freeze_count`: CPython counts the frozen set by walking it, too slow for a timer
that ticks several times a second. The count is an upper bound (some of what was frozen is
freed later by reference counting), so the memory bound errs on the side of collecting sooner.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from time import monotonic

NO_AUTOMATIC_FULL_PASS = 1_000_000
"""Oldest-generation threshold that CPython never reaches while the collector below runs."""


class FreezingCollector:
    """Owns the full collections between :meth:`start` and :meth:`stop`.

    Call :meth:`activity` on user input, :meth:`away` when the terminal loses focus, and
    :meth:`tick` from a timer on the UI thread.

    Args:
        due_after: passes of the middle generation that make a survivor pass due
            (CPython's own full-pass setting when ``None``).
        deep_quiet_s: pause in input before a deep pass runs (if survivors were frozen
            since the last one).
        deep_after_objects: objects frozen since the last deep pass after which a deep pass
            takes a short pause.
        quiet_s: that short pause.
        max_hold_s: longest a load (:meth:`begin_load`) holds the passes back.
    """

    def __init__(
        self,
        due_after: int | None = None,
        deep_quiet_s: float = 30.0,
        deep_after_objects: int = 200_000,
        quiet_s: float = 2.0,
        max_hold_s: float = 20.0,
    ) -> None:
        self.due_after = due_after or gc.get_threshold()[2]
        self.deep_quiet_s = deep_quiet_s
        self.deep_after_objects = deep_after_objects
        self.quiet_s = quiet_s
        self.max_hold_s = max_hold_s
        self._loads = 0
        self._loads_lock = threading.Lock()
        self._load_started = 0.0
        self._frozen_since_deep = 0
        self._saved_threshold: tuple[int, int, int] | None = None
        self._last_input = monotonic()
        self._away = False
        self.passes = 0
        """Survivor passes run so far."""
        self.deep_passes = 0
        """Deep passes run so far."""
        self.frozen_passes = 0
        """Survivor passes since the last deep pass: how many freezes a deep pass would undo."""
        self.freed = 0
        """Objects in dead reference cycles that the passes (both kinds) freed so far: the
        garbage that costs the UI time (``bench/bench_tui.py`` reports it)."""

    @property
    def frozen_since_deep(self) -> int:
        """Objects the survivor passes froze since the last deep pass (the first survivor
        pass not counted)."""
        return self._frozen_since_deep

    def start(self) -> None:
        """Take over the full passes (CPython keeps the young generations)."""
        if self._saved_threshold is None:
            young, middle, oldest = gc.get_threshold()
            self._saved_threshold = (young, middle, oldest)
            gc.set_threshold(young, middle, NO_AUTOMATIC_FULL_PASS)

    def stop(self) -> None:
        """Give the full passes back to CPython, with its thresholds as they were.

        What the survivor passes froze stays frozen (unfreezing would cost a deep pass now);
        CPython collects it again after :func:`gc.unfreeze`.
        """
        if self._saved_threshold is not None:
            gc.set_threshold(*self._saved_threshold)
            self._saved_threshold = None

    def activity(self) -> None:
        """The user pressed a key or used the mouse."""
        self._last_input = monotonic()
        self._away = False

    def away(self) -> None:
        """The terminal lost focus: the user is elsewhere, a deep pass can run now."""
        self._away = True

    def tick(self) -> None:
        """Run a deep pass if one is due and the user has paused, else a survivor pass if
        one is due."""
        if self._saved_threshold is None or self.loading:
            return
        quiet = monotonic() - self._last_input
        if self.frozen_passes and (
            self._away
            or quiet >= self.deep_quiet_s
            or (self.frozen_since_deep >= self.deep_after_objects and quiet >= self.quiet_s)
        ):
            self._deep_pass()
            return
        if gc.get_count()[2] >= self.due_after:
            self._survivor_pass()

    @property
    def loading(self) -> bool:
        """Whether a load holds the passes back now."""
        return bool(self._loads) and monotonic() - self._load_started < self.max_hold_s

    @contextmanager
    def keeping(self) -> Iterator[None]:
        """Hold the passes back while the block loads something the app keeps for good, and
        freeze it when the block ends; if it raises, nothing is frozen.

        The app's workers run their loads inside it (any thread: the count is locked).
        """
        self.begin_load()
        try:
            yield
        except BaseException:
            self.end_load(keep=False)
            raise
        self.end_load()

    def begin_load(self) -> None:
        """The app starts loading, in a worker, something it will keep for good."""
        with self._loads_lock:
            if not self._loads:
                self._load_started = monotonic()
            self._loads += 1

    def end_load(self, *, keep: bool = True) -> None:
        """A load begun with :meth:`begin_load` ended; with ``keep`` (it succeeded) what it
        loaded is frozen (see :meth:`freeze_long_lived`)."""
        with self._loads_lock:
            self._loads = max(0, self._loads - 1)
        if keep:
            self.freeze_long_lived()

    def freeze_long_lived(self) -> None:
        """Freeze what the app just loaded to keep for good (the glossary, the model, rebuilt
        indexes): out of every pass from now on, and not counted as growth towards a deep
        pass, which would find none of it dead."""
        gc.freeze()

    def _survivor_pass(self) -> None:
        """Collect what is not frozen, then freeze what survived."""
        self.freed += gc.collect()
        # After a full pass every object not frozen is in the oldest generation; listing
        # them costs what the pass did, not what the whole frozen set would. The first
        # pass freezes what the app built at start-up, which stays: it is no growth.
        if self.passes:
            self._frozen_since_deep += len(gc.get_objects(generation=2))
        gc.freeze()
        self.passes += 1
        self.frozen_passes += 1

    def _deep_pass(self) -> None:
        """Collect everything, frozen cycles included; freeze the survivors again."""
        gc.unfreeze()
        self.freed += gc.collect()
        gc.freeze()
        self._frozen_since_deep = 0
        self._away = False
        self.deep_passes += 1
        self.frozen_passes = 0
