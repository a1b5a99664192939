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
    code, out = invoke("show", "torch.rsqrt")
    assert code == 0
    assert "reference (from the installed torch" in out and "not yet curated" in out
    assert "torch.rsqrt(input, *, out=None) -> Tensor" in out
    assert "reciprocal of the square-root" in out
    assert "https://docs.pytorch.org/docs/stable/generated/torch.rsqrt.html" in out
    assert ":math:" not in out and ".. math::" not in out


def test_show_json_gives_every_field(reference_layer: ReferenceLayer) -> None:
    code, out = invoke("show", "torch.cdist", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["layer"] == "reference" and data["name"] == "torch.cdist"
    for field in ("aliases", "kind", "module", "signature", "summary", "doc", "url", "examples"):
        assert field in data
    assert data["deprecated"] is False and data["examples"]


def _reference_only(layer: ReferenceLayer, prefix: str, *, examples: bool) -> str:
    """A name of ``layer`` under ``prefix`` that no curated entry documents (the curated
    glossary grows, so a fixed name would not stay reference-only)."""
    from glossary.loader import load_glossary
    from glossary.reference.curated import curated_names

    curated = curated_names(load_glossary(), layer)
    for entry in layer.entries:
        wanted = bool(entry.examples) is examples and entry.kind == "function"
        if wanted and entry.name.startswith(prefix) and entry.name not in curated:
            return entry.name
    raise AssertionError(f"every {prefix} name is curated")


def test_show_accepts_alias_forms(reference_layer: ReferenceLayer) -> None:
    name = _reference_only(reference_layer, "torch.nn.functional.", examples=False)
    short = "F." + name.rsplit(".", 1)[1]
    code, out = invoke("show", short, "--json")
    assert code == 0 and json.loads(out)["name"] == name
    code, out = invoke("show", "Tensor.repeat_interleave", "--json")
    assert code == 0 and json.loads(out)["name"] == "torch.Tensor.repeat_interleave"


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
    code, out = invoke("run", "torch.cdist")
    assert code == 0
    assert "__show(torch.cdist(a, b, p=2))" in out
    assert "tensor([[3.1193, 2.0959]" in out


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
