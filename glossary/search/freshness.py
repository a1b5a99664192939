"""Tell in a few stat calls whether a saved index still matches the glossary files.

:func:`glossary.datafiles.data_fingerprint` reads and hashes every file: too slow for a cold
``torchgloss search`` that should finish in well under half a second. So an index also
records the folders it was built from and the size, modification time and inode of each YAML
file in them. When all of those are unchanged
the recorded fingerprint is still the right one; when anything differs (or cannot be read),
the caller falls back to the real fingerprint, which decides.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")

FileStat = list[object]  # [path, size, mtime_ns, inode]


def folder_names(folders: Sequence[Path]) -> list[str]:
    """The folders as resolved path strings (what an index records)."""
    return [str(folder.resolve()) for folder in folders]


def yaml_stats(folders: Sequence[Path]) -> list[FileStat] | None:
    """``[path, size, mtime_ns, inode]`` of every YAML file, or ``None`` if one cannot be read."""
    stats: list[FileStat] = []
    try:
        for folder in folders:
            if folder.is_dir():
                files = sorted(p for p in folder.rglob("*") if p.suffix in YAML_SUFFIXES)
            else:
                files = [folder]
            for path in files:
                info = os.stat(path)
                if path.is_file():
                    stats.append([str(path.resolve()), info.st_size, info.st_mtime_ns, info.st_ino])
    except OSError:
        return None
    return stats
