"""Rich renderings of library objects for the terminal (the CLI's only formatting code)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.syntax import Syntax
from rich.text import Text

if TYPE_CHECKING:
    from glossary.loader import Glossary
    from glossary.schema import Entry, Relation

RELATION_TITLES = {
    "synonyms": "Synonyms 同意語",
    "antonyms": "Antonyms 対義語",
    "cooccurring": "Co-occurring 共起語",
    "related": "Related 関連語",
}


def relation_label(item: Relation, glossary: Glossary | None = None) -> str:
    """``en / ja (reading) → id``; a bare link borrows the linked entry's headword."""
    en, ja, reading = item.en, item.ja, item.reading
    if item.ref and glossary is not None and item.ref in glossary.by_id and not (en or ja):
        target = glossary.by_id[item.ref].term
        en, ja, reading = target.en, target.ja, target.reading
    words = " / ".join(w for w in (en, ja) if w)
    if reading:
        words += f" ({reading})"
    if item.ref:
        words = f"{words} → {item.ref}" if words else f"→ {item.ref}"
    return words


def entry_view(entry: Entry, glossary: Glossary | None = None) -> RenderableType:
    """Everything about one entry: headword, definitions, relations, snippet, sources."""
    parts: list[RenderableType] = []
    head = Text()
    head.append(entry.term.en, style="bold")
    head.append("  ")
    head.append(entry.term.ja, style="bold cyan")
    if entry.term.reading:
        head.append(f"（{entry.term.reading}）", style="cyan")
    head.append(f"  [{entry.kind.value}]", style="magenta")
    parts.append(head)
    meta = [f"id: {entry.id}"]
    if entry.api:
        meta.append(f"api: {entry.api}")
    if entry.since:
        meta.append(f"since torch {entry.since}")
    parts.append(Text(" · ".join(meta), style="dim"))
    if entry.aliases:
        parts.append(Text("aliases: " + ", ".join(entry.aliases), style="dim"))
    parts.append(Text())
    parts.append(Text(entry.definition.en))
    parts.append(Text(entry.definition.ja))
    if entry.asked_as.all():
        parts.append(Text())
        parts.append(Text("Asked as (how people look for it) / こんな聞き方で", style="bold"))
        for request in entry.asked_as.all():
            parts.append(Text("  “" + request + "”", style="italic"))
    if entry.error is not None:
        parts.append(Text())
        parts.append(Text(f"Error 例外: {entry.error.exception}", style="bold red"))
        for template in entry.error.messages:
            parts.append(Text("  " + template, style="red"))
        for title, text in (("Cause 原因", entry.error.cause), ("Fix 対処", entry.error.fix)):
            parts.append(Text())
            parts.append(Text(title, style="bold"))
            parts.append(Text(text.en))
            parts.append(Text(text.ja))
    for name, items in entry.relations().items():
        if items:
            parts.append(Text())
            parts.append(Text(RELATION_TITLES[name], style="bold"))
            for item in items:
                parts.append(Text("  • " + relation_label(item, glossary)))
    if entry.snippet is not None and entry.snippet.reproduce is not None:
        parts.append(Text())
        parts.append(_code_panel(entry.snippet.reproduce, "Reproduction 再現（raises the error）"))
    if entry.snippet is not None:
        parts.append(Text())
        title = "Fix 修正後" if entry.snippet.reproduce is not None else "Example"
        title += " (needs CUDA)" if entry.snippet.requires_cuda else ""
        parts.append(
            Panel(
                Syntax(
                    entry.snippet.code.rstrip(),
                    "python",
                    theme="ansi_dark",
                    background_color="default",
                ),
                title=title,
                title_align="left",
                subtitle=escape(f"torchgloss run {entry.id}"),
                subtitle_align="right",
            )
        )
    if entry.sources:
        parts.append(Text())
        parts.append(Text("Sources", style="bold"))
        for source in entry.sources:
            parts.append(Text(f"  {source.title}" + (f" <{source.url}>" if source.url else "")))
    return Group(*parts)


def _code_panel(code: str, title: str) -> Panel:
    syntax = Syntax(code.rstrip(), "python", theme="ansi_dark", background_color="default")
    return Panel(syntax, title=title, title_align="left")
