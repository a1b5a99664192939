"""Safe YAML reading: plain data only, line numbers kept, bombs and oversize files refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from glossary.yamlsafe import YamlReadError, parse_yaml, read_yaml

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_values_keep_their_line_numbers() -> None:
    data, lines = parse_yaml("a: 1\nb:\n  - x\n  - {c: 2}\n")
    assert data == {"a": 1, "b": ["x", {"c": 2}]}
    assert lines.line_of(("b", 1, "c")) == 4
    assert lines.line_of(("b", 0)) == 3
    assert lines.line_of(("b", 7, "nope")) == 2  # falls back to the nearest ancestor


def test_billion_laughs_is_refused_quickly_naming_the_file(tmp_path: Path) -> None:
    """9**9 strings if expanded (gigabytes, minutes): the file is refused at once, inside a
    1 GiB address space, and the problem says which file it was."""
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    code = (
        "import json, resource, sys, time\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from pathlib import Path\n"
        "from glossary.loader import load_file\n"
        "started = time.perf_counter()\n"
        "result = load_file(Path(sys.argv[1]))\n"
        "seconds = time.perf_counter() - started\n"
        "print(json.dumps({'seconds': seconds, 'problems': [str(p) for p in result.problems],\n"
        "                  'entries': len(result.entries)}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["seconds"] < 5  # generous: the point is that nothing is expanded
    assert outcome["entries"] == 0
    [problem] = outcome["problems"]
    assert problem.startswith(f"{path}:")
    assert "alias bomb" in problem


def test_expansion_cap_counts_every_value() -> None:
    """The cap is exact: a list of n strings is n + 1 values (the list, then each string)."""
    assert parse_yaml("[a, b, c]", max_nodes=4)[0] == ["a", "b", "c"]
    with pytest.raises(YamlReadError, match="more than 3 values"):
        parse_yaml("[a, b, c]", max_nodes=3)


def test_small_aliases_are_fine() -> None:
    data, _ = parse_yaml("base: &b {x: 1}\nother: *b\n")
    assert data == {"base": {"x": 1}, "other": {"x": 1}}


def test_python_object_tags_are_not_constructed() -> None:
    with pytest.raises(YamlReadError, match="constructor"):
        parse_yaml("a: !!python/object/apply:os.system ['echo pwned']\n")


def test_duplicate_keys_are_errors_with_line() -> None:
    with pytest.raises(YamlReadError) as info:
        parse_yaml("a: 1\nb: 2\na: 3\n")
    assert info.value.line == 3
    assert "duplicate key" in info.value.message


def test_bad_indentation_reports_line() -> None:
    with pytest.raises(YamlReadError) as info:
        parse_yaml("entries:\n  - id: x\n    kind: api\n   term: y\n")
    assert info.value.line == 4


def test_oversize_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 2000 + "\n")
    with pytest.raises(YamlReadError, match="limit"):
        read_yaml(path, max_bytes=1000)


def test_non_utf8_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("a: 1\nb: caf\xe9\n".encode("latin-1"))
    with pytest.raises(YamlReadError, match="UTF-8") as info:
        read_yaml(path)
    assert info.value.line == 2


FULL_WIDTH_ENTRY = """\
entries:
  - id: my-tensor
    kind: concept
    term:
      en: tensor
      ja：テンソル
    definition:
      en: x
"""


def test_full_width_colon_points_at_its_own_line() -> None:
    """``ja：`` (typed with a Japanese input method) is named, on its line, not PyYAML's
    "could not find expected ':'" one line further down."""
    with pytest.raises(YamlReadError) as info:
        parse_yaml(FULL_WIDTH_ENTRY)
    assert info.value.line == 6
    assert "full-width colon “：” after 'ja'" in info.value.message
    assert "“ja: テンソル”" in info.value.message
    assert "could not find expected" not in info.value.message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("term:\n  ja：テンソル\n", 2),  # valid YAML, but term became the text "ja：テンソル"
        ("- ja：テンソル\n- en: x\n", 1),
        ("a: 1\nb： 2\n", 2),
    ],
)
def test_full_width_colon_is_caught_even_where_yaml_accepts_it(text: str, line: int) -> None:
    with pytest.raises(YamlReadError, match="full-width colon") as info:
        parse_yaml(text)
    assert info.value.line == line


def test_full_width_colon_inside_text_is_fine() -> None:
    data, _ = parse_yaml("a: 'ja：テンソル'\nb: |\n  ja：テンソル\nc: 注意：これは文です\n")
    assert data == {"a": "ja：テンソル", "b": "ja：テンソル\n", "c": "注意：これは文です"}
