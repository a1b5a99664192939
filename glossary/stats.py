"""Counts that describe a loaded glossary, and how much of the public torch API it covers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from glossary.loader import Glossary
from glossary.schema import Kind

COVERAGE_MODULES: tuple[str, ...] = (
    "torch",
    "torch.nn",
    "torch.nn.functional",
    "torch.optim",
    "torch.optim.lr_scheduler",
    "torch.utils.data",
)
"""The modules whose public names ``stats --coverage`` measures."""


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


@dataclass(frozen=True, slots=True)
class ModuleCoverage:
    """How many of one module's public names have an entry."""

    module: str
    public: int
    covered: int
    missing: list[str] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.public if self.public else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "module": self.module,
            "public": self.public,
            "covered": self.covered,
            "percent": round(self.percent, 1),
        }


def public_names(module_name: str) -> list[str]:
    """Public names of an installed module: ``__all__`` if it has one, else non-underscore
    attributes that are not sub-modules; imports torch."""
    import importlib
    import types

    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    if names is None:
        names = [
            n
            for n, v in vars(module).items()
            if not n.startswith("_") and not isinstance(v, types.ModuleType)
        ]
    return sorted({str(n) for n in names if not str(n).startswith("_")})


def api_coverage(
    glossary: Glossary, modules: tuple[str, ...] = COVERAGE_MODULES
) -> list[ModuleCoverage]:
    """For each module, which of its public names an entry documents.

    A name counts as covered when an entry's ``api`` (or a dotted alias) is ``module.name``, or
    is ``module.name.something`` for a class whose methods have entries.
    """
    documented: set[str] = set()
    for entry in glossary.entries:
        if entry.api:
            documented.add(entry.api)
        documented.update(a for a in entry.aliases if a.startswith("torch."))
    prefixes = {name.rsplit(".", 1)[0] for name in documented if "." in name}
    report = []
    for module in modules:
        names = public_names(module)
        covered = [n for n in names if f"{module}.{n}" in documented or f"{module}.{n}" in prefixes]
        missing = [n for n in names if n not in set(covered)]
        report.append(ModuleCoverage(module, len(names), len(covered), missing))
    return report
