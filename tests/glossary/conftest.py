"""Small real glossary folders written into tmp paths for loader/validator/CLI tests."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

VALID_ENTRY = """\
entries:
  - id: my-lamp
    kind: object
    term: {en: lamp, ja: 電灯, reading: でんとう}
    aliases: [light]
    definition:
      en: A device that gives light.
      ja: 明かりをともす器具。
    related:
      - {ref: flashlight}
"""


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write ``text`` (dedented) as ``name`` in a fresh user glossary folder; returns the file."""
    folder = tmp_path / "user-glossary"
    folder.mkdir(exist_ok=True)

    def write(name: str, text: str) -> Path:
        path = folder / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write
