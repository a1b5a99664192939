"""The client half of the resident server: tiny, so a warm ``torchgloss search`` stays cheap.

Only the standard library is imported here. Every failure (no socket, stale socket, a server
for other folders, a timeout) returns ``None`` and the caller searches in-process instead.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

from glossary.search.types import Match, Mode, SearchHit, SearchResponse, Signal


def request(path: Path, payload: dict[str, Any], timeout: float = 5.0) -> dict[str, Any] | None:
    """Send one JSON request and read one JSON reply; ``None`` if no server answers."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(path))
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
        Match(Signal(m["signal"]), m["surface"], float(m["score"])) for m in data["matched_by"]
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
    )
