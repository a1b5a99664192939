"""Workarounds for habits of Textual 8.2 that cost the browser keystroke time, in one place.

Each patch corrects one habit that leaves garbage for the cyclic collector's slow full
passes (see :mod:`tui.freezing_gc`), without changing what is drawn. They reach into
Textual's internals, so:

* Textual is pinned to the range they were tested with (``pyproject.toml``);
* each patch checks that what it replaces is still there and otherwise leaves Textual's own
  behaviour, so an upgrade cannot break start-up;
* they are installed by the command that starts the browser (:func:`install`), not when an
  app is made, and ``bench/bench_tui.py --without NAME`` runs the app without one, to
  measure what it buys (README, "Figures");
* ``tests/tui/test_patches.py`` has a canary per patch that fails once Textual stops the
  habit: the patch can be deleted then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tui import component_styles, line_caches
from tui.widgets import footer

PATCHES: dict[str, tuple[Callable[[], bool], str]] = {
    "lines-without-self": (
        line_caches.install_lines_without_self,
        "a line cut or cropped to its own length is not cached on itself (tui.line_caches)",
    ),
    "component-nodes": (
        component_styles.install,
        "a restyle reuses each widget's component nodes (tui.component_styles)",
    ),
    "footer-keys": (
        footer.install,
        "the key bar rebuilds only when its keys change (tui.widgets.footer)",
    ),
}
"""Each patch: its installer (True when it is in place) and what it does."""


def install(without: Iterable[str] = ()) -> dict[str, bool]:
    """Install every patch but those named in ``without``; idempotent.

    Returns:
        For each patch, whether it is in place (False: skipped, or Textual no longer has
        what it replaces, and Textual's own behaviour stays).

    Raises:
        ValueError: ``without`` names no patch.
    """
    skipped = set(without)
    unknown = skipped - PATCHES.keys()
    if unknown:
        raise ValueError(
            f"unknown patch {', '.join(sorted(unknown))}; the patches are {', '.join(PATCHES)}"
        )
    return {
        name: name not in skipped and installer() for name, (installer, _what) in PATCHES.items()
    }
