"""Helpers for the TUI tests: a small fixed glossary and a lexical engine over it.

``lexical_engine`` is a tiny lexical engine over ``tests/tui/data`` with the shape the app
needs (``tui.engine.GlossaryEngine``), so behaviour and snapshot tests are fast and do not
change when the real glossary grows. ``bundled/`` is trusted; ``user/`` is a user's folder.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from glossary.errors import Problem
from glossary.loader import Glossary, collect
from glossary.reference import ReferenceEntry, ReferenceLayer
from glossary.schema import Entry
from glossary.search.types import Match, Mode, SearchHit, SearchResponse, Signal
from glossary.snippets.runner import OutputChunk, RunResult
from glossary.text.normalize import has_japanese
from tui.app import GlossaryApp

DATA = Path(__file__).parent / "data"
BUNDLED = DATA / "bundled"
USER = DATA / "user"


RSQRT = ReferenceEntry(
    name="torch.rsqrt",
    aliases=("rsqrt",),
    kind="function",
    module="torch",
    signature="(input, *, out=None) -> Tensor",
    summary="Returns a new tensor with the reciprocal of the square-root of each element.",
    doc=(
        "rsqrt(input, *, out=None) -> Tensor\n\n"
        "Returns a new tensor with the reciprocal of the square-root of each of\n"
        "the elements of :attr:`input`.\n\n"
        ".. math::\n    \\text{out}_{i} = \\frac{1}{\\sqrt{\\text{input}_{i}}}\n"
    ),
    url="https://docs.pytorch.org/docs/stable/generated/torch.rsqrt.html",
    examples=(),
    deprecated=False,
)
"""A reference entry (a torch name without a curated entry), as the real layer has it."""


class LexicalEngine:
    """Exact and substring matching over the fixture glossary; semantic loading is simulated.

    Its reference layer has one name, :data:`RSQRT`, found when the query is that name.

    :meth:`ensure_semantic` waits until ``semantic_gate`` is set, so a test decides when the
    "loading" state turns into "ready".
    """

    def __init__(self) -> None:
        entries, origins, problems = collect([BUNDLED, USER], trusted=[BUNDLED])
        assert not problems, problems
        self.glossary = Glossary(entries=entries, origins=origins, folders=[BUNDLED, USER])
        self.semantic_gate = threading.Event()
        self._semantic = False
        self.searches: list[str] = []
        self.reference_layer = ReferenceLayer([RSQRT], "2.0.0", [], "fixture")

    @property
    def semantic_ready(self) -> bool:
        return self._semantic

    @property
    def skipped(self) -> list[Problem]:
        return []

    def ensure_semantic(self, progress: Callable[[str, int, int], None] | None = None) -> None:
        if progress is not None:
            progress("loading model", 0, 0)
        if not self.semantic_gate.wait(timeout=30):
            raise RuntimeError("the test never let the model load")
        self._semantic = True

    def entry(self, entry_id: str) -> Entry:
        return self.glossary.get(entry_id)

    def rebuild_indexes(
        self, progress: Callable[[str, int, int], None] | None = None, semantic: bool = True
    ) -> None:
        """Nothing to rebuild."""

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        lang: str | None = None,
        kind: str | None = None,
        mode: Mode = Mode.HYBRID,
    ) -> SearchResponse:
        self.searches.append(query)
        needle = query.casefold()
        hits: list[SearchHit] = []
        for entry in self.glossary.entries:
            if kind and entry.kind.value != kind:
                continue
            if lang == "ja" and not has_japanese(entry.term.ja):
                continue
            matches = self._matches(entry, needle)
            if self._semantic and needle in entry.id:
                matches.append(Match(Signal.SEMANTIC, entry.id, 0.5))
            if matches:
                score = max(m.score for m in matches)
                hits.append(
                    SearchHit(
                        id=entry.id,
                        term_en=entry.term.en,
                        term_ja=entry.term.ja,
                        kind=entry.kind.value,
                        api=entry.api,
                        score=score,
                        matched_by=tuple(matches),
                    )
                )
        hits.sort(key=lambda h: (-h.score, h.id))
        found = self.reference_layer.resolve(query)
        if found is not None and kind in (None, "api"):
            hits.insert(
                0,
                SearchHit(
                    id=found.name,
                    term_en=found.name,
                    term_ja="",
                    kind="api",
                    api=found.name,
                    score=1.0,
                    matched_by=(Match(Signal.NAME, query, 1.0),),
                    summary_en=found.summary,
                    layer="reference",
                ),
            )
        return SearchResponse(
            query=query,
            results=hits[:limit],
            mode=mode,
            semantic_used=self._semantic,
            elapsed_ms=1.0,  # a fixed time, so snapshots stay the same from run to run
        )

    @staticmethod
    def _matches(entry: Entry, needle: str) -> list[Match]:
        matches: list[Match] = []
        names = [entry.id, entry.term.en, entry.term.ja]
        if any(needle == n.casefold() for n in names):
            matches.append(Match(Signal.NAME, entry.term.ja, 1.0))
        elif any(needle in n.casefold() for n in names):
            matches.append(Match(Signal.NAME, entry.term.en, 0.8))
        if entry.term.reading and needle in entry.term.reading:
            matches.append(Match(Signal.READING, entry.term.reading, 0.9))
        alias = next((a for a in entry.aliases if needle in a.casefold()), None)
        if alias:
            matches.append(Match(Signal.ALIAS, alias, 0.7))
        text = f"{entry.definition.en} {entry.definition.ja}".casefold()
        if needle in text:
            matches.append(Match(Signal.TEXT, "", 0.3))
        return matches


async def wait_for(pilot: Any, condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Let the app run until ``condition()`` is true (workers answer in their own time)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {condition}")
        await pilot.pause(0.02)


async def type_query(pilot: Any, query: str, timeout: float = 10.0) -> None:
    """Type ``query`` key by key into the search box and wait until its results are on show."""
    await pilot.press(*query)
    await wait_for(pilot, lambda: pilot.app.screen.shown_query == query, timeout)


def make_app(engine: Any, **kwargs: Any) -> GlossaryApp:
    """The app over ``engine`` (semantic loading off unless asked), with the real runner."""
    kwargs.setdefault("load_semantic", False)
    return GlossaryApp(engine, **kwargs)


@dataclass
class FixedRun:
    """A finished run with fixed output and duration, for screenshots that must not change."""

    entry: Entry

    def __iter__(self) -> Iterator[OutputChunk]:
        yield OutputChunk("stdout", "y = 9.0\ndy/dx = 6.0\n")

    def cancel(self) -> None:
        """Nothing to cancel: it is over."""

    def wait(self) -> RunResult:
        return RunResult(0, "y = 9.0\ndy/dx = 6.0\n", "", False, 0.25, "cpu")
