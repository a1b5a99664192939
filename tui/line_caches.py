"""Keep Textual's rendered lines from outliving their use.

Two habits of Textual 8.2 keep rendered lines alive long after they are drawn, where the
garbage collector's full passes (:mod:`tui.freezing_gc`), which cost the UI time, must visit
or free them. :func:`install` corrects both without changing what is drawn.

**Lines in cycles.** A :class:`textual.strip.Strip` is one rendered line. It caches what it
derives from itself, and two of those caches can end up holding the strip itself: dividing a
line at its own length gives ``[line]``, and cropping-and-extending it to its own length
gives the line back, and both results are cached on the line (Textual 8.2). A line that
refers to itself is never freed by reference counting: it lives until a full garbage-
collector pass, with its seven caches and its segments, some sixteen objects. The screen is
cut into lines this way at every frame, and in the bench a round of browsing left 4,200 such
lines, two thirds of all the garbage that :mod:`tui.freezing_gc`'s deep pass has to free (at
about 1.7 µs an object, with the UI waiting).

The wrapped methods return the line for those two cases without caching it (fetching it
from a cache is no cheaper); every other case goes to Textual's own method.

**Lines kept by a global cache.** ``StylesCache.get_inner_outer`` (each widget has a
``StylesCache``, which keeps the widget's rendered lines) is memoized with
:func:`functools.lru_cache` on the method, so the cache's keys hold the last 1,024
``StylesCache`` objects, with their lines, whether or not their widgets still exist: after
two rounds of the bench over half the app's live lines were kept that way. The answer
depends only on the two colours, so the wrapper memoizes Textual's own function on them.

:func:`install_lines_without_self` and :func:`install_inner_outer_by_colours` are
idempotent; the command that starts the browser calls them (through :mod:`tui.patches`).
Each first checks that Textual still has what it wraps (``textual._styles_cache`` is a
private module) and otherwise leaves Textual's own behaviour; should Textual change either
method's inside, the wrappers still return what Textual's own would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache, wraps
from typing import Any

from rich.style import Style
from textual.strip import Strip

_INSTALLED = "__torchgloss_no_self_cache__"

INNER_OUTER_KEPT = 1024
"""Colour pairs whose styles are memoized (as many as Textual kept)."""


def install_lines_without_self() -> bool:
    """Wrap :meth:`Strip.divide` and :meth:`Strip.crop_extend` (once); False, and nothing
    changed, if Textual's ``Strip`` no longer has them."""
    if getattr(Strip.divide, _INSTALLED, False):
        return True
    if not (
        callable(getattr(Strip, "divide", None)) and callable(getattr(Strip, "crop_extend", None))
    ):
        return False
    Strip.divide = _divide_without_self(Strip.divide)  # type: ignore[method-assign]
    Strip.crop_extend = _crop_extend_without_self(Strip.crop_extend)  # type: ignore[method-assign]
    return True


def install_inner_outer_by_colours() -> bool:
    """Memoize ``StylesCache.get_inner_outer`` by its colours alone (once); False, and nothing
    changed, if the private module is gone or the method is no longer memoized on instances."""
    try:
        from textual._styles_cache import StylesCache
    except ImportError:
        return False
    memoized = StylesCache.__dict__.get("get_inner_outer")
    if getattr(memoized, _INSTALLED, False):
        return True
    # Only a memoized plain method keeps its instances; a classmethod or anything else is
    # left as it is.
    if not (
        callable(memoized) and hasattr(memoized, "cache_info") and hasattr(memoized, "__wrapped__")
    ):
        return False
    StylesCache.get_inner_outer = _memoized_by_colours(memoized.__wrapped__)  # type: ignore[method-assign]
    return True


def _divide_without_self(
    divide: Callable[[Strip, Iterable[int]], Sequence[Strip]],
) -> Callable[[Strip, Iterable[int]], Sequence[Strip]]:
    @wraps(divide)
    def wrapper(self: Strip, cuts: Iterable[int]) -> Sequence[Strip]:
        length = self.cell_length
        kept = [cut for cut in cuts if cut <= length]
        if kept == [length]:
            return [self]
        return divide(self, kept)

    setattr(wrapper, _INSTALLED, True)
    return wrapper


def _crop_extend_without_self(
    crop_extend: Callable[[Strip, int, int, Style | None], Strip],
) -> Callable[[Strip, int, int, Style | None], Strip]:
    @wraps(crop_extend)
    def wrapper(self: Strip, start: int, end: int, style: Style | None) -> Strip:
        if start <= 0 and end == self.cell_length:
            return self
        return crop_extend(self, start, end, style)

    setattr(wrapper, _INSTALLED, True)
    return wrapper


def _memoized_by_colours(get_inner_outer: Callable[..., Any]) -> Callable[..., Any]:
    @lru_cache(INNER_OUTER_KEPT)
    def by_colours(base_background: Any, background: Any) -> Any:
        return get_inner_outer(None, base_background, background)

    @wraps(get_inner_outer)
    def wrapper(self: Any, base_background: Any, background: Any) -> Any:
        return by_colours(base_background, background)

    setattr(wrapper, _INSTALLED, True)
    return wrapper
