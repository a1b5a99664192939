"""Checks across the loaded entries that every load runs: links, aliases, readings, languages.

:func:`glossary.loader.load_glossary` calls :func:`cross_entry_problems` after the schema has
accepted each entry on its own; they are cheap (no torch, no process). The slower checks that
only ``torchgloss validate`` runs live in :mod:`glossary.api_names` and
:mod:`glossary.snippets.validation`. Each check returns :class:`Problem` objects rather than
raising, so one run reports everything wrong.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence

from glossary.errors import Problem
from glossary.origin import EntryOrigin, entry_problem
from glossary.schema import Entry, Kind, is_kana, needs_reading
from glossary.text.normalize import has_japanese

EntryCheck = Callable[[Sequence[Entry], dict[str, EntryOrigin]], Iterable[Problem]]
"""A check over all entries: it yields each problem found, located through the origins."""


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
                    yield entry_problem(
                        origins.get(entry.id),
                        entry.id,
                        field,
                        f"links to {item.ref!r}, which no entry defines",
                    )
                elif item.ref == entry.id:
                    yield entry_problem(
                        origins.get(entry.id), entry.id, field, "an entry cannot link to itself"
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
                yield entry_problem(origin, entry.id, field, f"duplicate alias {alias!r}")
            elif key in own:
                yield entry_problem(
                    origin, entry.id, field, f"alias {alias!r} repeats the entry's own term"
                )
            else:
                owner = api_claims.get(key)
                if owner is not None and owner != entry.id:
                    yield entry_problem(
                        origin,
                        entry.id,
                        field,
                        f"alias {alias!r} is the API name of entry {owner!r}",
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
                yield entry_problem(
                    origins.get(entry.id),
                    entry.id,
                    f"aliases[{i}]",
                    f"alias {alias!r} is also an alias of {first!r}",
                )


def check_languages(entries: Sequence[Entry], origins: dict[str, EntryOrigin]) -> Iterable[Problem]:
    """Japanese fields hold Japanese, readings are kana, kanji headwords have a reading."""
    for entry in entries:
        origin = origins.get(entry.id)
        if not has_japanese(entry.definition.ja):
            yield entry_problem(origin, entry.id, "definition.ja", "has no Japanese text")
        if has_japanese(entry.definition.en) and not entry.definition.en.isascii():
            ascii_share = sum(ch.isascii() for ch in entry.definition.en) / len(entry.definition.en)
            if ascii_share < 0.5:
                yield entry_problem(
                    origin, entry.id, "definition.en", "looks Japanese, not English"
                )
        if entry.term.reading is not None and not is_kana(entry.term.reading):
            yield entry_problem(
                origin, entry.id, "term.reading", f"reading {entry.term.reading!r} is not kana"
            )
        if entry.term.reading is None and needs_reading(entry.term.ja):
            yield entry_problem(
                origin,
                entry.id,
                "term.reading",
                f"{entry.term.ja!r} has kanji, so a kana reading is required",
            )
        for name, items in entry.relations().items():
            for i, item in enumerate(items):
                if item.reading is not None and not is_kana(item.reading):
                    yield entry_problem(
                        origin,
                        entry.id,
                        f"{name}[{i}].reading",
                        f"reading {item.reading!r} is not kana",
                    )


CROSS_ENTRY_CHECKS: list[EntryCheck] = [check_links, check_aliases, check_languages]
"""Checks cheap enough to run on every load."""


def cross_entry_problems(
    entries: Sequence[Entry], origins: dict[str, EntryOrigin]
) -> list[Problem]:
    """All problems found by :data:`CROSS_ENTRY_CHECKS`."""
    return [p for check in CROSS_ENTRY_CHECKS for p in check(entries, origins)]
