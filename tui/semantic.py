"""Where semantic search stands in the browser: one set of states that the app sets and the
search screen and its status line show."""

from __future__ import annotations

from enum import StrEnum


class SemanticState(StrEnum):
    """Whether the embedding model is there for search.

    The values double as the status line's CSS class (``-off``, ``-loading`` …).
    """

    OFF = "off"
    """Not asked for (``--no-semantic``): lexical search only."""
    LOADING = "loading"
    """The model or the dense index is loading (or being rebuilt)."""
    READY = "ready"
    """Semantic search answers."""
    FAILED = "failed"
    """The model could not load; lexical search still works."""
