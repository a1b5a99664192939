"""Turn a reference entry's docstring examples into one program the snippet runner can run.

Like a doctest session, a bare expression prints its ``repr`` (unless it is None), and a
failing example prints its error and the next one still runs; the output is shown, not
checked (values are often random). Examples that are not valid Python are left out.
"""

from __future__ import annotations

import ast
import textwrap

from glossary.reference.entry import ReferenceEntry

PRELUDE = """\
import torch
import torch.nn as nn
import torch.nn.functional as F


def __show(value):
    if value is not None:
        print(repr(value))

"""
"""The names torch's docstrings take for granted."""


class _ShowExpressions(ast.NodeTransformer):
    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        call = ast.Call(func=ast.Name("__show", ast.Load()), args=[node.value], keywords=[])
        return ast.copy_location(ast.Expr(call), node)


def _block(code: str, number: int) -> str | None:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    tree.body = [_ShowExpressions().visit(n) if isinstance(n, ast.Expr) else n for n in tree.body]
    body = textwrap.indent(ast.unparse(ast.fix_missing_locations(tree)), "    ")
    return (
        f"# example {number}\n"
        f"try:\n{body}\n"
        "except Exception as exc:\n"
        f"    print(f'example {number}: {{type(exc).__name__}}: {{exc}}')\n"
    )


def example_program(entry: ReferenceEntry) -> str | None:
    """One runnable program for all of ``entry``'s examples; None if none is valid Python."""
    blocks = [_block(code, i) for i, code in enumerate(entry.examples, 1)]
    kept = [b for b in blocks if b is not None]
    return PRELUDE + "\n".join(kept) if kept else None
