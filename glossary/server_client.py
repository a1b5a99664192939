"""The client half of the resident server: tiny, so a warm ``torchgloss search`` stays cheap.

Only the standard library is imported here. Every failure (no socket, stale socket, a server
for other folders, a timeout) returns ``None`` and the caller searches in-process instead.

A query can be private (it is the user's search history), and the reply is shown as if it were
the glossary's; so the client talks only to a socket that is provably the user's own: the
socket and its folder must belong to the current user and the folder must be private (0700),
and on Linux the process listening must run as the current user (``SO_PEERCRED``). Anything
else, say a socket someone else planted in a shared folder, is never sent a byte.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import struct
import time
from pathlib import Path
from typing import Any

from glossary.search.types import Match, Mode, SearchHit, SearchResponse, Signal

#: How long to keep trying to connect while the server's listen queue is full.
CONNECT_TIMEOUT_S = 2.0
#: How long to wait for a reply once connected: a server under load is still far quicker than
#: searching in-process (which loads the model first).
REPLY_TIMEOUT_S = 30.0


def untrusted_reason(path: Path, *, private_folder: bool = True) -> str | None:
    """Why the socket at ``path`` may not be one of the current user's (``None``: it is ours).

    Checks that ``path`` is a socket, not a link, owned by the current user, and (with
    ``private_folder``) in a folder owned by the current user that nobody else may enter.
    """
    uid = os.getuid()
    try:
        folder = os.stat(path.parent)
        info = os.lstat(path)
    except OSError as exc:
        return f"cannot check {path} ({exc.strerror or exc})"
    if private_folder and folder.st_uid != uid:
        return f"its folder {path.parent} belongs to another user (uid {folder.st_uid})"
    if private_folder and stat.S_IMODE(folder.st_mode) & 0o077:
        return f"its folder {path.parent} is not private (mode {stat.S_IMODE(folder.st_mode):o})"
    if not stat.S_ISSOCK(info.st_mode):
        return f"{path} is not a socket"
    if info.st_uid != uid:
        return f"{path} belongs to another user (uid {info.st_uid})"
    return None


def _peer_uid(sock: socket.socket) -> int | None:
    """The user id the server process runs as, where the OS tells (Linux); else ``None``."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return None
    size = struct.calcsize("3i")
    _pid, uid, _gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, option, size))
    return uid


def _connect(sock: socket.socket, path: Path) -> None:
    """Connect, retrying for a moment while the server's listen queue is full."""
    deadline = time.monotonic() + CONNECT_TIMEOUT_S
    delay = 0.005
    while True:
        try:
            sock.connect(str(path))
            return
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EWOULDBLOCK) or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def request(
    path: Path,
    payload: dict[str, Any],
    timeout: float = REPLY_TIMEOUT_S,
    *,
    private_folder: bool = True,
) -> dict[str, Any] | None:
    """Send one JSON request and read one JSON reply.

    ``None`` if no server answers, or if the socket is not provably the current user's (see
    :func:`untrusted_reason`; nothing is sent to such a socket). ``private_folder=False``
    accepts a socket of ours in a shared folder: for ``ping`` and ``shutdown`` to a server
    started with ``--socket`` there, never for queries.
    """
    if untrusted_reason(path, private_folder=private_folder) is not None:
        return None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            _connect(sock, path)
            peer = _peer_uid(sock)
            if peer is not None and peer != os.getuid():
                return None
            sock.sendall(json.dumps(payload, ensure_ascii=False).encode() + b"\n")
            chunks = []
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if chunk.endswith(b"\n"):
                    break
    except OSError:
        return None
    try:
        reply = json.loads(b"".join(chunks))
    except ValueError:
        return None
    return reply if isinstance(reply, dict) else None


def _hit(data: dict[str, Any]) -> SearchHit:
    matches = tuple(
        Match(
            Signal(m["signal"]),
            m["surface"],
            float(m["score"]),
            m.get("query_surface", ""),
            m.get("field", ""),
        )
        for m in data["matched_by"]
    )
    return SearchHit(**{**data, "matched_by": matches})


def remote_search(
    path: Path,
    folders: list[str],
    query: str,
    *,
    limit: int = 10,
    lang: str | None = None,
    kind: str | None = None,
    mode: Mode = Mode.HYBRID,
    layer: str | None = None,
) -> SearchResponse | None:
    """Search through a running server, or ``None`` when none serves these folders."""
    if not path.exists():
        return None
    reply = request(
        path,
        {
            "op": "search",
            "folders": folders,
            "query": query,
            "limit": limit,
            "lang": lang,
            "kind": kind,
            "mode": mode.value,
            "layer": layer,
        },
    )
    if not reply or not reply.get("ok"):
        if reply and not reply.get("fallback") and "exit_code" in reply:
            from glossary.errors import UsageError

            raise UsageError(reply.get("error", "the server refused the query"))
        return None
    data = reply["response"]
    return SearchResponse(
        query=data["query"],
        results=[_hit(h) for h in data["results"]],
        mode=Mode(data["mode"]),
        semantic_used=bool(data["semantic_used"]),
        elapsed_ms=float(data["elapsed_ms"]),
        # A server of an older torchgloss sends neither: what it cannot say is not asserted.
        confident=bool(data.get("confident", True)),
        notices=[str(notice) for notice in data.get("notices", [])],
    )
