"""The foundation commands end to end: show, stats, validate, schema, --version, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from glossary import __version__
from glossary.cli import cli
from glossary.paths import bundled_data_dir
from tests.glossary.conftest import VALID_ENTRY

BILLION_LAUGHS = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)
)


def run_torchgloss(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point in a child process (exit codes, no traceback)."""
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-c", "from glossary.cli import main; main()", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env=env,
        timeout=120,
    )


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_help_has_japanese_examples() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "自動微分" in result.output


def test_show_json_has_both_languages() -> None:
    result = CliRunner().invoke(cli, ["show", "flashlight", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["term"] == {"en": "flashlight", "ja": "懐中電灯", "reading": "かいちゅうでんとう"}
    assert data["origin"]["trusted"] is True
    assert data["asked_as"]["en"] and data["asked_as"]["ja"]


def test_show_renders_plain_text_when_piped() -> None:
    result = CliRunner().invoke(cli, ["show", "torch.cat"])
    assert result.exit_code == 0, result.output
    assert "torch.cat" in result.output
    assert "\x1b[" not in result.output
    assert "torchgloss run torch.cat" in result.output
    assert "Asked as" in result.output  # how people ask for it, from asked_as


RELATIONS = ("synonyms", "antonyms", "cooccurring", "related")


def counted_from_yaml(*folders: Path) -> dict[str, Any]:
    """What ``stats --json`` should say about ``folders``, counted straight from their YAML
    with plain PyYAML (not the glossary's loader, so that the two can disagree)."""
    entries: list[dict[str, Any]] = []
    files = 0
    for folder in folders:
        for path in sorted(folder.rglob("*.yaml")):
            found = yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]
            entries.extend(found)
            files += bool(found)
    api = [e for e in entries if e["kind"] == "api"]
    items = [item for e in entries for name in RELATIONS for item in e.get(name, [])]
    return {
        "entries": len(entries),
        "api_entries": len(api),
        "snippets": sum(1 for e in entries if "snippet" in e),
        "api_entries_with_snippets": sum(1 for e in api if "snippet" in e),
        "by_kind": dict(Counter(e["kind"] for e in entries)),
        "relations": {name: sum(len(e.get(name, [])) for e in entries) for name in RELATIONS},
        "relations_total": len(items),
        "linked_relations": sum(1 for item in items if "ref" in item),
        "files": files,
    }


def test_stats_json_counts(write_yaml: Callable[[str, str], Path]) -> None:
    """Every count equals the one taken from the YAML files, bundled alone and with a user
    folder of two known entries."""

    def stats(*args: str) -> dict[str, Any]:
        result = CliRunner().invoke(cli, [*args, "stats", "--json"])
        assert result.exit_code == 0, result.output
        data: dict[str, Any] = json.loads(result.output)
        return data

    bundled = stats()
    assert bundled == counted_from_yaml(bundled_data_dir())

    extra = VALID_ENTRY + VALID_ENTRY.removeprefix("entries:\n").replace("my-lamp", "my-lamp-2")
    path = write_yaml("two.yaml", extra)
    mine = stats("--data", str(path.parent))
    assert mine == counted_from_yaml(bundled_data_dir(), path.parent)
    assert mine["by_kind"]["object"] == bundled["by_kind"]["object"] + 2


def test_schema_is_json_schema() -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert "entries" in schema["properties"]


def test_committed_schema_file_is_what_the_command_prints() -> None:
    """Editors read ``glossary/glossary.schema.json``; it must not lag behind the models."""
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    committed = Path(__file__).resolve().parents[3] / "glossary" / "glossary.schema.json"
    assert committed.read_text(encoding="utf-8") == result.output, (
        "the schema changed: run `python -m glossary schema > glossary/glossary.schema.json`"
    )


def test_schema_says_what_kinds_relations_and_validate_rules_mean() -> None:
    schema = json.loads(CliRunner().invoke(cli, ["schema"]).output)
    definitions = schema["$defs"]
    kinds = definitions["Kind"]
    assert len(kinds["enumDescriptions"]) == len(kinds["enum"])
    assert "- api: a callable, class or attribute of the PyTorch API" in kinds["description"]
    entry = definitions["Entry"]["properties"]
    assert "'torch.cat'" in entry["id"]["description"]
    assert "torch-cat" not in json.dumps(schema)
    for name, word in [
        ("synonyms", "同意語"),
        ("antonyms", "対義語"),
        ("cooccurring", "共起語"),
        ("related", "関連語"),
    ]:
        assert entry[name]["description"].startswith(f"{word}: ")
    assert (
        "requires it when the headword contains kanji"
        in (definitions["Term"]["properties"]["reading"]["description"])
    )
    assert "repeats the headword" in entry["aliases"]["description"]
    assert "uses the API" in entry["snippet"]["description"]
    assert definitions["Term"]["required"] == ["ja"]  # en: required except in API entries
    assert definitions["Entry"]["else"] == {"properties": {"term": {"required": ["en"]}}}


def test_unknown_id_is_one_line_exit_1() -> None:
    result = run_torchgloss("show", "no-such-id")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("torchgloss: No entry has the id 'no-such-id'")


def test_validate_passes_on_bundled_data() -> None:
    result = run_torchgloss("validate")
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("entries:\n  - id: x\n    kind: object\n   term: y\n", ":4: not valid YAML"),
        (
            VALID_ENTRY.replace("aliases:", "colour: red\n    aliases:"),
            ":5: entry 'my-lamp': field 'colour'",
        ),
        (VALID_ENTRY.replace("ref: flashlight", "ref: nowhere"), "links to 'nowhere'"),
        (VALID_ENTRY + VALID_ENTRY.removeprefix("entries:\n"), "duplicate id"),
        (BILLION_LAUGHS, "alias bomb"),
    ],
    ids=["indentation", "unknown-field", "dangling-link", "duplicate-id", "billion-laughs"],
)
def test_validate_reports_broken_files(
    write_yaml: Callable[[str, str], Path], text: str, expected: str
) -> None:
    path = write_yaml("broken.yaml", text)
    result = run_torchgloss("validate", "--no-api-check", str(path.parent))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr
    assert expected in result.stderr


