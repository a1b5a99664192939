"""The lexical index of the bundled glossary plus a user's folder, from the shipped tables.

A user-folder session's first search must not analyse the bundled entries again
(:mod:`glossary.search.lexical.merging`); these tests check that what it makes is, key by key
and in order, what compiling every entry makes, and that it steps aside whenever it could
differ: a user entry replacing a bundled one, other analyzer versions, changed bundled files.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from glossary.loader import collect
from glossary.paths import bundled_data_dir
from glossary.search.lexical import shipped
from glossary.search.lexical.building import compile_entries
from glossary.search.lexical.merging import compile_with_bundled

USER_YAML = """\
entries:
  - id: lab-grad-switch
    kind: concept
    term: {en: gradient switch, ja: 勾配スイッチ, reading: こうばいすいっち}
    aliases: [requires_grad, 勾配を記録する, lab.nn.GradSwitch, 切替器（スイッチ）]
    definition:
      en: Our lab's name for turning autograd on and off around an experiment.
      ja: 実験の前後で autograd を入れたり切ったりすることを研究室ではこう呼ぶ。
    asked_as:
      en: [how do we switch gradients off in the lab]
      ja: [研究室で勾配を止めるには]
    related:
      - {ref: autograd}
      - {ref: lab-grad-meter}
  - id: lab-grad-meter
    kind: concept
    term: {en: gradient meter, ja: 勾配メーター, reading: こうばいめーたー}
    definition:
      en: A hook that logs the norm of every gradient; see torch.Tensor.register_hook.
      ja: 勾配のノルムを毎回記録するフック。
    cooccurring:
      - {ref: torch.Tensor.backward}
      - {en: gradient norm, ja: 勾配ノルム, reading: こうばいのるむ}
"""


def user_folder(root: Path, text: str = USER_YAML) -> Path:
    folder = root / "mine"
    folder.mkdir(parents=True)
    (folder / "lab.yaml").write_text(text, encoding="utf-8")
    return folder


def whole_compile(folders: list[Path]) -> dict[str, Any]:
    entries, _, problems = collect(folders)
    assert not problems
    return compile_entries(entries, "fp")


def test_bundled_plus_a_user_folder_equals_a_whole_compile(tmp_path: Path) -> None:
    folders = [bundled_data_dir(), user_folder(tmp_path)]
    merged = compile_with_bundled(folders, "fp")
    assert merged is not None, "the shipped lexical tables did not apply to the bundled data"
    expected = whole_compile(folders)
    got = merged.compiled
    # LexicalIndex holds its posting lists as tuples; compare them as the compiler made them.
    for name in ("exact", "loose", "suffix", "postings"):
        got[name] = {key: list(flat) for key, flat in got[name].items()}
    got["entries"] = [list(row) for row in got["entries"]]
    assert set(got) == set(expected)
    for name in expected:  # each posting list in order: it decides ties when matching
        assert got[name] == expected[name], name
    assert merged.ids["lab-grad-switch"] == len(merged.entries) - 2


def test_a_user_entry_replacing_a_bundled_one_is_compiled_whole(tmp_path: Path) -> None:
    text = USER_YAML.replace("id: lab-grad-meter", "id: autograd")
    assert compile_with_bundled([bundled_data_dir(), user_folder(tmp_path, text)], "fp") is None


def test_other_analyzer_versions_or_bundled_files_do_not_use_the_shipped_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = user_folder(tmp_path)
    other = {**shipped.analyzer_versions(), "pykakasi": "0"}
    monkeypatch.setattr(shipped, "analyzer_versions", lambda: other)
    assert compile_with_bundled([bundled_data_dir(), folder], "fp") is None
    monkeypatch.undo()
    copy = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), copy)
    edited = next(copy.glob("*.yaml"))
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    monkeypatch.setattr("glossary.paths.bundled_data_dir", lambda: copy)
    assert compile_with_bundled([copy, folder], "fp") is None


def test_a_broken_user_entry_is_left_out_and_recorded(tmp_path: Path) -> None:
    """As a whole compile of a tolerant load does: the valid entries are indexed, the broken
    one is not, and its problem is kept with the index for the search to name."""
    folder = user_folder(tmp_path, USER_YAML.replace("kind: concept", "kind: nonsense", 1))
    index = compile_with_bundled([bundled_data_dir(), folder], "fp")
    assert index is not None
    assert index.skipped and all("lab.yaml" in problem.path for problem in index.skipped)
    assert {problem.field for problem in index.skipped} >= {"kind"}
    broken = {problem.entry_id for problem in index.skipped}
    assert not broken & set(index.ids)
    assert "torch.cat" in index.ids
