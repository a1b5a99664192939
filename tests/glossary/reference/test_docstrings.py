"""Docstrings of the installed torch rendered for a terminal, and their examples made runnable."""

from __future__ import annotations

import re

import pytest

from glossary.reference import ReferenceLayer, render_docstring
from glossary.reference.docstrings import examples_of, signature_from_doc, summary_of
from glossary.reference.program import example_program


@pytest.mark.parametrize(
    "name",
    [
        "torch.cdist",
        "torch.nn.Linear",
        "torch.nn.functional.grid_sample",
        "torch.Tensor.scatter_",
        "torch.rsqrt",
    ],
)
def test_real_docstrings_lose_their_markup(reference_layer: ReferenceLayer, name: str) -> None:
    text = render_docstring(reference_layer.by_name[name].doc)
    for markup in (":math:", ":attr:", ":func:", ":meth:", ":class:", ":ref:", "``"):
        assert markup not in text, markup
    assert not re.search(r"^\s*\.\. [\w|-]", text, re.MULTILINE)  # no directive left
    assert not any(line.rstrip().endswith("::") for line in text.splitlines())
    doc = reference_layer.by_name[name].doc
    assert (">>> " in text) == (">>> " in doc)  # examples stay as code


def test_cdist_keeps_sections_and_turns_math_into_text(reference_layer: ReferenceLayer) -> None:
    text = render_docstring(reference_layer.by_name["torch.cdist"].doc)
    assert "Args:\n    x1 (Tensor):" in text
    assert "B × P × M" in text and "∈ [0, ∞]" in text
    assert "    >>> torch.cdist(a, b, p=2)" in text


def test_linear_renders_roles_and_fractions(reference_layer: ReferenceLayer) -> None:
    text = render_docstring(reference_layer.by_name["torch.nn.Linear"].doc)
    assert text.startswith("Applies an affine linear transformation to the incoming data: y = xA^T")
    assert "This module supports TensorFloat32." in text
    assert "Examples:" in text and "√k" in text


def test_notes_warnings_and_links_become_plain_words(reference_layer: ReferenceLayer) -> None:
    grid = render_docstring(reference_layer.by_name["torch.nn.functional.grid_sample"].doc)
    assert "Note:\n    This function is often used in conjunction with affine_grid" in grid
    assert "Spatial Transformer Networks" in grid and "`_" not in grid
    scatter = render_docstring(reference_layer.by_name["torch.Tensor.scatter_"].doc)
    assert "Warning:" in scatter and "Note:" in scatter
    assert "described in gather." in scatter  # :meth:`~Tensor.gather`


def test_math_blocks_are_indented_text(reference_layer: ReferenceLayer) -> None:
    text = render_docstring(reference_layer.by_name["torch.rsqrt"].doc)
    assert "    out_{i} = 1/√(input_{i})" in text


def test_roles_links_and_substitutions() -> None:
    doc = (
        "See :func:`torch.cat`, :meth:`~torch.Tensor.view`, :class:`the module <torch.nn.Module>`"
        " and `the docs <https://pytorch.org>`_. |x| here.\n\n.. |x| replace:: Replaced\n\n"
        ".. deprecated:: 2.1\n    Use something else."
    )
    text = render_docstring(doc)
    assert text.startswith("See torch.cat, view, the module and the docs (https://pytorch.org).")
    assert "Replaced here." in text and "replace::" not in text
    assert "Deprecated since version 2.1:\n    Use something else." in text
    assert render_docstring(None) == "" and render_docstring("") == ""


def test_signature_and_summary_from_a_signature_line() -> None:
    doc = "cat(tensors, dim=0, *, out=None) -> Tensor\n\nConcatenates the given\nsequence.\n\nMore."
    assert signature_from_doc(doc, "cat") == "(tensors, dim=0, *, out=None) -> Tensor"
    assert signature_from_doc(doc, "stack") is None
    assert summary_of(doc, "cat") == "Concatenates the given sequence."


def test_examples_drop_prompts_and_output(reference_layer: ReferenceLayer) -> None:
    (code,) = examples_of(reference_layer.by_name["torch.cdist"].doc)
    lines = code.splitlines()
    assert lines[0].startswith("a = torch.tensor(")
    assert "a" in lines and not any(line.startswith(("tensor(", ">>>")) for line in lines)
    compile(code, "<example>", "exec")


def test_continuation_lines_and_separate_blocks() -> None:
    doc = ">>> for i in range(2):\n...     print(i)\n0\n1\n\nText.\n\n>>> x = 1\n>>> x\n1\n"
    assert examples_of(doc) == ["for i in range(2):\n    print(i)\n", "x = 1\nx\n"]


def test_example_program_shows_expressions_and_keeps_going(
    reference_layer: ReferenceLayer,
) -> None:
    program = example_program(reference_layer.by_name["torch.cdist"])
    assert program is not None
    assert "__show(torch.cdist(a, b, p=2))" in program and "import torch" in program
    compile(program, "<program>", "exec")
    assert example_program(reference_layer.by_name["torch.Tensor.repeat_interleave"]) is None
