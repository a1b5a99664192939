"""Fixtures for every test: no test may touch the user's real home or caches.

Each test gets its own ``TORCHGLOSS_HOME``; converted models go to one folder per test
session (``TORCHGLOSS_MODEL_CACHE``) so the real model is built once, not once per test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# The interface speaks English in tests whatever the tester's locale (snapshots, messages);
# set before any test module imports the CLI or the TUI, whose labels are read at import.
# Tests of the Japanese interface set TORCHGLOSS_LANG=ja in a child process.
os.environ["TORCHGLOSS_LANG"] = "en"


@pytest.fixture(scope="session")
def session_model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One model cache for the whole test session."""
    return tmp_path_factory.mktemp("model-cache")


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, session_model_cache: Path
) -> Iterator[Path]:
    """Point TORCHGLOSS_HOME (and XDG dirs) at a per-test folder; clear TORCHGLOSS_DATA."""
    home = tmp_path / "torchgloss-home"
    monkeypatch.setenv("TORCHGLOSS_HOME", str(home))
    monkeypatch.setenv("TORCHGLOSS_MODEL_CACHE", str(session_model_cache))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "xdg-run"))
    monkeypatch.delenv("TORCHGLOSS_DATA", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    yield home
