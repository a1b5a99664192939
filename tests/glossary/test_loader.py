"""Loading the bundled glossary and user folders, with every problem located precisely."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from glossary.errors import EntryNotFoundError, GlossaryDataError
from glossary.loader import load_glossary, read_glossary
from glossary.schema import Kind
from tests.glossary.conftest import VALID_ENTRY

SEED_IDS = [
    "flashlight",
    "flame-torch",
    "torch-verb",
    "torch-of-hope",
    "tokyo-torch",
    "torch-tower",
    "pytorch",
    "torch7",
    "torchscript",
    "jit",
    "torch.compile",
    "torch.cat",
    "torch.bmm",
    "torch.nn",
    "torch.nn.Module",
    "import-torch",
    "tensor",
    "autograd",
    "dynamic-computation-graph",
    "cuda",
    "gpu",
    "cpu",
    "torchvision",
    "torchtext",
    "torchaudio",
    "torchserve",
    "tensorboard",
    "torch.utils.data.DataLoader",
    "torch.utils.data.Dataset",
    "optimizer",
    "torch.optim.SGD",
    "torch.optim.Adam",
    "learning-rate",
    "loss-function",
    "backpropagation",
    "transfer-learning",
    "fine-tuning",
    "regularization",
    "onnx",
    "torch.nn.parallel.DistributedDataParallel",
    "torch.save",
    "torch.nn.Module.state_dict",
    "pip-install",
    "conda-install",
    "inference",
    "training",
    "torch.tensor",
    "torch.zeros",
    "torch.ones",
    "torch.rand",
    "torch.randn",
    "torch.empty",
    "torch.arange",
    "torch.from_numpy",
    "torch.reshape",
    "torch.Tensor.view",
    "torch.squeeze",
    "torch.unsqueeze",
    "torch.matmul",
    "torch.dot",
    "torch.no_grad",
    "torch.manual_seed",
    "torch.device",
    "torch.Tensor.to",
]


def test_bundled_glossary_loads_and_covers_the_seed_terms() -> None:
    glossary = load_glossary()
    missing = [i for i in SEED_IDS if i not in glossary.by_id]
    assert not missing, f"seed terms without an entry: {missing}"
    assert all(e.snippet is not None for e in glossary.entries if e.kind is Kind.API)


def test_torch_senses_carry_their_antonyms() -> None:
    glossary = load_glossary()
    antonyms = {
        entry_id: {a.ja for a in glossary.get(entry_id).antonyms}
        for entry_id in ("flashlight", "flame-torch", "torch-verb")
    }
    assert {"暗闇", "消灯", "無灯"} <= antonyms["flashlight"]
    assert "闇" in antonyms["flame-torch"]
    assert {"消火する", "鎮火"} <= antonyms["torch-verb"]


def test_user_folder_is_merged_after_bundled(write_yaml: Callable[[str, str], Path]) -> None:
    path = write_yaml("mine.yaml", VALID_ENTRY)
    glossary = load_glossary([path.parent])
    assert glossary.get("my-lamp").term.ja == "電灯"
    assert glossary.origins["my-lamp"].trusted is False
    assert glossary.origins["flashlight"].trusted is True
    assert glossary.entries[-1].id == "my-lamp"


def test_user_entry_replaces_bundled_entry_with_same_id(
    write_yaml: Callable[[str, str], Path],
) -> None:
    path = write_yaml("override.yaml", VALID_ENTRY.replace("my-lamp", "torch-tower"))
    glossary = load_glossary([path.parent])
    assert glossary.get("torch-tower").term.en == "lamp"
    assert glossary.origins["torch-tower"].path == path


def test_torchgloss_data_env_adds_folders(
    write_yaml: Callable[[str, str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_yaml("mine.yaml", VALID_ENTRY)
    monkeypatch.setenv("TORCHGLOSS_DATA", str(path.parent))
    assert "my-lamp" in load_glossary().by_id


def test_every_problem_is_reported_with_file_line_and_field(
    write_yaml: Callable[[str, str], Path],
) -> None:
    path = write_yaml(
        "bad.yaml",
        """\
        entries:
          - id: one
            kind: object
            term: {en: lamp, ja: 電灯, reading: でんとう}
            colour: red
            definition: {en: A light., ja: 明かり。}
          - id: two
            kind: object
            term: {en: lamp, ja: 電灯, reading: denntou}
            definition: {en: A light., ja: 明かり。}
            related:
              - {ref: no-such-entry}
          - id: two
            kind: object
            term: {en: lamp, ja: 電灯, reading: でんとう}
            definition: {en: A light., ja: 明かり。}
        """,
    )
    with pytest.raises(GlossaryDataError) as info:
        load_glossary([path.parent])
    problems = {(p.line, p.field, p.entry_id): p.message for p in info.value.problems}
    assert all(p.path == str(path) for p in info.value.problems)
    assert "unknown field" in problems[(5, "colour", "one")]
    assert "not kana" in problems[(9, "term.reading", "two")]
    assert "no-such-entry" in problems[(12, "related[0].ref", "two")]
    assert "duplicate id" in problems[(13, "id", "two")]


def test_read_glossary_keeps_the_good_entries_and_returns_the_problems(
    write_yaml: Callable[[str, str], Path],
) -> None:
    """What ``validate`` builds on: the same load, with problems returned instead of raised."""
    path = write_yaml(
        "mixed.yaml",
        VALID_ENTRY
        + """\
  - id: broken-link
    kind: object
    term: {en: lantern, ja: ランタン}
    definition: {en: A portable light., ja: 持ち運べる明かり。}
    related:
      - {ref: no-such-entry}
