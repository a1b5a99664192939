"""What the browser needs from the search engine, and how it gets one.

:class:`GlossaryEngine` is the slice of :class:`glossary.search.engine.SearchEngine` that the
UI calls. Tests pass any object with this shape (a lexical-only engine, for speed); the real
application opens the real engine with :func:`open_engine`, inside a worker thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from glossary.progress import ProgressCallback

if TYPE_CHECKING:
    from glossary.errors import Problem
    from glossary.loader import Glossary
    from glossary.reference import ReferenceLayer
    from glossary.schema import Entry
    from glossary.search.types import Mode, SearchResponse


@runtime_checkable
class GlossaryEngine(Protocol):
    """Search, look up and index glossary entries.

    ``search`` and ``entry`` must be quick (lexical search is); ``ensure_semantic`` and
    ``rebuild_indexes`` are slow and are only ever called from worker threads.
    """

    @property
    def semantic_ready(self) -> bool:
        """True once the embedding model and dense index are loaded."""
        ...

    @property
    def skipped(self) -> list[Problem]:
        """Problems of the entries left out because their files do not validate."""
        ...

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        lang: str | None = None,
        kind: str | None = None,
        mode: Mode = ...,
    ) -> SearchResponse:
        """Ranked hits for ``query``; semantic hits join once the model is loaded."""
        ...

    def ensure_semantic(self, progress: ProgressCallback | None = None) -> None:
        """Load the model and the dense index (slow)."""
        ...

    def entry(self, entry_id: str) -> Entry:
        """The entry with this id (raises ``EntryNotFoundError``); may read the data files."""
        ...

    def rebuild_indexes(
        self, progress: ProgressCallback | None = None, semantic: bool = True
    ) -> object:
        """Rebuild the search indexes from the glossary files (slow); the browser does not
        use what it returns (the real engine's :class:`~glossary.search.types.RebuildReport`)."""
        ...


def open_engine(
    extra_folders: Sequence[Path] = (), *, model: str | None = None, device: str | None = None
) -> GlossaryEngine:
    """Open the real search engine over the bundled glossary plus ``extra_folders``.

    Imported here, not at module level, so that starting the UI never waits for the engine's
    imports; call it from a worker thread.
    """
    from glossary.search.engine import SearchEngine

    engine: GlossaryEngine = SearchEngine.open(extra_folders, model=model, device=device)
    return engine


def load_entries(engine: GlossaryEngine) -> Glossary | None:
    """The engine's full :class:`~glossary.loader.Glossary` (slow the first time: call it in a
    worker), or ``None`` for an engine that does not expose one.

    The app keeps it, so showing an entry, resolving a link or checking where a snippet came
    from is a dictionary lookup on the UI thread, never a wait on the engine's lock (which a
    model load holds for seconds).
    """
    glossary: Glossary | None = getattr(engine, "glossary", None)
    return glossary


def warm_up(engine: GlossaryEngine) -> None:
    """Run one English and one Japanese lexical query, so that what the first query loads
    (the Japanese dictionary) is loaded in a worker, not while the user waits."""
    from glossary.search.types import Mode

    for query in ("torch", "自動微分"):
        engine.search(query, limit=1, mode=Mode.LEXICAL)


def reference_layer(engine: GlossaryEngine) -> ReferenceLayer | None:
    """The reference layer of the installed torch (what a reference hit is from), read from
    where the engine built it: an engine may offer its own as ``reference_layer`` (the test
    engine does); ``None`` when there is none. Reads a file: call it in a worker."""
    own: ReferenceLayer | None = getattr(engine, "reference_layer", None)
    if own is not None:
        return own
    from glossary.reference import ReferenceLayerError, load_reference_layer

    try:
        return load_reference_layer(build=False)
    except ReferenceLayerError:
        return None
