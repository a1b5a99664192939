"""A loaded dense index, and how an entry's rows become one similarity for a query."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glossary.search.dense.passages import ASKED, DEF_EN, DEF_JA, NAMES, SURFACE

if TYPE_CHECKING:
    import numpy as np

#: An entry's similarity is the weighted mean of its best row in each field, so an entry
#: whose definitions and names both fit beats one with a single lucky row. An entry without
#: a surface row uses its names row there; one without ``asked_as`` its better definition.
FIELD_WEIGHTS = {DEF_EN: 1.0, DEF_JA: 1.0, NAMES: 0.5, SURFACE: 0.5, ASKED: 1.0}
#: Above this many vectors a query looks at the nearest SEARCH_DEPTH rows only.
SEARCH_ALL_LIMIT = 8192
SEARCH_DEPTH = 1024


@dataclass(frozen=True, slots=True)
class DenseHit:
    """An entry's best row for a query vector."""

    entry_id: str
    score: float  # cosine similarity
    label: str
    #: The row's field (:data:`FIELD_WEIGHTS`): whether ``label`` is the row's text (a name,
    #: an ``asked_as`` request) or names a part of the entry (a definition, the names).
    field: str = ""


class DenseIndex:
    """A loaded dense index: its rows, their entries, fields and labels, and surface vectors.

    A flat index is searched with numpy over the float32 matrix inside the FAISS file (its
    offset is checked when the file is written and recorded in the manifest), so a query does
    not pay for importing faiss; any other index type is searched by FAISS itself.
    """

    def __init__(
        self,
        directory: Path,
        manifest: dict[str, Any],
        rows: dict[str, Any],
        surface_vectors: np.ndarray,
        *,
        matrix: np.ndarray | None = None,
        index: Any = None,
    ) -> None:
        self.directory = directory
        self.manifest = manifest
        self.matrix = matrix
        self.index = index
        self.entry_ids: list[str] = rows["entry_ids"]
        self.row_entries: list[int] = rows["row_entries"]
        self.row_labels: list[str] = rows["row_labels"]
        self.row_fields: list[str] = rows["row_fields"]
        self.row_hashes: list[str] = rows["row_hashes"]
        self.surface_rows: dict[str, int] = rows["surfaces"]
        self.surface_vectors = surface_vectors
        self._asked_entries = {
            entry
            for entry, field in zip(self.row_entries, self.row_fields, strict=True)
            if field == ASKED
        }

    @property
    def model_id(self) -> str:
        return str(self.manifest["model"]["model_id"])

    @property
    def dimension(self) -> int:
        return int(self.manifest["model"]["dimension"])

    def __len__(self) -> int:
        return len(self.row_entries)

    def vectors(self) -> np.ndarray:
        """All passage vectors, one row each."""
        if self.matrix is not None:
            return self.matrix
        return self.index.reconstruct_n(0, len(self))

    def reusable(self) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Every passage vector by its text's hash, and every surface query vector by text."""
        matrix = self.vectors() if len(self) else []
        passages = {h: matrix[row] for row, h in enumerate(self.row_hashes)}
        surfaces = {text: self.surface_vectors[row] for text, row in self.surface_rows.items()}
        return passages, surfaces

    def surface_vector(self, text: str) -> np.ndarray | None:
        """The precomputed query vector of ``text`` if it is a known headword or alias."""
        row = self.surface_rows.get(" ".join(text.split()))
        return None if row is None else self.surface_vectors[row]

    def _nearest(self, vector: np.ndarray) -> tuple[list[float], list[int]]:
        """Scores and rows of the nearest passages, best first."""
        import numpy as np

        query = np.ascontiguousarray(vector, dtype=np.float32).reshape(-1)
        depth = len(self) if len(self) <= SEARCH_ALL_LIMIT else SEARCH_DEPTH
        if self.matrix is not None:
            scores = self.matrix @ query
            rows = np.argsort(-scores, kind="stable")[:depth]
            return scores[rows].tolist(), rows.tolist()
        found_scores, found_rows = self.index.search(query.reshape(1, -1), depth)
        pairs = [(s, r) for s, r in zip(found_scores[0], found_rows[0], strict=True) if r >= 0]
        return [float(s) for s, _ in pairs], [int(r) for _, r in pairs]

    def search(self, vector: np.ndarray, limit: int | None = None) -> list[DenseHit]:
        """Entries by similarity to ``vector`` (see :data:`FIELD_WEIGHTS`), best first."""
        if len(self) == 0:
            return []
        scores, rows = self._nearest(vector)
        best: dict[int, dict[str, float]] = {}
        label: dict[int, tuple[str, str]] = {}
        floor = scores[-1] if scores else 0.0  # the lowest score seen stands in for the rest
        for score, row in zip(scores, rows, strict=True):
            entry = self.row_entries[row]
            fields = best.setdefault(entry, {})
            fields.setdefault(self.row_fields[row], score)
            label.setdefault(entry, (self.row_labels[row], self.row_fields[row]))
        total_weight = sum(FIELD_WEIGHTS.values())
        hits = []
        for entry, fields in best.items():
            fields.setdefault(SURFACE, fields.get(NAMES, floor))
            if entry not in self._asked_entries:
                fields[ASKED] = max(fields.get(DEF_EN, floor), fields.get(DEF_JA, floor))
            mean = sum(w * fields.get(f, floor) for f, w in FIELD_WEIGHTS.items()) / total_weight
            hits.append(DenseHit(self.entry_ids[entry], mean, *label[entry]))
        hits.sort(key=lambda h: -h.score)
        return hits if limit is None else hits[:limit]
