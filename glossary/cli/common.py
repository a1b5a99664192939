"""Helpers shared by the command modules: the console, JSON output, loading the glossary."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console

    from glossary.errors import GlossaryError
    from glossary.loader import Glossary
    from glossary.reference import ReferenceLayer


def safe_text(text: str) -> str:
    """``text`` fit for a terminal: escape sequences and control characters from glossary data
    (OSC 2 titles, OSC 52 clipboard writes, CSI 2J …) removed, line feeds and tabs kept.

    Validation refuses such data; this is the second line of defence for every renderer, applied
    to each piece of text a :func:`console` prints (Rich's own styling is added after it).
    """
    from glossary.text.control import strip_control

    return strip_control(text)


def console(stderr: bool = False) -> Console:
    """A Rich console: colour on a terminal, plain text when piped, ``NO_COLOR`` honoured.

    Every text segment it renders passes :func:`safe_text` first.
    """
    from rich.console import Console
    from rich.segment import Segment

    class _SafeConsole(Console):
        def render(self, renderable: Any, options: Any = None) -> Any:
            for segment in super().render(renderable, options):
                if segment.control is None and segment.text:
                    clean = safe_text(segment.text)
                    if clean != segment.text:
                        segment = Segment(clean, segment.style, segment.control)
                yield segment

    stream = sys.stderr if stderr else sys.stdout
    # Piped output is not wrapped: a path or message cut at column 80 breaks grep and copy-paste.
    return _SafeConsole(stderr=stderr, highlight=False, soft_wrap=not stream.isatty())


#: The option that sets each library parameter an error can be about (``GlossaryError.parameter``).
FLAGS = {
    "limit": "--limit",
    "lang": "--lang",
    "layer": "--layer",
    "kind": "--kind",
    "device": "--device",
    "model": "--model",
    "socket": "--socket",
}


def error_text(error: GlossaryError) -> str:
    """A library error in the command line's words: the parameter it is about named by its
    option (``limit must be at least 1`` -> ``--limit must be at least 1``)."""
    if error.parameter is None:
        return str(error)
    return error.naming(FLAGS.get(error.parameter, error.parameter))


def echo_json(data: Any) -> None:
    """Print one JSON document (UTF-8, Japanese kept readable)."""
    click.echo(
        json_text(
            json.dumps(data, ensure_ascii=False, indent=None if not sys.stdout.isatty() else 2)
        )
    )


def json_text(text: str) -> str:
    """JSON text with C1 controls (and DEL) written as ``\\u`` escapes, as C0 ones already are:
    the same data, but nothing a terminal would act on."""
    return (
        "".join(f"\\u{ord(c):04x}" if "\x7f" <= c <= "\x9f" else c for c in text)
        if any("\x7f" <= c <= "\x9f" for c in text)
        else text
    )


def data_dirs(ctx: click.Context) -> list[Path]:
    """The ``--data`` folders given to the top-level command."""
    root = ctx.find_root()
    return list((root.obj or {}).get("data_dirs", []))


def load(ctx: click.Context) -> Glossary:
    """Load the glossary the command line asks for."""
    from glossary.loader import load_glossary

    return load_glossary(data_dirs(ctx))


def reference_layer(*, build: bool) -> ReferenceLayer | None:
    """The reference layer of the installed torch, or None where there is none (no torch, or
    not built yet and ``build`` is False)."""
    from glossary.reference import ReferenceLayerError, load_reference_layer

    try:
        return load_reference_layer(build=build)
    except ReferenceLayerError:
        return None
