"""Read YAML safely and remember the line of every value, so errors can name file, line and field.

Only plain data is built (mappings, sequences, scalars): no Python objects, whatever the tags say.
Files over :data:`MAX_FILE_BYTES` are refused, and anchors/aliases may be used but their expansion
is capped at :data:`MAX_NODES` values, which stops "billion laughs" bombs and alias cycles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from glossary.datafiles import MAX_DATA_FILE_BYTES, DataFileError, read_data_file
from glossary.i18n import _

MAX_FILE_BYTES = MAX_DATA_FILE_BYTES
MAX_NODES = 200_000

YamlPath = tuple[str | int, ...]

_PLAIN_COLLECTION_TAGS = frozenset(
    {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map", "tag:yaml.org,2002:omap"}
)

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: A key typed with a full-width colon (``ja：テンソル``, easy with a Japanese input method):
#: YAML reads the whole line as text, then fails a line later or builds the wrong shape.
_FULL_WIDTH_KEY = re.compile(r"^(?P<lead>\s*(?:-\s+)?)(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)\s*：\s*")


class YamlReadError(Exception):
    """The file is not YAML we accept; carries the 1-based line where that was noticed."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(slots=True)
class LineMap:
    """Maps a path inside the document (keys and list indexes) to the line it starts on."""

    lines: dict[YamlPath, int] = field(default_factory=dict)

    def line_of(self, path: YamlPath) -> int | None:
        """Line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


class _Builder:
    def __init__(self, max_nodes: int) -> None:
        self.constructor = SafeConstructor()
        self.max_nodes = max_nodes
        self.count = 0
        self.lines = LineMap()
        self.active: set[int] = set()

    def build(self, node: Node, path: YamlPath) -> Any:
        self.count += 1
        if self.count > self.max_nodes:
            raise YamlReadError(
                f"document expands to more than {self.max_nodes} values "
                "(an anchor/alias bomb?); refusing to read it",
                node.start_mark.line + 1,
            )
        self.lines.lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in self.active:
            raise YamlReadError(
                "an alias refers to itself (recursive YAML)", node.start_mark.line + 1
            )
        if isinstance(node, ScalarNode):
            if not node.style and isinstance(node.value, str):  # plain: "" (C) or None
                hint = _full_width_hint(node.value, node.start_mark.line + 1)
                if hint is not None:
                    raise hint
            try:
                return self.constructor.construct_object(node, deep=True)
            except ConstructorError as exc:
                raise YamlReadError(
                    _one_line(exc.problem or str(exc)), node.start_mark.line + 1
                ) from None
        if node.tag not in _PLAIN_COLLECTION_TAGS:
            raise YamlReadError(
                f"could not determine a constructor for the tag {node.tag!r}",
                node.start_mark.line + 1,
            )
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            if isinstance(node, MappingNode):
                return self._mapping(node, path)
        finally:
            self.active.discard(id(node))
        raise YamlReadError(f"unsupported YAML node {node.tag}", node.start_mark.line + 1)

    def _mapping(self, node: MappingNode, path: YamlPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlReadError(
                    "merge keys ('<<') are not supported", key_node.start_mark.line + 1
                )
            key = self.build(key_node, (*path, "<key>"))
            if not isinstance(key, str):
                raise YamlReadError(
                    f"mapping keys must be text, not {key!r}", key_node.start_mark.line + 1
                )
            if key in result:
                raise YamlReadError(f"duplicate key {key!r}", key_node.start_mark.line + 1)
            result[key] = self.build(value_node, (*path, key))
            self.lines.lines[(*path, key)] = key_node.start_mark.line + 1
        return result


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _full_width_hint(line: str, number: int) -> YamlReadError | None:
    """The error for ``line`` if it starts with a key and a full-width colon, else None."""
    match = _FULL_WIDTH_KEY.match(line)
    if match is None:
        return None
    key, rest = match["key"], line[match.end() :].strip()
    example = f"{key}: {rest}" if rest and len(rest) <= 20 else f"{key}: …"
    message = _(
        "full-width colon “：” after {key!r}: YAML needs an ASCII colon and a space, "
        "as in “{example}”"
    )
    return YamlReadError(message.format(key=key, example=example), number)


def _full_width_colon(text: str, error_line: int | None) -> YamlReadError | None:
    """A full-width-colon key at or before ``error_line`` (the nearest), which explains a
    YAML error better than PyYAML's words, and at the right line."""
    lines = text.splitlines()
    last = min(error_line or len(lines), len(lines))
    for number in range(last, 0, -1):
        hint = _full_width_hint(lines[number - 1], number)
        if hint is not None:
            return hint
    return None


def parse_yaml(text: str, *, max_nodes: int = MAX_NODES) -> tuple[Any, LineMap]:
    """Parse one YAML document into plain data plus the line of every value."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        hint = _full_width_colon(text, line)
        if hint is not None:
            raise hint from None
        raise YamlReadError(f"not valid YAML: {_one_line(exc.problem or str(exc))}", line) from None
    except yaml.YAMLError as exc:
        raise YamlReadError(f"not valid YAML: {_one_line(str(exc))}") from None
    if node is None:
        return None, LineMap()
    builder = _Builder(max_nodes)
    try:
        data = builder.build(node, ())
    except RecursionError:
        raise YamlReadError("YAML nesting is too deep", node.start_mark.line + 1) from None
    return data, builder.lines


def read_yaml(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> tuple[Any, LineMap]:
    """Read and parse a YAML file, refusing special files, files too large, and non-UTF-8."""
    try:
        raw = read_data_file(path, max_bytes=max_bytes)
    except DataFileError as exc:
        raise YamlReadError(exc.reason) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlReadError("file is not UTF-8 text", line) from None
    return parse_yaml(text)
