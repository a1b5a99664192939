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


# -- point 9: special files ---------------------------------------------------------------------


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 31, 1 << 31))


def run_bounded(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI with 2 GiB of address space and 60 s: a hang or unbounded read fails the test."""
    return subprocess.run(
        [sys.executable, "-m", "glossary", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        timeout=60,
        preexec_fn=_limit_memory,
    )


def test_validate_reports_a_fifo_and_dev_zero_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    os.mkfifo(folder / "pipe.yaml")
    for target, reason in (
        (fifo, "a FIFO"),
        (Path("/dev/zero"), "a character device"),
        (folder, "a FIFO"),
    ):
        result = run_bounded("validate", str(target))
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        out = result.stdout + result.stderr
        assert "not a regular file" in out and reason in out


@pytest.mark.parametrize("data", ["fifo", "/dev/zero"])
def test_search_with_special_file_in_torchgloss_data_is_one_line(tmp_path: Path, data: str) -> None:
    if data == "fifo":
        data = str(tmp_path / "g.yaml")
        os.mkfifo(data)
    result = run_bounded("search", "cat", env={"TORCHGLOSS_DATA": data})
    # Search goes on with every readable entry and names the refused file (issue 23); it is
    # never opened for reading (a FIFO would block, /dev/zero never end).
    assert result.returncode == 0, result.stderr
    assert "torch.cat" in result.stdout
    assert "Traceback" not in result.stderr
    assert f"{data}: not a regular file" in result.stderr
    assert result.stderr.count(data) == 1
    strict = run_bounded("validate", env={"TORCHGLOSS_DATA": data})
    assert strict.returncode == 1 and f"{data}: not a regular file" in strict.stdout + strict.stderr


def test_oversized_yaml_file_is_refused_naming_it(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(6 * 1024 * 1024)  # sparse: 6 MiB of NUL bytes
    result = run_bounded("validate", str(big))
    assert result.returncode == 1
    assert f"{big}: file is {6 * 1024 * 1024} bytes; the limit is" in result.stdout + result.stderr


def test_data_fingerprint_refuses_special_files(tmp_path: Path) -> None:
    from glossary.datafiles import DataFileError, data_fingerprint, read_data_file

    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    with pytest.raises(DataFileError, match="not a regular file"):
        read_data_file(pipe)
    # The fingerprint counts the refused file by its path and reason, without reading it:
    # stable while it stays a FIFO, different once it is a real file.
    first = data_fingerprint([tmp_path])
    assert data_fingerprint([tmp_path]) == first
    pipe.unlink()
    pipe.write_text("entries: []\n", encoding="utf-8")
    assert data_fingerprint([tmp_path]) != first


# -- point 10: unreadable files -----------------------------------------------------------------


def test_unreadable_data_file_in_search_is_one_line(tmp_path: Path) -> None:
    # We run as root, for whom mode 000 is readable; /proc/1/environ is a file that refuses even
    # root (EACCES, ptrace rules), so a glossary file linked to it is a real unreadable file.
    folder = tmp_path / "g"
    folder.mkdir()
    target = Path("/proc/1/environ")
    try:
        target.read_bytes()
    except PermissionError:
        pass
    else:
        pytest.skip("/proc/1/environ is readable here")
    (folder / "locked.yaml").symlink_to(target)
    result = run_bounded("search", "cat", env={"TORCHGLOSS_DATA": str(folder)})
    assert result.returncode == 0, result.stderr  # the bundled entries still answer
    assert "torch.cat" in result.stdout
    assert "Traceback" not in result.stderr
    assert "locked.yaml" in result.stderr and "Permission denied" in result.stderr
    assert result.stderr.count("locked.yaml") == 1


def test_serve_with_unwritable_home_is_one_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "run").write_text("not a folder\n")  # the runtime folder cannot be created
    result = run_bounded("serve", env={"TORCHGLOSS_HOME": str(home)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{home / 'run'}" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (home / "run").read_text() == "not a folder\n"


# -- point 2: serve --socket PATH ---------------------------------------------------------------


@pytest.fixture
def shared_folder(tmp_path: Path) -> Path:
    """A sticky world-writable folder, like /tmp on a shared machine."""
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o1777)
    return folder


def test_serve_refuses_a_regular_file_at_socket_path(shared_folder: Path) -> None:
    victim = shared_folder / "notes.txt"
    victim.write_text("precious\n")
    result = run_bounded("serve", "--socket", str(victim))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "exists and is not a socket" in result.stderr
    assert "choose another --socket path" in result.stderr  # the CLI names its option
    assert victim.read_text() == "precious\n"
    assert os.stat(shared_folder).st_mode & 0o7777 == 0o1777


def test_search_server_keeps_an_existing_folder_mode(shared_folder: Path) -> None:
    import stat

    from glossary.errors import GlossaryError
    from glossary.server import SearchServer

    victim = shared_folder / "file.sock"
    victim.write_text("precious\n")
    with pytest.raises(GlossaryError, match="not a socket") as caught:
        SearchServer(victim, engine=None, folders=[])  # type: ignore[arg-type]
    assert caught.value.parameter == "socket" and "--" not in str(caught.value)
    assert victim.read_text() == "precious\n"

    path = shared_folder / "search.sock"
    server = SearchServer(path, engine=None, folders=[])  # type: ignore[arg-type]
    try:
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
        assert os.lstat(path).st_mode & 0o777 == 0o600
        assert os.stat(shared_folder).st_mode & 0o7777 == 0o1777
    finally:
        server.server_close()
    # A stale socket of ours is replaced; the folder is still untouched.
    import socket

    stale = socket.socket(socket.AF_UNIX)
    stale.bind(str(path))
    stale.close()
    server = SearchServer(path, engine=None, folders=[])  # type: ignore[arg-type]
    server.server_close()
    assert os.stat(shared_folder).st_mode & 0o7777 == 0o1777


def test_search_server_makes_only_its_own_new_folder_private(tmp_path: Path) -> None:
    from glossary.server import SearchServer

    path = tmp_path / "new" / "deeper" / "search.sock"
    server = SearchServer(path, engine=None, folders=[])  # type: ignore[arg-type]
    try:
        assert os.stat(path.parent).st_mode & 0o777 == 0o700
    finally:
        server.server_close()


def test_dangling_editor_lock_symlink_is_not_glossary_data(tmp_path: Path) -> None:
    from glossary.datafiles import yaml_files

    (tmp_path / "a.yaml").write_text("entries: []\n")
    (tmp_path / ".#a.yaml").symlink_to("user@host.1234:1700000000")  # how Emacs locks a file
    os.mkfifo(tmp_path / "pipe.yaml")
    assert [p.name for p in yaml_files([tmp_path])] == ["a.yaml", "pipe.yaml"]


def test_control_characters_in_keys_are_reported_without_echoing_them(tmp_path: Path) -> None:
    (tmp_path / "k.yaml").write_text(
        'entries:\n  - id: k\n    "x\\e]2;T\\a": 1\n', encoding="utf-8"
    )
    result = run_cli("validate", "--json", str(tmp_path))
    assert result.returncode == 1
    assert "\x1b" not in result.stdout and "\\u001b" not in result.stdout
    assert "U+001B" in result.stdout


def test_json_output_escapes_c1_controls() -> None:
    import json

    from glossary.cli.common import json_text

    text = json_text(json.dumps({"a": "x\x9b2J\x7f"}, ensure_ascii=False))
    assert "\x9b" not in text and "\x7f" not in text
    assert json.loads(text) == {"a": "x\x9b2J\x7f"}
