"""Settings, bookmarks and study export from the command line (issue 23, point 9 and export)."""

from __future__ import annotations

import csv
import json
import sqlite3
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import cli
from tests.glossary.cli.test_basic_commands import run_torchgloss


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


# -- config ------------------------------------------------------------------------------


def test_config_path_is_under_the_home(isolated_home: Path) -> None:
    code, output = invoke("config", "path")
    assert code == 0
    assert output.strip() == str(isolated_home / "config.toml")


def test_torchgloss_config_names_another_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text("[limits]\nhistory = 5\n", encoding="utf-8")
    monkeypatch.setenv("TORCHGLOSS_CONFIG", str(mine))
    assert invoke("config", "path")[1].strip() == str(mine)
    assert json.loads(invoke("config", "show", "--json")[1])["limits"]["history"] == 5


def test_a_settings_file_that_is_not_utf8_is_a_clean_error(isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_bytes('theme = "暗い"\n'.encode("shift_jis"))
    result = run_torchgloss("config", "show")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "not UTF-8" in result.stderr


def test_config_show_without_a_file_prints_an_example() -> None:
    code, output = invoke("config", "show")
    assert code == 0, output
    assert "No settings file yet" in output
    assert "[limits]" in output


def test_config_show_reads_the_file(isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text(
        'theme = "light"\nlanguage = "ja"\n[filters]\nkind = "api"\n[limits]\nsearch = 3\n',
        encoding="utf-8",
    )
    code, output = invoke("config", "show", "--json")
    assert code == 0, output
    data = json.loads(output)
    assert data["theme"] == "light"
    assert data["language"] == "ja"
    assert data["filters"] == {"lang": None, "kind": "api"}
    assert data["limits"]["search"] == 3


@pytest.mark.parametrize(
    ("text", "where", "hint"),
    [
        ("theme = dark\n", "config.toml:1:", "not valid TOML"),
        ('theme = "dark"\n[limits]\nserch = 3\n', "config.toml:3:", "limits.serch: unknown"),
        ('[filters]\nlang = "fr"\n', "config.toml:2:", "must be one of en, ja"),
        ("[limits]\nsearch = 0\n", "config.toml:2:", "whole number"),
    ],
)
def test_a_bad_settings_file_is_one_line_with_file_and_line(
    isolated_home: Path, text: str, where: str, hint: str
) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text(text, encoding="utf-8")
    result = run_torchgloss("config", "show")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert where in result.stderr
    assert hint in result.stderr


def test_search_takes_its_default_limit_from_the_settings(isolated_home: Path) -> None:
    isolated_home.mkdir(parents=True)
    (isolated_home / "config.toml").write_text("[limits]\nsearch = 1\n", encoding="utf-8")
    code, output = invoke("search", "torch.cat", "--mode", "lexical", "--json")
    assert code == 0, output
    assert len(json.loads(output)["results"]) == 1


# -- bookmarks ---------------------------------------------------------------------------


def test_bookmarks_add_list_remove(isolated_home: Path) -> None:
    assert invoke("bookmarks", "add", "torch.cat")[0] == 0
    code, output = invoke("bookmarks", "add", "自動微分")  # a headword finds its entry
    assert code == 0, output
    assert "autograd" in output
    code, output = invoke("bookmarks", "add", "torch.cat")
    assert "already" in output
    code, output = invoke("bookmarks", "list", "--json")
    assert [b["id"] for b in json.loads(output)["bookmarks"]] == ["torch.cat", "autograd"]
    code, output = invoke("bookmarks")
    assert "torch.cat" in output and "テンソルの連結" in output
    assert invoke("bookmarks", "remove", "torch.cat")[0] == 0
    code, output = invoke("bookmarks", "list", "--json")
    assert [b["id"] for b in json.loads(output)["bookmarks"]] == ["autograd"]


def test_bookmarks_are_owner_only(isolated_home: Path) -> None:
    assert invoke("bookmarks", "add", "torch.cat")[0] == 0
    folder = isolated_home / "state"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "bookmarks.json").stat().st_mode) == 0o600


