"""The bundled glossary's lexical index, compiled before release and shipped in the package.

Compiling the lexical index runs Sudachi and pykakasi over every entry: seconds, the largest
part of a new user's first search. When torchgloss searches the bundled glossary alone and its
files are exactly those the shipped index was compiled from (their content fingerprint), with
the same analyzers (Sudachi's dictionary and pykakasi decide the keys), that index is used as
it is; with a user's folders after it, only their entries are compiled and appended to it
(:mod:`.merging`). Anything else is compiled whole.

The file sits beside the shipped vectors (:mod:`glossary.search.dense.shipped`), listed and
checksummed in their manifest, and is written by the same ``torchgloss index export``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from glossary.schema import Entry
    from glossary.search.lexical.index import LexicalIndex

FILE_NAME = "lexical.json.gz"
#: The packages whose versions decide the compiled keys.
ANALYZERS = ("sudachipy", "sudachidict_core", "pykakasi", "jaconv")


def analyzer_versions() -> dict[str, str]:
    """Installed versions of :data:`ANALYZERS` (read from metadata, nothing imported)."""
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ANALYZERS:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "absent"
    return found


def shipped_bytes(entries: Sequence[Entry]) -> bytes:
    """The shipped file for ``entries`` (the bundled glossary): compiled tables, gzipped."""
    from glossary.search.lexical.building import compile_entries
    from glossary.search.lexical.storage import FORMAT_VERSION

    payload = {
        "format": FORMAT_VERSION,
        "analyzers": analyzer_versions(),
        "compiled": compile_entries(entries, ""),
    }
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return gzip.compress(text, compresslevel=9, mtime=0)


def load_bundled_lexical(folders: Sequence[Path], fingerprint: str) -> LexicalIndex | None:
    """The shipped index, when ``folders`` is the bundled glossary alone and unchanged since
    the export, and the analyzers are the same; else ``None`` (compile it)."""
    from glossary.paths import bundled_data_dir
    from glossary.search.lexical.index import LexicalIndex

    if [f.resolve() for f in folders] != [bundled_data_dir().resolve()]:
        return None
    compiled = shipped_compiled()
    if compiled is None:
        return None
    compiled["fingerprint"] = fingerprint
    return LexicalIndex(compiled)


def shipped_compiled() -> dict[str, Any] | None:
    """The shipped compiled tables (as :func:`.building.compile_entries` made them), when the
    bundled glossary is unchanged since the export and the analyzers are the same; else
    ``None``."""
    from glossary.paths import bundled_data_dir
    from glossary.search.dense.shipped import MANIFEST, content_fingerprint, shipped_dir
    from glossary.search.lexical.storage import FORMAT_VERSION

    directory = shipped_dir()
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("data_fingerprint") != content_fingerprint(bundled_data_dir()):
            return None
        data = (directory / FILE_NAME).read_bytes()
        record = manifest["files"][FILE_NAME]
        if len(data) != record["size"] or hashlib.sha256(data).hexdigest() != record["sha256"]:
            return None
        payload: dict[str, Any] = json.loads(gzip.decompress(data))
        if payload.get("format") != FORMAT_VERSION or payload.get("analyzers") != (
            analyzer_versions()
        ):
            return None
        compiled: dict[str, Any] = payload["compiled"]
        return compiled if isinstance(compiled, dict) else None
    except (OSError, ValueError, KeyError, TypeError, EOFError, gzip.BadGzipFile):
        return None
