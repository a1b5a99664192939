"""The browser's index rebuild runs ``torchgloss index rebuild`` in a child process that
nothing in the working folder can hijack (issue 22, point 7), and shows its errors as its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.errors import GlossaryError, IndexError_
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
    assert stages[-1] == "Building the lexical index"


def test_the_childs_error_comes_back_with_its_title_and_message(tmp_path: Path) -> None:
    """A --data folder removed since the browser opened: the engine's own error, not a
    crash report."""
    gone = tmp_path / "gone"
    with pytest.raises(GlossaryError) as caught:
        rebuild_in_child([gone], model=None, device=None, semantic=False, progress=lambda *_: None)
    assert not isinstance(caught.value, IndexError_)
    assert caught.value.title == "torchgloss error"
    assert str(caught.value) == f"{gone}: no such file or folder."
