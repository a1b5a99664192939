"""The build step of the message catalogue: collect messages, read ``.po``, write ``.mo``.

Never imported at run time (:mod:`glossary.i18n` reads the compiled ``.mo`` through
:mod:`gettext`). A small pure-Python ``msgfmt`` so the catalogue builds with nothing but the
standard library; Babel or GNU gettext would do the same, but neither is needed to run it.

    python -m glossary.i18n_po extract   # add new messages to the .po (empty translations)
    python -m glossary.i18n_po compile   # .po -> .mo (commit both)
    python -m glossary.i18n_po check     # exit 1 if a message lacks a translation

Messages are the string literals passed to ``_()`` in ``glossary/`` and ``tui/``, and the help
texts of every ``torchgloss`` command and option (translated by :mod:`glossary.cli.help_text`).
"""

from __future__ import annotations

import ast
import os
import re
import struct
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path

from glossary.atomic import write_bytes_atomic, write_text_atomic
from glossary.i18n import DOMAIN, LOCALE_DIR, reset

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("glossary", "tui")
PO_PATH = LOCALE_DIR / "ja" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO_PATH = PO_PATH.with_suffix(".mo")

HEADER = (
    "Project-Id-Version: torchgloss\n"
    "Language: ja\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "Plural-Forms: nplurals=1; plural=0;\n"
)

_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}")


class PoError(ValueError):
    """The ``.po`` file is not in the subset of the format this module reads."""


@dataclass(slots=True)
class Message:
    """One catalogue entry: the English id, its translation, and where it is used."""

    msgid: str
    msgstr: str = ""
    where: str = ""


def fields(text: str) -> set[str]:
    """The ``str.format`` field names in ``text`` (``{query}`` -> ``query``)."""
    return set(_FIELD.findall(text.replace("{{", "").replace("}}", "")))


# -- reading and writing .po -----------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", '"': '"', "\\": "\\"}


