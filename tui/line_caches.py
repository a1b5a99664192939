"""Keep Textual's rendered lines out of reference cycles.

A habit of Textual 8.2 keeps rendered lines alive long after they are drawn, until the
garbage collector's full passes (:mod:`tui.freezing_gc`), which cost the UI time, free them.
:func:`install_lines_without_self` corrects it without changing what is drawn.

A :class:`textual.strip.Strip` is one rendered line. It caches what it derives from itself,
and two of those caches can end up holding the strip itself: dividing a line at its own
length gives ``[line]``, and cropping-and-extending it to its own length gives the line
back, and both results are cached on the line. A line that refers to itself is never freed
by reference counting: it lives until a full garbage-collector pass, with its seven caches
and its segments, some sixteen objects. The screen is cut into lines this way at every
frame (what that costs: README, "Figures").

The wrapped methods return the line for those two cases without caching it (fetching it
from a cache is no cheaper); every other case goes to Textual's own method.

:func:`install_lines_without_self` is idempotent; the command that starts the browser calls
it (through :mod:`tui.patches`). It first checks that ``Strip`` still has both methods and
otherwise leaves Textual's own behaviour; should Textual change either method's inside, the
wrappers still return what Textual's own would.

(A second patch memoized ``textual._styles_cache.StylesCache.get_inner_outer`` by colour, so
that its method-level ``lru_cache`` stopped keeping the last 1,024 widgets' caches alive; it
saved 2% of the live objects and no measurable time, and was removed with its private import.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import wraps

from rich.style import Style
from textual.strip import Strip

_INSTALLED = "__torchgloss_no_self_cache__"


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
