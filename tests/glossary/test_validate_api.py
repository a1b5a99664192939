"""API names in a glossary folder: resolved only inside torch, and aliases that name other APIs."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from glossary.api_names import resolve_api
from glossary.validate import validate

API_ENTRY = """\
entries:
  - id: my-{slug}
    kind: api
    api: {api}
    term: {{en: {api}, ja: 反復, reading: はんぷく}}
    aliases: [{aliases}]
    definition:
      en: Repeats a tensor.
      ja: テンソルを繰り返す。
"""


def _entry(api: str, aliases: str, slug: str = "x") -> str:
    return API_ENTRY.format(api=api, aliases=aliases, slug=slug)


def test_names_outside_torch_never_resolve() -> None:
    assert resolve_api("this") is None
    assert resolve_api("venv.__main__") is None
    assert resolve_api("torch.cat") is not None
    assert resolve_api("torch.nn.functional.relu") is not None


def test_validate_does_not_import_what_api_names(
    write_yaml: Callable[[str, str], Path], tmp_path: Path
) -> None:
    path = write_yaml("hostile.yaml", _entry("this", "zen"))
    code = (
        "import sys; from pathlib import Path; from glossary.validate import validate; "
        f"problems = validate([Path({str(path.parent)!r})]); "
        "print('this' in sys.modules, any(p.field == 'api' for p in problems))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "The Zen of Python" not in result.stdout
    assert result.stdout.split() == ["False", "True"]


def test_alias_naming_a_different_api_is_an_error(write_yaml: Callable[[str, str], Path]) -> None:
    path = write_yaml("a.yaml", _entry("torch.Tensor.repeat", "repeat_interleave"))
    problems = [p for p in validate([path.parent]) if p.entry_id == "my-x"]
    assert [p.field for p in problems] == ["aliases[0]"]
    assert "torch.repeat_interleave" in problems[0].message


def test_same_operation_in_place_twin_and_documented_alias_are_fine(
    write_yaml: Callable[[str, str], Path],
) -> None:
    path = write_yaml(
        "b.yaml", _entry("torch.clip", "clamp, clip_, torch.Tensor.clip", slug="clip")
    )
    assert [p for p in validate([path.parent]) if p.entry_id == "my-clip"] == []
