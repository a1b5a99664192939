"""Vectors shipped in the package: the bundled glossary embedded once, before release.

A new user's first paraphrase should not wait for thousands of passages to be embedded. The
package carries the vectors of every text the dense index embeds for the bundled glossary
(passages, ``asked_as`` requests and the query vectors of known names), computed with the
bundled model, keyed by the hash of each text and how it was embedded — never the texts
themselves. An index build takes every vector whose key is here and embeds only the rest
(a user's own folders, entries edited since the release).

Form: one int8 row per vector with a float32 scale (symmetric, per row), 1 byte a number
instead of 4: the bundled glossary's ~14k vectors take about 5 MB. Rows are re-normalized
after dequantizing; the effect on search quality is measured in the README (it is within
the noise of the evaluation sets). The manifest records the model's signature (vectors of
another model are never used), the bundled data's content fingerprint and the SHA-256 of the
vector file; anything that does not match or does not verify is ignored, never trusted.

When torchgloss searches the bundled glossary alone and its files are exactly those the
vectors were made from, the index is written straight from the shipped rows and vectors
(:func:`load_bundled_rows`): no YAML is read and no text embedded on first use.

``torchgloss index export`` writes the folder (:func:`write_shipped`); a test fails when it is
stale for the bundled data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glossary.atomic import atomic_directory

if TYPE_CHECKING:
    import numpy as np

#: Bump when the files' layout changes; a folder of another format is ignored.
SHIPPED_FORMAT = 1
MANIFEST = "manifest.json"
VECTORS = "vectors.bin"
#: The dense index's rows for the bundled glossary alone (see :func:`load_bundled_rows`).
ROWS = "dense-rows.json"


def shipped_dir() -> Path:
    """Where the package keeps its shipped vectors (``glossary/shipped``)."""
    return Path(__file__).resolve().parents[2] / "shipped"


@dataclass(frozen=True, slots=True)
class ShippedVectors:
    """Shipped vectors by key, and what the manifest says about them."""

    vectors: dict[str, np.ndarray]
    manifest: dict[str, Any]

    def __len__(self) -> int:
        return len(self.vectors)


def quantize(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows as int8 with one float32 scale each (``row ≈ q * scale``), symmetric."""
    import numpy as np

    peaks = np.abs(vectors).max(axis=1)
    scales = np.where(peaks > 0, peaks / 127.0, 1.0).astype(np.float32)
    quantized = np.clip(np.rint(vectors / scales[:, None]), -127, 127).astype(np.int8)
    return quantized, scales


