"""The reference layer on disk: ``<home>/reference/torch-<version>.json``, built on demand.

The file is a JSON header line (format, torch version, module list key, sha256 of the
payload) followed by the JSON payload, like the lexical index. It is built by introspecting
torch in a child process (``python -I``), so the caller never imports torch; it is rebuilt when
it is missing, damaged, or from another torch version, format or module list, under a file
lock so two processes build it once, and written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from glossary.errors import GlossaryError
from glossary.headered import split_header
from glossary.i18n import N_, _
from glossary.locked_build import load_or_build_locked
from glossary.paths import home_dir
from glossary.reference.entry import ReferenceEntry
from glossary.reference.modules import MEMBER_CLASSES, REFERENCE_MODULES

MAGIC = "torchgloss-reference"
ENTRY_FIELDS = tuple(f.name for f in fields(ReferenceEntry))
"""Entries are stored as rows in this order: parsing lists is about twice as fast as dicts."""
FORMAT_VERSION = 4
BUILD_TIMEOUT_S = 300

_CHILD = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); "
    "from glossary.reference.build import main; sys.exit(main())"
)


class ReferenceLayerError(GlossaryError):
    """The reference layer could not be built or read (no torch, a failed build, no store)."""

    title = N_("Reference layer problem")


@dataclass(frozen=True, slots=True)
class SkippedName:
    """A module that failed to import or an attribute that raised on access."""

    name: str
    error: str
    message: str


@dataclass(slots=True)
class ReferenceLayer:
    """Every reference entry of one torch version, with name and alias lookups."""

    entries: list[ReferenceEntry]
    torch_version: str
    skipped: list[SkippedName]
    fingerprint: str
    modules: tuple[str, ...] = REFERENCE_MODULES
    public_names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Module (or class) → the dotted public names found there, with an entry or not."""
    by_name: dict[str, ReferenceEntry] = field(init=False)
    by_alias: dict[str, list[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_name = {entry.name: entry for entry in self.entries}
        self.by_alias = {}
        for entry in self.entries:
            for alias in entry.aliases:
                self.by_alias.setdefault(alias, []).append(entry.name)

    def __len__(self) -> int:
        return len(self.entries)

    def resolve(self, text: str) -> ReferenceEntry | None:
        """The entry ``text`` names: a dotted name or alias (``nn.Linear``, ``F.grid_sample``,
        ``Tensor.repeat_interleave``, ``.view()``, ``rsqrt``), with or without ``()``.

        A short name several modules export resolves to the first in module order
        (``relu`` → ``torch.relu``); ``None`` when nothing has that name.
        """
        name = text.strip().removesuffix("()").strip()
        if not name:
            return None
        found = self.by_name.get(name)
        if found is not None:
            return found
        names = self.by_alias.get(name)
        if names:
            return self.by_name[names[0]]
        if name.startswith("torch.nn.modules.") or name.startswith("torch._C."):
            names = self.by_alias.get(name.rsplit(".", 1)[-1])
            return self.by_name[names[0]] if names else None
        return None


def torch_version() -> str:
    """The installed torch's version, read from its metadata (torch is not imported)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("torch")
    except PackageNotFoundError:
        raise ReferenceLayerError(
            _(
                "torch is not installed, so there is no reference layer; install torch "
                "(pip install torch) to look up names the glossary has no entry for."
            )
        ) from None


def reference_dir() -> Path:
    """Where reference layers live, one file per torch version."""
    return home_dir() / "reference"


def reference_path(version: str) -> Path:
    safe = "".join(c if c.isalnum() or c in ".+-_" else "_" for c in version)
    return reference_dir() / f"torch-{safe}.json"


def modules_key(modules: Sequence[str], classes: Sequence[str] = MEMBER_CLASSES) -> str:
    """What the module list is, as the header records it (a new list means a new build)."""
    return hashlib.sha256("\0".join([*modules, "|", *classes]).encode()).hexdigest()[:16]


def _layer_from(raw: bytes, version: str, modules: Sequence[str]) -> ReferenceLayer | None:
    found = split_header(raw, MAGIC)
    if found is None:
        return None
    header, payload = found
    if (header.get("format"), header.get("torch_version"), header.get("modules")) != (
        FORMAT_VERSION,
        version,
        modules_key(modules),
    ):
        return None
    digest = hashlib.sha256(payload).hexdigest()
    if header.get("sha256") != digest:
        return None
    try:
        data = json.loads(payload)
        if data["fields"] != list(ENTRY_FIELDS):
            return None
        entries = [
            ReferenceEntry(n, tuple(a), k, m, sig, summ, doc, url, tuple(ex), dep)
            for n, a, k, m, sig, summ, doc, url, ex, dep in data["rows"]
        ]
        skipped = [SkippedName(**item) for item in data["skipped"]]
        public = {module: tuple(names) for module, names in data["public"].items()}
    except (ValueError, KeyError, TypeError):
        return None
    return ReferenceLayer(entries, version, skipped, digest[:16], tuple(modules), public)


def read_layer(
    path: Path, version: str, modules: Sequence[str] = REFERENCE_MODULES
) -> ReferenceLayer | None:
    """The layer stored at ``path`` if it is intact and for ``version``; else None."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    return _layer_from(raw, version, modules)


def build_payload(modules: Sequence[str] = REFERENCE_MODULES) -> dict[str, Any]:
    """Introspect torch in a child process; returns ``{"torch_version", "entries", "skipped"}``."""
    import subprocess
    import tempfile

    root = str(Path(__file__).resolve().parents[2])
    fd, out = tempfile.mkstemp(prefix="torchgloss-reference-", suffix=".json")
    os.close(fd)
    try:
        try:
            done = subprocess.run(
                [sys.executable, "-I", "-c", _CHILD, root, out, *modules],
                capture_output=True,
                text=True,
                timeout=BUILD_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ReferenceLayerError(
                _(
                    "Introspecting torch took more than {seconds} s and was stopped; "
                    "try again on a less busy machine."
                ).format(seconds=BUILD_TIMEOUT_S)
            ) from None
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise ReferenceLayerError(
                _(
                    "Introspecting the installed torch failed (exit status {status}: "
                    "{error}); check that `python -c 'import torch'` works."
                ).format(status=done.returncode, error=last)
            )
        with open(out, encoding="utf-8") as fh:
            payload: dict[str, Any] = json.load(fh)
        return payload
    finally:
        os.unlink(out)


def save_payload(path: Path, payload: dict[str, Any], modules: Sequence[str]) -> bytes:
    """Write ``payload`` with its header atomically; returns the bytes written."""
    from glossary.atomic import write_bytes_atomic

    rows = [[item[name] for name in ENTRY_FIELDS] for item in payload["entries"]]
    body = json.dumps(
        {
            "fields": list(ENTRY_FIELDS),
            "rows": rows,
            "skipped": payload["skipped"],
            "public": payload["public"],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    header = {
        "magic": MAGIC,
        "format": FORMAT_VERSION,
        "torch_version": payload["torch_version"],
        "modules": modules_key(modules),
        "sha256": hashlib.sha256(body).hexdigest(),
        "entries": len(payload["entries"]),
        "skipped": len(payload["skipped"]),
    }
    raw = json.dumps(header).encode() + b"\n" + body
    try:
        write_bytes_atomic(path, raw)
    except OSError as exc:
        raise ReferenceLayerError(
            _("Cannot write the reference layer {path} ({error}).").format(path=path, error=exc)
        ) from exc
    return raw


def load_reference_layer(
    *, build: bool = True, force: bool = False, modules: Sequence[str] = REFERENCE_MODULES
) -> ReferenceLayer:
    """The reference layer of the installed torch, built first if needed.

    Loading a current store reads one JSON file and imports neither torch nor faiss.

    Args:
        build: build the layer when the store is missing, stale or damaged; with False such a
            store raises :class:`ReferenceLayerError` instead.
        force: build even over a current store.
        modules: the torch modules to cover (tests add one that fails to import).

    Raises:
        ReferenceLayerError: torch is not installed, the build failed, or (``build=False``)
            there is no current store.
    """
    version = torch_version()
    path = reference_path(version)
    layer = None if force else read_layer(path, version, modules)
    if layer is not None:
        return layer
    if not build:
        raise ReferenceLayerError(
            _(
                "The reference layer for torch {version} is not built yet ({path}); "
                "`torchgloss show torch.cat` builds it."
            ).format(version=version, path=path)
        )

    def build_layer() -> ReferenceLayer:
        payload = build_payload(modules)
        if payload["torch_version"] != version:
            raise ReferenceLayerError(
                _(
                    "The torch that was introspected is {found}, not the installed {version}; "
                    "is another torch earlier on the path?"
                ).format(found=payload["torch_version"], version=version)
            )
        built = _layer_from(save_payload(path, payload, modules), version, modules)
        if built is None:  # what was just written does not read back: a bug, not a user error
            raise RuntimeError(f"the reference layer written to {path} does not read back")
        return built

    try:
        layer, _built = load_or_build_locked(
            path.with_name(f".{path.name}.lock"),
            lambda: None if force else read_layer(path, version, modules),
            build_layer,
            timeout_s=BUILD_TIMEOUT_S + 60,
            error=ReferenceLayerError,
            busy_message=f"Another torchgloss process has held the reference lock in "
            f"{path.parent} for 6 minutes; stop it or delete the .lock file there, and try again.",
        )
    except OSError as exc:
        raise ReferenceLayerError(
            _("Cannot write the reference layer in {folder} ({error}).").format(
                folder=path.parent, error=exc
            )
        ) from exc
    return layer
