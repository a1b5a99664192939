"""A resident search server on a Unix socket, so warm queries from the CLI skip all start-up.

``torchgloss serve`` keeps a :class:`~glossary.search.engine.SearchEngine` (model and indexes
loaded) and answers one JSON request per line. The socket lives in the user's runtime folder,
inside a directory only the owner can enter (when torchgloss creates it), and is itself mode 0600
(created so: no window in which it is wider). ``torchgloss search``
tries it first (see :mod:`glossary.server_client`) and falls back to searching in-process.
"""

from __future__ import annotations

import contextlib
import json
import os
import socketserver
import stat
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glossary.datafiles import data_fingerprint
from glossary.errors import GlossaryError, UsageError
from glossary.paths import runtime_dir
from glossary.search.types import Mode

if TYPE_CHECKING:
    from glossary.search.engine import SearchEngine

PROTOCOL_VERSION = 1
MAX_REQUEST_BYTES = 64 * 1024


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
            parent.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.mkdir(parent, 0o700)
            except FileExistsError:
                pass  # made meanwhile by someone else: not ours, leave its mode alone
            else:
                os.chmod(parent, 0o700)  # our own new folder: private whatever the umask
    except OSError as exc:
        raise GlossaryError(
            f"Cannot create the socket folder {parent} ({exc.strerror or exc}); "
            "use --socket with a writable path."
        ) from None


def _clear_socket_path(path: Path) -> None:
    """Remove a stale socket of ours at ``path``; refuse anything else that is there."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise GlossaryError(f"Cannot use the socket path {path} ({exc.strerror or exc}).") from None
    if not stat.S_ISSOCK(info.st_mode):
        raise GlossaryError(
            f"{path} exists and is not a socket; refusing to replace it (choose another --socket)."
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


class _Handler(socketserver.StreamRequestHandler):
    server: SearchServer

    def handle(self) -> None:
        while True:
            line = self.rfile.readline(MAX_REQUEST_BYTES + 1)
            if not line:
                return
            try:
                reply = self.server.answer(json.loads(line))
            except (ValueError, TypeError) as exc:
                reply = {"ok": False, "error": f"bad request: {exc}"}
            except GlossaryError as exc:
                reply = {"ok": False, "error": str(exc), "exit_code": exc.exit_code}
            self.wfile.write(json.dumps(reply, ensure_ascii=False).encode() + b"\n")
            self.wfile.flush()


class SearchServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """Answers search requests with one loaded engine; one thread per connection."""

    daemon_threads = True

    def __init__(
        self,
        path: Path,
        engine: SearchEngine,
        folders: Sequence[Path],
        reopen: Callable[[], SearchEngine] | None = None,
    ) -> None:
        prepare_socket_path(path)
        old_umask = os.umask(0o177)
        try:
            super().__init__(str(path), _Handler)
        except OSError as exc:
            raise GlossaryError(
                f"Cannot listen on {path} ({exc.strerror or exc}); "
                "use --socket with a writable path."
            ) from None
        finally:
            os.umask(old_umask)
        os.chmod(path, 0o600)
        self.path = path
        self.engine = engine
        self.folders = folders_key(folders)
        self._folder_paths = list(folders)
        self._reopen = reopen
        self._fingerprint = data_fingerprint(self._folder_paths)
        self._lock = threading.Lock()

    def _current_engine(self) -> SearchEngine:
        """The engine, re-opened first if a glossary file changed since it was loaded."""
        if self._reopen is None:
            return self.engine
        with self._lock:
            fingerprint = data_fingerprint(self._folder_paths)
            if fingerprint != self._fingerprint:
                self.engine = self._reopen()
                self._fingerprint = fingerprint
            return self.engine

    def answer(self, request: dict[str, Any]) -> dict[str, Any]:
        """One reply for one request (``ping`` or ``search``)."""
        op = request.get("op")
        if op == "ping":
            return {
                "ok": True,
                "protocol": PROTOCOL_VERSION,
                "pid": os.getpid(),
                "folders": self.folders,
            }
        if op == "shutdown":
            threading.Thread(target=self.shutdown, daemon=True).start()
            return {"ok": True}
        if op != "search":
            return {"ok": False, "error": f"unknown op {op!r}"}
        if request.get("folders") != self.folders:
            return {"ok": False, "error": "different glossary folders", "fallback": True}
        query = request.get("query")
        if not isinstance(query, str):
            raise UsageError("query must be text")
        response = self._current_engine().search(
            query,
            limit=int(request.get("limit", 10)),
            lang=request.get("lang"),
            kind=request.get("kind"),
            mode=Mode(request.get("mode", Mode.HYBRID.value)),
            layer=request.get("layer"),
        )
        return {
            "ok": True,
            "response": {
                "query": response.query,
                "mode": response.mode.value,
                "semantic_used": response.semantic_used,
                "elapsed_ms": response.elapsed_ms,
                "results": [asdict(hit) for hit in response.results],
            },
        }

    def server_close(self) -> None:
        super().server_close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def is_server_alive(path: Path, timeout: float = 0.5) -> bool:
    """True when something answers a ping on ``path``."""
    from glossary.server_client import request

    return request(path, {"op": "ping"}, timeout=timeout) is not None
