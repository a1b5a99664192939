"""``torchgloss index rebuild``, run as a real child process: the JSON lines a program (the
terminal browser) follows, the index that a later search then uses, and errors stated as
JSON with a non-zero status, or the usual CLI way without ``--progress json``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
LANTERN = """\
entries:
  - id: my-lantern
    kind: object
    term: {en: paper lantern, ja: 提灯, reading: ちょうちん}
    definition: {en: A lamp of paper on a frame., ja: 紙を張った灯り。}
"""
KETTLE = """\
entries:
  - id: my-kettle
    kind: object
    term: {en: copper kettle, ja: やかん}
    definition: {en: A pot for boiling water., ja: 湯を沸かすための器。}
"""
BROKEN = "entries: [\n"


def torchgloss(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI of this checkout in a new process (``TORCHGLOSS_HOME`` is the test's own)."""
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "glossary", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONPATH": path, "NO_COLOR": "1", "TORCHGLOSS_LANG": "en"},
        timeout=300,
    )


def json_lines(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    """Every line of stdout, each of which must be one JSON object."""
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """Two user folders: a lantern (and a file that does not parse), and a kettle."""
    first, second = tmp_path / "lamps", tmp_path / "pots"
    first.mkdir()
    second.mkdir()
    (first / "lantern.yaml").write_text(LANTERN, encoding="utf-8")
    (first / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (second / "kettle.yaml").write_text(KETTLE, encoding="utf-8")
    return first, second


def test_json_progress_then_a_search_uses_the_rebuilt_index(
    folders: tuple[Path, Path], isolated_home: Path
) -> None:
    first, second = folders
    bundled = torchgloss("index", "rebuild", "--no-semantic", "--progress", "json")
    assert bundled.returncode == 0, bundled.stderr
    bundled_entries = json_lines(bundled)[-1]["entries"]

    # The top-level --data and the command's own --data add up.
    rebuilt = torchgloss(
        "--data", str(first), "index", "rebuild", "--data", str(second),
        "--no-semantic", "--progress", "json",
    )  # fmt: skip
    assert rebuilt.returncode == 0, rebuilt.stderr
    lines = json_lines(rebuilt)
    assert [line["progress"] for line in lines[:-1]] == [
        ["Building the lexical index", 0, 1],
        ["Building the lexical index", 1, 1],
    ]
    assert lines[-1] == {
        "done": True,
        "entries": bundled_entries + 2,
        "skipped": 1,  # broken.yaml, counted rather than named on stderr
        "vectors": None,
    }
    assert "Traceback" not in rebuilt.stderr and "skipped" not in rebuilt.stderr

    written = {p: p.stat().st_mtime_ns for p in isolated_home.rglob("*") if p.is_file()}
    searched = torchgloss(
        "--data", str(first), "--data", str(second),
        "search", "paper lantern", "--mode", "lexical", "--json",
    )  # fmt: skip
    assert searched.returncode == 0, searched.stderr
    assert json.loads(searched.stdout)["results"][0]["id"] == "my-lantern"
    for path, mtime in written.items():  # read as rebuilt, not built again
        assert path.stat().st_mtime_ns == mtime, path


def test_a_plain_rebuild_says_what_it_built(folders: tuple[Path, Path]) -> None:
    first, _ = folders
    result = torchgloss("index", "rebuild", "--data", str(first), "--no-semantic")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Rebuilt the search indexes: ")
    assert result.stdout.rstrip().endswith("entries, 1 skipped.")
    assert "broken.yaml" in result.stderr  # named once, as search names it


def test_a_missing_data_folder_is_an_error_line_and_a_status(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    result = torchgloss(
        "index", "rebuild", "--data", str(gone), "--no-semantic", "--progress", "json"
    )
    assert result.returncode == 1
    assert json_lines(result) == [
        {"error": {"title": "torchgloss error", "message": f"{gone}: no such file or folder."}}
    ]
    assert "Traceback" not in result.stderr


def test_a_missing_model_fails_after_the_lexical_index(tmp_path: Path) -> None:
    """The engine's ModelError: the lexical index is already rebuilt, the dense one is not."""
    result = torchgloss(
        "index", "rebuild", "--model", str(tmp_path / "no-model"), "--progress", "json"
    )
    assert result.returncode == 1
    *progress, last = json_lines(result)
    assert progress[-1] == {"progress": ["Building the lexical index", 1, 1]}
    assert last["error"]["title"] == "Model problem"
    assert "There is no model folder at" in last["error"]["message"]


def test_without_json_an_error_is_the_usual_one_line(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    result = torchgloss("index", "rebuild", "--data", str(gone), "--progress", "none")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == f"torchgloss: {gone}: no such file or folder."


def test_a_semantic_rebuild_of_the_bundled_glossary_counts_its_vectors() -> None:
    """The bundled glossary's vectors ship with the package: no model is loaded."""
    result = torchgloss("index", "rebuild", "--progress", "json")
    assert result.returncode == 0, result.stderr
    lines = json_lines(result)
    stages = {line["progress"][0] for line in lines[:-1]}
    assert {"Building the lexical index", "Saving the search index"} <= stages
    done = lines[-1]
    assert done["done"] is True and done["vectors"] > done["entries"] > 0
