"""Checks that an entry's ``api`` and aliases name the right objects in the installed torch.

Only ``torchgloss validate`` runs these: resolving names imports torch, which a plain load must not
pay (its cost: README, "Speed figures"). Names resolve only under ``torch`` (see
:func:`resolve_api`), so validating a folder nobody has vetted never imports anything else.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence

from glossary.entry_checks import EntryCheck
from glossary.errors import Problem
from glossary.origin import EntryOrigin, entry_problem
from glossary.schema import Entry


def check_api_names(entries: Sequence[Entry], origins: dict[str, EntryOrigin]) -> Iterable[Problem]:
    """Each ``api`` must resolve in the installed torch (so this imports torch)."""
    for entry in entries:
        if entry.api and resolve_api(entry.api) is None:
            yield entry_problem(
                origins.get(entry.id),
                entry.id,
                "api",
                f"{entry.api!r} does not resolve in the installed torch",
            )


def resolve_api(dotted: str) -> object | None:
    """The torch object ``dotted`` names, or ``None``.

    Only names under ``torch`` resolve, and only torch's own modules are ever imported: the
    longest ``torch.…`` prefix that imports, then attributes. ``validate`` runs on folders
    nobody has vetted yet, so an ``api`` such as ``this`` or ``venv.__main__`` must never run
    code (importing a module runs it).
    """
    parts = dotted.split(".")
    if parts[0] != "torch" or not all(part.isidentifier() for part in parts):
        return None
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except Exception:  # noqa: BLE001 - any import failure means "not this prefix"
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except Exception:  # noqa: BLE001 - an attribute that raises does not resolve
            return None
        return obj
    return None


def check_alias_names(
    entries: Sequence[Entry], origins: dict[str, EntryOrigin]
) -> Iterable[Problem]:
    """An API entry's alias must not be the public name of a different torch API.

    ``repeat_interleave`` as an alias of ``torch.Tensor.repeat`` makes a search for
    ``repeat_interleave`` answer with the wrong function. Allowed: the same operation under
    another namespace (``torch.Tensor.sum`` for ``torch.sum``), its in-place or out-of-place
    twin (``clamp_``), and names documented as aliases ("Alias for torch.gt()"). A related
    API belongs in ``related``, not in ``aliases``.
    """
    for entry in entries:
        own = resolve_api(entry.api) if entry.api else None
        if own is None or entry.api is None:
            continue
        own_last = entry.api.rsplit(".", 1)[-1].rstrip("_")
        for i, alias in enumerate(entry.aliases):
            for name in _alias_targets(alias):
                other = resolve_api(name)
                if other is None or other is own or name.rsplit(".", 1)[-1].rstrip("_") == own_last:
                    continue
                if _documented_alias(other, own):
                    continue
                yield entry_problem(
                    origins.get(entry.id),
                    entry.id,
                    f"aliases[{i}]",
                    f"alias {alias!r} is {name}, a different API; list it under 'related' "
                    "instead (it gets its own entry or reference page)",
                )
                break


def _alias_targets(alias: str) -> list[str]:
    """The torch names an alias could stand for when typed as a query."""
    name = alias.strip().removeprefix(".").removesuffix("()")
    if not name.replace(".", "").replace("_", "").isalnum() or not name.isascii():
        return []
    if name.startswith("torch."):
        return [name]
    for short, full in (
        ("nn.", "torch.nn."),
        ("F.", "torch.nn.functional."),
        ("Tensor.", "torch.Tensor."),
    ):
        if name.startswith(short):
            return [full + name[len(short) :]]
    if "." in name:
        return []
    return [f"torch.{name}", f"torch.nn.{name}", f"torch.nn.functional.{name}"]


def _documented_alias(one: object, other: object) -> bool:
    """Either docstring opens by calling the other an alias ("Alias for torch.gt()")."""
    for obj, target in ((one, other), (other, one)):
        doc = (getattr(obj, "__doc__", None) or "")[:400]
        if re.search(r"\b[Aa]lias (?:for|of)\b", doc):
            return True
        name = getattr(target, "__name__", "")
        if name and "deprecated" in doc.lower() and name in doc:
            return True  # "F.upsample is deprecated in favor of interpolate"
    return False


API_CHECKS: list[EntryCheck] = [check_api_names, check_alias_names]
"""The checks ``torchgloss validate`` runs unless told ``--no-api-check``."""
