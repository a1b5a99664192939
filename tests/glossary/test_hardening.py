"""Issue 22: hostile data (terminal escapes, special files, unreadable files) and `serve --socket`.

Each test uses real files and, where the CLI is involved, a real child process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EVIL_YAML = (
    "entries:\n"
    "  - id: evil\n"
    "    kind: object\n"
    '    term: {en: "lamp\\e]2;PWNED\\a", ja: 電灯, reading: でんとう}\n'
    "    definition:\n"
    '      en: "A \\e]52;c;ZXZpbA==\\e\\\\ device \\e[2J"\n'
    "      ja: 明かりをともす器具。\n"
)


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "glossary", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        timeout=timeout,
    )


# -- point 8: terminal escapes ----------------------------------------------------------------


def test_validate_refuses_escape_sequences_naming_file_line_field(tmp_path: Path) -> None:
    (tmp_path / "evil.yaml").write_text(EVIL_YAML, encoding="utf-8")
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 1
    out = result.stdout + result.stderr
    assert "\x1b" not in out
    assert f"{tmp_path / 'evil.yaml'}:4" in out and "'term.en'" in out
    assert f"{tmp_path / 'evil.yaml'}:6" in out and "'definition.en'" in out
    assert "U+001B" in out


def test_loading_refuses_c1_and_nul_but_keeps_newlines_and_tabs(tmp_path: Path) -> None:
    from glossary.errors import GlossaryDataError
    from glossary.loader import load_glossary

    folder = tmp_path / "g"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        "entries:\n"
        "  - id: ok-entry\n"
        "    kind: object\n"
        "    term: {en: lamp, ja: ランプ}\n"
        "    definition:\n"
        '      en: "line one\\n\\tline two"\n'
        "      ja: ランプ。\n"
        "  - id: bad-entry\n"
        "    kind: object\n"
        "    term: {en: lamp, ja: ランプ}\n"
        '    aliases: [fine, "x\\x9b2Jy"]\n'
        '    definition: {en: "a\\0b", ja: ランプ。}\n',
        encoding="utf-8",
    )
    with pytest.raises(GlossaryDataError) as info:
        load_glossary([folder], check=False)
    fields = {(p.field, p.line) for p in info.value.problems}
    assert ("aliases[1]", 11) in fields
    assert ("definition.en", 12) in fields
    assert all(p.entry_id == "bad-entry" for p in info.value.problems)


def test_show_and_search_renderers_strip_escapes(capsys: pytest.CaptureFixture[str]) -> None:
    from glossary.cli.common import console
    from glossary.cli.render import entry_view
    from glossary.cli.search_cmd import _hit_view
    from glossary.schema import Entry
    from glossary.search.types import SearchHit

    # Built directly (not loaded), as data that slipped past validation would be.
    entry = Entry.model_validate(
        {
            "id": "evil",
            "kind": "object",
            "term": {"en": "lamp\x1b]2;PWNED\x07", "ja": "電灯", "reading": "でんとう"},
            "definition": {"en": "A \x1b]52;c;ZXZpbA==\x1b\\ device\x1b[2J", "ja": "器具\x9b2J"},
        }
    )
    hit = SearchHit("evil", "lamp\x1b]2;PWNED\x07", "電灯", "object", None, 1.0, (), "A\x1b[2J")
    console().print(entry_view(entry))
    console().print(_hit_view(1, hit, japanese=False))
    out = capsys.readouterr().out
    assert "lamp" in out and "device" in out and "器具" in out
    assert not any(c in out for c in "\x1b\x07\x9b")
    assert "PWNED" not in out and "ZXZpbA" not in out
