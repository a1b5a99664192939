"""How real questions are read: pasted errors, context words, names mentioned in sentences."""

from __future__ import annotations

from pathlib import Path

from glossary.search.context_words import content_of
from glossary.search.engine import SearchEngine
from glossary.search.types import Mode, Signal

TRACEBACK = "\n".join(
    [
        "Traceback (most recent call last):",
        '  File "/home/taro/mnist.py", line 31, in <module>',
        "    logits = model(images)",
        '  File "/opt/venv/lib/python3.11/site-packages/torch/nn/modules/linear.py", line 125, '
        "in forward",
        "    return F.linear(input, self.weight, self.bias)",
        "RuntimeError: mat1 and mat2 shapes cannot be multiplied (32x784 and 128x10)",
    ]
)


def test_pasted_traceback_finds_its_error_entry_by_template(
    lexical_engine: SearchEngine, search_home: Path
) -> None:
    first = lexical_engine.search(TRACEBACK, mode=Mode.LEXICAL).results[0]
    assert first.id == "error-mat1-mat2-shapes" and first.kind == "error"
    assert first.matched_by[0].signal is Signal.TEMPLATE


def test_other_shapes_and_no_type_find_the_same_entry(
    lexical_engine: SearchEngine, search_home: Path
) -> None:
    for pasted in (
        "mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)",
        "RuntimeError: mat1 and mat2 shapes cannot be multiplied (64x9216 and 4096x10) help",
    ):
        assert lexical_engine.search(pasted, mode=Mode.LEXICAL).results[0].id == (
            "error-mat1-mat2-shapes"
        )


def test_context_words_leave_the_subject() -> None:
    assert content_of("How to concatenate two tensors in PyTorch?") == "concatenate two tensors"
    assert content_of("【PyTorch】テンソルの連結方法まとめ") == "テンソルの連結"
    assert content_of("PyTorch とは") == "PyTorch とは"  # the library is the subject
    assert content_of("what is pytorch") == "what is pytorch"
    assert content_of("pytorch lighting") == "pytorch lighting"  # a name, not a question
    assert content_of("pytorch install cuda") == "pytorch install cuda"


def test_name_mentioned_in_a_sentence_ranks_first(
    lexical_engine: SearchEngine, search_home: Path
) -> None:
    for query, expected in (
        ("What does .contiguous() do in PyTorch?", "torch.Tensor.contiguous"),
        ("nn.LSTMの入力の形がわからない", "torch.nn.LSTM"),
        ("【図解】nn.Conv2dの引数を徹底解説", "torch.nn.Conv2d"),
    ):
        assert lexical_engine.search(query, mode=Mode.LEXICAL).results[0].id == expected, query
