"""Rendered lines that no longer keep themselves, or a global cache, alive."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator

import pytest
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual._styles_cache import StylesCache
from textual.color import Color
from textual.strip import Strip
from textual.style import Style

from tui.line_caches import install_inner_outer_by_colours, install_lines_without_self


@pytest.fixture(autouse=True)
def installed() -> None:
    assert install_lines_without_self()
    assert install_inner_outer_by_colours()


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


def test_the_background_styles_do_not_keep_a_widgets_lines() -> None:
    cache = StylesCache()
    base, background = Color(10, 20, 30), Color(200, 100, 0, 0.5)
    before = sys.getrefcount(cache)
    inner, outer = cache.get_inner_outer(base, background)
    assert sys.getrefcount(cache) == before
    assert inner == Style(background=base + background)
    assert outer == Style(background=base)
    assert StylesCache().get_inner_outer(base, background) == (inner, outer)


def test_install_is_idempotent() -> None:
    divide, crop_extend = Strip.divide, Strip.crop_extend
    get_inner_outer = StylesCache.get_inner_outer
    assert install_lines_without_self() and install_inner_outer_by_colours()
    assert (Strip.divide, Strip.crop_extend) == (divide, crop_extend)
    assert StylesCache.get_inner_outer is get_inner_outer
