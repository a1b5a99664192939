"""The collector that runs full garbage collections in the pauses between keystrokes."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tui.freezing_gc import NO_AUTOMATIC_FULL_PASS, FreezingCollector


class Cycle:
    """An object in a reference cycle: only the cyclic collector can free it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector() -> Iterator[FreezingCollector]:
    collector = FreezingCollector(due_after=1, deep_quiet_s=600.0, quiet_s=60.0)
    gc.collect()
    collector.start()
    yield collector
    collector.stop()
    gc.unfreeze()


def live_cycles() -> int:
    """Cycles the collector has not freed yet (frozen ones included)."""
    gc.unfreeze()
    count = sum(type(o) is Cycle for o in gc.get_objects())
    gc.freeze()
    return count


def make_a_full_pass_due() -> None:
    """A pass of the middle generation, as CPython makes after enough allocations."""
    gc.collect(1)


def test_start_turns_automatic_full_passes_off_and_stop_restores_them() -> None:
    before = gc.get_threshold()
    collector = FreezingCollector()
    collector.start()
    assert gc.get_threshold()[2] == NO_AUTOMATIC_FULL_PASS
    collector.stop()
    assert gc.get_threshold() == before


def test_a_due_pass_runs_while_the_user_types_and_frees_cycles(
    collector: FreezingCollector,
) -> None:
    cycles = [Cycle() for _ in range(100)]
    make_a_full_pass_due()  # the cycles move to the oldest generation
    del cycles
    collector.activity()
    collector.tick()
    assert collector.passes == 1
    assert live_cycles() == 0


def test_nothing_runs_when_no_pass_is_due(collector: FreezingCollector) -> None:
    gc.collect()
    collector.tick()
    assert collector.passes == 0


def test_a_survivor_pass_freezes_what_it_kept(collector: FreezingCollector) -> None:
    kept = [Cycle() for _ in range(100)]
    make_a_full_pass_due()
    collector.tick()
    assert collector.passes == 1
    assert not any(type(o) is Cycle for o in gc.get_objects())  # out of later passes
    assert gc.get_freeze_count() >= len(kept)


def test_a_deep_pass_frees_cycles_that_died_frozen(collector: FreezingCollector) -> None:
    cycles = [Cycle() for _ in range(100)]
    make_a_full_pass_due()
    collector.tick()  # survivor pass: the cycles are frozen while alive
    del cycles
    gc.collect()
    assert live_cycles() == 100  # a survivor pass cannot free them
    collector.deep_quiet_s = 0.0
    freed = collector.freed
    collector.tick()
    assert collector.deep_passes == 1
    assert collector.frozen_passes == 0
    assert live_cycles() == 0
    assert collector.freed >= freed + 100  # each cycle is one object and its __dict__


def test_a_deep_pass_waits_for_a_long_pause(collector: FreezingCollector) -> None:
    make_a_full_pass_due()
    collector.tick()
    collector.activity()
    collector.tick()
    assert collector.deep_passes == 0
    collector.deep_quiet_s = 0.0
    collector.tick()
    assert collector.deep_passes == 1


def test_a_deep_pass_runs_when_the_terminal_loses_focus(collector: FreezingCollector) -> None:
    make_a_full_pass_due()
    collector.tick()
    collector.activity()
    collector.away()
    collector.tick()
    assert collector.deep_passes == 1


def test_a_deep_pass_takes_a_short_pause_once_much_was_frozen(
    collector: FreezingCollector,
) -> None:
    collector.deep_after_objects = 1000
    make_a_full_pass_due()
    collector.tick()
    kept = [Cycle() for _ in range(1000)]
    make_a_full_pass_due()
    collector.tick()
    assert collector.passes == 2
    assert collector.frozen_since_deep >= len(kept)
    collector.tick()
    assert collector.deep_passes == 0  # the user is typing
    collector.quiet_s = 0.0
    collector.tick()
    assert collector.deep_passes == 1
    assert collector.frozen_since_deep == 0


def test_what_the_app_loads_for_good_is_no_growth(collector: FreezingCollector) -> None:
    make_a_full_pass_due()
    collector.tick()  # the first survivor pass sets the baseline
    grown = collector.frozen_since_deep
    frozen = gc.get_freeze_count()
    loaded = [Cycle() for _ in range(1000)]
    collector.freeze_long_lived()
    assert gc.get_freeze_count() >= frozen + len(loaded)
    assert collector.frozen_since_deep == grown


def test_no_deep_pass_when_nothing_was_frozen_since_the_last(collector: FreezingCollector) -> None:
    collector.deep_quiet_s = 0.0
    collector.away()
    collector.tick()
    assert collector.deep_passes == 0


def test_passes_wait_while_the_app_loads_what_it_keeps(collector: FreezingCollector) -> None:
    collector.begin_load()
    loaded = [Cycle() for _ in range(1000)]
    make_a_full_pass_due()
    collector.deep_quiet_s = 0.0
    collector.tick()
    assert collector.passes == collector.deep_passes == 0
    frozen = gc.get_freeze_count()
    collector.end_load()
    assert gc.get_freeze_count() >= frozen + len(loaded)  # kept, so out of later passes
    make_a_full_pass_due()
    collector.tick()
    assert collector.passes == 1


def test_a_failed_load_freezes_nothing(collector: FreezingCollector) -> None:
    collector.begin_load()
    frozen = gc.get_freeze_count()
    collector.end_load(keep=False)
    assert gc.get_freeze_count() == frozen
    assert not collector.loading


def test_a_load_holds_the_passes_back_for_a_limited_time(collector: FreezingCollector) -> None:
    collector.max_hold_s = 0.0
    collector.begin_load()  # and never ends (a worker that died)
    make_a_full_pass_due()
    collector.tick()
    assert collector.passes == 1


def test_a_block_that_keeps_what_it_loads_holds_the_passes_and_freezes_it(
    collector: FreezingCollector,
) -> None:
    with collector.keeping():
        loaded = [Cycle() for _ in range(1000)]
        make_a_full_pass_due()
        collector.tick()
        assert collector.loading and collector.passes == 0
        frozen = gc.get_freeze_count()
    assert gc.get_freeze_count() >= frozen + len(loaded)
    assert not collector.loading


def test_a_block_that_fails_freezes_nothing_and_lets_the_passes_go_on(
    collector: FreezingCollector,
) -> None:
    frozen = gc.get_freeze_count()
    with pytest.raises(ValueError), collector.keeping():
        raise ValueError("the load failed")
    assert gc.get_freeze_count() == frozen
    assert not collector.loading
