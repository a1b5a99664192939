"""Which glossary files exist and whether they changed: cheap, standard-library only.

Kept apart from :mod:`glossary.loader` (which needs pydantic) so the cold search path can
decide that its cached index is still fresh without importing the data model.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from glossary.errors import GlossaryError
from glossary.paths import bundled_data_dir, user_data_dirs

YAML_SUFFIXES = (".yaml", ".yml")
MAX_DATA_FILE_BYTES = 5 * 1024 * 1024
"""No glossary file is read past this size (the bundled files are a few hundred KiB)."""


class DataFileError(GlossaryError):
    """A glossary file that cannot be read: not a regular file, too large, or unreadable."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def read_data_file(path: Path, *, max_bytes: int = MAX_DATA_FILE_BYTES) -> bytes:
    """The bytes of one glossary file, read only if it is a regular file of at most ``max_bytes``.

    The file is opened non-blocking (a FIFO cannot hang the open) and checked with ``fstat`` on
    that very descriptor before anything is read, so a FIFO, a device such as ``/dev/zero`` or a
    socket is refused whatever was at the path a moment earlier; reading stops at the limit even
    if the file grows meanwhile.

    Raises:
        DataFileError: naming the file and the reason, for the CLI's one-line error.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise DataFileError(path, f"cannot read file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DataFileError(path, f"not a regular file ({_file_type(info.st_mode)}); refused")
        if info.st_size > max_bytes:
            raise DataFileError(path, f"file is {info.st_size} bytes; the limit is {max_bytes}")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise DataFileError(path, f"file is over the limit of {max_bytes} bytes")
        return b"".join(chunks)
    except OSError as exc:
        raise DataFileError(path, f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def _file_type(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "a special file"


def glossary_folders(extra: Sequence[Path] = ()) -> list[Path]:
    """The folders to load, in merge order: bundled, ``TORCHGLOSS_DATA``, then ``extra``."""
    folders = [bundled_data_dir(), *user_data_dirs(), *extra]
    seen: set[Path] = set()
    unique: list[Path] = []
    for folder in folders:
        resolved = folder.resolve()
        if resolved not in seen:
            seen.add(resolved)
            unique.append(folder)
    return unique


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """YAML files named directly or found (recursively, sorted) in the given folders."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            # Anything YAML-named but a folder is listed, so that a FIFO or device there is
            # reported (by :func:`read_data_file`) rather than silently skipped; a dangling
            # symlink (an editor's lock file such as ``.#a.yaml``) is not glossary data.
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.suffix in YAML_SUFFIXES
                    and not p.is_dir()
                    and (p.exists() or not p.is_symlink())
                )
            )
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            raise GlossaryError(f"{path}: no such file or folder.")
    return files


def data_fingerprint(folders: Sequence[Path]) -> str:
    """A hash of every glossary file's path and bytes: the key that says an index is stale.

    A file that cannot be read (a FIFO, a device, too large, no permission) counts by its
    path and the reason instead of failing the whole search: the loader skips it and says why
    (:class:`DataFileError`), and the key still changes once the file is fixed.
    """
    digest = hashlib.sha256()
    for path in yaml_files(folders):
        digest.update(str(path.resolve()).encode())
        digest.update(b"\0")
        try:
            digest.update(read_data_file(path))
        except DataFileError as exc:
            digest.update(b"\1unreadable: " + exc.reason.encode())
        digest.update(b"\0")
    return digest.hexdigest()
