"""Turn a reST/Sphinx docstring into plain text a terminal shows readably.

Roles lose their markup (``:func:`~torch.cat``` → ``cat``, ``:math:`x``` → ``x``), directives
become headings (``.. note::`` → ``Note:``), links and substitutions keep their text, and simple
LaTeX turns into Unicode. Sections (Args, Returns, Example) and ``>>>`` code stay as they are.
Standard library only.
"""

from __future__ import annotations

import re

_LATEX: dict[str, str] = {
    r"\times": "×",
    r"\cdot": "·",
    r"\cdots": "⋯",
    r"\ldots": "…",
    r"\dots": "…",
    r"\in": "∈",
    r"\infty": "∞",
    r"\leq": "≤",
    r"\le": "≤",
    r"\geq": "≥",
    r"\ge": "≥",
    r"\neq": "≠",
    r"\ne": "≠",
    r"\approx": "≈",
    r"\sum": "∑",
    r"\prod": "∏",
    r"\int": "∫",
    r"\partial": "∂",
    r"\nabla": "∇",
    r"\alpha": "α",
    r"\beta": "β",
    r"\gamma": "γ",
    r"\delta": "δ",
    r"\epsilon": "ε",
    r"\eta": "η",
    r"\theta": "θ",
    r"\lambda": "λ",
    r"\mu": "μ",
    r"\pi": "π",
    r"\rho": "ρ",
    r"\sigma": "σ",
    r"\tau": "τ",
    r"\phi": "φ",
    r"\omega": "ω",
    r"\Sigma": "Σ",
    r"\log": "log",
    r"\exp": "exp",
    r"\max": "max",
    r"\min": "min",
    r"\left": "",
    r"\right": "",
    r"\quad": "  ",
    r"\,": " ",
    r"\_": "_",
    r"\{": "{",
    r"\}": "}",
}
_LATEX_WORD = re.compile(r"\\[A-Za-z]+|\\[,_{}]")
_LATEX_WRAP = re.compile(
    r"\\(?:text|mathrm|mathbf|mathcal|mathbb|operatorname|textbf|textit)\{([^{}]*)\}"
)
_GROUP = r"\{((?:[^{}]|\{[^{}]*\})*)\}"  # braces with one level of nesting inside
_FRAC = re.compile(r"\\[dt]?frac" + _GROUP + _GROUP)
_SQRT = re.compile(r"\\sqrt" + _GROUP)

_ROLE = re.compile(r":(?:[\w-]+:)*[\w-]+:`([^`]+)`")
_TITLED = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.DOTALL)
_LINK = re.compile(r"`([^`<]+?)\s*<([^`>]+)>`__?")
_LINK_REF = re.compile(r"`([^`]+)`__?")
_LITERAL = re.compile(r"``(.+?)``")
_LINK_TARGET = re.compile(r"^(\s*)\.\. _([^:]+):\s*(\S*)\s*$")
_SUBSTITUTION_DEF = re.compile(r"^\s*\.\. \|([^|]+)\|\s+replace::\s*(.*)$")
_DIRECTIVE = re.compile(r"^(\s*)\.\. ([\w-]+)::\s*(.*)$")

_HEADINGS = {
    "note": "Note:",
    "warning": "Warning:",
    "seealso": "See also:",
    "tip": "Tip:",
    "important": "Important:",
    "caution": "Caution:",
    "attention": "Attention:",
    "danger": "Danger:",
    "hint": "Hint:",
}
_DROPPED = {"math", "code-block", "code", "testcode", "testsetup", "testoutput", "doctest"}
_HIDDEN = {"autosummary", "toctree", "currentmodule", "automodule", "autoclass", "autofunction"}


def _wrap(part: str) -> str:
    part = part.strip()
    return part if re.fullmatch(r"[\w.]+|√\([^()]*\)|√[\w.]+", part) else f"({part})"


def _latex(text: str) -> str:
    for _ in range(3):  # nested \frac{\sqrt{k}}{2} and the like
        text = _LATEX_WRAP.sub(r"\1", text)
        text = _FRAC.sub(lambda m: f"{_wrap(m.group(1))}/{_wrap(m.group(2))}", text)
        text = _SQRT.sub(lambda m: f"√{_wrap(m.group(1))}", text)
    return _LATEX_WORD.sub(lambda m: _LATEX.get(m.group(0), m.group(0)[1:]), text)


def _role(match: re.Match[str]) -> str:
    whole = match.group(0)
    body = match.group(1)
    if whole.startswith(":math:"):
        return _latex(body)
    titled = _TITLED.match(body)
    if titled and titled.group(1):
        return titled.group(1)
    body = body.lstrip("!")
    if body.startswith("~"):
        return body[1:].rsplit(".", 1)[-1]
    return body.lstrip("/")


def _inline(line: str, substitutions: dict[str, str]) -> str:
    line = _ROLE.sub(_role, line)
    line = _LITERAL.sub(r"`\1`", line)
    line = _LINK.sub(r"\1 (\2)", line)
    line = _LINK_REF.sub(lambda m: m.group(1) if m.group(0).endswith("_") else m.group(0), line)
    for name, value in substitutions.items():
        line = line.replace(f"|{name}|", value)
    if line.rstrip().endswith("::"):
        head = line.rstrip()[:-2]
        line = head.rstrip() if head.endswith(" ") or not head.strip() else head + ":"
    return line


def render_docstring(doc: str | None) -> str:
    """Plain text for ``doc`` (reST as torch writes it); '' for no docstring.

    Example:
        >>> render_docstring(":func:`torch.cat` joins. See :math:`x \\\\times y`.")
        'torch.cat joins. See x × y.'
    """
    if not doc:
        return ""
    import inspect  # only for cleandoc; inspect costs ~10 ms to import, loading need not pay it

    lines = inspect.cleandoc(doc).splitlines()
    substitutions: dict[str, str] = {}
    for line in lines:
        found = _SUBSTITUTION_DEF.match(line)
        if found:
            substitutions[found.group(1)] = found.group(2).strip()
    out: list[str] = []
    in_math: int | None = None
    for line in lines:
        if in_math is not None:
            indent = len(line) - len(line.lstrip())
            if line.strip() and indent <= in_math:
                in_math = None
            else:
                out.append(_latex(line) if line.strip() else line)
                continue
        if _SUBSTITUTION_DEF.match(line):
            continue
        target = _LINK_TARGET.match(line)
        if target:
            out.append(f"{target.group(1)}{target.group(2)}: {target.group(3)}".rstrip())
            continue
        directive = _DIRECTIVE.match(line)
        if directive:
            indent, name, arg = directive.groups()
            if name == "math":
                in_math = len(indent)
                if arg.strip():
                    out.append(f"{indent}    {_latex(arg.strip())}")
            elif name in _HEADINGS:
                out.append(f"{indent}{_HEADINGS[name]} {_inline(arg, substitutions)}".rstrip())
            elif name == "deprecated":
                out.append(f"{indent}Deprecated since version {arg.strip()}:".rstrip())
            elif name in ("versionadded", "versionchanged"):
                what = "New" if name == "versionadded" else "Changed"
                out.append(f"{indent}{what} in version {arg.strip()}.")
            elif name in _DROPPED or name in _HIDDEN:
                continue
            else:
                out.append(f"{indent}{name.capitalize()}: {_inline(arg, substitutions)}".rstrip())
            continue
        if line.lstrip().startswith((">>>", "...")):
            out.append(line)
            continue
        out.append(_inline(line, substitutions))
    text = "\n".join(line.rstrip() for line in out)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")
