"""Rebuild the search indexes in a child process, so the UI never shares its GIL with it.

Rebuilding the dense index loads the full embedding model, and with it PyTorch: importing
torch, loading the weights and writing the indexes hold the GIL for up to a second at a time
(measured with ``bench/bench_tui.py``), and a worker thread that holds the GIL stops the UI
thread as surely as work on the UI thread itself. A child process has a GIL of its own.

The child is the command line's own ``torchgloss index rebuild --progress json``, which
reports on its stdout one JSON object per line; this module only starts it and reads those
lines, and the app then opens the rebuilt indexes (a read, and no torch: queries are embedded
without it). It is started as ``python -I -c …``: isolated mode, so neither the current
folder nor ``PYTHON*`` variables can put a module of their own (an ``argparse.py`` in the
working folder) ahead of ours. ``-I -m glossary`` would be as safe but imports whichever
``glossary`` is installed, which in a checkout beside an editable install is not this one;
so the only path added is the folder this package was imported from, and the child calls the
CLI's ``main`` from there. This module must not import Textual.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from glossary.errors import GlossaryError, IndexError_

if TYPE_CHECKING:
    from glossary.progress import ProgressCallback

_CHILD = "import sys; sys.path.insert(0, sys.argv.pop(1)); from glossary.cli import main; main()"


def rebuild_command(
    extra_folders: Sequence[Path], *, model: str | None, device: str | None, semantic: bool
) -> list[str]:
    """The child's command line: ``torchgloss index rebuild --progress json`` with the
    browser's folders, model and device, run from the folder this package came from."""
    package_root = str(Path(__file__).resolve().parent.parent)
    command = [sys.executable, "-I", "-c", _CHILD, package_root]
    command += ["index", "rebuild", "--progress", "json"]
    command += [arg for folder in extra_folders for arg in ("--data", str(folder))]
    command += ["--model", model] if model else []
    command += ["--device", device] if device else []
    command += [] if semantic else ["--no-semantic"]
    return command


def rebuild_in_child(
    extra_folders: Sequence[Path],
    *,
    model: str | None,
    device: str | None,
    semantic: bool,
    progress: ProgressCallback,
) -> None:
    """Rebuild the indexes of the bundled glossary plus ``extra_folders`` in a new process.

    Blocks until it is done (call it from a worker thread); ``progress(stage, done, total)``
    is called here as the child reports.

    Raises:
        GlossaryError: what the child's rebuild raised (same title and message), or an
            :class:`~glossary.errors.IndexError_` if the child died without a word.
    """
    command = rebuild_command(extra_folders, model=model, device=device, semantic=semantic)
    with tempfile.TemporaryFile("w+") as errors:
        with subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            encoding="utf-8",
        ) as child:
            assert child.stdout is not None
            for line in child.stdout:
                message = json.loads(line)
                if "progress" in message:
                    progress(*message["progress"])
                elif "error" in message:
                    raise _error(message["error"])
                elif message.get("done"):
                    return
        errors.seek(0)
        last_words = errors.read().strip().splitlines()[-3:]
    raise IndexError_(
        f"The index rebuild stopped unexpectedly (exit status {child.returncode}); the "
        "indexes from before are still in use." + "".join(f"\n{line}" for line in last_words)
    )


def _error(said: dict[str, str]) -> GlossaryError:
    """The child's error line as the error the browser shows (its title, its message)."""
    error = GlossaryError(said["message"])
    error.title = said["title"]
    return error
