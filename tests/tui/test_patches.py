"""The Textual patches: canaries for the habits they correct, and a start-up that survives a
Textual without the internals they use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.patches import PATCHES, install

HERE = Path(__file__).parent
ROOT = HERE.parent.parent


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter (no patch installed), from the worktree's root."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def textual_habits() -> dict[str, bool]:
    """Which habits unpatched Textual still has (``textual_habits.py``)."""
    done = run_python("import textual_habits; textual_habits.main()")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", list(PATCHES))
def test_canary_textual_still_has_the_habit_the_patch_corrects(
    name: str, textual_habits: dict[str, bool]
) -> None:
    """When this fails, Textual no longer does what the patch corrects: delete the patch
    (``tui/patches.py``), its module's part, and its row in the README's figures."""
    assert textual_habits[name], f"Textual fixed what the {name!r} patch works around"


def test_every_patch_is_in_place_with_the_pinned_textual() -> None:
    assert install() == dict.fromkeys(PATCHES, True)


def test_an_unknown_patch_name_is_refused_with_the_list() -> None:
    with pytest.raises(ValueError, match="lines-without-self"):
        install(["no-such-patch"])


def test_the_browser_starts_on_a_textual_without_the_private_parts() -> None:
    """A Textual whose private modules and attributes moved: ``import tui.app`` works, the
    patches that need them step aside, and the app runs on Textual's own behaviour."""
    done = run_python(
        """
import sys
import textual.widget  # Textual itself loads (a renamed module would be its own business)
sys.modules["textual._styles_cache"] = None  # gone, as a private module may be
from textual.css.stylesheet import Stylesheet
from textual.widgets import Footer
del Stylesheet._process_component_classes
del Footer.compact
import tui.app
from tui.patches import install
print(install())
"""
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(
        {
            "lines-without-self": True,
            "component-nodes": False,
            "footer-keys": False,
        }
    )


def test_the_app_alone_installs_nothing() -> None:
    """Making an app (as tests and embedders do) leaves Textual as it is: the command that
    starts the browser installs the patches."""
    done = run_python(
        """
from textual.strip import Strip
divide = Strip.divide
from tui.app import GlossaryApp
GlossaryApp(load_semantic=False)
print(Strip.divide is divide)
"""
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
