"""Fixtures for search tests: engines over the bundled glossary, built once per session.

Building the lexical index takes seconds and the dense index (real model) minutes, so both
live in one session-wide ``TORCHGLOSS_HOME`` under pytest's tmp folder; tests that run the CLI
point ``TORCHGLOSS_HOME`` there (``search_home``) so the CLI finds them ready. Storage and
ranking logic is tested with :class:`HashEncoder`, a tiny deterministic stand-in for a model.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from glossary.schema import Entry
from glossary.search.engine import SearchEngine
from tests.glossary.search.searchkit import make_entry


@pytest.fixture
def tiny_entries() -> list[Entry]:
    """Four entries covering an API name, a kanji headword with reading, and aliases."""
    return [
        make_entry(
            "torch.cat",
            "torch.cat",
            "テンソルの連結",
            "Joins tensors end to end along an existing dimension.",
            kind="api",
            api="torch.cat",
            reading="てんそるのれんけつ",
            aliases=["cat", "torch.concat", "テンソルを繋げる"],
            definition_ja="既存の次元に沿ってテンソルを端からつなげる。",
        ),
        make_entry(
            "autograd",
            "autograd",
            "自動微分",
            "Computes gradients automatically by recording operations.",
            reading="じどうびぶん",
            aliases=["automatic differentiation"],
            definition_ja="演算を記録して勾配を自動で求める仕組み。",
        ),
        make_entry(
            "flashlight",
            "flashlight",
            "懐中電灯",
            "A small battery-powered lamp carried in the hand.",
            kind="object",
            reading="かいちゅうでんとう",
            aliases=["torch", "electric torch"],
            definition_ja="電池で光る手持ちの電灯。",
        ),
        make_entry(
            "torch.utils.data.DataLoader",
            "torch.utils.data.DataLoader",
            "データローダー",
            "Iterates over a dataset in shuffled mini-batches.",
            kind="api",
            api="torch.utils.data.DataLoader",
            aliases=["DataLoader", "データローダ"],
        ),
    ]


@pytest.fixture(scope="session")
def session_search_home(
    tmp_path_factory: pytest.TempPathFactory, session_model_cache: Path
) -> Iterator[Path]:
    """A TORCHGLOSS_HOME shared by the session's search tests (indexes built once)."""
    home = tmp_path_factory.mktemp("search-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TORCHGLOSS_HOME", str(home))
        patch.setenv("TORCHGLOSS_MODEL_CACHE", str(session_model_cache))
        patch.delenv("TORCHGLOSS_DATA", raising=False)
        yield home


@pytest.fixture(scope="session")
def lexical_engine(session_search_home: Path) -> SearchEngine:
    """An engine over the bundled glossary with its lexical index ready (no model)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TORCHGLOSS_HOME", str(session_search_home))
        return SearchEngine.open()


@pytest.fixture(scope="session")
def semantic_engine(lexical_engine: SearchEngine, session_search_home: Path) -> SearchEngine:
    """The same engine with the real model and dense index loaded (built once: slow)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TORCHGLOSS_HOME", str(session_search_home))
        lexical_engine.ensure_semantic()
    return lexical_engine


@pytest.fixture
def search_home(
    session_search_home: Path, lexical_engine: SearchEngine, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point this test's TORCHGLOSS_HOME at the session's (the lexical index is built there)."""
    monkeypatch.setenv("TORCHGLOSS_HOME", str(session_search_home))
    return session_search_home
