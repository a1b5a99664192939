"""Messages that widgets and screens send each other, declared in one place.

Widgets never reach across the DOM to call each other; they post one of these and the screen
or the app (which own the state) decide what happens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui.widgets.search.results_list import ResultRow


class OpenEntry(Message):
    """Show the entry with this id (a result was chosen or a link followed).

    ``layer`` is the hit's (:attr:`glossary.search.types.SearchHit.layer`): ``reference``
    for a name of the installed torch that has no curated entry, whose page is shown instead.
    """

    def __init__(self, entry_id: str, layer: str = "curated") -> None:
        super().__init__()
        self.entry_id = entry_id
        self.layer = layer


class SearchFor(Message):
    """Search for these words (a related word without an entry of its own was chosen)."""

    def __init__(self, words: str) -> None:
        super().__init__()
        self.words = words


class RunFinished(Message):
    """A snippet run ended (normally, with an error, by timeout, by cancel or skipped).

    ``summary`` is the one-line status to show; ``outcome`` is one of ``ok``, ``error``,
    ``timeout``, ``cancelled`` or ``skipped`` and picks the status line's style class.
    """

    def __init__(self, outcome: str, summary: str) -> None:
        super().__init__()
        self.outcome = outcome
        self.summary = summary


class SearchFinished(Message):
    """A search worker has an answer (or an error) for query number ``generation``."""

    def __init__(
        self,
        generation: int,
        query: str,
        rows: list[ResultRow],
        status: str,
        error: str | None = None,
    ) -> None:
        super().__init__()
        self.generation = generation
        self.query = query
        self.rows = rows
        self.status = status
        self.error = error
