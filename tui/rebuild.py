"""Rebuild the search indexes in a child process, so the UI never shares its GIL with it.

Rebuilding the dense index loads the full embedding model, and with it PyTorch: importing
torch, loading the weights and writing the indexes hold the GIL for up to a second at a time
(measured with ``bench/bench_tui.py``: one block of 820 ms), and a worker thread that holds
the GIL stops the UI thread as surely as work on the UI thread itself. A child process has a
GIL of its own. It reports on its stdout, one JSON object per line; the app then opens the
rebuilt indexes (a read, and no torch: queries are embedded without it).

The child is this module's :func:`main`, started as ``python -I -c …``: isolated mode, so
neither the current folder nor ``PYTHON*`` variables can put a module of their own (an
``argparse.py`` in the working folder) ahead of ours; the only path added is the folder this
package was imported from. This module must not import Textual.
"""

from __future__ import annotations

import argparse
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

_CHILD = "import sys; sys.path.insert(0, sys.argv.pop(1)); from tui.rebuild import main; main()"


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
    package_root = str(Path(__file__).resolve().parent.parent)
    command = [sys.executable, "-I", "-c", _CHILD, package_root]
    command += [arg for folder in extra_folders for arg in ("--data", str(folder))]
    command += ["--model", model] if model else []
    command += ["--device", device] if device else []
    command += [] if semantic else ["--no-semantic"]
    with tempfile.TemporaryFile("w+") as errors:
        with subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        ) as child:
            assert child.stdout is not None
            for line in child.stdout:
                message = json.loads(line)
                if "progress" in message:
                    progress(*message["progress"])
                elif "error" in message:
                    title, text = message["error"]
                    error = GlossaryError(text)
                    error.title = title
                    raise error
                elif message.get("done"):
                    return
        errors.seek(0)
        last_words = errors.read().strip().splitlines()[-3:]
    raise IndexError_(
        f"The index rebuild stopped unexpectedly (exit status {child.returncode}); the "
        "indexes from before are still in use." + "".join(f"\n{line}" for line in last_words)
    )


def _say(message: dict[str, object]) -> None:
    print(json.dumps(message, ensure_ascii=False), flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    """The child: open the engine, rebuild, and say how it went on stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", default=[], type=Path)
    parser.add_argument("--model", default=None)
    parser.add_argument("--device", default=None)
    parser.add_argument("--no-semantic", action="store_true")
    args = parser.parse_args(argv)

    from glossary.search.engine import SearchEngine

    def report(stage: str, done: int = 0, total: int = 0) -> None:
        _say({"progress": [stage, done, total]})

    try:
        engine = SearchEngine.open(args.data, model=args.model, device=args.device)
        engine.rebuild_indexes(report, semantic=not args.no_semantic)
    except GlossaryError as exc:
        _say({"error": [exc.title, str(exc)]})
        return
    _say({"done": True})


if __name__ == "__main__":
    main()
