"""What a cold ``torchgloss search`` process imports: the heavy libraries only when needed.

Timings belong in bench scripts; these tests pin down the cause of a slow start instead: a
certain answer must not import torch, faiss, sentence-transformers, pydantic or PyYAML, and
neither must a paraphrase: a new one is embedded by the numpy engine, one asked before comes
from the query-vector cache.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("torch", "faiss", "sentence_transformers", "transformers", "pydantic", "yaml", "pykakasi")


def run_search(query: str) -> dict[str, object]:
    code = (
        "import json, sys\n"
        "from click.testing import CliRunner\n"
        "from glossary.cli import cli\n"
        "result = CliRunner().invoke(cli, ['search', sys.argv[1], '--json'])\n"
        "heavy = [m for m in json.loads(sys.argv[2]) if m in sys.modules]\n"
        "print(json.dumps({'output': json.loads(result.output), 'heavy': heavy}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, query, json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("query", ["torch.cat", "自動微分", "じどうびぶん", "jidou bibun"])
def test_certain_answers_stay_light(search_home: Path, query: str) -> None:
    data = run_search(query)
    assert data["heavy"] == []
    assert data["output"]["results"]  # type: ignore[index]


@pytest.mark.slow
def test_a_paraphrase_needs_no_torch(search_home: Path, semantic_engine: object) -> None:
    query = "a lamp for reading at night"
    first = run_search(query)  # embeds the query (numpy engine) and caches its vector
    assert first["heavy"] == []
    signals = {m["signal"] for hit in first["output"]["results"] for m in hit["matched_by"]}  # type: ignore[index]
    assert "semantic" in signals
    again = run_search(query)
    assert again["heavy"] == []
    assert again["output"] == first["output"]
