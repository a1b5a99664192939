"""Cache files with a header line: one JSON object naming what the file is, then the payload.

The lexical index and the reference layer are each one such file: the header says the file's
kind (``magic``), format and what it was built from, with the SHA-256 of the payload, so a
reader can tell a stale or damaged file from a good one before parsing the payload.
"""

from __future__ import annotations

import json
from typing import Any


def split_header(raw: bytes, magic: str) -> tuple[dict[str, Any], bytes] | None:
    """The header and payload of ``raw``, or ``None`` unless its header says ``magic``."""
    head, sep, payload = raw.partition(b"\n")
    try:
        header = json.loads(head)
    except ValueError:
        return None
    if not sep or not isinstance(header, dict) or header.get("magic") != magic:
        return None
    return header, payload
