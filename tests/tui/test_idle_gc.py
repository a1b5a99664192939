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
    collector = QuietCollector(quiet_s=60.0, due_after=1, longest_s=600.0)
    collector.start()
    yield collector
    collector.stop()


def make_a_full_pass_due() -> None:
    """A pass of the middle generation, as CPython makes after enough allocations."""
    gc.collect(1)


def test_start_turns_automatic_full_passes_off_and_stop_restores_them() -> None:
    before = gc.get_threshold()
    collector = QuietCollector()
    collector.start()
    assert gc.get_threshold()[2] == NO_AUTOMATIC_FULL_PASS
    collector.stop()
    assert gc.get_threshold() == before


def test_a_due_pass_waits_while_the_user_types(collector: QuietCollector) -> None:
    collector.activity()
    make_a_full_pass_due()
    collector.tick()
    assert collector.passes == 0


def test_a_due_pass_runs_in_a_pause_and_frees_cycles(collector: QuietCollector) -> None:
    cycles = [Cycle() for _ in range(100)]
    make_a_full_pass_due()  # the cycles move to the oldest generation
    del cycles
    collector.quiet_s = 0.0
    collector.tick()
    assert collector.passes == 1
    assert not any(isinstance(o, Cycle) for o in gc.get_objects())


def test_a_due_pass_runs_anyway_when_there_is_no_pause(collector: QuietCollector) -> None:
    collector.activity()
    make_a_full_pass_due()
    collector.longest_s = 0.0
    collector.tick()
    assert collector.passes == 1


def test_nothing_runs_when_no_pass_is_due(collector: QuietCollector) -> None:
    gc.collect()
    collector.quiet_s = 0.0
    collector.tick()
    assert collector.passes == 0
