"""The key bar at the bottom of each screen: Textual's ``Footer``, without its leak."""

from __future__ import annotations

from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's :class:`~textual.widgets.Footer`, which forgets the keys it has removed.

    The footer builds its keys again whenever the bindings change (a screen is shown, the
    focus moves, a run starts), and binds each key to its own ``compact`` reactive. It lets go
    of a removed key only when ``compact`` changes, which in this app is never: after a few
    minutes of use some 550 dead keys were still alive, each with every line it had drawn,
    and the garbage collector visited all of them on every pass. Touching ``compact`` after
    each rebuild makes the footer drop them.
    """

    async def recompose(self) -> None:
        await super().recompose()
        self.mutate_reactive(Footer.compact)
