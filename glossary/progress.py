"""How slow work reports progress: one callback shape for the model, indexes and the browser.

The library never prints; a command or the browser passes a callback and draws the bar.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressCallback = Callable[[str, int, int], None]
"""``progress(stage, done, total)`` while a model, an index or a layer is being built."""


class StageClock:
    """Times the stages of a progress report, to estimate how long the current one has left."""

    #: No estimate before this many seconds of a stage: the first batches say little.
    SETTLE_S = 0.5

    def __init__(self) -> None:
        self.stage: str | None = None
        self.started = 0.0

    def seconds_left(self, stage: str, done: int, total: int) -> float | None:
        """Seconds left in ``stage`` at ``done`` of ``total``, from its pace so far; ``None``
        at a stage's start, at its end, or before it has run :data:`SETTLE_S`."""
        import time

        now = time.monotonic()
        if stage != self.stage:
            self.stage, self.started = stage, now
            return None
        elapsed = now - self.started
        if 0 < done < total and elapsed >= self.SETTLE_S:
            return elapsed / done * (total - done)
        return None


def describe_seconds_left(seconds: float | None) -> str:
    """``about 9 s left`` / ``about 3 min left``; empty for no estimate."""
    if seconds is None:
        return ""
    if seconds < 90:
        return f"about {max(1, round(seconds))} s left"
    return f"about {round(seconds / 60)} min left"
