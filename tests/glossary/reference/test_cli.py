"""``show``, ``run`` and ``stats --coverage`` over the reference layer, through Click's runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from glossary.cli import cli
from glossary.reference import ReferenceLayer

REPO = Path(__file__).resolve().parents[3]


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_show_reference_entry_marks_its_layer(reference_layer: ReferenceLayer) -> None:
    name = _reference_only(reference_layer, "torch.", examples=True)
    entry = reference_layer.by_name[name]
    code, out = invoke("show", name)
    assert code == 0
    assert "reference (from the installed torch" in out and "not yet curated" in out
    assert entry.display_signature is None or entry.display_signature in out
    assert entry.url in out and entry.summary.split()[0] in out
    assert ":math:" not in out and ".. math::" not in out and ":func:" not in out


def test_show_json_gives_every_field(reference_layer: ReferenceLayer) -> None:
    name = _reference_only(reference_layer, "torch.", examples=True)
    code, out = invoke("show", name, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["layer"] == "reference" and data["name"] == name
    for field in ("aliases", "kind", "module", "signature", "summary", "doc", "url", "examples"):
        assert field in data
    assert data["deprecated"] is False and data["examples"]


def _reference_only(
    layer: ReferenceLayer, prefix: str, *, examples: bool, kind: str = "function"
) -> str:
    """A name of ``layer`` under ``prefix`` that no curated entry documents (the curated
    glossary grows, so a fixed name would not stay reference-only)."""
    from glossary.loader import load_glossary
    from glossary.reference.curated import curated_names

    curated = curated_names(load_glossary(), layer)
    for entry in layer.entries:
        wanted = bool(entry.examples) is examples and entry.kind == kind and entry.summary
        if wanted and entry.name.startswith(prefix) and entry.name not in curated:
            return entry.name
    raise AssertionError(f"every {prefix} name is curated")


def test_show_accepts_alias_forms(reference_layer: ReferenceLayer) -> None:
    name = _reference_only(reference_layer, "torch.nn.functional.", examples=False)
    short = "F." + name.rsplit(".", 1)[1]
    code, out = invoke("show", short, "--json")
    assert code == 0 and json.loads(out)["name"] == name
    method = _reference_only(reference_layer, "torch.Tensor.", examples=False, kind="method")
    code, out = invoke("show", "Tensor." + method.rsplit(".", 1)[1], "--json")
    assert code == 0 and json.loads(out)["name"] == method


def test_curated_entry_replaces_its_reference_entry(reference_layer: ReferenceLayer) -> None:
    code, out = invoke("show", "torch.cat", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["layer"] == "curated" and data["id"] == "torch.cat"
    assert data["signature"] == "torch.cat(tensors, dim=0, *, out=None) -> Tensor"
    code, out = invoke("show", "nn.Linear", "--json")  # an alias form finds the curated entry
    assert code == 0 and json.loads(out)["layer"] == "curated"


def test_reference_entry_lists_curated_entries_linking_to_it(
    reference_layer: ReferenceLayer,
) -> None:
    code, out = invoke("show", "torch.nn.functional.upsample", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["layer"] == "reference"
    assert "torch.nn.functional.interpolate" in data["linked_from"]


def test_run_reference_examples_shows_output(reference_layer: ReferenceLayer) -> None:
    name = _reference_only(reference_layer, "torch.", examples=True)
    code, out = invoke("run", name)
    assert code == 0
    assert f"__show({name}(" in out or name in out
    assert "exit status 0" in out


def test_run_without_examples_says_so_without_traceback(
    reference_layer: ReferenceLayer,
) -> None:
    name = _reference_only(reference_layer, "torch.nn.functional.", examples=False)
    done = subprocess.run(
        [sys.executable, "-c", "from glossary.cli import main; main()", "run", name],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
    )
    assert done.returncode == 1
    assert "has no runnable example" in done.stderr and "Traceback" not in done.stderr


def test_stats_coverage_reports_modules_and_share(reference_layer: ReferenceLayer) -> None:
    code, out = invoke("stats", "--coverage", "--json")
    assert code == 0
    data = json.loads(out)
    rows = {row["module"]: row for row in data["coverage"]}
    for module in ("torch", "torch.Tensor", "torch.nn.functional", "torch.distributions"):
        row = rows[module]
        assert row["public"] == row["curated"] + row["reference_only"] + row["missing"]
    assert rows["torch"]["curated"] > 50
    assert data["coverage_total"]["resolved_percent"] >= 99.0
    code, out = invoke("stats", "--coverage")
    assert code == 0 and "resolved (curated or reference)" in out and "target ≥ 99%" in out
