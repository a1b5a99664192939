"""Owner-only JSON files for what torchgloss remembers about its user (bookmarks, history).

The folder is made ``0700`` and each file ``0600`` (queries and bookmarks are nobody else's
business on a shared machine); every write replaces the file in one step
(:func:`glossary.atomic.write_bytes_atomic`) under a file lock, so two torchgloss processes
adding at once both keep their change and a crash never leaves half a file.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from glossary.atomic import write_bytes_atomic
from glossary.errors import GlossaryError


class PrivateFileError(GlossaryError):
    """A bookmarks or history file is damaged or cannot be written."""

    title = "Saved data problem"


def private_dir(path: Path) -> Path:
    """``path`` as an existing folder that only its owner can enter (created if need be)."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if stat.S_IMODE(path.stat().st_mode) != 0o700:
            path.chmod(0o700)
    except OSError as exc:
        raise PrivateFileError(f"{path}: cannot create the folder: {exc.strerror}.") from None
    return path


def read_json(path: Path) -> Any | None:
    """The JSON document in ``path``, or ``None`` if there is no such file.

    Raises:
        PrivateFileError: the file is not JSON (say which, and what to do).
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise PrivateFileError(f"{path}: cannot read: {exc.strerror}.") from None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PrivateFileError(
            f"{path}: damaged ({exc}); fix it or move it away to start afresh."
        ) from None


def write_json(path: Path, data: Any) -> None:
    """Replace ``path`` with ``data`` as JSON, owner-only, in one step."""
    private_dir(path.parent)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    try:
        write_bytes_atomic(path, text.encode("utf-8"))
        os.chmod(path, 0o600)
    except OSError as exc:
        raise PrivateFileError(f"{path}: cannot write: {exc.strerror}.") from None


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold ``path``'s lock file for a read-modify-write (one writer at a time)."""
    from filelock import FileLock, Timeout

    private_dir(path.parent)
    lock_path = path.with_name(f".{path.name}.lock")
    lock = FileLock(lock_path, timeout=10, mode=0o600)
    try:
        with lock:
            yield
    except Timeout:
        raise PrivateFileError(
            f"{lock_path}: another torchgloss holds this lock; try again, or delete the lock "
            "file if no torchgloss is running."
        ) from None
