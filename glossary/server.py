"""A resident search server on a Unix socket, so warm queries from the CLI skip all start-up.

``torchgloss serve`` keeps a :class:`~glossary.search.engine.SearchEngine` (model and indexes
loaded) and answers one JSON request per line. The socket lives in the user's runtime folder,
inside a directory only the owner can enter (when torchgloss creates it), and is itself mode 0600
(created so: no window in which it is wider). ``torchgloss search``
tries it first (see :mod:`glossary.server_client`) and falls back to searching in-process.

Whatever a client sends, it gets a JSON reply or a closed connection, never a dead handler:
a malformed request (not an object, nested too deeply, ``Infinity``, a limit out of range) is
answered with an error; a connection that stays silent, or trickles a request, is closed after
a timeout; handler threads are capped. After a glossary file changes, queries keep the loaded
engine while a new one is opened in the background.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import socketserver
import stat
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glossary.datafiles import data_fingerprint
from glossary.errors import GlossaryError
from glossary.i18n import _
from glossary.paths import make_private_dirs, runtime_dir
from glossary.search.types import Mode

if TYPE_CHECKING:
    from glossary.search.engine import SearchEngine

PROTOCOL_VERSION = 1
MAX_REQUEST_BYTES = 64 * 1024
#: The most results one request may ask for.
MAX_LIMIT = 100_000
#: Connections the kernel queues while the server accepts (socketserver's default, 5, made
#: concurrent clients fail to connect and fall back to searching in-process).
LISTEN_BACKLOG = 128
#: Connections served at once, one thread each; more wait in the backlog.
MAX_CONNECTIONS = 32
#: How long a new connection waits for a free handler before it is told "busy".
SLOT_WAIT_S = 2.0
IDLE_TIMEOUT_S = 30.0
REQUEST_TIMEOUT_S = 10.0


def default_socket_path() -> Path:
    """``<runtime dir>/torchgloss/search.sock`` (``TORCHGLOSS_HOME/run`` when that is set)."""
    return runtime_dir() / "search.sock"


def folders_key(folders: Sequence[Path]) -> list[str]:
    """How client and server agree they serve the same glossary folders."""
    return [str(Path(f).resolve()) for f in folders]


def _prepare_socket_dir(path: Path) -> None:
    """Make sure the socket's folder exists, without touching one that is already there.

    Only a folder created here (ours, new) is made owner-only; an existing one (say a shared
    1777 ``/tmp``) keeps its mode: the socket itself is 0600.
    """
    parent = path.parent
    try:
        if not parent.is_dir():
            make_private_dirs(parent.parent)
            try:
                os.mkdir(parent, 0o700)
            except FileExistsError:
                pass  # made meanwhile by someone else: not ours, leave its mode alone
            else:
                os.chmod(parent, 0o700)  # our own new folder: private whatever the umask
    except OSError as exc:
        raise GlossaryError(
            _("Cannot create the socket folder {folder} ({error}); use a writable {name} path."),
            parameter="socket",
            folder=parent,
            error=exc.strerror or exc,
        ) from None


def _clear_socket_path(path: Path) -> None:
    """Remove a stale socket of ours at ``path``; refuse anything else that is there."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise GlossaryError(
            _("Cannot use the socket path {path} ({error}).").format(
                path=path, error=exc.strerror or exc
            )
        ) from None
    if not stat.S_ISSOCK(info.st_mode):
        raise GlossaryError(
            _(
                "{path} exists and is not a socket; refusing to replace it "
                "(choose another {name} path)."
            ),
            parameter="socket",
            path=path,
        )
    if info.st_uid != os.getuid():
        raise GlossaryError(
            f"{path} is a socket owned by another user (uid {info.st_uid}); refusing to use it."
        )
    if is_server_alive(path):
        raise GlossaryError(f"A torchgloss server is already running on {path}.")
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def prepare_socket_path(path: Path) -> None:
    """Check ``path`` can take our socket (folder made if missing, stale socket of ours removed);
    raises :class:`GlossaryError` otherwise. Cheap: ``serve`` calls it before loading anything."""
    _prepare_socket_dir(path)
    _clear_socket_path(path)


class BadRequest(ValueError):
    """A request the server cannot answer as asked; the reply says why."""


def _refuse_constant(name: str) -> None:
    raise BadRequest(f"{name} is not a number a request may hold")


