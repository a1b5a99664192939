"""Rich rendering of a reference entry (the installed torch's own documentation of a name)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.syntax import Syntax
from rich.text import Text

from glossary.reference import render_docstring
from glossary.reference.docstrings import doc_body

if TYPE_CHECKING:
    from glossary.reference import ReferenceEntry
    from glossary.schema import Entry


def reference_badge(torch_version: str) -> str:
    """The line that says an answer is not curated."""
    return f"reference (from the installed torch {torch_version}, not yet curated)"


def reference_view(
    entry: ReferenceEntry, torch_version: str, linked_from: list[Entry]
) -> RenderableType:
    """Name, badge, signature, summary, rendered docstring, examples, docs link, links."""
    parts: list[RenderableType] = []
    head = Text()
    head.append(entry.name, style="bold")
    head.append(f"  [{entry.kind}]", style="magenta")
    if entry.deprecated:
        head.append("  deprecated", style="bold red")
    parts.append(head)
    parts.append(Text(reference_badge(torch_version), style="yellow"))
    if entry.aliases:
        parts.append(Text("aliases: " + ", ".join(entry.aliases), style="dim"))
    if entry.display_signature:
        parts.append(Text())
        parts.append(Syntax(entry.display_signature, "python", background_color="default"))
    body = render_docstring(doc_body(entry.doc, entry.short_name))
    if entry.summary and not " ".join(body.split()).startswith(entry.summary):
        parts.append(Text())
        parts.append(Text(entry.summary, style="bold"))
    if body:
        parts.append(Text())
        parts.append(Text(body))
    else:
        parts.append(Text("(no docstring in the installed torch)", style="dim"))
    parts.append(Text())
    parts.append(Text(f"docs: {entry.url}", style="blue"))
    if entry.examples:
        parts.append(
            Text(f"{len(entry.examples)} example(s): torchgloss run {entry.name}", style="green")
        )
    if linked_from:
        parts.append(Text("linked from: " + ", ".join(e.id for e in linked_from), style="cyan"))
    return Group(*parts)
