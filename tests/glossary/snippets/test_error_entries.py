"""Error entries: templates, validation, the reproduction check, and show / show --json."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from glossary.errors import GlossaryDataError
from glossary.loader import load_glossary
from glossary.schema import Entry
from glossary.snippets.checks import check_all
from glossary.snippets.warm import WarmLauncher
from glossary.text.error_templates import (
    TemplateError,
    compile_template,
    template_matches,
    template_words,
)

ERROR_ENTRY = """\
  - id: {id}
    kind: error
    term: {{en: an example error, ja: れいのエラー}}
    definition: {{en: An example error for tests., ja: テスト用のエラー。}}
    error:
      exception: {exception}
      messages: [{template!r}]
      cause: {{en: Why it happens., ja: 原因。}}
      fix: {{en: What to change., ja: 対処。}}
    snippet:
{snippet}
"""

SHAPE = "shape '{shape}' is invalid for input of size {int}"
RESHAPE_FIXED = 'code: "import torch; print(torch.arange(12).reshape(3, 4).shape)"\n'
RESHAPE_FIXED += 'expected_output: "torch.Size([3, 4])"\n'


def make(tmp_path: Path, entries: dict[str, tuple[str, str, str]]):
    folder = tmp_path / "user-glossary"
    folder.mkdir(exist_ok=True)
    body = "".join(
        ERROR_ENTRY.format(
            id=entry_id, exception=exc, template=tpl, snippet=textwrap.indent(snippet, "      ")
        )
        for entry_id, (exc, tpl, snippet) in entries.items()
    )
    (folder / "mine.yaml").write_text("entries:\n" + body, encoding="utf-8")
    return load_glossary([folder], check=False), folder


@pytest.mark.parametrize(
    ("template", "text"),
    [
        ("got {shape} and {shape}", "got torch.Size([1, 10]) and [64, 3, 3, 3]"),
        ("({shape} and {shape})", "(64x512 and 256x10)"),
        ("size {int}", "size -12"),
        ("lr {float}", "lr 1e-3"),
        ("allocate {number} GiB", "allocate 2.00 GiB"),
        ("type {dtype} but found {dtype}", "type Long but found torch.cuda.FloatTensor"),
        ("devices, {device} and {device}!", "devices, cuda:0 and cpu!"),
        ("argument {name} ok", "argument 'indices' ok"),
        ("file {path} missing", "file /tmp/a/b.pt missing"),
        ("Error(s) in {text} for Net", "Error(s) in loading state_dict for Net"),
    ],
)
def test_each_placeholder_matches(template: str, text: str) -> None:
    assert template_matches(template, "RuntimeError: " + text + "\nmore")


def test_fixed_text_is_escaped_and_whitespace_tolerant() -> None:
    assert template_matches("a.b (x)  y", "a.b (x)\n y")
    assert not template_matches("a.b (x)", "aXb (x)")
    assert compile_template(SHAPE).search("shape '[2, 5]' is invalid for input of size 12")
    assert not template_matches(SHAPE, "shape '[2, 5]' is invalid for input of size twelve")
    assert template_matches("literal {{braces}}", "literal {braces}")
    assert template_words(SHAPE) == "shape '' is invalid for input of size"


@pytest.mark.parametrize("bad", ["got {size}", "a { b", "only }", "{shape}"])
def test_a_bad_template_is_an_error(bad: str) -> None:
    with pytest.raises(TemplateError):
        compile_template(bad)


def entry_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "id": "error-x",
        "kind": "error",
        "term": {"en": "x", "ja": "エックス"},
        "definition": {"en": "d", "ja": "定義"},
        "error": {
            "exception": "RuntimeError",
            "messages": [SHAPE],
            "cause": {"en": "c", "ja": "原因"},
            "fix": {"en": "f", "ja": "対処"},
        },
        "snippet": {"code": "print(1)", "reproduce": "raise RuntimeError('x')"},
    }
    data.update(changes)
    return data


def test_schema_rules_for_error_entries() -> None:
    assert Entry.model_validate(entry_data()).error is not None
    with pytest.raises(ValidationError, match="unknown placeholder"):
        Entry.model_validate(entry_data(error={**entry_data()["error"], "messages": ["{size}"]}))
    with pytest.raises(ValidationError, match=r"snippet\.reproduce"):
        Entry.model_validate(entry_data(snippet={"code": "print(1)"}))
    with pytest.raises(ValidationError, match="'error' block"):
        Entry.model_validate(entry_data(error=None))
    with pytest.raises(ValidationError, match="only entries of kind 'error'"):
        Entry.model_validate(entry_data(kind="concept"))


def test_a_bad_template_names_file_line_and_field(tmp_path: Path) -> None:
    with pytest.raises(GlossaryDataError) as info:
        make(tmp_path, {"error-bad": ("RuntimeError", "got {size}", RESHAPE_FIXED)})
    text = str(info.value)
    assert "mine.yaml:8: entry 'error-bad': field 'error.messages'" in text
    assert "unknown placeholder '{size}'" in text


VIEW = "import torch; torch.arange(12).view(2, 5)"


def reproduce(code: str) -> str:
    return RESHAPE_FIXED + f"reproduce: {code!r}\n"


CASES = {
    "error-good": ("RuntimeError", SHAPE, reproduce("import torch; torch.arange(12).view(2, 5)")),
    "error-other": ("RuntimeError", SHAPE, reproduce("int('x')")),
    "error-none": ("RuntimeError", SHAPE, reproduce("print('fine')")),
    "error-warn": (
        "UserWarning",
        "careful {int}",
        reproduce("import warnings; warnings.warn('careful 3')"),
    ),
    "error-fix-fails": (
        "RuntimeError",
        SHAPE,
        f"code: {VIEW!r}\nreproduce: {VIEW!r}\n",
    ),
}


def test_check_of_error_entries(tmp_path: Path, warm_launcher: WarmLauncher) -> None:
    glossary, _ = make(tmp_path, CASES)
    checks = check_all(glossary, 1, ids=list(CASES), confirmed=True, launcher=warm_launcher)
    by_id = {check.entry_id: check for check in checks}
    assert by_id["error-good"].status == "passed", by_id["error-good"].problems
    assert by_id["error-warn"].status == "passed", by_id["error-warn"].problems
    other = by_id["error-other"].problems[0]
    assert (
        other.startswith("reproduction raised ValueError: invalid literal")
        and "instead of RuntimeError matching" in other
    )
    assert by_id["error-none"].problems[0].startswith("reproduction raised nothing")
    assert by_id["error-fix-fails"].status == "failed"
    assert (
        by_id["error-fix-fails"].problems[0].startswith("the fix still fails: exited with status 1")
    )


def test_show_and_json_of_an_error_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from glossary.cli import cli as main

    monkeypatch.setenv("TORCHGLOSS_HOME", str(tmp_path / "home"))
    runner = CliRunner()
    result = runner.invoke(main, ["show", "error-mat1-mat2-shapes"])
    assert result.exit_code == 0, result.output
    for text in (
        "RuntimeError",
        "mat1 and mat2 shapes cannot be multiplied ({shape} and {shape})",
        "Cause 原因",
        "Fix 対処",
        "Reproduction",
        "nn.Linear(256, 10)",
    ):
        assert text in result.output
    data = json.loads(runner.invoke(main, ["show", "--json", "error-mat1-mat2-shapes"]).output)
    assert data["kind"] == "error" and data["error"]["exception"] == "RuntimeError"
    assert "layer(x)" in data["snippet"]["reproduce"]
