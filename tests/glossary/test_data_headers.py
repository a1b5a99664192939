"""Every bundled data file tells the YAML language server which schema checks it."""

from __future__ import annotations

from pathlib import Path

import pytest

import glossary
from glossary.paths import bundled_data_dir

PREFIX = "# yaml-language-server: $schema="
SCHEMA = Path(glossary.__file__).resolve().parent / "glossary.schema.json"
DATA_FILES = sorted(bundled_data_dir().glob("*.yaml"))


def test_there_are_data_files() -> None:
    assert len(DATA_FILES) > 10


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_data_file_names_the_schema_on_its_first_line(path: Path) -> None:
    first = path.read_text("utf-8").split("\n", 1)[0]
    assert first.startswith(PREFIX), f"{path.name}: first line must be {PREFIX}…"
    schema = (path.parent / first.removeprefix(PREFIX)).resolve()
    assert schema == SCHEMA, f"{path.name}: the header points at {schema}, not {SCHEMA}"