""",
    )
    glossary, problems = read_glossary([path.parent])
    assert {"my-lamp", "broken-link", "flashlight"} <= set(glossary.by_id)
    assert [(p.path, p.line, p.field, p.entry_id) for p in problems] == [
        (str(path), 16, "related[0].ref", "broken-link")
    ]
    with pytest.raises(GlossaryDataError) as info:
        load_glossary([path.parent])
    assert info.value.problems == problems
    assert read_glossary([path.parent], check=False)[1] == []


def test_api_entry_may_leave_out_api_and_english_term(
    write_yaml: Callable[[str, str], Path],
) -> None:
    """An API entry's id is its dotted name: ``api`` and ``term.en`` default to it."""
    path = write_yaml(
        "short.yaml",
        """\
        entries:
          - id: torch.rsqrt
            kind: api
            term: {ja: 平方根の逆数, reading: へいほうこんのぎゃくすう}
            definition: {en: Computes 1/sqrt(x)., ja: 平方根の逆数を計算する。}
          - id: torch.rsqrt_
            kind: api
            api: torch.rsqrt
            term: {en: in-place rsqrt, ja: 平方根の逆数, reading: へいほうこんのぎゃくすう}
            definition: {en: Computes 1/sqrt(x) in place., ja: その場で平方根の逆数を計算する。}
        """,
    )
    glossary = load_glossary([path.parent])
    short, spelled = glossary.get("torch.rsqrt"), glossary.get("torch.rsqrt_")
    assert (short.api, short.term.en) == ("torch.rsqrt", "torch.rsqrt")
    assert (spelled.api, spelled.term.en) == ("torch.rsqrt", "in-place rsqrt")


def test_api_entry_without_a_dotted_id_still_needs_api(
    write_yaml: Callable[[str, str], Path],
) -> None:
    path = write_yaml(
        "noapi.yaml",
        """\
        entries:
          - id: my-rsqrt
            kind: api
            term: {en: rsqrt, ja: 平方根の逆数, reading: へいほうこんのぎゃくすう}
            definition: {en: Computes 1/sqrt(x)., ja: 平方根の逆数を計算する。}
        """,
    )
    with pytest.raises(GlossaryDataError) as info:
        load_glossary([path.parent])
    (problem,) = info.value.problems
    assert problem.line == 2
    assert problem.message.startswith("an entry of kind 'api' needs the 'api' field")
    assert "or an id that is that name" in problem.message


def test_missing_language_is_reported(write_yaml: Callable[[str, str], Path]) -> None:
    path = write_yaml(
        "nolang.yaml",
        """\
        entries:
          - id: half
            kind: concept
            term: {en: half}
            definition: {en: Only English here., ja: 半分。}
          - id: english-only
            kind: concept
            term: {en: whole, ja: 全体, reading: ぜんたい}
            definition: {en: Only English here., ja: Only English here too.}
        """,
    )
    with pytest.raises(GlossaryDataError) as info:
        load_glossary([path.parent])
    fields = {p.field: p.message for p in info.value.problems}
    assert fields["term.ja"] == "required field is missing"
    assert "no Japanese" in fields["definition.ja"]


def test_unknown_id_suggests_close_ones() -> None:
    with pytest.raises(EntryNotFoundError, match=r"torch\.cat"):
        load_glossary().get("cat")


def test_asked_as_in_the_wrong_language_is_reported(
    write_yaml: Callable[[str, str], Path],
) -> None:
    path = write_yaml(
        "asked.yaml",
        """\
        entries:
          - id: lamp
            kind: object
            term: {en: lamp, ja: 電灯, reading: でんとう}
            definition: {en: A light., ja: 明かり。}
            asked_as:
              en: [something to see in the dark]
              ja: [a light for the night]
        """,
    )
    with pytest.raises(GlossaryDataError) as info:
        load_glossary([path.parent])
    (problem,) = info.value.problems
    assert (problem.line, problem.field) == (8, "asked_as.ja")
    assert "no Japanese" in problem.message
