"""Error entries' reproductions: run ``snippet.reproduce`` and tell which error it raised.

The reproduction runs in the same isolated runner as every snippet, wrapped in a short harness
(:func:`harness_source`) that runs it as ``__main__``, records every warning it emits, prints the
traceback or warnings as Python would, and ends stderr with one :data:`MARKER` line of JSON:
``{"raised": [type names] | null, "message": str, "warnings": [[type names], message]...}``.
:func:`judge_reproduction` compares that with the entry's ``error`` block.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from glossary.text.error_templates import template_matches

if TYPE_CHECKING:
    from glossary.schema import ErrorInfo
    from glossary.snippets.runner import RunResult

MARKER = "[torchgloss: reproduction "
"""Start of the harness's last stderr line; the rest is JSON and a closing ``]``."""

_HARNESS = """\
import json as _j, sys as _s, traceback as _t, types as _ty, warnings as _w
_src = {source!r}
_m = _ty.ModuleType("__main__"); _m.__builtins__ = __builtins__; _s.modules["__main__"] = _m
def _names(cls):
    return [c.__qualname__ if c.__module__ == "builtins" else c.__module__ + "." + c.__qualname__
            for c in cls.__mro__ if c is not object]
_out = {{"raised": None, "message": "", "warnings": []}}
with _w.catch_warnings(record=True) as _caught:
    _w.simplefilter("always")
    try:
        exec(compile(_src, "<reproduce>", "exec", dont_inherit=True), _m.__dict__)
    except BaseException as _e:
        _t.print_exc()
        _out["raised"] = _names(type(_e)); _out["message"] = str(_e)
for _x in _caught:
    _s.stderr.write(_w.formatwarning(_x.message, _x.category, _x.filename, _x.lineno))
    _out["warnings"].append([_names(_x.category), str(_x.message)])
_s.stdout.flush()
_s.stderr.write("\\n{marker}" + _j.dumps(_out) + "]\\n")
_s.exit(1 if _out["raised"] else 0)
"""


def harness_source(reproduce: str) -> str:
    """The program that runs ``reproduce`` and reports what it raised and warned."""
    return _HARNESS.format(source=reproduce, marker=MARKER)


@dataclass(frozen=True, slots=True)
class Reproduction:
    """What a reproduction did: the exception (its class and bases, most derived first) and
    message, or None; and each warning as ``(class names, message)``."""

    raised: tuple[str, ...] | None
    message: str
    warnings: tuple[tuple[tuple[str, ...], str], ...]


def parse_report(stderr: str) -> Reproduction | None:
    """The harness's report from a run's stderr; None when it never got to write it."""
    for line in reversed(stderr.splitlines()):
        if line.startswith(MARKER) and line.endswith("]"):
            try:
                data = json.loads(line[len(MARKER) : -1])
            except ValueError:
                return None
            raised = tuple(data["raised"]) if data["raised"] else None
            warned = tuple((tuple(names), message) for names, message in data["warnings"])
            return Reproduction(raised, data["message"], warned)
    return None


def _is(names: tuple[str, ...], exception: str) -> bool:
    """The raised class is ``exception``: by its printed name or its bare class name."""
    return exception in (names[0], names[0].rsplit(".", 1)[-1])


def _matches(error: ErrorInfo, message: str) -> bool:
    return any(template_matches(template, message) for template in error.messages)


def _short(message: str, limit: int = 300) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 1] + "…"


def judge_reproduction(error: ErrorInfo, result: RunResult) -> tuple[str, ...]:
    """Why the reproduction did not show ``error``; empty when it did.

    An exception passes when its class is ``error.exception`` and its message matches one of
    ``error.messages``; a warning class (a ``Warning`` subclass) passes when such a warning was
    emitted with a matching message.
    """
    wanted = f"{error.exception} matching one of {list(error.messages)!r}"
    if result.timed_out:
        return (f"reproduction timed out after {result.duration_s:.1f} s",)
    if result.truncated:
        return ("reproduction printed more than the output limit",)
    report = parse_report(result.stderr)
    if report is None:
        tail = "\n".join(result.stderr.rstrip().splitlines()[-12:])
        return (f"reproduction stopped before reporting (exit status {result.exit_code}):\n{tail}",)
    if report.raised is None or "Warning" in report.raised:
        for names, message in report.warnings:
            if _is(names, error.exception) and _matches(error, message):
                return ()
    if report.raised is not None:
        if _is(report.raised, error.exception) and _matches(error, report.message):
            return ()
        got = f"{report.raised[0]}: {_short(report.message)}"
        return (f"reproduction raised {got} instead of {wanted}",)
    warned = "; ".join(f"{names[0]}: {_short(message)}" for names, message in report.warnings)
    if warned:
        return (f"reproduction only warned {warned} instead of {wanted}",)
    return (f"reproduction raised nothing (expected {wanted})",)
