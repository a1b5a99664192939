"""``torchgloss search`` under a Japanese interface: labels and notices in Japanese, the
Japanese definition first; English unchanged when asked for."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

LOCALE_VARS = ("LANG", "LC_ALL", "LC_MESSAGES", "TORCHGLOSS_LANG")


def search(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
    return subprocess.run(
        [sys.executable, "-m", "glossary", "search", *args, "--mode", "lexical"],
        capture_output=True,
        text=True,
        env={**base, "NO_COLOR": "1", **env},
        timeout=120,
    )


def test_search_labels_in_japanese(search_home: Path) -> None:
    result = search("torch.cat", "--limit", "1", LANG="ja_JP.UTF-8")
    assert result.returncode == 0, result.stderr
    assert "一致: 見出し語「torch.cat」" in result.stdout
    assert "テンソル" in result.stdout.splitlines()[1]  # the Japanese definition first
    assert "matched:" not in result.stdout


def test_no_match_notice_in_japanese(search_home: Path) -> None:
    result = search("qqqzzzxxj", TORCHGLOSS_LANG="ja")
    assert "'qqqzzzxxj' に一致する項目はありません。" in result.stderr


def test_english_when_asked_under_a_japanese_locale(search_home: Path) -> None:
    result = search("torch.cat", "--limit", "1", LANG="ja_JP.UTF-8", TORCHGLOSS_LANG="en")
    assert "matched: headword “torch.cat”" in result.stdout
    assert "一致" not in result.stdout


def test_matched_line_in_japanese(search_home: Path) -> None:
    words = search("reshape view", "--limit", "1", TORCHGLOSS_LANG="ja")
    assert "一致: 本文に語「reshape」「view」" in words.stdout
    reading = search("gakushuuritsu", "--limit", "1", TORCHGLOSS_LANG="ja")
    assert "一致: 「gakushuuritsu」＝「学習率」の読み" in reading.stdout
    typed = search("テンソルをつなげる", "--limit", "1", TORCHGLOSS_LANG="ja")
    assert "一致: 「テンソルをつなげる」＝別名「テンソルを繋げる」" in typed.stdout
    assert "matched" not in words.stdout + reading.stdout + typed.stdout


def test_engine_notices_and_errors_in_japanese(search_home: Path) -> None:
    """The search library's own messages follow the interface language, and the CLI still
    names its option in them."""
    base = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
    result = subprocess.run(
        [sys.executable, "-m", "glossary", "search", "recipe for chocolate cake", "-n", "2"],
        capture_output=True,
        text=True,
        env={**base, "NO_COLOR": "1", "TORCHGLOSS_LANG": "ja"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "用語集にぴったり合う項目はありません。意味が近い順に表示します。" in result.stderr
    assert "No close match" not in result.stderr
    result = search("cat", "--kind", "animal", TORCHGLOSS_LANG="ja")
    assert result.returncode == 2
    assert "'animal' という種類はありません。" in result.stderr
