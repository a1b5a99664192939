"""Recognise a pasted error message or traceback, and strip it down to the words that identify it.

People paste errors as PyTorch prints them: one line (``RuntimeError: mat1 and mat2 shapes
cannot be multiplied (64x512 and 256x10)``), the message without its type, or a whole
traceback of many lines. What identifies the error is its exception type and the fixed words
of its message; its shapes, sizes, numbers, addresses, file paths and the user's own names
only drown those words (and make every paste a new query). :func:`find_error` picks the error
out of the text, and :func:`error_words` removes the variable parts, so the same error pasted
from two programs gives the same words.

Pure string work: no imports beyond ``re``, cheap on the query path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Traceback lines that are never part of the message.
_TRACEBACK_HEAD_RE = re.compile(r"^\s*Traceback \(most recent call last\):?\s*$")
_FRAME_RE = re.compile(r'^\s*File "(?P<path>[^"]*)", line \d+(?:, in (?P<func>[\w<>.]+))?')
#: ``RuntimeError: …``, ``torch.OutOfMemoryError: …``, ``UserWarning: …``,
#: ``torch._dynamo.exc.Unsupported: …``, ``_pickle.UnpicklingError: …``.
_EXCEPTION_RE = re.compile(
    r"^\s*(?:[\w.]*?:\d+:\s*)?(?P<type>(?:[A-Za-z_][\w]*\.)*"
    r"(?:[A-Z]\w*(?:Error|Exception|Warning|Interrupt)|Unsupported|"
    r"GuardOnDataDependentSymNode|UserError|BackendCompilerFailed))"
    r":\s?(?P<message>.*)$"
)
#: A warning as ``warnings`` prints it: ``/path/file.py:12: UserWarning: message``.
_WARNING_PREFIX_RE = re.compile(r"^\s*\S+\.py:\d+:\s*")
#: Dotted torch names in the code lines of a traceback (``return F.conv2d(input, …)``).
_CODE_NAME_RE = re.compile(
    r"\b(?:torch\.(?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*|F\.[a-z_]\w*|nn\.[A-Z]\w*)"
)

# Variable parts, removed in this order.
_VARIABLE_PARTS = [
    re.compile(r"(?:[A-Za-z]:)?(?:[\\/][\w.\-~ ]+)+[\\/]?[\w.\-]*"),  # paths
    re.compile(r"\btorch\.Size\(\[[^\]]*\]\)"),  # torch.Size([1, 10])
    re.compile(r"\[[\d,\s\-]*\]"),  # [64, 3, 3, 3]
    re.compile(r"\(\s*\d+(?:\s*,\s*\d+)*\s*,?\s*\)"),  # (2, 3)
    re.compile(r"\b\d+(?:x\d+)+\b"),  # 64x512
    re.compile(r"\b0x[0-9a-fA-F]+\b"),  # addresses
    re.compile(r"\bpid\(s\)\s*[\d,\s]+"),  # DataLoader worker pids
    re.compile(r"(?<=cuda):\d+|(?<=xpu):\d+"),  # cuda:0 → cuda
    re.compile(r"(['\"])(?:(?!\1).)*[\d_.\\/<>](?:(?!\1).)*\1"),  # quoted names with . _ digits
    re.compile(r"\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\s*(?:[KMGT]i?B|bytes)?\b"),  # numbers, sizes
    re.compile(r"\b[0-9a-f]{8,}\b"),  # hashes
]
_SPACES_RE = re.compile(r"\s+")
_ERROR_WORDS_RE = re.compile(
    r"\b(?:expected|expects|got|must|cannot|can't|invalid|mismatch|not|unable|failed|error)\b", re.I
)
_PUNCT_ONLY_RE = re.compile(r"^[\W_]+$")


@dataclass(frozen=True, slots=True)
class PastedError:
    """An error found in a query.

    Attributes:
        exception: the exception or warning type as printed (``RuntimeError``), or ``""``
            when only a message was pasted.
        message: the message as pasted, on one line (variable parts still in).
        words: :func:`error_words` of the message: what to search with.
        names: torch names seen in the traceback's code lines (``F.conv2d``), in order.
        traceback: the text had traceback lines (``Traceback …``, ``File "…", line …``).
    """

    exception: str
    message: str
    words: str
    names: tuple[str, ...] = ()
    traceback: bool = False

    @property
    def line(self) -> str:
        """``Type: message`` as printed (the message alone when there is no type)."""
        return f"{self.exception}: {self.message}" if self.exception else self.message


def find_error(text: str) -> PastedError | None:
    """The error pasted in ``text``, or ``None`` when it does not look like one.

    It looks like one when a line starts with an exception or warning type, or when a
    traceback's frame lines are present, or when a one-line text carries the variable parts
    errors print (``torch.Size([…])``, ``[64, 3, 3, 3]``, ``64x512``, ``cuda:0``) beside words.
    For a traceback, the last exception line and what follows it is the message.
    """
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line.strip()]
    if not lines:
        return None
    traceback = any(_TRACEBACK_HEAD_RE.match(line) or _FRAME_RE.match(line) for line in lines)
    names: list[str] = []
    last = None
    for number, line in enumerate(lines):
        if _FRAME_RE.match(line) or _TRACEBACK_HEAD_RE.match(line):
            continue
        if _EXCEPTION_RE.match(_WARNING_PREFIX_RE.sub("", line, count=1)):
            last = number
        elif traceback and number and _FRAME_RE.match(lines[number - 1]):
            names += _CODE_NAME_RE.findall(line)
    if last is not None:
        head = _EXCEPTION_RE.match(_WARNING_PREFIX_RE.sub("", lines[last], count=1))
        assert head is not None
        rest = [line.strip() for line in lines[last + 1 :] if not _FRAME_RE.match(line)]
        message = " ".join([head["message"].strip(), *rest]).strip()
        exception = head["type"]
    elif traceback:
        exception = ""
        tail = [
            line for line in lines if not (_FRAME_RE.match(line) or _TRACEBACK_HEAD_RE.match(line))
        ]
        message = tail[-1].strip() if tail else ""
    elif len(lines) == 1 and _has_error_shapes(lines[0]):
        exception, message = "", lines[0].strip()
    else:
        return None
    words = error_words(message)
    if not words and not exception:
        return None
    return PastedError(exception, message, words, tuple(dict.fromkeys(names)), traceback)


def _has_error_shapes(line: str) -> bool:
    """A line with the variable parts error messages print, and words around them."""
    shaped = re.search(r"torch\.Size\(|\[\d+(?:, ?\d+)*\]|\b\d+x\d+\b|\bcuda:\d\b", line)
    return (
        bool(shaped)
        and len(re.findall(r"[A-Za-z]{3,}", line)) >= 4
        and bool(_ERROR_WORDS_RE.search(line))
    )


def error_words(message: str) -> str:
    """``message`` with its variable parts removed (shapes, numbers, paths, quoted names).

    >>> error_words("mat1 and mat2 shapes cannot be multiplied (64x512 and 256x10)")
    'mat1 and mat2 shapes cannot be multiplied ( and )'
    """
    text = message
    for pattern in _VARIABLE_PARTS:
        text = pattern.sub(" ", text)
    words = [w for w in _SPACES_RE.split(text) if w and not _PUNCT_ONLY_RE.match(w)]
    kept = _SPACES_RE.sub(" ", text).strip()
    return kept if words else ""
