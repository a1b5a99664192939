"""Full garbage collections in the pauses between keystrokes, not in the middle of one.

CPython's cyclic collector runs a full pass (its oldest generation) whenever enough objects
have survived the younger passes, and a full pass visits every tracked object that is not
frozen. A Textual app keeps a hundred thousand or so alive (every rendered line caches its
pieces) and makes many short-lived cycles (each restyle builds and drops helper nodes), so a
full pass comes every few seconds of use and holds the GIL for 0.1–0.3 s on a small machine,
at whatever moment: the key being handled waits, and so do the worker threads.

:class:`QuietCollector` turns CPython's automatic full passes off and runs them itself, as
often as CPython would (``due_after`` passes of the middle generation), but only once the
user has paused (no key or mouse input for ``quiet_s``, two seconds: long enough that the
pause is reading, not the gap between two keys). A pass that has waited ``longest_s`` for
a pause runs anyway: garbage piles up in the oldest generation until a full pass, and a
pass after a minute of continuous use took 0.5–0.9 s, against 0.2–0.3 s after ten seconds
(and no less after three: the live objects, not the garbage, set the cost then). So in
continuous use the passes come about as often, and cost about as much, as CPython's own,
and in ordinary use (with pauses) they no longer land on a keystroke. The young
generations are left to CPython: their passes take a millisecond or two, and collect most
of the short-lived cycles.

Freezing the survivors after each pass (``gc.freeze``) would make the passes short, and was
tried: the app's widgets die in cycles (a closed palette, a replaced entry view), frozen
cycles are never collected, and the occasional pass that unfreezes everything to collect
them took a second or more.
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
        quiet_s: pause in input before a due pass runs.
        due_after: passes of the middle generation that make a full pass due (CPython's own
            setting when ``None``).
        longest_s: the longest a due pass waits for a pause.
    """

    def __init__(
        self, quiet_s: float = 2.0, due_after: int | None = None, longest_s: float = 10.0
    ) -> None:
        self.quiet_s = quiet_s
        self.due_after = due_after or gc.get_threshold()[2]
        self.longest_s = longest_s
        self._saved_threshold: tuple[int, int, int] | None = None
        self._last_input = monotonic()
        self._due_since: float | None = None
        self.passes = 0
        """Full passes run so far."""

    def start(self) -> None:
        """Take over the full passes (CPython keeps the young generations)."""
        if self._saved_threshold is None:
            young, middle, oldest = gc.get_threshold()
            self._saved_threshold = (young, middle, oldest)
            gc.set_threshold(young, middle, NO_AUTOMATIC_FULL_PASS)

    def stop(self) -> None:
        """Give the full passes back to CPython, with its thresholds as they were."""
        if self._saved_threshold is not None:
            gc.set_threshold(*self._saved_threshold)
            self._saved_threshold = None

    def activity(self) -> None:
        """The user pressed a key or used the mouse."""
        self._last_input = monotonic()

    def tick(self) -> None:
        """Run a full pass if one is due and the user has paused (or it has waited long)."""
        if self._saved_threshold is None or gc.get_count()[2] < self.due_after:
            return
        now = monotonic()
        if self._due_since is None:
            self._due_since = now
        if now - self._last_input >= self.quiet_s or now - self._due_since >= self.longest_s:
            gc.collect()
            self._due_since = None
            self.passes += 1
