"""Meaning search over the reference layer: shipped vectors, their freshness, the vectors a
different torch needs, and how reference names rank among curated entries."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from glossary.embedding.convert import light_default_spec
from glossary.reference import load_reference_layer
from glossary.reference.store import torch_version
from glossary.search.dense.index import DenseHit
from glossary.search.dense.reference_vectors import (
    ReferenceVectors,
    covered_by_curated,
    embed_missing,
    layer_texts,
    load_reference_vectors,
    read_shipped,
    text_key,
)
from glossary.search.dense.shipped import shipped_dir
from glossary.search.dense.signature import model_signature
from glossary.search.engine import SearchEngine
from glossary.search.fusion import meaning_only

SIGNATURE = model_signature(light_default_spec())


def test_shipped_reference_vectors_are_current_for_the_installed_torch(search_home: Path) -> None:
    """The package's reference vectors were made from this torch's summaries, text for text:
    run ``torchgloss index export`` after changing what is embedded for a reference entry."""
    shipped = read_shipped(shipped_dir(), SIGNATURE)
    assert shipped is not None, "glossary/shipped has no readable reference vectors"
    if shipped["torch_version"] != torch_version():
        pytest.skip(f"vectors ship for torch {shipped['torch_version']}, not {torch_version()}")
    texts = layer_texts(load_reference_layer(build=True))
    assert shipped["names"] == list(texts)
    assert shipped["keys"] == [text_key(text) for text in texts.values()]
    assert shipped["vectors"].shape == (len(texts), SIGNATURE["dimension"])
    assert np.allclose(np.linalg.norm(shipped["vectors"], axis=1), 1.0, atol=1e-3)


def test_without_the_layer_shipped_vectors_serve_only_their_own_torch(tmp_path: Path) -> None:
    common = {"signature": SIGNATURE, "layer": None, "cache": tmp_path / "r.npz"}
    shipped = read_shipped(shipped_dir(), SIGNATURE)
    assert shipped is not None
    same = load_reference_vectors(
        torch_version=shipped["torch_version"], shipped_directory=shipped_dir(), **common
    )
    assert same is not None and len(same) == len(shipped["names"]) and not same.missing
    assert (
        load_reference_vectors(torch_version="0.0.1", shipped_directory=shipped_dir(), **common)
        is None
    )
    assert (
        load_reference_vectors(
            torch_version=shipped["torch_version"], shipped_directory=tmp_path, **common
        )
        is None
    )  # no shipped files there


def test_damaged_shipped_vectors_are_ignored(tmp_path: Path) -> None:
    for name in ("manifest.json", "reference.json", "reference-vectors.bin"):
        (tmp_path / name).write_bytes((shipped_dir() / name).read_bytes())
    assert read_shipped(tmp_path, SIGNATURE) is not None
    data = bytearray((tmp_path / "reference-vectors.bin").read_bytes())
    data[100] ^= 0xFF
    (tmp_path / "reference-vectors.bin").write_bytes(bytes(data))
    assert read_shipped(tmp_path, SIGNATURE) is None


def test_another_torch_embeds_what_it_lacks_once(search_home: Path, tmp_path: Path) -> None:
    """Texts without a vector (another torch's docstrings) are embedded with the real model,
    kept in the cache, and found there by the next load."""
    from glossary.embedding.encoder import load_query_encoder

    layer = load_reference_layer(build=True)
    cache = tmp_path / "indexes" / "reference.npz"

    def load() -> ReferenceVectors | None:  # no shipped folder: every summary is new
        return load_reference_vectors(
            signature=SIGNATURE,
            torch_version="9.9.9",
            layer=layer,
            shipped_directory=tmp_path / "none",
            cache=cache,
        )

    loaded = load()
    assert loaded is not None and len(loaded) == 0 and loaded.missing
    few = dict(list(loaded.missing.items())[:5])
    partial = ReferenceVectors([], loaded.matrix, few)
    encoder = load_query_encoder(None, None)
    done = embed_missing(partial, encoder.encode_passages, cache)
    assert done.names == list(few) and done.matrix.shape == (5, SIGNATURE["dimension"])
    again = load()
    assert again is not None and again.names == list(few)
    assert set(few).isdisjoint(again.missing)
    cache.write_bytes(b"not an npz")  # damaged: ignored, embedded again when needed
    damaged = load()
    assert damaged is not None and len(damaged) == 0


def test_reference_names_rank_after_curated_at_similar_strength() -> None:
    curated = [DenseHit(f"c{i}", 0.9 - i * 0.005, "") for i in range(30)]
    found = {
        f.entry_id: f.score
        for f in meaning_only(
            curated, [("better", 0.95), ("equal", 0.9), ("far", 0.5)], handicap=0.01
        )
    }
    assert "far" not in found
    assert found["equal"] < 0.8  # the curated best scores 0.8 by meaning alone
    assert found["better"] == pytest.approx(0.8)  # capped: meaning alone never leads words


def test_covered_by_curated_includes_twins() -> None:
    covered = covered_by_curated(["torch.Tensor.masked_fill"])
    assert covered("torch.masked_fill") and covered("torch.Tensor.masked_fill_")
    assert not covered("torch.masked_select")


def test_a_described_reference_api_is_found_by_meaning(semantic_engine: SearchEngine) -> None:
    """A question that never names it finds a public torch function no entry curates."""
    layer = load_reference_layer(build=True)
    assert layer.resolve("torch.linalg.lu_factor") is not None
    curated = {info.api for info in semantic_engine.lexical.entries if info.api}
    if "torch.linalg.lu_factor" in curated:
        pytest.skip("torch.linalg.lu_factor has become a curated entry")
    results = semantic_engine.search("compact LU factorization of a matrix with pivoting").results
    ids = [(hit.id, hit.layer) for hit in results[:3]]
    assert ("torch.linalg.lu_factor", "reference") in ids
    hit = next(h for h in results if h.id == "torch.linalg.lu_factor")
    assert hit.summary_en and hit.to_json()["layer"] == "reference"
    only_curated = semantic_engine.search(
        "compact LU factorization of a matrix with pivoting", layer="curated"
    ).results
    assert all(h.layer == "curated" for h in only_curated)


def test_curated_answers_keep_their_place(semantic_engine: SearchEngine) -> None:
    for query, expected in (
        ("テンソルを横に並べてくっつけたい", "torch.cat"),
        ("sample indices according to given probabilities", "torch.multinomial"),
    ):
        first = semantic_engine.search(query).results[0]
        assert (first.id, first.layer) == (expected, "curated")


def test_reference_words_score_like_curated_text() -> None:
    from glossary.search.lexical.reference_words import ReferenceWords
    from glossary.text.words import latin_terms

    words = ReferenceWords(
        {
            "torch.linalg.lu_factor": "torch.linalg.lu_factor: Computes the LU factorization.",
            "torch.linalg.qr": "torch.linalg.qr: Computes the QR decomposition of a matrix.",
            "torch.fft.fftshift": "torch.fft.fftshift: Reorders FFT data.",
        }
    )
    found = words.search(latin_terms("LU factorization of a matrix"), 5)
    assert next(iter(found)) == "torch.linalg.lu_factor"
    assert found["torch.linalg.lu_factor"][0] > found["torch.linalg.qr"][0] > 0
    assert "torch.fft.fftshift" not in found
    assert words.search(latin_terms("nothing shared here"), 5) == {}


def test_a_named_curated_entry_stays_ahead_of_reference_words(
    semantic_engine: SearchEngine,
) -> None:
    """``broadcasting`` names the curated concept; torch.distributed.broadcast shares the word."""
    results = semantic_engine.search("Understanding PyTorch broadcasting with examples").results
    assert results[0].layer == "curated"


def test_a_lone_shared_term_does_not_cover_a_query() -> None:
    from glossary.search.lexical.reference_words import ReferenceWords
    from glossary.text.words import index_terms

    words = ReferenceWords(
        {"torch.logaddexp2": "torch.logaddexp2: Logarithm of the sum in base 2."}
    )
    found = words.search(index_terms("画像の解像度を2倍に引き伸ばす"), 5)
    assert found["torch.logaddexp2"][0] < 0.3


def test_a_word_with_several_translations_counts_once() -> None:
    """The English words one Japanese word stands for are one group: a summary with one of
    them covers the query as much as a query of that one word would."""
    from glossary.search.lexical.reference_words import ReferenceWords
    from glossary.text.words import latin_terms

    words = ReferenceWords(
        {
            "torch.linalg.pinv": "torch.linalg.pinv: Computes the pseudoinverse of a matrix.",
            "torch.linalg.qr": "torch.linalg.qr: Computes the QR decomposition of a matrix.",
            "torch.fft.fftshift": "torch.fft.fftshift: Reorders FFT data.",
        }
    )
    alone = words.search([*latin_terms("pseudoinverse"), *latin_terms("matrix")], 5)
    grouped = words.search(
        [tuple(latin_terms("pseudoinverse moore penrose generalized")), *latin_terms("matrix")], 5
    )
    assert grouped["torch.linalg.pinv"] == pytest.approx(alone["torch.linalg.pinv"])
    assert grouped["torch.linalg.pinv"][0] > grouped["torch.linalg.qr"][0]


def test_japanese_words_stand_as_their_english() -> None:
    from glossary.search.lexical import analyze
    from glossary.search.lexical.reference_words import english_gloss, query_terms
    from glossary.text.words import latin_terms

    text = "疑似逆行列を計算したい"
    terms, typed = query_terms(text, analyze(text).term_words)
    groups = [term for term in terms if not isinstance(term, str)]
    assert any(latin_terms("pseudoinverse")[0] in group for group in groups)
    assert not any(isinstance(term, str) and "行列" in term for term in terms)
    assert typed[latin_terms("pseudoinverse")[0]] == "pseudoinverse"
    assert "pseudoinverse" in english_gloss(text)
    assert english_gloss("pseudo inverse of a matrix") == ""


def test_a_japanese_question_finds_a_reference_api(semantic_engine: SearchEngine) -> None:
    """Through the bridge, a Japanese question reaches an English-only docstring (its words
    count once the installed torch's layer is built: it is, after the first reference hit)."""
    load_reference_layer(build=True)
    curated = {info.api for info in semantic_engine.lexical.entries if info.api}
    if "torch.cholesky_inverse" in curated:
        pytest.skip("torch.cholesky_inverse has become a curated entry")
    results = semantic_engine.search("コレスキー分解の逆行列").results
    assert ("torch.cholesky_inverse", "reference") in [(h.id, h.layer) for h in results[:3]]
