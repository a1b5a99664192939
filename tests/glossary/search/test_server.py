"""The resident server: owner-only socket, same answers as in-process, clean fallbacks."""

from __future__ import annotations

import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from glossary.datafiles import glossary_folders
from glossary.search.engine import SearchEngine
from glossary.search.types import Mode
from glossary.server import SearchServer, folders_key, is_server_alive
from glossary.server_client import remote_search, request


@pytest.fixture
def server(
    tmp_path: Path, search_home: Path, lexical_engine: SearchEngine
) -> Iterator[SearchServer]:
    """A real server on a real socket, serving the session's engine from a thread."""
    path = tmp_path / "run" / "search.sock"
    srv = SearchServer(path, lexical_engine, glossary_folders())
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=5)


def test_socket_and_folder_are_owner_only(server: SearchServer) -> None:
    assert stat.S_IMODE(server.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(server.path.parent.stat().st_mode) == 0o700
    assert is_server_alive(server.path)


def test_remote_answers_equal_in_process_answers(
    server: SearchServer, lexical_engine: SearchEngine
) -> None:
    folders = folders_key(glossary_folders())
    remote = remote_search(server.path, folders, "torch.cat", limit=5, mode=Mode.LEXICAL)
    local = lexical_engine.search("torch.cat", limit=5, mode=Mode.LEXICAL)
    assert remote is not None
    assert [h.id for h in remote.results] == [h.id for h in local.results]
    assert remote.results[0].id == "torch.cat"
    assert remote.results[0].matched_by == local.results[0].matched_by


def test_server_for_other_folders_is_not_used(server: SearchServer, tmp_path: Path) -> None:
    other = folders_key([*glossary_folders(), tmp_path])
    assert remote_search(server.path, other, "torch.cat", mode=Mode.LEXICAL) is None


def test_no_server_or_stale_socket_falls_back(tmp_path: Path) -> None:
    missing = tmp_path / "nobody.sock"
    assert remote_search(missing, [], "torch.cat") is None
    stale = tmp_path / "stale.sock"
    stale.write_bytes(b"")  # a leftover file where a socket was
    assert remote_search(stale, [], "torch.cat") is None
    assert not is_server_alive(stale)


def test_bad_requests_get_an_error_reply(server: SearchServer) -> None:
    reply = request(server.path, {"op": "nonsense"})
    assert reply == {"ok": False, "error": "unknown op 'nonsense'"}


def test_second_server_on_the_same_socket_is_refused(
    server: SearchServer, lexical_engine: SearchEngine
) -> None:
    from glossary.errors import GlossaryError

    with pytest.raises(GlossaryError, match="already running"):
        SearchServer(server.path, lexical_engine, glossary_folders())
