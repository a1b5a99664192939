"""Answer a name the way ``show`` and ``run`` need it: the curated entry if there is one,
else the reference entry, so a curated entry replaces its reference entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from glossary.reference.curated import curated_entry_for

if TYPE_CHECKING:
    from glossary.loader import Glossary
    from glossary.reference.entry import ReferenceEntry
    from glossary.reference.store import ReferenceLayer
    from glossary.schema import Entry


@dataclass(frozen=True, slots=True)
class NameAnswer:
    """What a name resolves to: a curated entry, a reference entry, or both (same API)."""

    curated: Entry | None
    reference: ReferenceEntry | None


def answer_name(glossary: Glossary, layer: ReferenceLayer | None, name: str) -> NameAnswer:
    """The curated entry with that id, or for that API; else the reference entry.

    ``name`` may be an id (``torch.cat``), a dotted name or any alias form (``nn.Linear``,
    ``F.grid_sample``, ``Tensor.repeat_interleave``, ``rsqrt()``).
    """
    curated = glossary.by_id.get(name)
    ref = layer.resolve(name) if layer is not None else None
    if curated is None and ref is not None:
        curated = curated_entry_for(glossary, layer, ref) if layer is not None else None
    if curated is not None and ref is None and layer is not None and curated.api:
        ref = layer.resolve(curated.api)
    return NameAnswer(curated, ref)
