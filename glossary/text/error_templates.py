"""Error-message templates: ``mat1 and mat2 shapes cannot be multiplied ({shape} and {shape})``.

An error entry lists the messages PyTorch prints with their variable parts replaced by
placeholders from :data:`PLACEHOLDERS`. :func:`compile_template` turns a template into a
regular expression (the fixed text escaped, runs of whitespace matching any whitespace), which
the snippet checker uses to confirm that a reproduction raised the entry's error and the search
engine uses to recognise a pasted message. ``{{`` and ``}}`` stand for literal braces.
"""

from __future__ import annotations

import re
from functools import lru_cache

_NUMBER = r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"

PLACEHOLDERS: dict[str, str] = {
    # [64, 3, 3, 3] · torch.Size([1, 10]) · 64x512 · (2, 3)
    "shape": r"(?:torch\.Size\(\[[^\]]*\]\)|\[[^\]]*\]"
    r"|\(\s*-?\d+(?:\s*,\s*-?\d*)*\s*\)|\d+(?:\s*x\s*\d+)+)",
    "int": r"-?\d+",
    "float": _NUMBER,
    "number": _NUMBER,
    # Float · torch.FloatTensor · torch.cuda.FloatTensor · float32 · torch.float32 · Long
    "dtype": r"(?:torch\.)?(?:cuda\.)?[A-Za-z][A-Za-z0-9_]*",
    # cpu · cuda:0 · cuda · mps · meta
    "device": r"[a-z][a-z0-9_]*(?::\d+)?",
    # an identifier, dotted name or quoted name: fc.weight · 'indices' · "forward" · <lambda>
    "name": r"(?:'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|[\w.<>\[\]-]+)",
    "path": r"\S+",
    "text": r".*?",
}
"""Placeholder name → the regular expression it stands for (the search engine normalises
pasted errors to the same names)."""

_TOKEN_RE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


class TemplateError(ValueError):
    """A template that does not compile: an unknown placeholder or a stray brace."""


def _parts(template: str) -> list[tuple[str, str]]:
    """``("text", literal)`` and ``("slot", name)`` pieces of ``template``, in order."""
    parts: list[tuple[str, str]] = []
    literal: list[str] = []
    position = 0
    for token in _TOKEN_RE.finditer(template):
        literal.append(template[position : token.start()])
        position = token.end()
        text = token.group(0)
        if text in ("{{", "}}"):
            literal.append(text[0])
        elif token.group(1) is not None:
            name = token.group(1)
            if name not in PLACEHOLDERS:
                known = ", ".join("{" + key + "}" for key in PLACEHOLDERS)
                raise TemplateError(f"unknown placeholder {text!r} (known: {known})")
            parts.append(("text", "".join(literal)))
            literal = []
            parts.append(("slot", name))
        else:
            raise TemplateError(f"stray {text!r} at position {token.start()} (write {text * 2})")
    literal.append(template[position:])
    parts.append(("text", "".join(literal)))
    return parts


def _literal_regex(text: str) -> str:
    pieces = re.split(r"(\s+)", text)
    return "".join(r"\s+" if piece.isspace() else re.escape(piece) for piece in pieces if piece)


@lru_cache(maxsize=1024)
def compile_template(template: str) -> re.Pattern[str]:
    """The regular expression of ``template``; raises :class:`TemplateError` if it is invalid.

    Example:
        >>> pattern = compile_template("shape '{shape}' is invalid for input of size {int}")
        >>> bool(pattern.search("shape '[2, 5]' is invalid for input of size 12"))
        True
    """
    if not template.strip():
        raise TemplateError("empty template")
    parts = _parts(template)
    if all(kind == "slot" or not value.strip() for kind, value in parts):
        raise TemplateError("a template needs some fixed text besides its placeholders")
    regex = "".join(
        _literal_regex(value) if kind == "text" else f"(?:{PLACEHOLDERS[value]})"
        for kind, value in parts
    )
    try:
        return re.compile(regex, re.DOTALL)
    except re.error as exc:  # pragma: no cover - the pieces are escaped or fixed
        raise TemplateError(f"does not compile: {exc}") from None


def template_matches(template: str, text: str) -> bool:
    """Whether ``text`` (a message, or a whole traceback) contains the message ``template``."""
    return compile_template(template).search(text) is not None


def template_words(template: str) -> str:
    """The fixed text of ``template`` without its placeholders, for indexing.

    Example:
        >>> template_words("mat1 and mat2 shapes cannot be multiplied ({shape} and {shape})")
        'mat1 and mat2 shapes cannot be multiplied ( and )'
    """
    text = "".join(value for kind, value in _parts(template) if kind == "text")
    return " ".join(text.split())
