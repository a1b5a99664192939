"""An on-disk cache of query vectors, so a query asked before never loads the model again.

One SQLite file in the index folder, keyed by model signature and query text. SQLite does the
locking between processes; the cache is an optimization only, so every failure (a damaged
file, a busy lock, a read-only folder) reads as a miss and is never raised. A damaged file is
replaced by an empty one.

The queries are the user's search history: the file is created owner-only (0600, in a folder
made 0700), and a cache file of ours found with wider permissions is narrowed before use.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING

from glossary.paths import make_private_dirs

if TYPE_CHECKING:
    import numpy as np

#: Rows kept; past this the oldest are dropped (each row is about 1.6 kB).
MAX_ROWS = 20_000
FILE_NAME = "query-vectors.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    model TEXT NOT NULL,
    text TEXT NOT NULL,
    vector BLOB NOT NULL,
    used REAL NOT NULL,
    PRIMARY KEY (model, text)
)
"""


class QueryCache:
    """Query text → vector, per model (``model_key`` from :func:`dense.signature_key`)."""

    def __init__(self, path: Path, model_key: str) -> None:
        self.path = path
        self.model_key = model_key

    def _connect(self) -> sqlite3.Connection:
        try:
            make_private_dirs(self.path.parent)
            self._make_private_file()
        except OSError as exc:
            raise sqlite3.OperationalError(f"cannot prepare {self.path}: {exc}") from exc
        connection = sqlite3.connect(self.path, timeout=2.0)
        connection.execute(_SCHEMA)
        return connection

    def _make_private_file(self) -> None:
        """Create the file 0600 before SQLite does (its journals take the file's mode), or
        narrow an existing file of ours to 0600."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise OSError(f"{self.path} is not a regular file")
            if stat.S_IMODE(info.st_mode) & 0o077 and info.st_uid == os.getuid():
                os.fchmod(fd, 0o600)
        finally:
            os.close(fd)

    def _reset_if_damaged(self, exc: sqlite3.Error) -> None:
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            with contextlib.suppress(OSError):
                self.path.unlink()

    def get(self, text: str) -> np.ndarray | None:
        """The cached vector of ``text``, or ``None``."""
        if not self.path.exists():
            return None
        try:
            connection = self._connect()
            try:
                row = connection.execute(
                    "SELECT vector FROM vectors WHERE model = ? AND text = ?",
                    (self.model_key, text),
                ).fetchone()
            finally:
                connection.close()
        except sqlite3.Error as exc:
            self._reset_if_damaged(exc)
            return None
        if row is None:
            return None
        import numpy as np

        vector = np.frombuffer(row[0], dtype=np.float32)
        return vector if vector.size else None

    def put(self, text: str, vector: np.ndarray) -> None:
        """Remember ``vector`` for ``text`` (best effort)."""
        import numpy as np

        blob = np.ascontiguousarray(vector, dtype=np.float32).tobytes()
        try:
            connection = self._connect()
            try:
                with connection:
                    connection.execute(
                        "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)",
                        (self.model_key, text, blob, time.time()),
                    )
                    (count,) = connection.execute("SELECT COUNT(*) FROM vectors").fetchone()
                    if count > MAX_ROWS:
                        connection.execute(
                            "DELETE FROM vectors WHERE rowid IN "
                            "(SELECT rowid FROM vectors ORDER BY used LIMIT ?)",
                            (count - MAX_ROWS,),
                        )
            finally:
                connection.close()
        except sqlite3.Error as exc:
            self._reset_if_damaged(exc)
