"""The collector that runs full garbage collections in the pauses between keystrokes."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tui.idle_gc import NO_AUTOMATIC_FULL_PASS, QuietCollector


class Cycle:
    """An object in a reference cycle: only the cyclic collector can free it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector() -> Iterator[QuietCollector]:
    collector = QuietCollector(quiet_s=0.0, deep_quiet_s=0.0, deep_after_objects=10**9)
    collector.start()
    yield collector
    collector.stop()


def young_pass_promotes() -> None:
    """Make a full pass due, as a young pass that promotes survivors would."""
    gc.collect(1)


def test_start_turns_automatic_full_passes_off_and_stop_restores_them() -> None:
    before = gc.get_threshold()
    collector = QuietCollector()
    collector.start()
    assert gc.get_threshold()[2] == NO_AUTOMATIC_FULL_PASS
    collector.stop()
    assert gc.get_threshold() == before


def test_no_pass_while_the_user_types(collector: QuietCollector) -> None:
    collector.quiet_s = 60.0
    collector.activity()
    young_pass_promotes()
    collector.tick()
    assert collector.quick_passes == 0


def test_a_quick_pass_collects_then_freezes(collector: QuietCollector) -> None:
    young_pass_promotes()
    collector.tick()
    assert collector.quick_passes == 1
    assert gc.get_count()[2] == 0
    assert gc.get_freeze_count() > 0


def test_a_deep_pass_frees_cycles_that_died_after_they_were_frozen(
    collector: QuietCollector,
) -> None:
    cycles = [Cycle() for _ in range(1000)]
    young_pass_promotes()
    collector.tick()  # quick pass: the live cycles are frozen
    assert collector.quick_passes == 1
    frozen = gc.get_freeze_count()
    del cycles  # now garbage, but frozen: no quick pass can free them
    collector.deep_after_objects = 1
    collector.tick()
    assert collector.deep_passes == 1
    assert gc.get_freeze_count() < frozen - 900
