"""The dense index's storage: manifest, staleness, damage, rebuild, reuse and the build lock.

A tiny deterministic encoder (:class:`searchkit.HashEncoder`) stands in for the model: these
tests are about files and bookkeeping, not about the quality of the vectors.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from glossary.schema import Entry
from glossary.search import dense
from tests.glossary.search.searchkit import HashEncoder, hash_signature, make_entry


def expected(encoder: HashEncoder, fingerprint: str = "fp-1") -> dict[str, object]:
    return dense.expected_manifest(fingerprint, hash_signature(encoder))


def test_build_then_load(tmp_path: Path, tiny_entries: list[Entry]) -> None:
    encoder = HashEncoder()
    directory = tmp_path / "dense"
    built = dense.build(directory, tiny_entries, lambda: encoder, expected(encoder))
    loaded = dense.load(directory, expected(encoder))
    assert loaded is not None
    assert len(loaded) == len(built) > 3 * len(tiny_entries)  # several vectors per entry
    manifest = json.loads((directory / dense.MANIFEST).read_text("utf-8"))
    assert manifest["model"]["model_id"] == "hash-test"
    assert manifest["fingerprint"] == "fp-1"
    assert manifest["index_type"] == "IndexFlatIP"
    assert set(manifest["files"]) == {dense.VECTORS, dense.ROWS, dense.SURFACE_VECTORS}
    assert "faiss" in manifest["versions"]


def test_search_maps_rows_back_to_entries(tmp_path: Path, tiny_entries: list[Entry]) -> None:
    encoder = HashEncoder()
    index = dense.build(tmp_path / "dense", tiny_entries, lambda: encoder, expected(encoder))
    hits = index.search(encoder.encode_queries(["テンソルを繋げる"])[0])
    assert hits[0].entry_id == "torch.cat"
    assert len({h.entry_id for h in hits}) == len(hits) == len(tiny_entries)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_known_names_have_query_vectors(tmp_path: Path, tiny_entries: list[Entry]) -> None:
    encoder = HashEncoder()
    index = dense.build(tmp_path / "dense", tiny_entries, lambda: encoder, expected(encoder))
    vector = index.surface_vector("懐中電灯")
    assert vector is not None
    assert vector.tolist() == encoder.encode_queries(["懐中電灯"])[0].tolist()
    assert index.surface_vector("not a name at all") is None


def test_stale_manifest_is_refused(tmp_path: Path, tiny_entries: list[Entry]) -> None:
    encoder = HashEncoder()
    directory = tmp_path / "dense"
    dense.build(directory, tiny_entries, lambda: encoder, expected(encoder))
    assert dense.load(directory, expected(encoder, "fp-2")) is None  # data changed
    assert dense.load(directory, expected(HashEncoder("other-model"))) is None  # model changed
    assert dense.load(directory, expected(encoder, "fp-2"), any_data=True) is not None


@pytest.mark.parametrize("victim", [dense.VECTORS, dense.ROWS, dense.SURFACE_VECTORS])
def test_damaged_or_truncated_files_are_detected_and_rebuilt(
    tmp_path: Path, tiny_entries: list[Entry], victim: str
) -> None:
    encoder = HashEncoder()
    directory = tmp_path / "dense"
    dense.build(directory, tiny_entries, lambda: encoder, expected(encoder))
    path = directory / victim
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert dense.load(directory, expected(encoder)) is None
    index, rebuilt = dense.load_or_build(
        directory, expected(encoder), lambda: tiny_entries, lambda: encoder
    )
    assert rebuilt and dense.load(directory, expected(encoder)) is not None
    assert len(index) > 0


def test_missing_manifest_means_rebuild(tmp_path: Path, tiny_entries: list[Entry]) -> None:
    encoder = HashEncoder()
    directory = tmp_path / "dense"
    dense.build(directory, tiny_entries, lambda: encoder, expected(encoder))
    (directory / dense.MANIFEST).write_text("{not json", "utf-8")
    _, rebuilt = dense.load_or_build(
        directory, expected(encoder), lambda: tiny_entries, lambda: encoder
    )
    assert rebuilt


def test_rebuild_reuses_vectors_of_unchanged_texts(
    tmp_path: Path, tiny_entries: list[Entry]
) -> None:
    encoder = HashEncoder()
    directory = tmp_path / "dense"
    dense.load_or_build(directory, expected(encoder), lambda: tiny_entries, lambda: encoder)
    first = encoder.calls
    changed = [*tiny_entries, make_entry("epoch", "epoch", "エポック", "One pass over the data.")]
    index, rebuilt = dense.load_or_build(
        directory, expected(encoder, "fp-2"), lambda: changed, lambda: encoder
    )
    assert rebuilt
    assert 0 < encoder.calls - first < 8  # only the new entry's passages and names
    fresh = dense.build(
        tmp_path / "fresh", changed, lambda: HashEncoder(), expected(encoder, "fp-2")
    )
    probe = encoder.encode_queries(["one pass over the data"])[0]
    assert [(h.entry_id, round(h.score, 5)) for h in index.search(probe)] == [
        (h.entry_id, round(h.score, 5)) for h in fresh.search(probe)
    ]


def test_an_empty_glossary_builds_an_empty_index(tmp_path: Path) -> None:
    encoder = HashEncoder()
    index = dense.build(tmp_path / "dense", [], lambda: encoder, expected(encoder))
    assert len(index) == 0
    assert index.search(encoder.encode_queries(["x"])[0]) == []
    assert dense.load(tmp_path / "dense", expected(encoder)) is not None


class SlowEncoder(HashEncoder):
    """Takes its time, so that two builders surely overlap."""

    def encode_passages(self, texts):  # type: ignore[no-untyped-def]
        time.sleep(0.3)
        return super().encode_passages(texts)


def _build_in_process(directory: str, queue: multiprocessing.Queue) -> None:
    from tests.glossary.search.searchkit import make_entry

    entries = [make_entry(f"entry-{i}", f"word {i}", f"言葉{i}", "A word.") for i in range(20)]
    encoder = SlowEncoder()
    _, built = dense.load_or_build(
        Path(directory), expected(encoder), lambda: entries, lambda: encoder
    )
    queue.put(built)


def test_two_processes_building_at_once(tmp_path: Path) -> None:
    directory = tmp_path / "indexes" / "dense"
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [
        context.Process(target=_build_in_process, args=(str(directory), queue)) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    assert sorted([queue.get(), queue.get()]) == [False, True]
    assert dense.load(directory, expected(SlowEncoder())) is not None
    assert [p.name for p in directory.parent.iterdir() if "partial" in p.name] == []


def test_flat_index_is_searched_without_faiss(tmp_path: Path, tiny_entries: list[Entry]) -> None:
    import subprocess
    import sys

    encoder = HashEncoder()
    directory = tmp_path / "dense"
    built = dense.build(directory, tiny_entries, lambda: encoder, expected(encoder))
    assert built.matrix is not None and built.index is None
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from glossary.search import dense\n"
        "expected = json.loads(sys.argv[2])\n"
        "index = dense.load(Path(sys.argv[1]), expected)\n"
        "vector = index.surface_vector('懐中電灯')\n"
        "print(index.search(vector)[0].entry_id, 'faiss' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(directory), json.dumps(expected(encoder))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["flashlight", "False"], result.stderr


def test_large_indexes_use_a_quantized_scan_with_exact_reranking(
    tmp_path: Path, tiny_entries: list[Entry], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dense.faiss_choice, "FLAT_LIMIT", 0)
    encoder = HashEncoder()
    directory = tmp_path / "dense"
    built = dense.build(directory, tiny_entries, lambda: encoder, expected(encoder))
    assert built.index is not None and built.matrix is None
    loaded = dense.load(directory, expected(encoder))
    assert loaded is not None and loaded.manifest["index_type"] == "IndexRefineFlat"
    probe = encoder.encode_queries(["テンソルを繋げる"])[0]
    assert loaded.search(probe)[0].entry_id == "torch.cat"


class AskingEncoder(HashEncoder):
    """Queries and passages get different prefixes, so a vector tells how it was embedded."""

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, "query: ")


def test_asked_as_requests_are_embedded_as_queries(tmp_path: Path) -> None:
    request = "glue tensors together"
    entries = [
        make_entry(
            "torch.cat",
            "torch.cat",
            "テンソルの連結",
            "Joins tensors along a dimension.",
            asked_as={"en": [request], "ja": ["テンソルをくっつけたい"]},
        ),
        make_entry("torch.zeros", "torch.zeros", "ゼロのテンソル", "A tensor of zeros."),
    ]
    encoder = AskingEncoder()
    index = dense.build(tmp_path / "dense", entries, lambda: encoder, expected(encoder))
    row = index.row_labels.index(request)
    assert index.row_fields[row] == dense.ASKED
    vector = index.vectors()[row]
    assert np.allclose(vector, encoder.encode_queries([request])[0])
    assert not np.allclose(vector, encoder.encode_passages([request])[0])
    best = index.search(encoder.encode_queries([request])[0])[0]
    assert (best.entry_id, best.label) == ("torch.cat", request)


def test_an_entry_without_asked_as_is_scored_by_its_definitions(tmp_path: Path) -> None:
    """Its missing request counts as its better definition, not as the background floor."""
    definition = "torch.zeros: A tensor of zeros."  # the English definition row, as embedded
    plain = make_entry("torch.zeros", "torch.zeros", "ゼロのテンソル", "A tensor of zeros.")
    same = make_entry(
        "torch.zeros",
        "torch.zeros",
        "ゼロのテンソル",
        "A tensor of zeros.",
        asked_as={"en": [definition]},
    )
    other = make_entry(
        "torch.ones",
        "torch.ones",
        "1のテンソル",
        "A tensor of ones.",
        asked_as={"en": ["all ones"]},
    )
    encoder = HashEncoder()  # embeds queries and passages alike
    query = encoder.encode_queries([definition])[0]
    scores = []
    for name, zeros in (("plain", plain), ("same", same)):
        index = dense.build(tmp_path / name, [zeros, other], lambda: encoder, expected(encoder))
        scores.append({hit.entry_id: hit.score for hit in index.search(query)}["torch.zeros"])
    assert scores[0] == pytest.approx(scores[1], abs=1e-6)


def test_a_quantized_index_read_back_searches_with_this_codes_parameters(
    tmp_path: Path, tiny_entries: list[Entry], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dense.faiss_choice, "FLAT_LIMIT", 0)
    encoder = HashEncoder()
    directory = tmp_path / "dense"
    built = dense.build(directory, tiny_entries, lambda: encoder, expected(encoder))
    assert built.index.k_factor == dense.faiss_choice.REFINE_FACTOR
    # Loaded from disk, the index takes the parameters of the code that reads it, not the
    # ones the file was written with.
    monkeypatch.setattr(dense.faiss_choice, "REFINE_FACTOR", 3)
    loaded = dense.load(directory, expected(encoder))
    assert loaded is not None and loaded.index.k_factor == 3
    probe = encoder.encode_queries(["テンソルを繋げる"])[0]
    assert loaded.search(probe)[0].entry_id == "torch.cat"
