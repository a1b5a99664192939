"""The user's settings: one TOML file in the platform's config folder, read with ``tomllib``.

Every key is optional; a missing file means the defaults. A mistake in the file (bad TOML, an
unknown key, a value of the wrong kind) is a :class:`SettingsError` that names the file, the
line and the key, so the user can fix it without reading a traceback.

The file looks like this (see :data:`EXAMPLE`)::

    theme = "light"        # the browser: "dark", "light" or any Textual theme name
    language = "ja"        # the interface: "en" or "ja"

    [filters]              # what the browser and `search` filter on by default
    lang = "ja"            # "en" or "ja"
    kind = "api"           # an entry kind

    [limits]
    search = 10            # results of `torchgloss search` when --limit is not given
    history = 200          # search queries remembered
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from glossary.errors import GlossaryError
from glossary.paths import config_file

LANGUAGES = ("en", "ja")
"""Values of ``language`` and ``filters.lang``."""

EXAMPLE = """\
# torchgloss settings (every key is optional)
theme = "dark"         # the browser: "dark", "light" or any Textual theme name
language = "en"        # the interface: "en" or "ja"

[filters]
# lang = "ja"          # show entries in this language only: "en" or "ja"
# kind = "api"         # show entries of this kind only

[limits]
search = 10            # results of `torchgloss search` when --limit is not given
history = 200          # search queries remembered
"""
"""A commented file with every key, for ``torchgloss config show`` and the README."""


class SettingsError(GlossaryError):
    """The settings file could not be read or holds a value torchgloss cannot use."""

    title = "Settings problem"


@dataclass(frozen=True, slots=True)
class Filters:
    """Default search filters: ``None`` means any."""

    lang: str | None = None
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class Limits:
    """Default sizes."""

    search: int = 10
    history: int = 200


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the settings file can set, with the defaults for what it leaves out."""

    theme: str = "dark"
    language: str | None = None
    """``"en"``, ``"ja"``, or ``None`` (from the environment)."""
    filters: Filters = field(default_factory=Filters)
    limits: Limits = field(default_factory=Limits)
    path: Path | None = None
    """The file these came from, when there was one."""

    def to_json(self) -> dict[str, Any]:
        """The settings as a plain dict (``config show --json``)."""
        data = asdict(self)
        data["path"] = str(self.path) if self.path else None
        return data


DEFAULTS = Settings()
"""What is in effect without a settings file."""


def load_settings(path: Path | None = None) -> Settings:
    """Read the settings file (``path``, else :func:`glossary.paths.config_file`).

    Raises:
        SettingsError: the file is not UTF-8 TOML, or a key or value is not one torchgloss
            knows; the message gives the file and line.
    """
    path = path or config_file()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read the settings file: {exc.strerror}.") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SettingsError(
            f"{path}: the settings file is not UTF-8 text; save it as UTF-8."
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(_toml_message(path, str(exc))) from None
    return _settings_from(data, path, text)


def _toml_message(path: Path, message: str) -> str:
    """``FILE:LINE: what is wrong`` from tomllib's ``… (at line L, column C)``."""
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", message)
    if found:
        what = message[: found.start()]
        return (
            f"{path}:{found[1]}: column {found[2]}: {what} — not valid TOML; fix that line "
            'or delete the file (strings need quotes: theme = "dark").'
        )
    return f"{path}: not valid TOML: {message}; fix it or delete the file."


class _Reader:
    """Checks the parsed TOML table by table, locating each mistake in the file's text."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def fail(self, key: str, message: str, table: str | None = None) -> SettingsError:
        line = self._line_of(key, table)
        where = f"{self.path}:{line}" if line else str(self.path)
        name = f"{table}.{key}" if table else key
        return SettingsError(f"{where}: {name}: {message}")

    def _line_of(self, key: str, table: str | None) -> int | None:
        in_table = table is None
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number, line in enumerate(self.lines, start=1):
            header = re.match(r"^\s*\[\s*([^\]]+?)\s*\]", line)
            if header:
                if header[1] == key and table is None:
                    return number
                in_table = header[1] == table
                continue
            if in_table and pattern.match(line):
                return number
        return None

    def check_keys(self, data: dict[str, Any], known: set[str], table: str | None) -> None:
        for key in data:
            if key not in known:
                choices = ", ".join(sorted(known))
                raise self.fail(key, f"unknown setting; known here: {choices}.", table)

    def text(
        self, data: dict[str, Any], key: str, table: str | None, choices: tuple[str, ...] = ()
    ) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be a quoted string, not {value!r}.", table)
        if choices and value not in choices:
            raise self.fail(key, f"must be one of {', '.join(choices)}, not {value!r}.", table)
        return value

    def count(self, data: dict[str, Any], key: str, table: str, default: int) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10_000:
            raise self.fail(key, f"must be a whole number from 1 to 10000, not {value!r}.", table)
        return value

    def table(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a table ([{key}]), not {value!r}.")
        return value


def _kinds() -> tuple[str, ...]:
    """The entry kinds (imports the schema, so only when a file sets ``filters.kind``)."""
    from glossary.schema import Kind

    return tuple(k.value for k in Kind)


def _settings_from(data: dict[str, Any], path: Path, text: str) -> Settings:
    reader = _Reader(path, text)
    reader.check_keys(data, {"theme", "language", "filters", "limits"}, None)
    filters = reader.table(data, "filters")
    limits = reader.table(data, "limits")
    reader.check_keys(filters, {"lang", "kind"}, "filters")
    reader.check_keys(limits, {"search", "history"}, "limits")
    kinds = _kinds() if filters.get("kind") is not None else ()
    return Settings(
        theme=reader.text(data, "theme", None) or DEFAULTS.theme,
        language=reader.text(data, "language", None, LANGUAGES),
        filters=Filters(
            lang=reader.text(filters, "lang", "filters", LANGUAGES),
            kind=reader.text(filters, "kind", "filters", kinds),
        ),
        limits=Limits(
            search=reader.count(limits, "search", "limits", DEFAULTS.limits.search),
            history=reader.count(limits, "history", "limits", DEFAULTS.limits.history),
        ),
        path=path,
    )