def dequantize(quantized: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """float32 rows from :func:`quantize`'s output, L2-normalized again."""
    import numpy as np

    rows = quantized.astype(np.float32) * scales[:, None]
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return (rows / np.maximum(norms, 1e-12)).astype(np.float32)


def load_shipped(signature: dict[str, Any], directory: Path | None = None) -> ShippedVectors:
    """The shipped vectors of the model ``signature``; empty if absent, other, or damaged."""
    import numpy as np

    directory = directory or shipped_dir()
    empty = ShippedVectors({}, {})
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != SHIPPED_FORMAT or manifest.get("model") != signature:
            return empty
        data = (directory / VECTORS).read_bytes()
        record = manifest["files"][VECTORS]
        if len(data) != record["size"] or hashlib.sha256(data).hexdigest() != record["sha256"]:
            return empty
        keys: list[str] = manifest["keys"]
        count, dimension = len(keys), int(signature["dimension"])
        if len(data) != count * dimension + 4 * count:
            return empty
        quantized = np.frombuffer(data, np.int8, count * dimension).reshape(count, dimension)
        scales = np.frombuffer(data, "<f4", count, count * dimension)
    except (OSError, ValueError, KeyError, TypeError):
        return empty
    rows = dequantize(quantized, scales)
    return ShippedVectors(dict(zip(keys, rows, strict=True)), manifest)


def shipped_keys(signature: dict[str, Any], directory: Path | None = None) -> set[str]:
    """The keys the shipped vectors of ``signature`` cover, read from the manifest alone.

    For counting what is left to embed: no vector is read or checked (:func:`load_shipped`
    does that when the index is built, and embeds whatever a damaged file lacks).
    """
    directory = directory or shipped_dir()
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != SHIPPED_FORMAT or manifest.get("model") != signature:
            return set()
        return {str(key) for key in manifest["keys"]}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def load_bundled_rows(folders: Sequence[Path], signature: dict[str, Any]) -> dict[str, Any] | None:
    """The shipped dense rows, when ``folders`` is the bundled glossary alone, unchanged since
    the export, and ``signature`` the shipped vectors' model; else ``None``."""
    from glossary.paths import bundled_data_dir

    directory = shipped_dir()
    bundled = bundled_data_dir()
    if [f.resolve() for f in folders] != [bundled.resolve()]:
        return None
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("format") != SHIPPED_FORMAT or manifest.get("model") != signature:
            return None
        if manifest.get("data_fingerprint") != content_fingerprint(bundled):
            return None
        data = (directory / ROWS).read_bytes()
        record = manifest["files"][ROWS]
        if len(data) != record["size"] or hashlib.sha256(data).hexdigest() != record["sha256"]:
            return None
        rows: dict[str, Any] = json.loads(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return rows


def write_shipped(
    directory: Path,
    keys: Sequence[str],
    vectors: np.ndarray,
    signature: dict[str, Any],
    data_fingerprint: str,
    rows: dict[str, Any],
    extra_files: dict[str, bytes] | None = None,
) -> dict[str, Any]:
    """Write ``vectors`` (one row per key), the bundled index's ``rows`` and ``extra_files``
    as the shipped folder, atomically; returns the manifest."""
    import numpy as np

    if len(keys) != len(vectors) or len(set(keys)) != len(keys):
        raise ValueError("shipped vectors need one distinct key per row")
    quantized, scales = quantize(np.asarray(vectors, dtype=np.float32))
    blobs = {
        VECTORS: quantized.tobytes() + scales.astype("<f4").tobytes(),
        ROWS: json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode(),
        **(extra_files or {}),
    }
    manifest = {
        "format": SHIPPED_FORMAT,
        "model": signature,
        "data_fingerprint": data_fingerprint,
        "count": len(keys),
        "dtype": "int8, one float32 scale a row",
        "files": {
            name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in blobs.items()
        },
        "keys": list(keys),
    }
    with atomic_directory(directory) as tmp:
        for name, data in blobs.items():
            (tmp / name).write_bytes(data)
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=0) + "\n", encoding="utf-8")
        tmp.chmod(0o755)
    return manifest


def content_fingerprint(folder: Path) -> str:
    """A hash of every YAML file's name (relative to ``folder``) and bytes.

    Unlike the index fingerprint it does not depend on where the package is installed, so it
    can say whether shipped vectors were made from exactly this data. A search asks for it
    more than once (the lexical tables, the dense rows, the vectors): within a process it is
    hashed again only when a file's size, modification time or inode changed
    (:mod:`glossary.search.freshness`).
    """
    from glossary.search.freshness import yaml_stats

    stats = yaml_stats([folder])
    key = str(folder.resolve())
    known = _FINGERPRINTS.get(key)
    if stats is not None and known is not None and known[0] == stats:
        return known[1]
    fingerprint = _hash_folder(folder)
    if stats is not None:
        _FINGERPRINTS[key] = (stats, fingerprint)
    return fingerprint


#: :func:`content_fingerprint` by folder, with the file stats it was computed at.
_FINGERPRINTS: dict[str, tuple[list[Any], str]] = {}


def _hash_folder(folder: Path) -> str:
    from glossary.datafiles import read_data_file, yaml_files

    digest = hashlib.sha256()
    for path in yaml_files([folder]):
        digest.update(path.resolve().relative_to(folder.resolve()).as_posix().encode())
        digest.update(b"\0")
        digest.update(read_data_file(path))
        digest.update(b"\0")
    return digest.hexdigest()