def test_unknown_bookmarks_are_clean_errors() -> None:
    result = run_torchgloss("bookmarks", "add", "no-such-thing-anywhere")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "torchgloss search no-such-thing-anywhere" in result.stderr
    result = run_torchgloss("bookmarks", "remove", "torch.cat")
    assert result.returncode == 1
    assert "not bookmarked" in result.stderr


def test_a_damaged_bookmarks_file_is_named_not_overwritten(isolated_home: Path) -> None:
    folder = isolated_home / "state"
    folder.mkdir(parents=True)
    (folder / "bookmarks.json").write_text("{not json", encoding="utf-8")
    result = run_torchgloss("bookmarks", "add", "torch.cat")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "bookmarks.json: damaged" in result.stderr
    assert (folder / "bookmarks.json").read_text(encoding="utf-8") == "{not json"


# -- export ------------------------------------------------------------------------------


def anki_notes(path: Path, tmp_path: Path) -> list[list[str]]:
    """The fields of every note in an .apkg, read back with zipfile and sqlite3."""
    with zipfile.ZipFile(path) as package:
        assert "collection.anki2" in package.namelist()
        package.extract("collection.anki2", tmp_path)
    connection = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        rows = connection.execute("SELECT flds FROM notes ORDER BY id").fetchall()
        decks = connection.execute("SELECT decks FROM col").fetchone()[0]
    finally:
        connection.close()
    assert "torchgloss" in decks
    return [row[0].split("\x1f") for row in rows]


def test_export_ids_as_an_anki_deck(tmp_path: Path) -> None:
    deck = tmp_path / "deck.apkg"
    code, output = invoke("export", "torch.cat", "autograd", "--anki", str(deck))
    assert code == 0, output
    notes = anki_notes(deck, tmp_path)
    by_id = {fields[0]: fields for fields in notes}
    assert set(by_id) == {"torch.cat", "autograd"}
    _, term_en, term_ja, reading, definition_en, definition_ja, example = by_id["torch.cat"]
    assert (term_en, term_ja) == ("torch.cat", "テンソルの連結")
    assert reading
    assert "tensors" in definition_en
    assert "テンソル" in definition_ja
    assert "torch.cat" in example


def test_export_bookmarks_and_a_search_as_csv_and_json(tmp_path: Path) -> None:
    assert invoke("bookmarks", "add", "flashlight")[0] == 0
    csv_file, json_file = tmp_path / "cards.csv", tmp_path / "cards.json"
    code, output = invoke(
        "export", "--bookmarks", "--search", "torch.cat", "--mode", "lexical", "-n", "2",
        "--csv", str(csv_file), "--json", str(json_file),
    )  # fmt: skip
    assert code == 0, output
    rows = list(csv.DictReader(csv_file.read_text(encoding="utf-8-sig").splitlines()))
    ids = [row["id"] for row in rows]
    assert ids[0] == "flashlight"
    assert "torch.cat" in ids
    assert rows[0]["term_ja"] == "懐中電灯"
    cards = json.loads(json_file.read_text(encoding="utf-8"))["cards"]
    assert [card["id"] for card in cards] == ids
    assert set(cards[0]) >= {"term_en", "term_ja", "reading", "definition_en", "example"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["torch.cat"], "Say where to write"),
        (["--anki", "x.apkg"], "Say what to export"),
        (["--bookmarks", "--json", "x.json"], "No bookmarks yet"),
        (["torch.nope-nope", "--json", "x.json"], "No curated entry for 'torch.nope-nope'"),
    ],
)
def test_export_mistakes_are_clean_errors(args: list[str], message: str, tmp_path: Path) -> None:
    result = run_torchgloss("export", *args)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert message in result.stderr


def test_export_names_bookmarks_that_are_gone(tmp_path: Path) -> None:
    from glossary.bookmarks import add_bookmark

    add_bookmark("torch.cat")
    add_bookmark("an-entry-since-removed")
    out = tmp_path / "cards.json"
    result = CliRunner().invoke(cli, ["export", "--bookmarks", "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "an-entry-since-removed" in result.stderr
    assert [c["id"] for c in json.loads(out.read_text(encoding="utf-8"))["cards"]] == ["torch.cat"]
