"""The lexical index: the issue's cases on the bundled glossary, and its compiled file."""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
from pathlib import Path

import pytest

from glossary.schema import Entry
from glossary.search import lexical
from glossary.search.engine import SearchEngine
from glossary.search.freshness import folder_names, yaml_stats
from glossary.search.lexical import LexicalIndex, analyze
from glossary.search.types import Mode, Signal
from glossary.text.normalize import clean
from tests.glossary.search.searchkit import ids, make_entry, write_glossary


def top(engine: SearchEngine, query: str) -> tuple[str, set[Signal]]:
    response = engine.search(query, mode=Mode.LEXICAL, limit=5)
    assert response.results, f"no result for {query!r}"
    hit = response.results[0]
    return hit.id, {m.signal for m in hit.matched_by}


@pytest.mark.parametrize(
    ("query", "expected", "signal"),
    [
        ("自動微分", "autograd", Signal.NAME),
        ("テンソルをつなげる", "torch.cat", Signal.ALIAS),  # つなげる = 繋げる (Sudachi)
        ("じどうびぶん", "autograd", Signal.READING),  # kana → kanji headword
        ("ジドウビブン", "autograd", Signal.READING),
        ("jidou bibun", "autograd", Signal.READING),  # romaji
        ("jido bibun", "autograd", Signal.READING),  # romaji without long vowels
        ("kaichuu dentou", "flashlight", Signal.READING),
        ("たいまつ", "flame-torch", Signal.ALIAS),
        ("torch.cta", "torch.cat", Signal.FUZZY),  # typos
        ("DataLoder", "torch.utils.data.DataLoader", Signal.FUZZY),
        ("unsqeeze", "torch.unsqueeze", Signal.FUZZY),
        ("ｔｏｒｃｈ．ｃａｔ", "torch.cat", Signal.NAME),  # full width
        ("ﾃﾝｿﾙ", "tensor", Signal.NAME),  # half-width kana
        ("torch compile とは", "torch.compile", Signal.NAME),  # question framing
        ("cat", "torch.cat", Signal.ALIAS),
        ("nn.Linear", "torch.nn.Linear", Signal.ALIAS),
        ("Tensor.view", "torch.Tensor.view", Signal.NAME),  # dotted suffix
        ("オプティマイザー", "optimizer", Signal.ALIAS),
        ("ＰｙＴｏｒｃｈ", "pytorch", Signal.NAME),
    ],
)
def test_issue_queries_rank_first(
    lexical_engine: SearchEngine, query: str, expected: str, signal: Signal
) -> None:
    found, signals = top(lexical_engine, query)
    assert found == expected
    assert signal in signals


def test_dotted_prefix_lists_the_family(lexical_engine: SearchEngine) -> None:
    response = lexical_engine.search("torch.optim.lr_sch", mode=Mode.LEXICAL, limit=10)
    assert ids(response)[0] == "torch.optim.lr_scheduler"
    assert all(i.startswith("torch.optim.lr_scheduler") for i in ids(response)[:5])


def test_text_matches_say_which_words(lexical_engine: SearchEngine) -> None:
    hit = lexical_engine.search("portable electric light", mode=Mode.LEXICAL).results[0]
    assert hit.id == "flashlight"
    text = next(m for m in hit.matched_by if m.signal is Signal.TEXT)
    assert "electric" in text.surface


def test_nothing_matches_gibberish(lexical_engine: SearchEngine) -> None:
    assert lexical_engine.search("qqqzzzxxj", mode=Mode.LEXICAL).results == []


def test_long_queries_skip_name_matching(lexical_engine: SearchEngine) -> None:
    query = analyze(clean("自動微分 " * 2000))
    assert len(lexical_engine.lexical.search(query)) > 0


# ------------------------------------------------------------------- the compiled file


def test_save_load_round_trip(tmp_path: Path, tiny_entries: list[Entry]) -> None:
    index = LexicalIndex.build(tiny_entries, "fp-1")
    path = tmp_path / "lexical.json"
    index.save(path)
    loaded = LexicalIndex.load(path, "fp-1")
    assert loaded is not None
    assert [e.id for e in loaded.entries] == [e.id for e in tiny_entries]
    hits = loaded.search(analyze("じどうびぶん"))
    assert loaded.entries[hits[0].entry].id == "autograd"


def test_stale_or_damaged_files_are_refused(tmp_path: Path, tiny_entries: list[Entry]) -> None:
    path = tmp_path / "lexical.json"
    LexicalIndex.build(tiny_entries, "fp-1").save(path)
    assert LexicalIndex.load(path, "fp-2") is None  # other data
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])  # truncated
    assert LexicalIndex.load(path, "fp-1") is None
    path.write_bytes(raw.replace(b"autograd", b"autogrAd", 1))  # flipped bytes
    assert LexicalIndex.load(path, "fp-1") is None
    path.write_bytes(b"\x00\xff garbage")
    assert LexicalIndex.load(path, "fp-1") is None


