"""Which glossary files exist and whether they changed: cheap, standard-library only.

Kept apart from :mod:`glossary.loader` (which needs pydantic) so the cold search path can
decide that its cached index is still fresh without importing the data model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from glossary.errors import GlossaryError
from glossary.paths import bundled_data_dir, user_data_dirs

YAML_SUFFIXES = (".yaml", ".yml")


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
            files.extend(
                sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
            )
        elif path.exists():
            files.append(path)
        else:
            raise GlossaryError(f"{path}: no such file or folder.")
    return files


def data_fingerprint(folders: Sequence[Path]) -> str:
    """A hash of every glossary file's path and bytes: the key that says an index is stale."""
    digest = hashlib.sha256()
    for path in yaml_files(folders):
        digest.update(str(path.resolve()).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
