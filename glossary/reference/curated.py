"""How the curated glossary and the reference layer meet: which curated entry covers a
reference name, which curated entries link to it, and how much of each module is covered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from glossary.loader import Glossary
    from glossary.reference.entry import ReferenceEntry
    from glossary.reference.store import ReferenceLayer, SkippedName
    from glossary.schema import Entry


def curated_names(glossary: Glossary, layer: ReferenceLayer) -> dict[str, Entry]:
    """Canonical reference name → the curated entry for that API (its ``api`` or an alias)."""
    found: dict[str, Entry] = {}
    for entry in glossary.entries:
        names = [entry.api] if entry.api else []
        names += [a for a in entry.aliases if a.startswith("torch.")]
        for name in names:
            ref = layer.resolve(name) if name else None
            if ref is not None and ref.name.endswith(name.rsplit(".", 1)[-1]):
                found.setdefault(ref.name, entry)
    return found


def curated_entry_for(
    glossary: Glossary, layer: ReferenceLayer, ref: ReferenceEntry
) -> Entry | None:
    """The curated entry that replaces ``ref``, if the glossary has one."""
    return curated_names(glossary, layer).get(ref.name)


def linking_entries(glossary: Glossary, ref: ReferenceEntry) -> list[Entry]:
    """Curated entries that link to ``ref``: a relation's ``ref``, their api, or an alias."""
    # dotted forms only: a bare "gradient" or "device" is a concept's id, not this API
    names = {ref.name, *(a for a in ref.aliases if "." in a.strip(".") and a[0] != ".")}
    found = []
    for entry in glossary.entries:
        refs = {item.ref for items in entry.relations().values() for item in items if item.ref}
        if entry.api in names or names & refs or names & {a for a in entry.aliases if "." in a}:
            found.append(entry)
    return found


@dataclass(frozen=True, slots=True)
class ModuleReferenceCoverage:
    """One module's public names: with a curated entry, with only a reference entry, neither."""

    module: str
    public: int
    curated: int
    reference_only: int
    missing: tuple[str, ...]

    @property
    def resolved(self) -> int:
        return self.curated + self.reference_only

    @property
    def percent(self) -> float:
        return 100.0 * self.resolved / self.public if self.public else 100.0

    def to_json(self) -> dict[str, Any]:
        return {
            "module": self.module,
            "public": self.public,
            "covered": self.curated,
            "curated": self.curated,
            "reference_only": self.reference_only,
            "missing": len(self.missing),
            "missing_names": list(self.missing),
            "resolved_percent": round(self.percent, 2),
        }


@dataclass(frozen=True, slots=True)
class ReferenceCoverage:
    """Coverage of every reference module, the share resolved, and what was skipped."""

    rows: tuple[ModuleReferenceCoverage, ...]
    skipped: tuple[SkippedName, ...]
    torch_version: str

    @property
    def public(self) -> int:
        return sum(row.public for row in self.rows)

    @property
    def resolved(self) -> int:
        return sum(row.resolved for row in self.rows)

    @property
    def percent(self) -> float:
        return 100.0 * self.resolved / self.public if self.public else 100.0

    def to_json(self) -> dict[str, Any]:
        return {
            "torch_version": self.torch_version,
            "public": self.public,
            "resolved": self.resolved,
            "resolved_percent": round(self.percent, 2),
            "skipped": [
                {"name": s.name, "error": s.error, "message": s.message} for s in self.skipped
            ],
        }


def reference_coverage(glossary: Glossary, layer: ReferenceLayer) -> ReferenceCoverage:
    """Per module (and member class) of the layer: public, curated, reference-only, missing.

    A skipped attribute counts as a public name that is missing; a module that failed to
    import has no row (its names are unknown) and is listed in ``skipped``.
    """
    curated = curated_names(glossary, layer)
    skipped_by_module: dict[str, list[str]] = {}
    for item in layer.skipped:
        owner = item.name.rpartition(".")[0]
        if owner in layer.public_names:
            skipped_by_module.setdefault(owner, []).append(item.name)
    rows = []
    for module, names in layer.public_names.items():
        in_curated = in_reference = 0
        missing = list(skipped_by_module.get(module, []))
        for name in names:
            ref = layer.resolve(name)
            if ref is not None and ref.name in curated:
                in_curated += 1
            elif ref is not None:
                in_reference += 1
            else:
                missing.append(name)
        public = len(names) + len(skipped_by_module.get(module, []))
        rows.append(
            ModuleReferenceCoverage(module, public, in_curated, in_reference, tuple(missing))
        )
    return ReferenceCoverage(tuple(rows), tuple(layer.skipped), layer.torch_version)
