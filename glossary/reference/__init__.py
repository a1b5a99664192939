"""The reference layer: every public name of the installed torch, from introspection.

:func:`load_reference_layer` returns a :class:`ReferenceLayer` (entries, lookups by name and
alias, the torch version, what was skipped, a content fingerprint); :func:`render_docstring`
turns a torch docstring into readable text. Neither imports torch.
"""

from glossary.reference.entry import ReferenceEntry
from glossary.reference.render import render_docstring
from glossary.reference.store import (
    ReferenceLayer,
    ReferenceLayerError,
    SkippedName,
    load_reference_layer,
)

__all__ = [
    "ReferenceEntry",
    "ReferenceLayer",
    "ReferenceLayerError",
    "SkippedName",
    "load_reference_layer",
    "render_docstring",
]
