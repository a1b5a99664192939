"""Helpers shared by the command modules: the console, JSON output, loading the glossary."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from glossary.i18n import _

if TYPE_CHECKING:
    from rich.console import Console

    from glossary.errors import GlossaryError, Problem
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


#: ``--model`` and ``--device`` of the commands that open the search engine (``search``,
#: ``eval``, ``index rebuild``): one wording, so their help reads (and translates) the same.
ENGINE_MODEL_OPTION = click.option(
    "--model", help="Embedding model: a folder or Hub id (default: bundled E5)."
)
ENGINE_DEVICE_OPTION = click.option(
    "--device", help="Device for the model: cpu, cuda, mps (default: best present)."
)


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


def load(ctx: click.Context, *, strict: bool = False) -> Glossary:
    """Load the glossary the command line asks for.

    Entries that do not validate are left out and named once on stderr
    (:func:`warn_skipped`), so one bad file in a user's folder does not stop ``show`` or
    ``run``; with ``strict`` (checking commands) any problem raises instead.

    Raises:
        GlossaryDataError: ``strict`` and a file does not validate.
    """
    from glossary.loader import load_glossary, read_glossary

    if strict:
        return load_glossary(data_dirs(ctx))
    glossary, problems = read_glossary(data_dirs(ctx), check=False)
    warn_skipped(problems)
    return glossary


#: Problems already named on stderr in this process (a command may load twice).
_WARNED: set[str] = set()
#: The most problems listed; ``torchgloss validate`` names them all.
SKIPPED_SHOWN = 5


def warn_skipped(problems: Sequence[Problem]) -> None:
    """Name, once per process, the entries left out because their files do not validate."""
    new = [p for p in problems if str(p) not in _WARNED]
    if not new:
        return
    _WARNED.update(str(p) for p in new)
    units = {(p.path, p.entry_id) for p in new}  # one bad entry may have several problems
    out = console(stderr=True)
    out.print(
        _(
            "{count} glossary entries or files were skipped (they do not validate); "
            "`torchgloss validate` lists every problem:"
        ).format(count=len(units)),
        style="yellow",
        highlight=False,
    )
    for problem in new[:SKIPPED_SHOWN]:
        out.print(f"  {problem}", style="yellow", highlight=False, markup=False)
    if len(new) > SKIPPED_SHOWN:
        out.print(
            "  " + _("… and {count} more").format(count=len(new) - SKIPPED_SHOWN),
            style="yellow",
            highlight=False,
        )


def reference_layer(*, build: bool) -> ReferenceLayer | None:
    """The reference layer of the installed torch, or None where there is none (no torch, or
    not built yet and ``build`` is False)."""
    from glossary.reference import ReferenceLayerError, load_reference_layer

    try:
        return load_reference_layer(build=build)
    except ReferenceLayerError:
        return None
