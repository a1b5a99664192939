"""Garbage collection in the pauses between keystrokes, in small steps.

CPython's cyclic collector runs a full pass (its oldest generation) whenever enough objects
have survived the younger passes, and a full pass visits every tracked object. A Textual app
keeps a hundred thousand or more alive (every rendered line caches its pieces) and makes
many short-lived cycles (each restyle builds and drops a few helper nodes per widget), so the
full pass came every few seconds of use and held the GIL for 50–150 ms on a small machine, at
whatever moment: the key being handled waited, and so did the worker threads. Measured with
``bench/bench_tui.py``, those passes were the largest blocks left after the UI's own work.

:class:`QuietCollector` turns CPython's automatic full passes off and runs its own, in two
kinds:

* a *quick* pass when the user pauses (no key or mouse input for ``quiet_s``): it collects,
  then freezes (``gc.freeze``) what survived, so the next pass only visits what was made
  since. Typically a few milliseconds.
* a *deep* pass, for the cycles that died after they were frozen (a closed dialog's widgets,
  a replaced entry view's): it unfreezes everything and collects it all, as slow as
  CPython's own full pass or slower. It waits until ``deep_after_objects`` have been frozen
  since the last one and the user has not touched a key for ``deep_quiet_s``; only past
  ``deep_forced_objects`` (memory first) does it run without that pause.

The young generations are left to CPython: their passes take a millisecond or two.
"""

from __future__ import annotations

import gc
from time import monotonic

NO_AUTOMATIC_FULL_PASS = 1_000_000
"""Oldest-generation threshold that CPython never reaches while the collector below runs."""


class QuietCollector:
    """Owns the full collections between :meth:`start` and :meth:`stop`.

    Call :meth:`activity` on user input and :meth:`tick` from a timer on the UI thread.

    Args:
        quiet_s: pause in input before a quick pass.
        deep_quiet_s: pause in input before a deep pass.
        deep_after_objects: objects frozen since the last deep pass that make one due.
        deep_forced_objects: objects frozen since the last deep pass that make it run now.
    """

    def __init__(
        self,
        quiet_s: float = 0.3,
        deep_quiet_s: float = 3.0,
        deep_after_objects: int = 100_000,
        deep_forced_objects: int = 2_000_000,
    ) -> None:
        self.quiet_s = quiet_s
        self.deep_quiet_s = deep_quiet_s
        self.deep_after_objects = deep_after_objects
        self.deep_forced_objects = deep_forced_objects
        self._saved_threshold: tuple[int, int, int] | None = None
        self._last_input = monotonic()
        self._frozen_since_deep = 0
        self.quick_passes = 0
        self.deep_passes = 0

    def start(self) -> None:
        """Take over the full passes (CPython keeps the young generations)."""
        if self._saved_threshold is None:
            young, middle, oldest = gc.get_threshold()
            self._saved_threshold = (young, middle, oldest)
            gc.set_threshold(young, middle, NO_AUTOMATIC_FULL_PASS)

    def stop(self) -> None:
        """Give the full passes back to CPython, with its thresholds as they were, and
        unfreeze what this collector froze (it may be garbage once the app has closed)."""
        if self._saved_threshold is not None:
            gc.set_threshold(*self._saved_threshold)
            self._saved_threshold = None
            gc.unfreeze()

    def activity(self) -> None:
        """The user pressed a key or used the mouse."""
        self._last_input = monotonic()

    def tick(self) -> None:
        """Run the pass that is due, if the user has paused long enough for it."""
        if self._saved_threshold is None:
            return
        quiet = monotonic() - self._last_input
        if self._frozen_since_deep >= self.deep_forced_objects or (
            self._frozen_since_deep >= self.deep_after_objects and quiet >= self.deep_quiet_s
        ):
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self._frozen_since_deep = 0
            self.deep_passes += 1
        elif gc.get_count()[2] >= 1 and quiet >= self.quiet_s:
            gc.collect()
            # After a full pass every survivor is in the oldest generation; counting them
            # costs about what the pass did (gc.get_freeze_count walks every frozen object).
            self._frozen_since_deep += len(gc.get_objects(generation=2))
            gc.freeze()
            self.quick_passes += 1
