"""Line breaking and tidying of Japanese and mixed text for display."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.format import tidy_japanese, wrap_paragraph


def test_folded_yaml_space_between_japanese_characters_goes() -> None:
    assert tidy_japanese("記録を逆向きに たどって") == "記録を逆向きにたどって"
    assert tidy_japanese("PyTorch の基本") == "PyTorch の基本"  # a real space stays


def test_japanese_breaks_between_characters_not_before_the_line() -> None:
    text = "PyTorch の自動微分エンジン。勾配を必要とするテンソル"
    assert wrap_paragraph(text, 30) == ["PyTorch の自動微分エンジン。勾", "配を必要とするテンソル"]


def test_english_breaks_at_spaces() -> None:
    assert wrap_paragraph("records the operations applied", 16) == [
        "records the",
        "operations",
        "applied",
    ]


def test_closing_punctuation_never_starts_a_line() -> None:
    lines = wrap_paragraph("あいうえお。かきくけこ", 10)
    assert lines == ["あいうえ", "お。かきく", "けこ"]
    assert not any(line.startswith("。") for line in lines)


def test_opening_bracket_never_ends_a_line() -> None:
    lines = wrap_paragraph("あいう「えお」", 8)
    assert not any(line.endswith("「") for line in lines)


def test_a_word_longer_than_the_line_is_cut() -> None:
    assert wrap_paragraph("torch.nn.functional.scaled_dot_product_attention", 20) == [
        "torch.nn.functional.",
        "scaled_dot_product_a",
        "ttention",
    ]


@given(st.text(alphabet="abc あいう。「」漢字 \n", max_size=80), st.integers(2, 30))
def test_lines_fit_and_keep_every_visible_character(text: str, width: int) -> None:
    lines = wrap_paragraph(text, width)
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")
