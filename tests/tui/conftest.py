"""Fixtures for the TUI tests (the helpers themselves are in ``tui_helpers``)."""

from __future__ import annotations

import pytest
from tui_helpers import LexicalEngine


@pytest.fixture
def lexical_engine() -> LexicalEngine:
    """A fresh fixture engine, semantic search not loaded."""
    return LexicalEngine()


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests are coroutines; anyio's pytest plugin runs them on asyncio."""
    return "asyncio"
