"""Project-wide guards: lint clean, the core library free of the UI, and its layers one-way."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    path = shutil.which(name) or str(Path(sys.executable).with_name(name))
    if not Path(path).exists():
        pytest.fail(f"{name} is not installed; install the test extra: pip install -e '.[test]'")
    return path


def test_ruff_check_is_clean() -> None:
    result = subprocess.run(
        [_tool("ruff"), "check", "glossary", "tui", "tests", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_tool("lint-imports"), "--no-cache"], cwd=cwd, capture_output=True, text=True
    )


def test_import_contracts_hold() -> None:
    """Both contracts of pyproject.toml: no UI in the core, and the core's layers."""
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_layers_contract_refuses_an_upward_import(tmp_path: Path) -> None:
    """The old cycle (the loader importing ``validate``) breaks the layers contract again."""
    only_sources = shutil.ignore_patterns("*.json", "*.gz", "*.bin", "__pycache__")
    for package in ("glossary", "tui"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=only_sources)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    loader = tmp_path / "glossary" / "loader.py"
    loader.write_text(loader.read_text() + "\nimport glossary.validate  # noqa: E402\n")
    result = _lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "glossary.loader is not allowed to import glossary.validate" in result.stdout


def test_cold_cli_imports_stay_light() -> None:
    """`torchgloss --help` must not drag in torch, sentence-transformers, faiss or textual."""
    code = (
        "import sys\n"
        "from glossary.cli import cli\n"
        "from click.testing import CliRunner\n"
        "CliRunner().invoke(cli, ['--help'])\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'faiss', 'textual', 'transformers')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
