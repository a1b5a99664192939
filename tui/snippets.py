"""What the browser needs from the snippet runner: start a run, read it, cancel it.

:class:`SnippetHandle` is the shape of the handle that
:func:`glossary.snippets.runner.start_snippet` returns. The app takes any ``SnippetStarter``
(a test may pass one); :func:`start_snippet` is the real one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from glossary.schema import Entry
    from glossary.snippets.runner import OutputChunk, RunResult


class SnippetHandle(Protocol):
    """A running snippet: iterate for output as it comes; ``wait`` for the result."""

    def __iter__(self) -> Iterator[OutputChunk]:
        """Output pieces, stdout and stderr in the order they came, until the run ends."""
        ...

    def cancel(self) -> None:
        """Stop the run soon; must not block."""
        ...

    def wait(self) -> RunResult:
        """How the run ended, once it has."""
        ...


SnippetStarter = Callable[["Entry"], SnippetHandle]


def start_snippet(entry: Entry) -> SnippetHandle:
    """Start ``entry``'s snippet with the real runner (call from a worker thread)."""
    from glossary.snippets.runner import start_snippet as start

    handle: SnippetHandle = start(entry)
    return handle
