"""Finding the curated entry a name on the command line means (for bookmarks and export)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from glossary.cli.common import reference_layer

if TYPE_CHECKING:
    from glossary.loader import Glossary
    from glossary.schema import Entry

PYTHON_NAME = re.compile(r"[A-Za-z_][\w.]*(\(\))?")
"""What the reference layer can resolve: a dotted Python name, perhaps with ``()``."""


def curated_entry(glossary: Glossary, name: str) -> Entry | None:
    """The curated entry ``name`` names: its id, API name, a headword or an alias (exact),
    else the one the installed torch's reference layer resolves it to (``nn.Linear`` →
    ``torch.nn.Linear``; the layer is built on first use, a few seconds once)."""
    entry = glossary.by_id.get(name)
    if entry is not None:
        return entry
    for candidate in glossary.entries:
        term = candidate.term
        if name in (candidate.api, term.en, term.ja) or name in candidate.aliases:
            return candidate
    if not PYTHON_NAME.fullmatch(name):
        return None  # not a torch name: no need to build the reference layer for it
    from glossary.reference.lookup import answer_name

    return answer_name(glossary, reference_layer(build=True), name).curated
