"""The sections of an entry, in the order both views show them.

The entry screen's view (:mod:`tui.widgets.entry.entry_view`) and the preview beside the
results (:mod:`tui.widgets.search.entry_preview`) draw an entry in different ways, a tree
of widgets and lines of styled text, but from this one list: each has one part per section
(its tests check that), so a new section cannot reach one view and miss the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from glossary.schema import Entry

ENTRY_SECTIONS: tuple[str, ...] = (
    "entry-head",
    "definition",
    "error",
    "relations",
    "snippet",
    "asked-as",
    "sources",
)
"""Top to bottom; each name is also the id of the entry view's container for it."""

SECTION_TITLES: dict[str, str] = {
    "definition": "Definition 定義",
    "snippet": "Example 例",
    "asked-as": "Asked as 聞き方",
    "sources": "Sources 出典",
}
"""The title over a section (the head has none; the error and the related words have titles
of their own parts)."""

ERROR_TITLES: dict[str, str] = {
    "error": "Error エラー",
    "cause": "Cause 原因",
    "fix": "Fix 対処",
    "reproduce": "Reproduction 再現",
}
"""The titles inside the error section."""


def has_section(entry: Entry | None, section: str) -> bool:
    """Whether ``entry`` has anything to show in ``section`` (nothing has when ``None``)."""
    if entry is None:
        return False
    if section in ("entry-head", "definition"):
        return True
    if section == "error":
        return entry.error is not None
    if section == "relations":
        return any(entry.relations().values())
    if section == "snippet":
        return entry.snippet is not None
    if section == "asked-as":
        return bool(entry.asked_as.all())
    if section == "sources":
        return bool(entry.sources)
    raise ValueError(f"no entry section {section!r}")
