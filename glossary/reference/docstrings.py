"""Read a docstring's parts: summary, signature line, ``>>>`` examples, deprecation.

Standard library only (the builder child process uses it).
"""

from __future__ import annotations

import re

from glossary.reference.render import render_docstring

_SIGNATURE_LINE = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*(\(.*\)(?:\s*->\s*.+)?)\s*$")
_DEPRECATED = re.compile(r"\.\. deprecated::|\bis deprecated\b|\bdeprecated\b", re.IGNORECASE)


def signature_from_doc(doc: str, short_name: str) -> str | None:
    """The ``(…) -> T`` part of a first line like ``cat(tensors, dim=0, *, out=None) -> Tensor``."""
    first = doc.strip().splitlines()[0] if doc.strip() else ""
    match = _SIGNATURE_LINE.match(first)
    if match and match.group(1).rsplit(".", 1)[-1] == short_name:
        return match.group(2).strip()
    return None


def doc_body(doc: str, short_name: str) -> str:
    """``doc`` without a leading signature line (shown apart, as the signature)."""
    text = doc.strip()
    if signature_from_doc(text, short_name) is not None:
        text = text.split("\n", 1)[1] if "\n" in text else ""
    return text


def summary_of(doc: str, short_name: str) -> str:
    """The first paragraph as plain text, without a leading signature line."""
    text = doc_body(doc, short_name)
    paragraphs = [p for p in re.split(r"\n\s*\n", render_docstring(text)) if p.strip()]
    if not paragraphs:
        return ""
    return " ".join(paragraphs[0].split())


def examples_of(doc: str) -> list[str]:
    """Each run of ``>>>`` lines as runnable code: prompts stripped, output lines dropped.

    A block ends at a blank line or at the first line that is neither ``>>>`` nor ``...``
    after output has started; a new ``>>>`` after output continues the same block.
    """
    blocks: list[list[str]] = []
    current: list[str] = []
    indent: int | None = None
    for line in doc.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(">>>") or (current and stripped.startswith("...")):
            if indent is None:
                indent = len(line) - len(stripped)
            code = stripped[4:] if stripped[3:4] == " " else stripped[3:]
            current.append(code.rstrip())
        elif not stripped:
            if current:
                blocks.append(current)
            current, indent = [], None
        # anything else is expected output (or prose): dropped
    if current:
        blocks.append(current)
    return ["\n".join(b).strip("\n") + "\n" for b in blocks if any(s.strip() for s in b)]


def looks_deprecated(doc: str, obj: object) -> bool:
    """True when ``warnings.deprecated`` marked the object or its doc's opening says so."""
    if getattr(obj, "__deprecated__", None):
        return True
    head = doc.strip()[:600]
    return bool(_DEPRECATED.search(head)) or ".. deprecated::" in doc
