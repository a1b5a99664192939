"""Checks that go beyond one entry's schema: links, aliases, readings, languages, API names.

Each check returns :class:`Problem` objects rather than raising, so ``torchgloss validate``
reports everything wrong in one run.
"""

from __future__ import annotations

import importlib
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from glossary.datafiles import glossary_folders
from glossary.errors import Problem
from glossary.loader import EntryOrigin, collect
from glossary.schema import Entry, Kind, is_kana, needs_reading
from glossary.text.normalize import has_japanese

EntryCheck = Callable[[Sequence[Entry], dict[str, EntryOrigin]], Iterable[Problem]]


def _problem(origin: EntryOrigin | None, entry: Entry, field: str, message: str) -> Problem:
    if origin is None:
        return Problem("<memory>", None, field, message, entry.id)
    return Problem(str(origin.path), origin.line_of(field), field, message, entry.id)


def _fold(text: str) -> str:
    """Compare words without regard to width or case, but dotted API names exactly
    (``torch.Tensor`` and ``torch.tensor`` are different things)."""
    text = unicodedata.normalize("NFKC", text).strip()
    return text if "." in text else text.casefold()


def check_links(entries: Sequence[Entry], origins: dict[str, EntryOrigin]) -> Iterable[Problem]:
    """Every ``ref`` must name a loaded entry, and not the entry itself."""
    ids = {entry.id for entry in entries}
    for entry in entries:
        for name, items in entry.relations().items():
            for i, item in enumerate(items):
                if item.ref is None:
                    continue
                field = f"{name}[{i}].ref"
                if item.ref not in ids:
                    yield _problem(
                        origins.get(entry.id),
                        entry,
                        field,
                        f"links to {item.ref!r}, which no entry defines",
                    )
                elif item.ref == entry.id:
                    yield _problem(
                        origins.get(entry.id), entry, field, "an entry cannot link to itself"
                    )


def check_aliases(entries: Sequence[Entry], origins: dict[str, EntryOrigin]) -> Iterable[Problem]:
    """No alias twice in an entry or equal to its own headword; API aliases must be unambiguous."""
    api_claims: dict[str, str] = {}
    for entry in entries:
        if entry.api:
            api_claims.setdefault(_fold(entry.api), entry.id)
    for entry in entries:
        origin = origins.get(entry.id)
        seen: set[str] = set()
        own = {_fold(entry.term.en), _fold(entry.term.ja)}
        for i, alias in enumerate(entry.aliases):
            key = _fold(alias)
            field = f"aliases[{i}]"
            if key in seen:
                yield _problem(origin, entry, field, f"duplicate alias {alias!r}")
            elif key in own:
                yield _problem(
                    origin, entry, field, f"alias {alias!r} repeats the entry's own term"
                )
            else:
                owner = api_claims.get(key)
                if owner is not None and owner != entry.id:
                    yield _problem(
                        origin, entry, field, f"alias {alias!r} is the API name of entry {owner!r}"
                    )
            seen.add(key)
    aliases_by_api_entry: dict[str, str] = {}
    for entry in entries:
        if entry.kind is not Kind.API:
            continue
        for i, alias in enumerate(entry.aliases):
            key = _fold(alias)
            if "." not in key:
                continue  # short words may be shared; dotted names must point to one API
            first = aliases_by_api_entry.setdefault(key, entry.id)
            if first != entry.id:
                yield _problem(
                    origins.get(entry.id),
                    entry,
                    f"aliases[{i}]",
                    f"alias {alias!r} is also an alias of {first!r}",
                )


def check_languages(entries: Sequence[Entry], origins: dict[str, EntryOrigin]) -> Iterable[Problem]:
    """Japanese fields hold Japanese, readings are kana, kanji headwords have a reading."""
    for entry in entries:
        origin = origins.get(entry.id)
        if not has_japanese(entry.definition.ja):
            yield _problem(origin, entry, "definition.ja", "has no Japanese text")
        if has_japanese(entry.definition.en) and not entry.definition.en.isascii():
            ascii_share = sum(ch.isascii() for ch in entry.definition.en) / len(entry.definition.en)
            if ascii_share < 0.5:
                yield _problem(origin, entry, "definition.en", "looks Japanese, not English")
        if entry.term.reading is not None and not is_kana(entry.term.reading):
            yield _problem(
                origin, entry, "term.reading", f"reading {entry.term.reading!r} is not kana"
            )
        if entry.term.reading is None and needs_reading(entry.term.ja):
            yield _problem(
                origin,
                entry,
                "term.reading",
                f"{entry.term.ja!r} has kanji, so a kana reading is required",
            )
        for name, items in entry.relations().items():
            for i, item in enumerate(items):
                if item.reading is not None and not is_kana(item.reading):
                    yield _problem(
                        origin,
                        entry,
                        f"{name}[{i}].reading",
                        f"reading {item.reading!r} is not kana",
                    )


def check_api_names(entries: Sequence[Entry], origins: dict[str, EntryOrigin]) -> Iterable[Problem]:
    """Each ``api`` must resolve in the installed torch (imports torch: about 1.5 s)."""
    for entry in entries:
        if entry.api and resolve_api(entry.api) is None:
            yield _problem(
                origins.get(entry.id),
                entry,
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
                yield _problem(
                    origins.get(entry.id),
                    entry,
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
    import re

    for obj, target in ((one, other), (other, one)):
        doc = (getattr(obj, "__doc__", None) or "")[:400]
        if re.search(r"\b[Aa]lias (?:for|of)\b", doc):
            return True
        name = getattr(target, "__name__", "")
        if name and "deprecated" in doc.lower() and name in doc:
            return True  # "F.upsample is deprecated in favor of interpolate"
    return False


CROSS_ENTRY_CHECKS: list[EntryCheck] = [check_links, check_aliases, check_languages]
"""Checks cheap enough to run on every load."""


def cross_entry_problems(
    entries: Sequence[Entry], origins: dict[str, EntryOrigin]
) -> list[Problem]:
    """All problems found by :data:`CROSS_ENTRY_CHECKS`."""
    return [p for check in CROSS_ENTRY_CHECKS for p in check(entries, origins)]


def validate(paths: Sequence[Path] = (), *, check_api: bool = True) -> list[Problem]:
    """Validate glossary folders or files; an empty list means all is well.

    Without ``paths`` the bundled data and user folders are checked. With ``paths``, only those
    (plus the bundled data, so links into it resolve; its problems are reported too).
    """
    from glossary.paths import bundled_data_dir

    folders = glossary_folders(paths)
    entries, origins, problems = collect(folders, trusted=[bundled_data_dir()])
    problems.extend(cross_entry_problems(entries, origins))
    checks: list[EntryCheck] = []
    if check_api:
        checks += [check_api_names, check_alias_names]
    checks.extend(EXTRA_CHECKS)
    for check in checks:
        problems.extend(check(entries, origins))
    from glossary.snippets.validation import snippet_problems  # imported here: no import cycle

    problems.extend(snippet_problems(entries, origins))
    return sorted(problems, key=lambda p: (p.path, p.line or 0))


EXTRA_CHECKS: list[EntryCheck] = []
"""Slower checks that only ``torchgloss validate`` runs (snippet checks register here)."""
