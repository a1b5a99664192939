"""Helpers shared by the command modules: the console, JSON output, loading the glossary."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console

    from glossary.loader import Glossary
    from glossary.reference import ReferenceLayer


def console(stderr: bool = False) -> Console:
    """A Rich console: colour on a terminal, plain text when piped, ``NO_COLOR`` honoured."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    # Piped output is not wrapped: a path or message cut at column 80 breaks grep and copy-paste.
    return Console(stderr=stderr, highlight=False, soft_wrap=not stream.isatty())


def echo_json(data: Any) -> None:
    """Print one JSON document (UTF-8, Japanese kept readable)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=None if not sys.stdout.isatty() else 2))


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
