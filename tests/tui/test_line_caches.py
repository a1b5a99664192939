"""Rendered lines that no longer keep themselves alive."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.strip import Strip

from tui.line_caches import install_lines_without_self


@pytest.fixture(autouse=True)
def installed() -> None:
    assert install_lines_without_self()


@pytest.fixture
def saved_garbage() -> Iterator[list[object]]:
    """What the collector finds unreachable from here on (kept for the test to look at)."""
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        yield gc.garbage
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


def test_a_line_cut_to_its_own_length_is_freed_by_reference_counting(
    saved_garbage: list[object],
) -> None:
    line = Strip([Segment("hello")], 5)
    assert line.divide([5])[0] is line
    assert line.divide(iter([5, 9])) == [line]
    assert line.crop_extend(0, 5, None) is line
    del line
    gc.collect()
    assert not [obj for obj in saved_garbage if isinstance(obj, Strip)]


def test_other_cuts_give_what_textual_gives() -> None:
    line = Strip([Segment("hello", RichStyle(bold=True))], 5)
    assert [piece.text for piece in line.divide([2, 5])] == ["he", "llo"]
    extended = line.crop_extend(1, 7, RichStyle(italic=True))
    assert extended.text == "ello  " and extended.cell_length == 6
    assert line.crop_extend(0, 3, None).text == "hel"


def test_install_is_idempotent() -> None:
    divide, crop_extend = Strip.divide, Strip.crop_extend
    assert install_lines_without_self()
    assert (Strip.divide, Strip.crop_extend) == (divide, crop_extend)
