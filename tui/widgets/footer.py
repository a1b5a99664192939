"""The key bar at the bottom of each screen: Textual's ``Footer``, rebuilt only when the keys
it shows change, and without its leak."""

from __future__ import annotations

from collections.abc import Hashable
from typing import ClassVar

from textual.reactive import Reactive
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's :class:`~textual.widgets.Footer`, which builds its keys again only when they
    change, and forgets the keys it has removed.

    The footer builds all its keys again whenever the screen's bindings change, and they
    change at every move of the focus (Tab to a link, a screen shown, a run started), most
    often to the same keys. Each rebuild is a few milliseconds, and the keys it replaces die
    in reference cycles, with their styles and every line they drew: after a minute of use
    they were a sixth of the garbage that only a slow full collection frees (see
    ``tui/freezing_gc.py``). So a rebuild that would show the same keys is skipped.

    Textual's footer also binds each key to its own ``compact`` reactive and lets go of a
    removed key only when ``compact`` changes, which in this app is never; touching
    ``compact`` after each rebuild makes the footer drop them.

    Both are off (Textual's own footer) until :func:`install` turns them on; the command that
    starts the browser does (through :mod:`tui.patches`).
    """

    reuse_unchanged_keys: ClassVar[bool] = False
    """Skip rebuilds that would show the same keys, and let go of the removed ones."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: Hashable = None

    def _keys_to_show(self) -> Hashable:
        """What :meth:`compose` would show: the shown bindings, each with whether it is
        enabled and its tooltip, and the command palette's key."""
        active = self.screen.active_bindings
        keys = tuple(
            (binding, enabled, tooltip)
            for _node, binding, enabled, tooltip in active.values()
            if binding.show
        )
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        return keys, palette[1:] if palette is not None else None, self.show_command_palette

    async def recompose(self) -> None:
        if not self.reuse_unchanged_keys:
            await super().recompose()
            return
        if self.is_attached:
            shown = self._keys_to_show()
            if shown == self._shown and self.children:
                return
            self._shown = shown
        await super().recompose()
        self.mutate_reactive(Footer.compact)


def install() -> bool:
    """Turn :class:`KeyFooter`'s reuse of unchanged keys on; False, and Textual's own footer
    kept, if ``Footer`` no longer has the ``compact`` reactive the fix touches."""
    if not isinstance(Footer.__dict__.get("compact"), Reactive):
        return False
    KeyFooter.reuse_unchanged_keys = True
    return True
