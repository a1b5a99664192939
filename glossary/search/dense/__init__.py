"""The dense index: several vectors per entry in FAISS, with a manifest that says what built it.

Each entry is embedded as a few passages: the opening of its English and Japanese definitions
(each with the headword in front), one line of its names, each of its Japanese or multi-word
names on its own (``テンソルを繋げる`` is close to how people phrase a search), and each of its
``asked_as`` requests, embedded as a query (a request is compared with a request, as E5 is
trained to for symmetric tasks). Rows map back to entry ids; an entry scores the weighted mean
of its best row per field (:data:`FIELD_WEIGHTS`). Query vectors of known names (headwords,
and aliases shared by several entries) are computed at build time too, so such a query needs
no model at all.

The files live in one folder per (glossary folders, model) under ``indexes/``, written
atomically (:func:`glossary.atomic.atomic_directory`) under a file lock, and described by
``manifest.json``: format, data fingerprint, model signature, library versions, and the size
and SHA-256 of every file. :func:`load` returns ``None`` for anything stale, truncated or
damaged, and :func:`load_or_build` then builds it again.

faiss is imported only to build an index, or to search one that is not flat (a flat index is
searched with numpy, straight from the verified bytes of its FAISS file); numpy only inside
the functions that need it.

The package, one module a job: :mod:`.passages` (what is embedded for an entry),
:mod:`.signature` (what decides the vectors: model and format), :mod:`.faiss_choice` (which
FAISS index for how many vectors, and its search parameters), :mod:`.index` (a loaded index
and its scoring), :mod:`.storage` (the folder on disk) and :mod:`.store` (building it once
under a lock).
"""

from glossary.search.dense.faiss_choice import FLAT_LIMIT, new_index
from glossary.search.dense.index import FIELD_WEIGHTS, DenseHit, DenseIndex
from glossary.search.dense.passages import (
    ASKED,
    DEF_EN,
    DEF_JA,
    NAMES,
    SURFACE,
    Passage,
    entry_passages,
    surface_queries,
)
from glossary.search.dense.signature import (
    FORMAT_VERSION,
    expected_manifest,
    index_dir,
    model_signature,
    signature_key,
)
from glossary.search.dense.storage import MANIFEST, ROWS, SURFACE_VECTORS, VECTORS, build, load
from glossary.search.dense.store import load_or_build

__all__ = [
    "ASKED",
    "DEF_EN",
    "DEF_JA",
    "FIELD_WEIGHTS",
    "FLAT_LIMIT",
    "FORMAT_VERSION",
    "MANIFEST",
    "NAMES",
    "ROWS",
    "SURFACE",
    "SURFACE_VECTORS",
    "VECTORS",
    "DenseHit",
    "DenseIndex",
    "Passage",
    "build",
    "entry_passages",
    "expected_manifest",
    "index_dir",
    "load",
    "load_or_build",
    "model_signature",
    "new_index",
    "signature_key",
    "surface_queries",
]
