"""Control characters in glossary text: found (to refuse them in data) and stripped (on output).

A term or definition that carries ESC sequences (OSC 2 sets the window title, OSC 52 writes the
clipboard, CSI 2J clears the screen) or other C0/C1 controls would reach the terminal raw.
Line feeds and tabs are ordinary text and stay.
"""

from __future__ import annotations

import re

# C0 (but \t and \n), DEL, C1.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Whole escape sequences first, so their parameters go too: OSC/DCS/SOS/PM/APC … BEL or ST,
# CSI … final byte, then any other ESC + one character.
_SEQUENCE_RE = re.compile(
    r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|\x1b[ -/]*[0-~]?"
)


def first_control(text: str) -> str | None:
    """The first forbidden control character in ``text``, or None when there is none."""
    match = _CONTROL_RE.search(text)
    return match.group() if match else None


def describe(char: str) -> str:
    """``U+001B (ESC)``-style name for an error message."""
    names = {"\x1b": "ESC", "\x07": "BEL", "\r": "CR", "\x00": "NUL", "\x7f": "DEL", "\x9b": "CSI"}
    name = names.get(char)
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def strip_control(text: str) -> str:
    """``text`` without escape sequences or control characters (``\\n`` and ``\\t`` kept)."""
    if not _CONTROL_RE.search(text):
        return text
    return _CONTROL_RE.sub("", _SEQUENCE_RE.sub("", text))
