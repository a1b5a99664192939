"""``torchgloss search`` and ``torchgloss eval`` end to end: output shapes and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import cli


def run_torchgloss(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real console entry point in a child process (exit codes, stderr, no traceback)."""
    return subprocess.run(
        [sys.executable, "-c", "from glossary.cli import main; main()", *args],
        capture_output=True,
        text=True,
        errors="replace",
        input=stdin,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
    )


def test_json_shape(search_home: Path) -> None:
    result = CliRunner().invoke(cli, ["search", "torch.cat", "--json", "--limit", "3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"query", "confident", "notices", "results"}
    assert data["confident"] is True
    assert data["query"] == "torch.cat"
    first = data["results"][0]
    assert set(first) == {"id", "term", "api", "kind", "layer", "summary", "score", "matched_by"}
    assert first["layer"] == "curated" and first["summary"]["ja"] and first["summary"]["en"]
    assert first["id"] == "torch.cat" and first["api"] == "torch.cat" and first["kind"] == "api"
    assert set(first["term"]) == {"en", "ja"}
    assert {"signal": "name", "surface": "torch.cat"}.items() <= first["matched_by"][0].items()
    assert {"query_surface": "torch.cat", "field": "headword"}.items() <= first["matched_by"][
        0
    ].items()
    assert len(data["results"]) <= 3


def test_stdin_gives_one_json_line_per_query(search_home: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["search", "-", "--mode", "lexical"],
        input="cat\nじどうびぶん\n\n   \nｔｏｒｃｈ．ｃａｔ\n",
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 5
    rows = [json.loads(line) for line in lines]
    assert [r["results"][0]["id"] for r in rows if r["results"]] == [
        "torch.cat",
        "autograd",
        "torch.cat",
    ]
    assert "error" in rows[2] and rows[2]["results"] == []


def test_unquoted_words_make_one_query(search_home: Path) -> None:
    result = CliRunner().invoke(cli, ["search", "torch", "compile", "とは", "--json"])
    assert json.loads(result.output)["results"][0]["id"] == "torch.compile"


def test_terminal_view(search_home: Path) -> None:
    result = CliRunner().invoke(cli, ["search", "自動微分", "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert "autograd" in result.output and "自動微分" in result.output
    assert "[concept]" in result.output
    assert "matched: headword “自動微分”" in result.output
    assert "\x1b[" not in result.output  # plain text when piped


def matched_lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.strip().startswith("matched:")]


def test_matched_line_shows_the_words_as_typed_not_stems(search_home: Path) -> None:
    result = CliRunner().invoke(cli, ["search", "reshape view", "--mode", "lexical", "-n", "3"])
    assert result.exit_code == 0, result.output
    first = matched_lines(result.output)[0]
    assert "words “reshape”, “view” in its text" in first
    assert "reshap " not in result.output and "“reshap”" not in result.output


def test_matched_line_says_what_a_kana_query_matched(search_home: Path) -> None:
    result = CliRunner().invoke(cli, ["search", "ばっちさいず", "-n", "1"])
    assert result.exit_code == 0, result.output
    assert matched_lines(result.output) == ["matched: “ばっちさいず” = headword “バッチサイズ”"]
    assert "ばっちい" not in result.output  # a dictionary form of a fragment, never typed


def test_matched_line_for_a_reading_and_a_typo(search_home: Path) -> None:
    reading = CliRunner().invoke(cli, ["search", "gakushuuritsu", "-n", "1"])
    assert "matched: “gakushuuritsu” = reading of “学習率”" in reading.output
    typo = CliRunner().invoke(cli, ["search", "torch.cta", "-n", "1"])
    assert "“torch.cta” is close to the spelling of headword “torch.cat”" in typo.output
    assert "words" not in typo.output  # the pieces of a misspelt name say nothing more


def test_kind_filter(search_home: Path) -> None:
    result = CliRunner().invoke(
        cli, ["search", "torch", "--kind", "place", "--json", "--mode", "lexical"]
    )
    kinds = {r["kind"] for r in json.loads(result.output)["results"]}
    assert kinds == {"place"}


@pytest.mark.parametrize(
    "args",
    [
        ["search", ""],
        ["search", "   "],
        ["search", "\x01\x02"],
        ["search", "cat", "--limit", "0"],
        ["search", "cat", "--lang", "fr"],
        ["search", "cat", "--kind", "animal"],
        ["search", "cat", "--mode", "psychic"],
        ["search"],
    ],
)
def test_usage_errors_exit_2(search_home: Path, args: list[str]) -> None:
    result = run_torchgloss(*args)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "query",
    [
        "qqqzzzxxj",
        "x" * 10_000,
        "torch\x07\x1b[2J.cat",
        "🔥🔦",
        "a\udcffb",  # arrives as an invalid UTF-8 byte
        "مصباح يدوي",
        "\u202etorch.cat",
    ],
)
def test_odd_queries_exit_0(search_home: Path, query: str) -> None:
    result = run_torchgloss("search", query, "--mode", "lexical")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    if not result.stdout.strip():
        assert "No entries match" in result.stderr


def test_no_results_is_not_an_error(search_home: Path) -> None:
    result = run_torchgloss("search", "qqqzzzxxj", "--mode", "lexical", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == {
        "query": "qqqzzzxxj",
        "confident": False,
        "notices": [],
        "results": [],
    }


# ---------------------------------------------------------------------------------- eval


def test_eval_reports_every_requested_mode(search_home: Path, tmp_path: Path) -> None:
    queries = tmp_path / "q.yaml"
    queries.write_text(
        "queries:\n"
        "  - {query: 自動微分, expected: autograd, kind: exact, lang: ja}\n"
        "  - {query: jidou bibun, expected: [autograd], kind: romaji, lang: ja}\n"
        "  - {query: torch.cta, expected: torch.cat, kind: typo, lang: en}\n",
        "utf-8",
    )
    result = CliRunner().invoke(cli, ["eval", str(queries), "--mode", "lexical", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    lexical = data["modes"]["lexical"]
    assert lexical["overall"] == {"count": 3, "recall@1": 1.0, "recall@5": 1.0, "mrr@10": 1.0}
    assert set(lexical["by_kind"]) == {"exact", "romaji", "typo"}
    assert set(lexical["by_lang"]) == {"ja", "en"}
    table = CliRunner().invoke(cli, ["eval", str(queries), "--mode", "lexical"])
    assert "By query kind" in table.output and "romaji" in table.output


def test_eval_rejects_a_malformed_file(search_home: Path, tmp_path: Path) -> None:
    queries = tmp_path / "q.yaml"
    queries.write_text("queries:\n  - {query: x, expected: autograd, kind: guess, lang: ja}\n")
    result = run_torchgloss("eval", str(queries), "--mode", "lexical")
    assert result.returncode == 1
    assert "q.yaml:2" in result.stderr and "'kind'" in result.stderr


# ---------------------------------------------------------------------- the real model


@pytest.mark.slow
def test_hybrid_search_finds_paraphrases(search_home: Path, semantic_engine: object) -> None:
    result = CliRunner().invoke(cli, ["search", "portable electric light", "--json"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.output)["results"][0]
    assert first["id"] == "flashlight"
    assert "semantic" in {m["signal"] for m in first["matched_by"]}


@pytest.mark.slow
def test_meaning_matches_show_text_or_a_human_label(
    search_home: Path, semantic_engine: object
) -> None:
    labels = ("definition (en)", "definition (ja)", "“names”", "semantic", "definition_")
    for query in ("torch.nn.Lin", "how do I save a model", "勾配が消える", "bmm と matmul の違い"):
        result = CliRunner().invoke(cli, ["search", query])
        assert result.exit_code == 0, result.output
        lines = matched_lines(result.output)
        assert any("meaning close to" in line for line in lines), (query, lines)
        assert not any(label in line for line in lines for label in labels), (query, lines)
    result = CliRunner().invoke(cli, ["search", "torch.nn.Lin", "-n", "1"])
    assert "meaning close to its English definition" in result.output


def test_the_cli_knocks_where_the_server_listens() -> None:
    from glossary.paths import runtime_dir
    from glossary.server import default_socket_path

    assert default_socket_path() == runtime_dir() / "search.sock"
