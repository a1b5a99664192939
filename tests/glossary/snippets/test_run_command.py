"""``torchgloss run`` and ``torchgloss check-snippets`` end to end, through Click."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import cli, main
from glossary.loader import Glossary

MakeGlossary = Callable[[dict[str, tuple[str, str]]], Glossary]

FAILING = 'code: "import torch\\nprint(torch.add(torch.tensor(1), 1).item())"\nexpected_output: "3"'


def user_folder(user_glossary: MakeGlossary) -> str:
    glossary = user_glossary({"my.add": ("torch.add", FAILING)})
    return str(glossary.folders[-1])


def test_run_json_has_the_documented_shape() -> None:
    result = CliRunner().invoke(cli, ["run", "torch.cat", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == [
        "id",
        "exit_code",
        "stdout",
        "stderr",
        "timed_out",
        "duration_s",
        "skipped",
        "device",
        "truncated",
        "protections",
        "missing_protections",
        "sandbox_note",
    ]
    assert data["id"] == "torch.cat" and data["exit_code"] == 0 and data["skipped"] is None
    assert data["stdout"] == "torch.Size([3, 3])\ntorch.Size([2, 6])\n"
    assert data["device"] == "cpu" and data["timed_out"] is False


def test_run_prints_the_code_then_its_output_when_piped() -> None:
    result = CliRunner().invoke(cli, ["run", "torch.cat"])
    assert result.exit_code == 0, result.output
    code, output = result.stdout.split("--- output ---\n")
    assert "c = torch.cat([a, b], dim=0)" in code and "\x1b[" not in code
    assert output == "torch.Size([3, 3])\ntorch.Size([2, 6])\n"
    assert "exit status 0" in result.stderr


def test_a_failing_snippet_is_reported_not_raised(user_glossary: MakeGlossary) -> None:
    folder = user_folder(user_glossary)
    runner = CliRunner()
    result = runner.invoke(cli, ["--data", folder, "run", "my.add", "--yes", "--timeout", "0.01"])
    assert result.exit_code == 0
    assert "timed out" in result.stderr
    result = runner.invoke(cli, ["--data", folder, "run", "my.add", "--yes", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["stdout"] == "2\n"


def test_a_user_snippet_needs_yes(
    user_glossary: MakeGlossary, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = user_folder(user_glossary)
    with pytest.raises(SystemExit) as exit_info:
        main(["--data", folder, "run", "my.add"])
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing ran, not even the code was printed
    assert captured.err.startswith("torchgloss: The example of 'my.add' comes from your own")
    assert "pass --yes to run it" in captured.err
    assert "Traceback" not in captured.err


def test_check_snippets_fails_naming_the_entry(user_glossary: MakeGlossary) -> None:
    folder = user_folder(user_glossary)
    args = ["--data", folder, "check-snippets", "my.add", "torch.cat", "--yes"]
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["passed"], report["failed"], report["skipped"]) == (1, 1, 0)
    failed = next(c for c in report["checks"] if c["status"] == "failed")
    assert failed["id"] == "my.add" and "output differs" in failed["problems"][0]
    text = CliRunner().invoke(cli, [*args, "--fresh"])
    assert text.exit_code == 1
    assert (
        "FAIL my.add" in text.stdout and "2 examples: 1 passed, 1 failed, 0 skipped" in text.stdout
    )


def test_check_snippets_skips_user_snippets_without_yes(user_glossary: MakeGlossary) -> None:
    folder = user_folder(user_glossary)
    result = CliRunner().invoke(cli, ["--data", folder, "check-snippets", "my.add"])
    assert result.exit_code == 0
    assert "skip my.add" in result.stdout
    assert "Read it with `torchgloss show my.add`, then pass --yes to run it." in result.stdout


def test_run_help_says_how_failures_are_reported(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["run", "--help"])
    assert "reported, not raised" in result.output
