"""Writing the package's shipped vectors (:mod:`.shipped`) for the bundled glossary.

One call does it (``torchgloss index export``): every text the dense index embeds for the
bundled data, with the bundled model; vectors already shipped for the same text and model
are kept, so after a data change only the changed entries are embedded. The dense index's
rows and the compiled lexical index of the bundled data go in the same folder, so a new
user's first search builds nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glossary.errors import GlossaryDataError
from glossary.progress import ProgressCallback

if TYPE_CHECKING:
    import numpy as np

    from glossary.embedding.encoder import Encoder
    from glossary.search.dense.storage import LazyEncoder


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export wrote."""

    directory: Path
    vectors: int
    embedded: int
    size_bytes: int
    seconds: float


def export_shipped(
    directory: Path | None = None,
    *,
    device: str | None = None,
    progress: ProgressCallback | None = None,
) -> ExportReport:
    """Embed the bundled glossary with the bundled model and write the shipped folder.

    Raises:
        GlossaryDataError: the bundled data does not load.
        ModelError: the model cannot be built or loaded.
    """
    import numpy as np

    from glossary.embedding.convert import light_default_spec
    from glossary.loader import collect
    from glossary.paths import bundled_data_dir
    from glossary.search.dense.passages import entry_passages, surface_key, surface_queries
    from glossary.search.dense.shipped import (
        VECTORS,
        content_fingerprint,
        load_shipped,
        shipped_dir,
        write_shipped,
    )
    from glossary.search.dense.signature import model_signature
    from glossary.search.dense.storage import LazyEncoder, encode_new, index_rows
    from glossary.search.lexical.shipped import FILE_NAME as LEXICAL_FILE
    from glossary.search.lexical.shipped import shipped_bytes

    started = time.perf_counter()
    report = progress or (lambda stage, done, total: None)
    directory = directory or shipped_dir()
    bundled = bundled_data_dir()
    entries, _, problems = collect([bundled], trusted=[bundled])
    if problems:
        raise GlossaryDataError(problems)
    signature = model_signature(light_default_spec())
    dimension = int(signature["dimension"])
    known = load_shipped(signature, directory).vectors

    def encoder() -> Encoder:
        from glossary.embedding.encoder import load_encoder

        return load_encoder(None, device)

    lazy = LazyEncoder(encoder, dimension)
    keys: list[str] = []
    parts = []
    passages = entry_passages(entries)
    for as_query, stage in ((False, "Embedding passages"), (True, "Embedding requests")):
        chosen = [p for p in passages if p.as_query is as_query]
        texts = list(dict.fromkeys(p.text for p in chosen))
        prefix = "q:" if as_query else ""
        chosen_keys = [prefix + key_of(text) for text in texts]
        encode = lazy.queries if as_query else lazy.passages
        parts.append(encode_new(encode, texts, chosen_keys, known, dimension, stage, report))
        keys.extend(chosen_keys)
    surfaces = surface_queries(entries)
    surface_keys = [surface_key(text) for text in surfaces]
    parts.append(
        encode_new(
            lazy.queries, surfaces, surface_keys, known, dimension, "Embedding names", report
        )
    )
    keys.extend(surface_keys)
    vectors = np.concatenate(parts) if parts else np.zeros((0, dimension), np.float32)
    unique = dict.fromkeys(keys)
    if len(unique) != len(keys):  # one text both as a passage and a name: keep the first
        first = {key: row for row, key in reversed(list(enumerate(keys)))}
        rows = [first[key] for key in unique]
        keys, vectors = list(unique), vectors[rows]
    reference = _reference_files(directory, signature, lazy, known, report)
    report("Compiling the lexical index", 0, 1)
    lexical = shipped_bytes(entries)
    report("Compiling the lexical index", 1, 1)
    manifest = write_shipped(
        directory,
        keys,
        vectors,
        signature,
        content_fingerprint(bundled),
        index_rows(passages, surfaces),
        {LEXICAL_FILE: lexical, **reference},
    )
    return ExportReport(
        directory=directory,
        vectors=len(keys),
        embedded=lazy.embedded,
        size_bytes=int(manifest["files"][VECTORS]["size"]),
        seconds=time.perf_counter() - started,
    )


def _reference_files(
    directory: Path,
    signature: dict[str, Any],
    lazy: LazyEncoder,
    known: dict[str, np.ndarray],
    report: ProgressCallback,
) -> dict[str, bytes]:
    """The installed torch's reference summaries, embedded as passages (vectors already
    shipped for the same text are kept), as the two files :mod:`.reference_vectors` reads."""
    from glossary.reference import load_reference_layer
    from glossary.reference.store import torch_version
    from glossary.search.dense.reference_vectors import (
        layer_texts,
        read_shipped,
        shipped_files,
        text_key,
    )
    from glossary.search.dense.storage import encode_new

    layer = load_reference_layer(build=True)
    texts = layer_texts(layer)
    keys = [text_key(text) for text in texts.values()]
    previous = read_shipped(directory, signature)
    reuse = dict(known)
    if previous is not None:
        reuse.update(zip(previous["keys"], previous["vectors"], strict=True))
    dimension = int(signature["dimension"])
    vectors = encode_new(
        lazy.passages,
        list(texts.values()),
        keys,
        reuse,
        dimension,
        "Embedding reference summaries",
        report,
    )
    return shipped_files(torch_version(), list(texts), keys, vectors)


def key_of(text: str) -> str:
    """A passage's key without its ``q:`` mark (see :attr:`~.passages.Passage.key`)."""
    from glossary.search.dense.passages import Passage

    return Passage("", "", "", text).key
