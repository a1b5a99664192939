"""``torchgloss serve``: keep the model and indexes loaded for instant CLI searches."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import TYPE_CHECKING

import click

from glossary.cli.common import console, data_dirs

if TYPE_CHECKING:
    from glossary.search.engine import SearchEngine


@click.command()
@click.option(
    "--socket", "socket_path", type=click.Path(dir_okay=False, path_type=Path), help="Socket path."
)
@click.option("--model", default=None, help="Sentence-transformers model name or path.")
@click.option("--device", default=None, help="cuda, mps or cpu (default: the best available).")
@click.option("--status", is_flag=True, help="Say whether a server is running, then exit.")
@click.option("--stop", is_flag=True, help="Stop the running server.")
@click.pass_context
def serve(
    ctx: click.Context,
    socket_path: Path | None,
    model: str | None,
    device: str | None,
    status: bool,
    stop: bool,
) -> None:
    """Run a resident search server that `torchgloss search` uses when it is up.

    The socket is owner-only, in the user's runtime folder. Stop it with Ctrl-C or
    `torchgloss serve --stop`.

    \b
    例: torchgloss serve &
        torchgloss search "テンソルをつなげる"   # answered by the server
    """
    from glossary.server import (
        SearchServer,
        default_socket_path,
        is_server_alive,
        prepare_socket_path,
    )
    from glossary.server_client import request, untrusted_reason

    path = socket_path or default_socket_path()
    out = console(stderr=True)
    if status or stop:
        alive = is_server_alive(path)
        if stop and alive:
            request(path, {"op": "shutdown"}, private_folder=False)
            out.print(f"Stopped the server on {path}.")
        else:
            out.print(f"A server is {'running' if alive else 'not running'} on {path}.")
        ctx.exit(0 if alive or stop else 1)

    folders = data_dirs(ctx)
    prepare_socket_path(path)  # refuse a bad --socket before minutes of loading
    out.print("Loading the model and indexes…")
    engine = _open_engine(folders, model, device)
    from glossary.datafiles import glossary_folders

    server = SearchServer(
        path,
        engine,
        glossary_folders(folders),
        reopen=lambda: _open_engine(folders, model, device),
    )
    signal.signal(signal.SIGTERM, _raise_interrupt)
    out.print(f"Serving on {path} (Ctrl-C to stop).")
    reason = untrusted_reason(path)
    if reason is not None:
        out.print(f"Note: `torchgloss search` will not use this socket: {reason}.")
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        out.print("Server stopped.")


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _open_engine(folders: list[Path], model: str | None, device: str | None) -> SearchEngine:
    from glossary.cli.common import warn_skipped
    from glossary.search.engine import SearchEngine

    engine = SearchEngine.open(folders, model=model, device=device)
    warn_skipped(engine.skipped)
    engine.ensure_semantic()
    return engine
