"""A pre-warmed interpreter that imports torch once and forks a fresh process per snippet.

``import torch`` costs far more than a typical snippet's own work, so checking a few hundred
snippets in fresh interpreters spends most of its time importing. A
:class:`WarmLauncher` starts one interpreter (the zygote) that imports torch and then only
forks: each snippet gets a supervisor and a snippet process forked from it, with its own
session, process group, temporary folder, environment, rlimits, stdio and ``__main__`` module,
exactly as in a fresh start (``_sandbox.py`` does the same work in both). Module state the
snippet changes dies with its process. What siblings do share is what the zygote did before
forking: modules already imported, and the string-hash seed.

Two rules keep forking safe. The zygote must be single-threaded when it forks (math libraries
are limited to one thread, and the launcher refuses a zygote that reports more), and it never
initializes CUDA, so snippets that need CUDA always start fresh. Each forked supervisor enters
the namespace sandbox itself (``_sandbox.py``), so a warm run is as isolated as a fresh one and
cannot see or signal the zygote. Without namespaces the zygote is a child subreaper: if a
snippet kills its supervisor, what it leaves behind is re-parented to the zygote and killed
there. Linux only; elsewhere runs start fresh.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from glossary.snippets.errors import SnippetRunError
from glossary.snippets.processes import (
    PYTHON_FLAGS,
    SANDBOX_SCRIPT,
    kill_group,
    remove_tree,
    snippet_environment,
)

MAX_CODE_BYTES = 64 * 1024
"""Longer snippets start fresh: a request must fit in one socket message."""
PRELOAD = ("torch", "torch._dynamo")
"""Imported by the zygote. torch imports ``torch._dynamo`` (with sympy, 800 modules, 3 s) the
first time an optimizer steps or a model is compiled or exported: a third of the bundled
snippets. Modules that fail to import are left out."""
START_TIMEOUT_S = 120.0
"""How long the zygote may take to import its modules."""


class WarmLauncher:
    """Start snippets by forking an interpreter that has already imported ``preload``.

    Thread-safe; close it (or use ``with``) when done. Runs still going when it closes are
    killed.

    Example:
        >>> with WarmLauncher() as launcher:
        ...     result = run_snippet("import torch; print(torch.ones(2).sum())", launcher=launcher)

    Raises:
        SnippetRunError: forking is not supported here, or the zygote did not start.
    """

    def __init__(self, preload: tuple[str, ...] = PRELOAD) -> None:
        if not self.supported():
            raise SnippetRunError("Pre-warmed snippet runs need Linux; start them fresh instead.")
        self._lock = threading.Lock()
        self._home = tempfile.mkdtemp(prefix="torchgloss-warm-")
        self._control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        log_path = Path(self._home) / "zygote.log"
        try:
            with theirs, log_path.open("wb") as log:
                self._process = self._spawn(theirs.fileno(), preload, log)
        except OSError as exc:
            self._control.close()
            remove_tree(self._home)
            raise SnippetRunError(f"Could not start {sys.executable}: {exc}") from exc
        self._control.settimeout(START_TIMEOUT_S)
        try:
            ready = json.loads(self._control.recv(4096) or b"{}")
        except (TimeoutError, ValueError):
            ready = {}
        self._control.settimeout(None)
        if ready.get("event") != "ready":
            log_tail = log_path.read_text(errors="replace")[-2000:]
            self.close()
            raise SnippetRunError(f"The pre-warmed interpreter did not start:\n{log_tail}")
        if ready["threads"] != 1:
            self.close()
            raise SnippetRunError(
                f"The pre-warmed interpreter runs {ready['threads']} threads after importing "
                f"{', '.join(preload)}; forking it would not be safe."
            )

    def _spawn(
        self, control_fd: int, preload: tuple[str, ...], log: IO[bytes]
    ) -> subprocess.Popen[bytes]:
        """Start the zygote: ``python -I _sandbox.py zygote FD MODULE…``, in its own session."""
        return subprocess.Popen(
            [
                sys.executable,
                *PYTHON_FLAGS,
                str(SANDBOX_SCRIPT),
                "zygote",
                str(control_fd),
                *preload,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
            pass_fds=(control_fd,),
            env=snippet_environment(self._home, requires_cuda=False),
            cwd=self._home,
            start_new_session=True,
        )

    @staticmethod
    def supported() -> bool:
        """Whether this platform can run snippets warm (Linux, with fd passing)."""
        return sys.platform.startswith("linux") and hasattr(socket, "send_fds")

    @property
    def pid(self) -> int:
        """The zygote's process id."""
        return self._process.pid

    def accepts(self, request: dict[str, Any]) -> bool:
        """Whether this request can be forked here (small enough for one message)."""
        return len(request["code"].encode()) <= MAX_CODE_BYTES and self._process.poll() is None

    def launch(self, request: dict[str, Any]) -> _WarmLaunch:
        """Fork a supervisor for ``request`` (called by ``start_snippet``)."""
        return _WarmLaunch(self, request)

    def _send(self, request: dict[str, Any], fds: list[int]) -> None:
        message = json.dumps(request).encode()
        with self._lock:
            try:
                socket.send_fds(self._control, [message], fds)
            except OSError as exc:
                raise SnippetRunError(f"The pre-warmed interpreter is gone: {exc}") from exc

    def close(self) -> None:
        """Stop the zygote (and any run still going); remove its folder."""
        self._control.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            kill_group(self._process.pid)
            self._process.wait()
        remove_tree(self._home)

    def __enter__(self) -> WarmLauncher:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class _WarmLaunch:
    """One run forked by the zygote; talks to its supervisor over a socket of its own."""

    warm = True

    def __init__(self, launcher: WarmLauncher, request: dict[str, Any]) -> None:
        self._socket, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        try:
            launcher._send(request, [theirs.fileno(), out_w, err_w])
        except BaseException:
            self._socket.close()
            os.close(out_r)
            os.close(err_r)
            raise
        finally:
            theirs.close()
            os.close(out_w)
            os.close(err_w)
        self.out_fd, self.err_fd = out_r, err_r
        self.status_fd = self._socket.fileno()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self._socket.shutdown(socket.SHUT_WR)  # the supervisor reads end of file

    def kill(self, started: dict[str, int]) -> None:
        # The zygote adopts and kills whatever a dead supervisor leaves behind, so killing the
        # supervisor is enough (if it is gone already, the zygote has done that).
        if "pid" in started:
            with contextlib.suppress(ProcessLookupError):
                os.kill(started["pid"], signal.SIGKILL)

    def close(self) -> None:
        self._socket.close()
        for fd in (self.out_fd, self.err_fd):
            os.close(fd)