def test_validate_json_lists_problems(write_yaml: Callable[[str, str], Path]) -> None:
    path = write_yaml("broken.yaml", VALID_ENTRY.replace("ref: flashlight", "ref: nowhere"))
    result = CliRunner().invoke(cli, ["validate", "--json", "--no-api-check", str(path.parent)])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["ok"] is False
    assert data["problems"][0]["field"] == "related[0].ref"
    assert data["problems"][0]["line"] == 10


def test_validate_flags_api_names_that_do_not_resolve(
    write_yaml: Callable[[str, str], Path],
) -> None:
    path = write_yaml(
        "api.yaml",
        """\
        entries:
          - id: torch.catt
            kind: api
            api: torch.catt
            term: {en: torch.catt, ja: 連結, reading: れんけつ}
            definition: {en: Not a real function., ja: 存在しない関数。}
        """,
    )
    result = run_torchgloss("validate", str(path.parent))
    assert result.returncode == 1
    assert "'torch.catt' does not resolve" in result.stderr


def test_usage_error_exits_2() -> None:
    result = run_torchgloss("show")
    assert result.returncode == 2
    assert "Missing argument" in result.stderr


def test_stats_coverage_reports_each_module() -> None:
    result = CliRunner().invoke(cli, ["stats", "--json", "--coverage"])
    assert result.exit_code == 0, result.output
    rows = {row["module"]: row for row in json.loads(result.output)["coverage"]}
    assert set(rows) >= {
        "torch",
        "torch.nn",
        "torch.nn.functional",
        "torch.optim",
        "torch.optim.lr_scheduler",
        "torch.utils.data",
    }
    assert rows["torch.optim"]["covered"] >= 5  # SGD, Adam, AdamW, RMSprop, Adagrad …
    assert all(0 <= row["covered"] <= row["public"] for row in rows.values())


def test_words_without_a_command_are_searched() -> None:
    result = run_torchgloss("自動微分", "--limit", "1", "--mode", "lexical")
    assert result.returncode == 0, result.stderr
    assert "autograd" in result.stdout and "No such command" not in result.stderr


def test_a_library_error_is_worded_with_the_cli_option() -> None:
    """The library names its parameter (``device``); the CLI states it as ``--device``."""
    import torch

    if torch.backends.mps.is_available():
        pytest.skip("needs a machine without MPS")
    result = subprocess.run(
        [sys.executable, "-m", "glossary", "model", "info", "--device", "mps"],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "torchgloss: Device 'mps' is not available on this machine; set --device to cpu, "
        "or leave it out to pick the best one present."
    )
