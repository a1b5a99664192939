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
    """Import the longest importable module prefix of ``dotted`` and walk the rest as attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except Exception:  # noqa: BLE001 - any import failure means "not this prefix"
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return None
        return obj
    return None


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
        checks.append(check_api_names)
    checks.extend(EXTRA_CHECKS)
    for check in checks:
        problems.extend(check(entries, origins))
    from glossary.snippets.validation import snippet_problems  # imported here: no import cycle

    problems.extend(snippet_problems(entries, origins))
    return sorted(problems, key=lambda p: (p.path, p.line or 0))


EXTRA_CHECKS: list[EntryCheck] = []
"""Slower checks that only ``torchgloss validate`` runs (snippet checks register here)."""
