"""Load glossary folders into a :class:`Glossary`: validated entries plus where each came from.

The bundled folder comes first, then folders from ``TORCHGLOSS_DATA`` and ``--data``. An id
defined again in a later folder replaces the earlier entry (so a user can correct a bundled one);
the same id twice inside one folder is an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from glossary.datafiles import glossary_folders, yaml_files
from glossary.entry_checks import cross_entry_problems
from glossary.errors import EntryNotFoundError, GlossaryDataError, Problem
from glossary.i18n import _
from glossary.origin import EntryOrigin
from glossary.paths import bundled_data_dir
from glossary.schema import Entry
from glossary.text.control import describe, first_control, strip_control
from glossary.yamlsafe import LineMap, YamlPath, YamlReadError, read_yaml


@dataclass(slots=True)
class Glossary:
    """All loaded entries, in file order, with lookups by id."""

    entries: list[Entry]
    origins: dict[str, EntryOrigin]
    folders: list[Path] = field(default_factory=list)
    by_id: dict[str, Entry] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {entry.id: entry for entry in self.entries}

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> Entry:
        """The entry with this id; raises :class:`EntryNotFoundError` naming close ids."""
        try:
            return self.by_id[entry_id]
        except KeyError:
            needle = entry_id.lower()
            close = sorted(
                (i for i in self.by_id if needle in i.lower()),
                key=lambda i: (i.lower().rsplit(".", 1)[-1] != needle, len(i), i),
            )[:5]
            hint = _(" Did you mean: {ids}?").format(ids=", ".join(close)) if close else ""
            message = _("No entry has the id {id!r}.{hint} Try `torchgloss search {id}`.")
            raise EntryNotFoundError(message.format(id=entry_id, hint=hint)) from None


@dataclass(slots=True)
class _FileResult:
    entries: list[tuple[Entry, int | None, dict[str, int]]]
    problems: list[Problem]


def _field_name(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _pydantic_problems(
    exc: ValidationError, path: Path, lines: LineMap, base: YamlPath, entry_id: str | None
) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = "unknown field (check its spelling; see `torchgloss schema`)"
        elif err["type"] == "missing":
            message = "required field is missing"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        field_loc = loc
        line = lines.line_of((*base, *field_loc))
        problems.append(Problem(str(path), line, _field_name(field_loc) or None, message, entry_id))
    return problems


def _control_problems(
    value: Any, path: Path, lines: LineMap, base: YamlPath, entry_id: str | None
) -> list[Problem]:
    """Every text value (and key) of one raw entry that holds a control character.

    Every string of a glossary file passes here before the schema sees it, so an escape
    sequence in any field (today's or a future one) is refused with its file, line and field.
    """
    problems: list[Problem] = []
    stack: list[tuple[YamlPath, Any]] = [((), value)]
    while stack:
        loc, item = stack.pop()
        texts: list[str] = []
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, dict):
            texts.extend(k for k in item if isinstance(k, str))
            stack.extend(((*loc, k), v) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend(((*loc, i), v) for i, v in reversed(list(enumerate(item))))
        for text in texts:
            char = first_control(text)
            if char is not None:
                problems.append(
                    Problem(
                        str(path),
                        lines.line_of((*base, *loc)),
                        strip_control(_field_name(loc)) or None,
                        f"contains the control character {describe(char)}; terminal escape "
                        "sequences and control characters are not allowed in glossary text",
                        entry_id,
                    )
                )
                break
    return problems


def load_file(path: Path) -> _FileResult:
    """Parse one YAML file; every entry that validates is kept, every problem is reported."""
    try:
        data, lines = read_yaml(path)
    except YamlReadError as exc:
        return _FileResult([], [Problem(str(path), exc.line, None, exc.message)])
    if data is None:
        return _FileResult([], [])
    if not isinstance(data, dict) or set(data) - {"entries"}:
        return _FileResult(
            [],
            [Problem(str(path), 1, None, "the file must be a mapping with one key, 'entries'")],
        )
    raw_entries = data.get("entries") or []
    if not isinstance(raw_entries, list):
        return _FileResult(
            [], [Problem(str(path), lines.line_of(("entries",)), "entries", "must be a list")]
        )
    entries: list[tuple[Entry, int | None, dict[str, int]]] = []
    problems: list[Problem] = []
    for index, raw in enumerate(raw_entries):
        base: YamlPath = ("entries", index)
        line = lines.line_of(base)
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        entry_id = raw_id if isinstance(raw_id, str) and first_control(raw_id) is None else None
        control = _control_problems(raw, path, lines, base, entry_id)
        if control:
            problems.extend(control)
            continue
        try:
            entry = Entry.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(exc, path, lines, base, entry_id))
            continue
        field_lines = {
            _field_name(key[2:]): value
            for key, value in lines.lines.items()
            if key[:2] == base and len(key) > 2 and "<key>" not in key
        }
        entries.append((entry, line, field_lines))
    return _FileResult(entries, problems)


def collect(
    folders: Sequence[Path], trusted: Sequence[Path] = ()
) -> tuple[list[Entry], dict[str, EntryOrigin], list[Problem]]:
    """Load every file of every folder; returns merged entries, origins and all problems."""
    trusted_resolved = {p.resolve() for p in trusted}
    merged: dict[str, Entry] = {}
    origins: dict[str, EntryOrigin] = {}
    problems: list[Problem] = []
    for folder in folders:
        is_trusted = folder.resolve() in trusted_resolved
        seen_here: dict[str, EntryOrigin] = {}
        for path in yaml_files([folder]):
            result = load_file(path)
            problems.extend(result.problems)
            for entry, line, field_lines in result.entries:
                if entry.id in seen_here:
                    first = seen_here[entry.id]
                    problems.append(
                        Problem(
                            str(path),
                            line,
                            "id",
                            f"duplicate id; first defined at {first.path}:{first.line}",
                            entry.id,
                        )
                    )
                    continue
                origin = EntryOrigin(path, line, is_trusted, field_lines)
                seen_here[entry.id] = origin
                merged.pop(entry.id, None)  # a later folder replaces, and moves to the end
                merged[entry.id] = entry
                origins[entry.id] = origin
    return list(merged.values()), origins, problems


def read_glossary(
    extra_folders: Sequence[Path] = (), *, check: bool = True
) -> tuple[Glossary, list[Problem]]:
    """Load the bundled glossary plus user folders, returning the problems instead of raising.

    Every entry that validates on its own is kept, so ``torchgloss validate`` can run its
    slower checks on them and report everything in one run.

    Args:
        extra_folders: folders given with ``--data``, merged after ``TORCHGLOSS_DATA``.
        check: also run the cross-entry checks (links, aliases, readings); off only for speed
            where the data was validated already.
    """
    folders = glossary_folders(extra_folders)
    entries, origins, problems = collect(folders, trusted=[bundled_data_dir()])
    if check:
        problems.extend(cross_entry_problems(entries, origins))
    return Glossary(entries=entries, origins=origins, folders=folders), problems


def load_glossary(extra_folders: Sequence[Path] = (), *, check: bool = True) -> Glossary:
    """Load the bundled glossary plus user folders (see :func:`read_glossary` for the args).

    Raises:
        GlossaryDataError: with every problem found, each naming file, line and field.
    """
    glossary, problems = read_glossary(extra_folders, check=check)
    if problems:
        raise GlossaryDataError(problems)
    return glossary