def parse_request(line: bytes) -> dict[str, Any]:
    """The request object in one line of the protocol.

    Raises:
        BadRequest: the line is not JSON (or not UTF-8), nests too deeply, holds ``NaN`` or
            ``Infinity``, or is not a JSON object.
    """
    try:
        request = json.loads(line, parse_constant=_refuse_constant)
    except BadRequest:
        raise
    except RecursionError:
        raise BadRequest("the request nests too deeply") from None
    except ValueError as exc:
        raise BadRequest(f"the request is not JSON ({exc})") from None
    if not isinstance(request, dict):
        raise BadRequest(f"a request is a JSON object, not {_json_type(request)}")
    return request


def _json_type(value: object) -> str:
    """What a parsed JSON value was, in JSON's words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    names = {list: "an array", str: "a string", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def search_options(request: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of :meth:`SearchEngine.search` in a search request, checked."""
    query = request.get("query")
    if not isinstance(query, str):
        raise BadRequest("query must be text")
    limit = request.get("limit", 10)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise BadRequest(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    options: dict[str, Any] = {"limit": limit}
    for key in ("lang", "kind", "layer"):
        value = request.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > 100):
            raise BadRequest(f"{key} must be a short text or null")
        options[key] = value
    try:
        options["mode"] = Mode(request.get("mode", Mode.HYBRID.value))
    except (ValueError, TypeError):
        raise BadRequest(f"mode must be one of {', '.join(m.value for m in Mode)}") from None
    return options


class _Handler(socketserver.BaseRequestHandler):
    """One connection: requests and replies, one JSON object per line each way.

    Reads by hand rather than with ``readline`` so that a client that sends nothing for
    :attr:`SearchServer.idle_timeout_s`, or trickles one request for longer than
    :attr:`SearchServer.request_timeout_s`, loses its connection instead of holding a thread.
    """

    server: SearchServer
    request: socket.socket

    def handle(self) -> None:
        self._buffer = bytearray()
        while True:
            try:
                line = self._read_line()
            except BadRequest as exc:  # too long or too slow: answer, then hang up
                self._send({"ok": False, "error": f"bad request: {exc}"})
                return
            if line is None:
                return
            if not self._send(self._reply(line)):
                return

    def _read_line(self) -> bytes | None:
        """The next request line; ``None`` when the client hung up or stayed idle too long."""
        idle_deadline = time.monotonic() + self.server.idle_timeout_s
        request_deadline: float | None = None
        while (end := self._buffer.find(b"\n")) < 0:
            if len(self._buffer) > MAX_REQUEST_BYTES:
                raise BadRequest(f"a request is at most {MAX_REQUEST_BYTES} bytes")
            now = time.monotonic()
            if self._buffer and request_deadline is None:
                request_deadline = now + self.server.request_timeout_s
            deadline = request_deadline or idle_deadline
            if now >= deadline:
                if request_deadline is None:
                    return None
                raise BadRequest(
                    f"the request was not finished within {self.server.request_timeout_s:g} s"
                )
            self.request.settimeout(deadline - now)
            try:
                chunk = self.request.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return None
            if not chunk:
                return None
            self._buffer += chunk
        line = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        return line

    def _reply(self, line: bytes) -> dict[str, Any]:
        try:
            return self.server.answer(parse_request(line))
        except BadRequest as exc:
            return {"ok": False, "error": f"bad request: {exc}"}
        except GlossaryError as exc:
            return {"ok": False, "error": str(exc), "exit_code": exc.exit_code}
        except Exception as exc:  # noqa: BLE001 (a bug: say so, never leave a client unanswered)
            return {"ok": False, "error": f"internal error: {exc!r}", "fallback": True}

    def _send(self, reply: dict[str, Any]) -> bool:
        """Write one reply; ``False`` when the client is gone or does not read it in time."""
        data = json.dumps(reply, ensure_ascii=False).encode() + b"\n"
        try:
            self.request.settimeout(self.server.request_timeout_s)
            self.request.sendall(data)
        except OSError:
            return False
        return True


class SearchServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """Answers search requests with one loaded engine; one thread per connection, capped.

    Args:
        path: the socket to create (see :func:`prepare_socket_path`).
        engine: the loaded engine that answers.
        folders: the glossary folders it serves (clients for other folders are turned away).
        reopen: makes a new engine when a glossary file changed; it runs in a background
            thread while the current engine keeps answering, and replaces it when done.
        max_connections: connections served at once; more wait in the listen backlog.
        idle_timeout_s: a connection silent this long between requests is closed.
        request_timeout_s: the longest a client may take to send one request (or read a reply).
    """

    daemon_threads = True
    block_on_close = False  # a closing server does not wait for idle connections
    request_queue_size = LISTEN_BACKLOG

    def __init__(
        self,
        path: Path,
        engine: SearchEngine,
        folders: Sequence[Path],
        reopen: Callable[[], SearchEngine] | None = None,
        *,
        max_connections: int = MAX_CONNECTIONS,
        idle_timeout_s: float = IDLE_TIMEOUT_S,
        request_timeout_s: float = REQUEST_TIMEOUT_S,
    ) -> None:
        prepare_socket_path(path)
        old_umask = os.umask(0o177)
        try:
            super().__init__(str(path), _Handler)
        except OSError as exc:
            raise GlossaryError(
                _("Cannot listen on {path} ({error}); use a writable {name} path."),
                parameter="socket",
                path=path,
                error=exc.strerror or exc,
            ) from None
        finally:
            os.umask(old_umask)
        os.chmod(path, 0o600)
        self.path = path
        self.engine = engine
        self.folders = folders_key(folders)
        self.idle_timeout_s = idle_timeout_s
        self.request_timeout_s = request_timeout_s
        #: Why the last reload failed (the data did not load, say); ``None`` after a good one.
        self.reload_error: str | None = None
        self._folder_paths = list(folders)
        self._reopen = reopen
        self._fingerprint = data_fingerprint(self._folder_paths) if reopen else ""
        self._failed_fingerprint: str | None = None
        self._reloading = False
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(max_connections)

    # ------------------------------------------------------------------------- connections

    def process_request(self, request: Any, client_address: Any) -> None:
        """Start a handler thread when a slot is free within a moment; else answer "busy"."""
        if not self._slots.acquire(timeout=SLOT_WAIT_S):
            with contextlib.suppress(OSError):
                request.settimeout(0.5)
                request.sendall(b'{"ok": false, "error": "the server is busy", "fallback": true}\n')
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    # ------------------------------------------------------------------------------ engine

    def _current_engine(self) -> tuple[SearchEngine, bool]:
        """The engine to answer with, and whether a newer one is being opened.

        When a glossary file changed, a new engine is opened in a background thread (that
        can take minutes: the dense index is rebuilt) and queries keep the current one until
        it is ready, so no query waits for a rebuild.
        """
        if self._reopen is None:
            return self.engine, False
        with self._lock:
            if not self._reloading:
                try:
                    fingerprint = data_fingerprint(self._folder_paths)
                except GlossaryError:
                    fingerprint = self._fingerprint  # unreadable just now: keep what we have
                if fingerprint not in (self._fingerprint, self._failed_fingerprint):
                    self._reloading = True
                    threading.Thread(target=self._reload, args=(fingerprint,), daemon=True).start()
            return self.engine, self._reloading

    def _reload(self, fingerprint: str) -> None:
        """Open a new engine for ``fingerprint``'s data, then answer with it."""
        assert self._reopen is not None
        engine: SearchEngine | None = None
        error = "the reload stopped unexpectedly"
        try:
            engine = self._reopen()
        except GlossaryError as exc:
            error = str(exc)
        finally:
            with self._lock:
                self._reloading = False
                if engine is None:
                    self._failed_fingerprint = fingerprint  # not again until the data changes
                    self.reload_error = error
                else:
                    self.engine, self._fingerprint = engine, fingerprint
                    self._failed_fingerprint = self.reload_error = None

    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        """One reply for one request (``ping``, ``search`` or ``shutdown``).

        Raises:
            BadRequest: the request is malformed (the handler turns it into an error reply).
            GlossaryError: the search itself refused the query.
        """
        op = request.get("op")
        if op == "ping":
            return {
                "ok": True,
                "protocol": PROTOCOL_VERSION,
                "pid": os.getpid(),
                "folders": self.folders,
                "rebuilding": self._reloading,
                "reload_error": self.reload_error,
            }
        if op == "shutdown":
            threading.Thread(target=self.shutdown, daemon=True).start()
            return {"ok": True}
        if op != "search":
            return {"ok": False, "error": f"unknown op {op!r}"}
        if request.get("folders") != self.folders:
            return {"ok": False, "error": "different glossary folders", "fallback": True}
        options = search_options(request)
        engine, rebuilding = self._current_engine()
        response = engine.search(request["query"], **options)
        return {
            "ok": True,
            "rebuilding": rebuilding,
            "response": {
                "query": response.query,
                "mode": response.mode.value,
                "semantic_used": response.semantic_used,
                "elapsed_ms": response.elapsed_ms,
                "confident": response.confident,
                "notices": list(response.notices),
                "results": [asdict(hit) for hit in response.results],
            },
        }

    def server_close(self) -> None:
        super().server_close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def is_server_alive(path: Path, timeout: float = 0.5) -> bool:
    """True when a server of the current user's answers a ping on ``path``."""
    from glossary.server_client import request

    return request(path, {"op": "ping"}, timeout=timeout, private_folder=False) is not None
