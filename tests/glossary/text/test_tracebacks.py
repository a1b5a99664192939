"""Pasted errors: the error is found in a traceback and reduced to its fixed words."""

from __future__ import annotations

from glossary.text.tracebacks import error_words, find_error

TRACEBACK = "\n".join(
    [
        "Traceback (most recent call last):",
        '  File "/home/user/train.py", line 42, in <module>',
        "    out = model(x)",
        '  File "/home/user/.venv/lib/python3.11/site-packages/torch/nn/modules/conv.py", '
        "line 549, in _conv_forward",
        "    return F.conv2d(",
        "RuntimeError: Expected all tensors to be on the same device, but found at least two "
        "devices, cuda:0 and cpu!",
    ]
)


def test_traceback_gives_last_exception_line_and_torch_names() -> None:
    found = find_error(TRACEBACK)
    assert found is not None and found.traceback
    assert found.exception == "RuntimeError"
    assert found.message.startswith("Expected all tensors to be on the same device")
    assert found.names == ("F.conv2d",)
    assert "cuda:0" not in found.words and "cuda and cpu" in found.words


def test_same_error_from_two_programs_gives_the_same_words() -> None:
    one = find_error("RuntimeError: mat1 and mat2 shapes cannot be multiplied (64x512 and 256x10)")
    two = find_error("RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)")
    assert one is not None and two is not None
    assert one.words == two.words
    assert "64" not in one.words and "mat1 and mat2 shapes cannot be multiplied" in one.words


def test_message_without_type_is_recognised_by_its_shapes() -> None:
    found = find_error(
        "stack expects each tensor to be equal size, but got [3] at entry 0 and [4] at entry 1"
    )
    assert found is not None and found.exception == ""
    assert found.words.startswith("stack expects each tensor to be equal size")


def test_warning_line_and_multiline_message() -> None:
    warning = find_error(
        "/usr/lib/python3/site-packages/torch/optim/lr_scheduler.py:139: UserWarning: "
        "Detected call of `lr_scheduler.step()` before `optimizer.step()`."
    )
    assert warning is not None and warning.exception == "UserWarning"
    assert "`lr_scheduler.step()`" in warning.words
    state = find_error(
        "RuntimeError: Error(s) in loading state_dict for Net:\n\tMissing key(s) in state_dict: "
        '"fc.weight".\n\tUnexpected key(s) in state_dict: "module.fc.weight".'
    )
    assert state is not None and "Unexpected key(s) in state_dict" in state.words
    assert "module.fc.weight" not in state.words


def test_ordinary_questions_are_not_errors() -> None:
    for text in (
        "how to concatenate tensors in pytorch",
        "テンソルを横に並べてくっつけたい",
        "x[0] の意味",
    ):
        assert find_error(text) is None


def test_error_words_drops_paths_numbers_and_sizes() -> None:
    words = error_words(
        "CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 7.79 GiB total) at /tmp/a.py"
    )
    assert words == "CUDA out of memory. Tried to allocate (GPU ; total) at"
