"""Fixtures for the TUI tests (the helpers themselves are in ``tui_helpers``)."""

from __future__ import annotations

import pytest
from tui_helpers import LexicalEngine

from tui.patches import install


@pytest.fixture(scope="session", autouse=True)
def textual_patches() -> None:
    """The TUI tests run with the patches that ``torchgloss tui`` installs (tui.patches)."""
    install()


@pytest.fixture
def lexical_engine() -> LexicalEngine:
    """A fresh fixture engine, semantic search not loaded."""
    return LexicalEngine()


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests are coroutines; anyio's pytest plugin runs them on asyncio."""
    return "asyncio"
