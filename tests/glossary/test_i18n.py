"""The Japanese interface: the message catalogue is complete, compiled, and used when asked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from glossary import i18n
from glossary.i18n_po import (
    MO_PATH,
    PO_PATH,
    Message,
    compile_mo,
    fields,
    problems,
    read_po,
    wanted_messages,
    write_po,
)


def test_every_message_has_both_languages() -> None:
    """Every message the code marks (and every command's help) has a Japanese translation
    with the same ``{fields}``; none is missing or empty."""
    catalogue = {m.msgid: m for m in read_po(PO_PATH.read_text("utf-8"))}
    wanted = wanted_messages()
    missing = [m.msgid for m in wanted if m.msgid not in catalogue]
    assert not missing, "run `python -m glossary.i18n_po extract`, then translate:\n" + "\n".join(
        map(repr, missing)
    )
    assert problems([catalogue[m.msgid] for m in wanted]) == []
    assert len(wanted) > 100  # CLI help, search labels, browser labels and palette


def test_catalogue_has_no_stale_messages() -> None:
    wanted = {m.msgid for m in wanted_messages()}
    stale = [
        m.msgid for m in read_po(PO_PATH.read_text("utf-8")) if m.msgid and m.msgid not in wanted
    ]
    assert stale == [], "run `python -m glossary.i18n_po extract` to drop them"


def test_committed_mo_matches_the_po() -> None:
    assert MO_PATH.read_bytes() == compile_mo(read_po(PO_PATH.read_text("utf-8"))), (
        "run `python -m glossary.i18n_po compile` and commit the .mo"
    )


def test_po_round_trips_through_its_writer() -> None:
    messages = read_po(PO_PATH.read_text("utf-8"))
    again = read_po(write_po(messages))
    assert [(m.msgid, m.msgstr) for m in again] == [(m.msgid, m.msgstr) for m in messages]


def test_fields_are_compared_by_name() -> None:
    assert fields("No entries match {query!r}.") == {"query"}
    assert fields("{{literal}} {a} {b:>3}") == {"a", "b"}
    broken = [Message("Copied {text}", "コピーしました")]
    assert problems(broken) and "fields differ" in problems(broken)[0]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LC_ALL": "ja_JP.UTF-8", "LANG": "en_US.UTF-8"}, "ja"),
        ({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, "en"),  # LC_ALL wins, as in POSIX
        ({"LC_MESSAGES": "ja_JP.eucJP"}, "ja"),
        ({"TORCHGLOSS_LANG": "ja"}, "ja"),
        ({"TORCHGLOSS_LANG": "en", "LANG": "ja_JP.UTF-8"}, "en"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
    ],
)
def test_language_choice(environ: dict[str, str], expected: str) -> None:
    assert i18n.language_from(environ) == expected


def test_translate_and_reset(monkeypatch: pytest.MonkeyPatch) -> None:
    assert i18n._("Theme") == "Theme"  # tests run in English (conftest)
    assert i18n.translate("Theme", "ja") == "テーマ"
    monkeypatch.setenv("TORCHGLOSS_LANG", "ja")
    i18n.reset()
    try:
        assert i18n.japanese() and i18n._("Theme") == "テーマ"
        assert i18n._("a message nobody translated") == "a message nobody translated"
    finally:
        monkeypatch.setenv("TORCHGLOSS_LANG", "en")
        i18n.reset()


def torchgloss(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real command in a child process, with these locale variables only."""
    base = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES")}
    base.pop("TORCHGLOSS_LANG", None)
    return subprocess.run(
        [sys.executable, "-m", "glossary", *args],
        capture_output=True,
        text=True,
        env={**base, "NO_COLOR": "1", **env},
        timeout=120,
    )


def test_help_in_japanese_under_a_japanese_locale() -> None:
    result = torchgloss("--help", LANG="ja_JP.UTF-8")
    assert result.returncode == 0, result.stderr
    assert "使い方: torchgloss" in result.stdout
    assert "コマンド:" in result.stdout and "オプション:" in result.stdout
    assert "用語集から QUERY を検索します" in result.stdout  # the search command's summary


def test_command_help_and_usage_errors_in_japanese() -> None:
    result = torchgloss("search", "--help", TORCHGLOSS_LANG="ja")
    assert "表示する最大件数" in result.stdout and "[x>=1]" in result.stdout
    result = torchgloss("search", "--no-such-option", TORCHGLOSS_LANG="ja")
    assert result.returncode == 2
    assert "エラー: オプション '--no-such-option' はありません。" in result.stderr
    assert "Traceback" not in result.stderr


def test_english_stays_english() -> None:
    for env in ({}, {"LANG": "ja_JP.UTF-8", "TORCHGLOSS_LANG": "en"}, {"LANG": "C.UTF-8"}):
        result = torchgloss("--help", **env)
        assert "Usage: torchgloss" in result.stdout and "Commands:" in result.stdout, env
        assert "使い方" not in result.stdout


def test_full_width_colon_hint_in_validate(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "entries:\n  - id: my-tensor\n    kind: concept\n    term:\n      en: tensor\n"
        "      ja：テンソル\n",
        encoding="utf-8",
    )
    english = torchgloss("validate", str(bad))
    assert english.returncode == 1
    assert f"{bad}:6: full-width colon “：” after 'ja'" in english.stdout + english.stderr
    japanese = torchgloss("validate", str(bad), TORCHGLOSS_LANG="ja")
    assert f"{bad}:6: 'ja' の後ろが全角のコロン「：」です" in japanese.stdout + japanese.stderr