def _unquote(token: str, line_no: int) -> str:
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise PoError(f"line {line_no}: expected a quoted string, got {token!r}")
    body, out, i = token[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            if i + 1 >= len(body) or body[i + 1] not in _ESCAPES:
                raise PoError(f"line {line_no}: unknown escape in {token!r}")
            out.append(_ESCAPES[body[i + 1]])
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def read_po(text: str) -> list[Message]:
    """The entries of a ``.po`` file (header included, as msgid ``""``); fuzzy ones count as
    untranslated."""
    messages: list[Message] = []
    current: Message | None = None
    part = ""
    fuzzy = False
    where = ""
    for line_no, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith("#:"):
                where = line[2:].strip()
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgid":
            current = Message(_unquote(rest.strip(), line_no), where=where)
            messages.append(current)
            part, where = "msgid", ""
        elif keyword == "msgstr":
            if current is None:
                raise PoError(f"line {line_no}: msgstr without msgid")
            current.msgstr = _unquote(rest.strip(), line_no)
            part = "msgstr"
            if fuzzy:
                current.msgstr, part = "", "fuzzy"
            fuzzy = False
        elif line.startswith('"') and current is not None:
            value = _unquote(line, line_no)
            if part == "msgid":
                current.msgid += value
            elif part == "msgstr":
                current.msgstr += value
        else:
            raise PoError(f"line {line_no}: not understood: {raw!r}")
    return messages


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    for char, escape in (("\t", "\\t"), ("\r", "\\r"), ("\b", "\\b")):
        escaped = escaped.replace(char, escape)
    pieces = escaped.split("\n")
    lines = [p + "\\n" for p in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    if len(lines) <= 1:
        return f'"{lines[0] if lines else ""}"'
    return '""\n' + "\n".join(f'"{p}"' for p in lines)


def write_po(messages: list[Message]) -> str:
    """``.po`` text for ``messages`` (the header is added)."""
    out = [f'msgid ""\nmsgstr {_quote(HEADER)}\n']
    for message in messages:
        if not message.msgid:
            continue
        comment = f"#: {message.where}\n" if message.where else ""
        if fields(message.msgid):
            comment += "#, python-brace-format\n"
        out.append(f"{comment}msgid {_quote(message.msgid)}\nmsgstr {_quote(message.msgstr)}\n")
    return "\n".join(out)


# -- compiling .mo ---------------------------------------------------------------------------


def compile_mo(messages: list[Message]) -> bytes:
    """The GNU ``.mo`` file for ``messages`` (untranslated ones are left out, as msgfmt does)."""
    table = {m.msgid.encode(): m.msgstr.encode() for m in messages if m.msgstr}
    table.setdefault(b"", HEADER.encode())
    keys = sorted(table)
    ids = strs = b""
    spans: list[tuple[int, int, int, int]] = []
    for key in keys:
        spans.append((len(ids), len(key), len(strs), len(table[key])))
        ids += key + b"\0"
        strs += table[key] + b"\0"
    key_start = 7 * 4 + 16 * len(keys)
    value_start = key_start + len(ids)
    key_offsets: list[int] = []
    value_offsets: list[int] = []
    for id_at, id_len, str_at, str_len in spans:
        key_offsets += [id_len, id_at + key_start]
        value_offsets += [str_len, str_at + value_start]
    head = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    return head + array("i", key_offsets + value_offsets).tobytes() + ids + strs


# -- collecting messages from the code -------------------------------------------------------


def source_messages(root: Path = ROOT) -> list[Message]:
    """Every string literal passed to ``_()`` (or ``N_()``, marked only) under ``glossary/``
    and ``tui/``, in file order."""
    found: list[Message] = []
    for folder in SOURCE_DIRS:
        for path in sorted((root / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "N_")
                    and len(node.args) == 1
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    where = f"{path.relative_to(root)}:{node.lineno}"
                    found.append(Message(node.args[0].value, where=where))
    return found


def help_messages() -> list[Message]:
    """The help texts of every ``torchgloss`` command, group and option."""
    from glossary.cli import cli
    from glossary.cli.help_text import help_strings

    return [Message(text, where=where) for where, text in help_strings(cli)]


def wanted_messages() -> list[Message]:
    """Every message the interface can show, each once, in the order first found."""
    seen: dict[str, Message] = {}
    for message in [*source_messages(), *help_messages()]:
        seen.setdefault(message.msgid, message)
    return list(seen.values())


def extract(po_path: Path = PO_PATH) -> list[Message]:
    """The catalogue with every wanted message: known translations kept, new ones empty,
    messages no longer used dropped."""
    old = read_po(po_path.read_text("utf-8")) if po_path.exists() else []
    known = {m.msgid: m.msgstr for m in old}
    return [Message(m.msgid, known.get(m.msgid, ""), m.where) for m in wanted_messages()]


def problems(messages: list[Message]) -> list[str]:
    """What is wrong with a catalogue: missing translations, fields that do not match."""
    found = []
    for m in messages:
        if not m.msgid:
            continue
        if not m.msgstr.strip():
            found.append(f"no translation: {m.msgid!r}")
        elif fields(m.msgid) != fields(m.msgstr):
            found.append(
                f"fields differ: {m.msgid!r} has {sorted(fields(m.msgid))}, "
                f"translation has {sorted(fields(m.msgstr))}"
            )
    return found


def main(argv: list[str]) -> int:
    """``extract``, ``compile`` or ``check`` (see the module docstring)."""
    command = argv[0] if argv else "compile"
    os.environ["TORCHGLOSS_LANG"] = "en"  # messages are collected in English, whatever the locale
    reset()
    if command == "extract":
        messages = extract()
        write_text_atomic(PO_PATH, write_po(messages))
        missing = sum(1 for m in messages if not m.msgstr)
        print(f"{PO_PATH}: {len(messages)} messages, {missing} untranslated")
        return 0
    messages = read_po(PO_PATH.read_text("utf-8"))
    if command == "compile":
        write_bytes_atomic(MO_PATH, compile_mo(messages))
        print(f"{MO_PATH}: {sum(1 for m in messages if m.msgstr and m.msgid)} translations")
        return 0
    if command == "check":
        found = problems(messages)
        print("\n".join(found) or "every message has a translation")
        return 1 if found else 0
    print(f"unknown command {command!r}: extract, compile or check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