def test_a_posting_list_cut_short_is_refused(tmp_path: Path, tiny_entries: list[Entry]) -> None:
    """A file written whole (its checksum holds) by a faulty writer, not a damaged disk."""
    index = LexicalIndex.build(tiny_entries, "fp-1")
    key, flat = next(iter(index.exact.items()))
    assert len(flat) % 4 == 0  # entry, signal code, surface, strength: one posting after another
    index.exact[key] = flat[:-1]
    path = tmp_path / "lexical.json"
    index.save(path)
    assert LexicalIndex.load(path, "fp-1") is None


def test_a_loaded_index_leaves_nothing_for_the_cyclic_collector(
    tmp_path: Path, tiny_entries: list[Entry]
) -> None:
    """Its postings are tuples of numbers, which the collector stops tracking (lists it never
    does): the terminal browser's full collections would visit each one."""
    path = tmp_path / "lexical.json"
    LexicalIndex.build(tiny_entries, "fp-1").save(path)
    index = LexicalIndex.load(path, "fp-1")
    assert index is not None
    gc.collect()
    tables = [index.exact, index.loose, index.suffix, index.postings]
    assert not [flat for table in tables for flat in table.values() if gc.is_tracked(flat)]


def test_load_or_build_rebuilds_when_data_changes(
    tmp_path: Path, tiny_entries: list[Entry]
) -> None:
    folder = write_glossary(tmp_path / "data", tiny_entries)
    calls: list[int] = []

    def entries() -> list[Entry]:
        calls.append(1)
        return tiny_entries

    _, built = lexical.load_or_build([folder], "fp-1", entries)
    assert built and len(calls) == 1
    _, built = lexical.load_or_build([folder], "fp-1", entries)
    assert not built and len(calls) == 1
    assert lexical.load_unchanged([folder]) is not None  # the cheap check agrees
    _, built = lexical.load_or_build([folder], "fp-2", entries)
    assert built and len(calls) == 2


def test_touching_a_file_is_noticed_by_the_cheap_check(
    tmp_path: Path, tiny_entries: list[Entry]
) -> None:
    folder = write_glossary(tmp_path / "data", tiny_entries)
    lexical.load_or_build([folder], "fp-1", lambda: tiny_entries)
    path = folder / "entries.yaml"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # touched only
    assert lexical.load_unchanged([folder]) is None
    _, built = lexical.load_or_build([folder], "fp-1", lambda: tiny_entries)  # same content
    assert not built  # the fingerprint decided; the recorded stats were renewed
    assert lexical.load_unchanged([folder]) is not None
    assert lexical.load_unchanged([folder]) is not None


def test_header_records_folders_and_stats(tmp_path: Path, tiny_entries: list[Entry]) -> None:
    folder = write_glossary(tmp_path / "data", tiny_entries)
    lexical.load_or_build([folder], "fp-1", lambda: tiny_entries)
    head = lexical.index_path([folder]).read_bytes().split(b"\n", 1)[0]
    header = json.loads(head)
    assert header["folders"] == folder_names([folder])
    assert header["stats"] == yaml_stats([folder])


def _build_in_process(folder: str, home: str, queue: multiprocessing.Queue) -> None:
    from tests.glossary.search.searchkit import make_entry

    os.environ["TORCHGLOSS_HOME"] = home
    entries = [make_entry(f"entry-{i}", f"word {i}", f"言葉{i}", "A word.") for i in range(300)]
    _, built = lexical.load_or_build([Path(folder)], "fp-1", lambda: entries)
    queue.put(built)


def test_two_processes_building_at_once(
    tmp_path: Path, tiny_entries: list[Entry], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_glossary(tmp_path / "data", tiny_entries)
    home = str(tmp_path / "home")
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [
        context.Process(target=_build_in_process, args=(str(folder), home, queue)) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert sorted([queue.get(), queue.get()]) == [False, True]  # one built, one reused
    monkeypatch.setenv("TORCHGLOSS_HOME", home)
    assert lexical.load_unchanged([folder]) is not None


def test_words_of_asked_as_are_searched_but_are_not_names() -> None:
    entries = [
        make_entry(
            "torch.flip",
            "torch.flip",
            "テンソルの反転",
            "Reverses the order of elements along given dimensions.",
            asked_as={"en": ["mirror an image left to right"], "ja": ["配列を逆順に並べ替えたい"]},
        ),
        make_entry(
            "torch.roll", "torch.roll", "テンソルの巡回シフト", "Rolls elements along a dim."
        ),
    ]
    index = LexicalIndex.build(entries, "fp-1")
    for query in ("mirror image", "逆順に並べ替え"):
        hits = index.search(analyze(query))
        assert index.entries[hits[0].entry].id == "torch.flip"
        assert set(hits[0].matches) == {Signal.TEXT}  # words, never name evidence
