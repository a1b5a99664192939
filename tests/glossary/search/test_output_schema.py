"""``glossary/search-output.schema.json`` describes what ``search --json`` really prints."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from glossary.cli import cli

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "glossary" / "search-output.schema.json"
TRACEBACK = """Traceback (most recent call last):
  File "train.py", line 12, in <module>
    out = model(x)
RuntimeError: mat1 and mat2 shapes cannot be multiplied (64x100 and 128x10)"""


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@pytest.mark.parametrize(
    "query",
    [
        "torch.cat",
        "自動微分",
        "torch.fft.irfftn",
        TRACEBACK,
        "qqqqzzzzxxxx",
        "nn.Lin",
        "gakushuuritsu",
    ],
    ids=["api", "japanese", "reference", "traceback", "nothing", "prefix", "romaji"],
)
def test_search_json_follows_the_schema(
    query: str, search_home: Path, validator: jsonschema.protocols.Validator
) -> None:
    result = CliRunner().invoke(cli, ["search", query, "--json", "--mode", "lexical"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    validator.validate(data)
    assert isinstance(data["notices"], list)
    if query == "torch.fft.irfftn":
        assert data["results"][0]["layer"] == "reference"


def test_search_json_says_what_the_cli_notices(
    search_home: Path, validator: jsonschema.protocols.Validator
) -> None:
    """A query nothing answers closely: the JSON carries the notice the terminal shows."""
    result = CliRunner().invoke(cli, ["search", "qqqqzzzzxxxx", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    validator.validate(data)
    assert data["confident"] is False
    assert data["notices"] and all(isinstance(n, str) and n for n in data["notices"])


def test_search_lines_follow_the_schema(
    search_home: Path, validator: jsonschema.protocols.Validator
) -> None:
    result = CliRunner().invoke(
        cli, ["search", "-", "--mode", "lexical"], input="torch.cat\n\n   \nbatch size\n"
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 4 and "error" in lines[1]
    for line in lines:
        validator.validate(line)


def test_the_schema_catches_a_wrong_shape(validator: jsonschema.protocols.Validator) -> None:
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"query": "x", "results": [{"id": "torch.cat"}]})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"query": "x", "results": [], "surprise": 1})
