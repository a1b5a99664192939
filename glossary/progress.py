"""How slow work reports progress: one callback shape for the model, indexes and the browser.

The library never prints; a command or the browser passes a callback and draws the bar.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressCallback = Callable[[str, int, int], None]
"""``progress(stage, done, total)`` while a model, an index or a layer is being built."""
