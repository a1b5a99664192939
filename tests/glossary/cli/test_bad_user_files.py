"""One bad file in a user's folder: search, show and run go on with every valid entry and name
what they skipped once on stderr; validate stays strict; fixing the file brings its entry in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = """\
entries:
  - id: my-lamp
    kind: object
    term: {en: lamp, ja: 電灯, reading: でんとう}
    definition:
      en: A device that gives light.
      ja: 明かりをともす器具。
"""
BROKEN = """\
entries:
  - id: my-kettle
    kind: nonsense
    term: {en: kettle, ja: やかん}
"""
FIXED = """\
entries:
  - id: my-kettle
    kind: object
    term: {en: kettle, ja: やかん}
    definition:
      en: A pot for boiling water.
      ja: 湯を沸かすための器。
"""


def torchgloss(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "glossary", "--data", str(folder), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "TORCHGLOSS_LANG": "en"},
        timeout=300,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "good.yaml").write_text(GOOD, encoding="utf-8")
    (mine / "kettle.yaml").write_text(BROKEN, encoding="utf-8")
    (mine / "syntax.yaml").write_text("entries: [\n", encoding="utf-8")
    return mine


def test_search_goes_on_and_names_the_skipped_files_once(folder: Path) -> None:
    result = torchgloss(folder, "search", "lamp", "--mode", "lexical", "-n", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "lamp"
    assert "2 glossary entries or files were skipped" in result.stderr
    assert result.stderr.count("kettle.yaml:3") == 1  # the field's line, once
    assert "field 'kind'" in result.stderr and "syntax.yaml:2" in result.stderr
    assert "Traceback" not in result.stderr
    bundled = torchgloss(folder, "search", "torch.cat", "--mode", "lexical", "-n", "1")
    assert bundled.returncode == 0 and "torch.cat" in bundled.stdout
    assert "skipped" in bundled.stderr  # a cached index still knows what it left out


def test_show_and_run_go_on(folder: Path) -> None:
    shown = torchgloss(folder, "show", "my-lamp")
    assert shown.returncode == 0, shown.stderr
    assert "A device that gives light." in shown.stdout and "kettle.yaml" in shown.stderr
    missing = torchgloss(folder, "show", "my-kettle")
    assert missing.returncode != 0 and "Traceback" not in missing.stderr


def test_validate_stays_strict(folder: Path) -> None:
    result = torchgloss(folder, "validate")
    assert result.returncode == 1
    assert "kettle.yaml" in result.stdout + result.stderr


def test_fixing_the_file_brings_its_entry_in(folder: Path) -> None:
    before = torchgloss(folder, "search", "kettle", "--mode", "lexical", "-n", "1", "--json")
    assert '"my-kettle"' not in before.stdout
    (folder / "kettle.yaml").write_text(FIXED, encoding="utf-8")
    (folder / "syntax.yaml").unlink()
    after = torchgloss(folder, "search", "kettle", "--mode", "lexical", "-n", "1", "--json")
    assert after.returncode == 0, after.stderr
    assert '"my-kettle"' in after.stdout and "skipped" not in after.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_among_the_files_is_skipped_not_fatal(tmp_path: Path) -> None:
    """A FIFO named like a glossary file is neither read (it would block) nor fatal."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "good.yaml").write_text(GOOD, encoding="utf-8")
    os.mkfifo(mine / "pipe.yaml")
    result = torchgloss(mine, "search", "lamp", "--mode", "lexical", "-n", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "lamp"
    assert "pipe.yaml" in result.stderr and "Traceback" not in result.stderr
