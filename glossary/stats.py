"""Counts that describe a loaded glossary (API coverage: :mod:`glossary.reference.curated`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from glossary.loader import Glossary
from glossary.schema import Kind


@dataclass(frozen=True, slots=True)
class GlossaryStats:
    """Size of the glossary: entries by kind, API entries, snippets, relations."""

    entries: int
    by_kind: dict[str, int]
    api_entries: int
    snippets: int
    api_entries_with_snippets: int
    relations: dict[str, int]
    linked_relations: int
    files: int

    def to_json(self) -> dict[str, Any]:
        return {
            "entries": self.entries,
            "api_entries": self.api_entries,
            "snippets": self.snippets,
            "api_entries_with_snippets": self.api_entries_with_snippets,
            "by_kind": self.by_kind,
            "relations": self.relations,
            "relations_total": sum(self.relations.values()),
            "linked_relations": self.linked_relations,
            "files": self.files,
        }


def glossary_stats(glossary: Glossary) -> GlossaryStats:
    """Count what the glossary holds."""
    kinds = Counter(entry.kind.value for entry in glossary.entries)
    relations: Counter[str] = Counter()
    linked = 0
    for entry in glossary.entries:
        for name, items in entry.relations().items():
            relations[name] += len(items)
            linked += sum(1 for item in items if item.ref)
    api = [e for e in glossary.entries if e.kind is Kind.API]
    return GlossaryStats(
        entries=len(glossary.entries),
        by_kind=dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        api_entries=len(api),
        snippets=sum(1 for e in glossary.entries if e.snippet is not None),
        api_entries_with_snippets=sum(1 for e in api if e.snippet is not None),
        relations={
            name: relations[name] for name in ("synonyms", "antonyms", "cooccurring", "related")
        },
        linked_relations=linked,
        files=len({origin.path for origin in glossary.origins.values()}),
    )
