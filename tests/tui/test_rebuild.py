"""The browser's index rebuild runs in a child process that nothing in the working folder
can hijack (issue 22, point 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.rebuild import rebuild_in_child


def test_rebuild_child_ignores_modules_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ``argparse.py`` (and a ``PYTHONPATH``) in a hostile working folder never runs."""
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    marker = tmp_path / "pwned"
    for name in ("argparse.py", "json.py"):
        (hostile / name).write_text(
            f"open({str(marker)!r}, 'a').write({name!r})\nraise SystemExit(3)\n"
        )
    monkeypatch.chdir(hostile)
    monkeypatch.setenv("PYTHONPATH", str(hostile))
    stages: list[str] = []
    rebuild_in_child(
        [], model=None, device=None, semantic=False, progress=lambda s, *_: stages.append(s)
    )
    assert not marker.exists(), marker.read_text()
