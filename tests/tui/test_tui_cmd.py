"""``torchgloss`` with no arguments, and ``torchgloss tui``, start the browser as asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from glossary.cli import cli
from tui.app import GlossaryApp


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[GlossaryApp]:
    """Apps that would have run (``run`` is replaced: no terminal in a test)."""
    apps: list[GlossaryApp] = []

    def fake_run(self: GlossaryApp, *args: Any, **kwargs: Any) -> None:
        apps.append(self)

    monkeypatch.setattr(GlossaryApp, "run", fake_run)
    return apps


def test_no_arguments_opens_the_browser(started: list[GlossaryApp]) -> None:
    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 0, result.output
    assert len(started) == 1
    app = started[0]
    assert app.engine is None  # the real engine opens in a worker once the app runs
    assert app.load_semantic and app.model is None and app.device is None


def test_tui_passes_data_model_and_device(started: list[GlossaryApp], tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["--data", str(tmp_path), "tui", "--model", "my-model", "--device", "cpu", "--no-semantic"],
    )
    assert result.exit_code == 0, result.output
    app = started[0]
    assert app.extra_folders == [tmp_path]
    assert (app.model, app.device, app.load_semantic) == ("my-model", "cpu", False)


def test_tui_help_lists_its_options() -> None:
    result = CliRunner().invoke(cli, ["tui", "--help"])
    assert result.exit_code == 0
    for option in ("--model", "--device", "--no-semantic"):
        assert option in result.output


def test_the_command_installs_the_textual_patches(
    started: list[GlossaryApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.patches

    calls: list[int] = []
    monkeypatch.setattr(tui.patches, "install", lambda: calls.append(len(started)) or {})
    result = CliRunner().invoke(cli, ["tui", "--no-semantic"])
    assert result.exit_code == 0, result.output
    assert calls == [0] and len(started) == 1  # installed before the app ran
