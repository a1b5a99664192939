"""Run a snippet in a separate, supervised Python process and collect what it prints.

The snippet never runs in this process. Each run gets:

* the same interpreter (``sys.executable``) in isolated mode, ``-I``: no ``PYTHON*`` variables,
  no user site-packages, no current directory on ``sys.path``. Because ``-I`` ignores
  ``PYTHON*`` variables, their effect is asked for with flags instead (``-B -u -X utf8``);
  ``PYTHONHASHSEED`` has no flag, so string hashing stays randomized, as in a user's own run.
* a fresh temporary working directory, also ``HOME`` and ``TMPDIR``, removed afterwards;
* a scrubbed environment (``snippet_environment`` in :mod:`glossary.snippets.processes`);
  stdin is ``/dev/null``;
* resource limits (``snippet_limits``, same module): CPU time, data memory, file size, no core
  files, and (except CUDA snippets) ``RLIMIT_AS``, which counts shared mappings too;
* on Linux with unprivileged user namespaces, a sandbox (``_sandbox.py``): no network, its own
  PID namespace and ``/proc``, read-only files but for a private tmpfs of
  :data:`DEFAULT_TEMP_LIMIT_MB` (``/tmp``, the working directory, ``/dev/shm``), the user's home
  hidden, no capabilities. Elsewhere, or with :data:`NO_NAMESPACES_VARIABLE` set, runs fall
  back to the limits alone, and :attr:`RunResult.missing_protections` says what was missing;
* a wall-clock limit after which the supervisor kills every process of the run; the caller
  kills the supervisor itself one second later if it has not answered;
* output capped per stream (1 MB by default): past the cap the run is stopped and a note says
  the output was cut.

The snippet's failure (an exception, a non-zero exit, a timeout) is a :class:`RunResult`, never
an exception here. :func:`run_snippet` waits for the result; :func:`start_snippet` returns a
:class:`SnippetProcess` to read output from as it comes and to cancel. Why memory is
``RLIMIT_DATA`` rather than ``RLIMIT_AS``: see :mod:`glossary.snippets.processes`.
"""

from __future__ import annotations

import atexit
import codecs
import contextlib
import functools
import json
import os
import queue
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Protocol

from glossary.i18n import _
from glossary.schema import Entry, Snippet
from glossary.snippets.errors import NoSnippetError, SnippetRunError
from glossary.snippets.processes import (
    PYTHON_FLAGS,
    SANDBOX_SCRIPT,
    kill_group,
    remove_tree,
    snippet_environment,
    snippet_limits,
)

if TYPE_CHECKING:
    from glossary.snippets.warm import WarmLauncher

DEFAULT_TIMEOUT_S = 10.0
"""Wall-clock limit of a run unless the snippet or the caller says otherwise."""
DEFAULT_MEMORY_LIMIT_MB = 2048
"""``RLIMIT_DATA`` of a run; ``import torch`` alone takes about 230 MB of it."""
DEFAULT_OUTPUT_LIMIT = 1_000_000
"""Bytes kept of each of stdout and stderr; past this the run is stopped."""
DEFAULT_TEMP_LIMIT_MB = 256
"""Size of the private tmpfs that holds every file a sandboxed snippet may write."""
IMPORT_ROOM_MB = 512
"""Address space allowed, beyond torch's own libraries, for a fresh run to ``import torch``."""

NO_NAMESPACES_VARIABLE = "TORCHGLOSS_NO_NAMESPACES"
"""Set (non-empty), runs skip the namespace sandbox: where it breaks something, and in tests."""

BASE_PROTECTIONS = (
    "time_limit",
    "cpu_limit",
    "memory_limit",
    "output_limit",
    "file_size_limit",
    "clean_environment",
)
"""What every run has, on every platform."""
SANDBOX_PROTECTIONS = (
    "shared_memory_limit",
    "user_namespace",
    "pid_namespace",
    "no_network",
    "own_proc",
    "read_only_files",
    "private_tmp",
    "hidden_home",
)
"""What a run has where Linux namespaces are allowed (``shared_memory_limit``: not for CUDA)."""
BACKSTOP_S = 1.0
"""How long after the time limit the caller waits for the supervisor before killing it."""
DRAIN_S = 0.5
"""How long output is still read after the supervisor has gone."""

Stream = Literal["stdout", "stderr"]


@dataclass(frozen=True, slots=True)
class OutputChunk:
    """A piece of output, in the order it arrived."""

    stream: Stream
    text: str


@dataclass(frozen=True, slots=True)
class RunResult:
    """How one run of a snippet ended.

    Attributes:
        exit_code: the process's exit status; negative when killed by that signal (``-9`` after
            a timeout, a cancel or too much output); ``None`` when it did not run (``skipped``)
            or its supervisor vanished without reporting.
        stdout: what it printed, cut at the output limit (with a note saying so).
        stderr: its error output, plus notes from torchgloss in ``[torchgloss: …]`` lines.
        timed_out: the wall-clock limit stopped it.
        duration_s: wall time from start to exit.
        device: ``"cpu"`` or ``"cuda"``: where torch could run it (CUDA is hidden from snippets
            that do not declare ``requires_cuda``); ``None`` when skipped.
        skipped: why it was not run (for example, it needs CUDA and there is none); ``None``
            when it ran.
        truncated: output went past the limit, so the run was stopped and the output cut.
        cancelled: the caller cancelled it.
        warm: it was forked from a pre-warmed interpreter (:class:`~glossary.snippets.warm.
            WarmLauncher`) rather than started fresh.
        protections: what was in force (names from :data:`BASE_PROTECTIONS` and
            :data:`SANDBOX_PROTECTIONS`); empty when it did not run.
        sandbox_note: why the namespace sandbox, or a part of it, was not in force.
    """

    exit_code: int | None
    stdout: str
    stderr: str
    timed_out: bool
    duration_s: float
    device: str | None
    skipped: str | None = None
    truncated: bool = False
    cancelled: bool = False
    warm: bool = False
    protections: tuple[str, ...] = ()
    sandbox_note: str | None = None

    @property
    def missing_protections(self) -> tuple[str, ...]:
        """The sandbox protections that were not in force (empty when it did not run)."""
        if not self.protections:
            return ()
        return tuple(name for name in SANDBOX_PROTECTIONS if name not in self.protections)

    @property
    def ok(self) -> bool:
        """It ran to the end and exited with status 0."""
        return (
            self.exit_code == 0
            and self.skipped is None
            and not (self.timed_out or self.truncated or self.cancelled)
        )


def cuda_driver_present() -> bool:
    """A cheap hint that this machine has an NVIDIA driver (no torch import, no CUDA init).

    A snippet that needs CUDA is skipped without starting a process when this is False; when
    it is True, the snippet's own process confirms with ``torch.cuda.is_available()``.
    """
    return Path("/proc/driver/nvidia/version").exists() or shutil.which("nvidia-smi") is not None


class Launch(Protocol):
    """A started supervisor, however it was started (fresh interpreter or forked when warm)."""

    out_fd: int
    err_fd: int
    status_fd: int
    warm: bool

    def stop(self) -> None:
        """Ask the supervisor to kill the snippet now (it still reports how it ended)."""

    def kill(self, started: dict[str, int]) -> None:
        """Last resort when the supervisor does not answer: kill it, and the snippet if need be.

        ``started`` is the supervisor's ``started`` event (``pid``, ``snippet_pid``), or empty.
        """

    def close(self) -> None:
        """Release the supervisor (reap it) and the caller's ends of the channels."""


class _PlainLaunch:
    """A supervisor in a fresh interpreter: ``python -I _sandbox.py run``."""

    warm = False

    def __init__(self, request: dict[str, Any]) -> None:
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        request = {**request, "fds": {"control": 0, "status": 1, "out": out_w, "err": err_w}}
        try:
            self._process = subprocess.Popen(
                [sys.executable, *PYTHON_FLAGS, str(SANDBOX_SCRIPT), "run"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                pass_fds=(out_w, err_w),
                env=request["env"],
                cwd=request["workdir"],
                start_new_session=True,
            )
        except OSError as exc:
            for fd in (out_r, err_r):
                os.close(fd)
            raise SnippetRunError(
                _("Could not start {program}: {error}").format(program=sys.executable, error=exc)
            ) from exc
        finally:
            os.close(out_w)
            os.close(err_w)
        assert self._process.stdin is not None and self._process.stdout is not None
        self._stdin = self._process.stdin
        self.out_fd, self.err_fd = out_r, err_r
        self.status_fd = self._process.stdout.fileno()
        try:
            self._stdin.write(json.dumps(request).encode() + b"\n")
            self._stdin.flush()
        except BrokenPipeError:
            pass  # it died at once; the status channel's end of file reports that

    def stop(self) -> None:
        with contextlib.suppress(BrokenPipeError):
            self._stdin.close()

    def kill(self, started: dict[str, int]) -> None:
        # The supervisor is our child and not yet reaped, so its pid is still its own. The
        # snippet's group is killed by id: its leader may be reaped by now (not by us), but
        # Linux hands out pids in sequence, so the id is not reused this soon.
        kill_group(self._process.pid)
        if "snippet_pid" in started:
            kill_group(started["snippet_pid"])

    def close(self) -> None:
        self.stop()
        kill_group(self._process.pid)  # a no-op unless kill() was skipped
        self._process.wait()
        assert self._process.stdout is not None
        self._process.stdout.close()
        for fd in (self.out_fd, self.err_fd):
            os.close(fd)


class _Capture:
    """One output stream: bytes kept up to the limit, decoded incrementally for streaming."""

    def __init__(self, stream: Stream, limit: int) -> None:
        self.stream: Stream = stream
        self.limit = limit
        self.data = bytearray()
        self.cut = False
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def feed(self, data: bytes) -> str:
        room = self.limit - len(self.data)
        if len(data) > room:
            data = data[: max(room, 0)]
            self.cut = True
        self.data += data
        return self._decoder.decode(data)

    def finish(self) -> str:
        return self._decoder.decode(b"", final=True)

    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")


class SnippetProcess:
    """A running snippet: iterate for :class:`OutputChunk` pieces as they come, then ``wait()``.

    A thread of its own reads the output, so iterating is optional; ``cancel()`` never blocks.
    The temporary folder is removed and every process of the run is gone before ``wait()``
    returns. Use it as a context manager to cancel a run that is left early::

        with start_snippet("print('hi')") as run:
            for chunk in run:
                print(chunk.text, end="")
        result = run.wait()
    """

    def __init__(self, *, result: RunResult | None = None) -> None:
        """Internal: use :func:`start_snippet`. ``result`` makes one that is already over."""
        self._chunks: queue.SimpleQueue[OutputChunk | None] = queue.SimpleQueue()
        self._done = threading.Event()
        self._wake_lock = threading.Lock()
        self._iterated = False
        self._cancel_requested = False
        self._result = result
        self._thread: threading.Thread | None = None
        if result is not None:
            self._chunks.put(None)
            self._done.set()

    def _start(
        self,
        launch: Launch,
        workdir: str,
        started: float,
        timeout_s: float,
        requires_cuda: bool,
        output_limit: int,
        address_space_limited: bool,
    ) -> None:
        self._launch = launch
        self._address_space_limited = address_space_limited
        self._started = started
        self._workdir = workdir
        self._timeout_s = timeout_s
        self._requires_cuda = requires_cuda
        self._captures = {
            launch.out_fd: _Capture("stdout", output_limit),
            launch.err_fd: _Capture("stderr", output_limit),
        }
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._drive, name="snippet-run", daemon=True)
        with _LIVE_LOCK:
            _LIVE.add(self)
        self._thread.start()

    # -- public API

    def __iter__(self) -> Iterator[OutputChunk]:
        """Output pieces as they arrive, until the run is over (once; later calls yield nothing)."""
        if self._iterated:
            return
        self._iterated = True
        while (chunk := self._chunks.get()) is not None:
            yield chunk

    @property
    def done(self) -> bool:
        """The run is over and cleaned up."""
        return self._done.is_set()

    def cancel(self) -> None:
        """Stop the run: kills the snippet's processes soon; returns at once."""
        with self._wake_lock:
            if self._done.is_set() or self._cancel_requested:
                return
            self._cancel_requested = True
            os.write(self._wake_w, b"x")

    def wait(self, timeout: float | None = None) -> RunResult:
        """The result, once the run is over and cleaned up.

        Raises:
            TimeoutError: ``timeout`` seconds passed first.
        """
        if not self._done.wait(timeout):
            raise TimeoutError(f"the snippet is still running after {timeout} s")
        assert self._result is not None
        return self._result

    def __enter__(self) -> SnippetProcess:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.cancel()
        self.wait()

    # -- the reading thread

    def _drive(self) -> None:
        outcome: dict[str, Any] = {}
        try:
            self._collect(outcome)
        finally:
            try:
                self._launch.close()
                remove_tree(self._workdir)
            finally:
                self._result = self._finish(outcome)
                with self._wake_lock:  # cancel() must not write to a closed (reused) fd
                    os.close(self._wake_r)
                    os.close(self._wake_w)
                    self._done.set()
                with _LIVE_LOCK:
                    _LIVE.discard(self)
                self._chunks.put(None)

    def _collect(self, outcome: dict[str, Any]) -> None:
        """Read output and status events until the supervisor is gone and the pipes are closed."""
        launch = self._launch
        selector = selectors.DefaultSelector()
        for fd in (launch.out_fd, launch.err_fd, launch.status_fd, self._wake_r):
            selector.register(fd, selectors.EVENT_READ)
        status = b""
        stopping = False
        backstop = self._started + self._timeout_s + BACKSTOP_S
        drain_until: float | None = None
        started: dict[str, int] = {}
        with selector:
            while len(selector.get_map()) > 1:  # more than the wake-up pipe
                now = time.monotonic()
                if drain_until is not None and now >= drain_until:
                    return
                if "exit" not in outcome and now >= backstop:
                    launch.kill(started)
                    outcome["lost"] = outcome["timed_out"] = True
                    return
                if drain_until is not None:
                    wait: float | None = drain_until - now
                else:
                    wait = None if "exit" in outcome else backstop - now
                for key, _ in selector.select(wait):
                    fd = key.fd
                    if fd == self._wake_r:
                        os.read(fd, 64)
                        if self._cancel_requested and not stopping:
                            outcome["cancelled"] = stopping = True
                            launch.stop()
                        continue
                    data = os.read(fd, 1 << 16)
                    if not data:
                        selector.unregister(fd)
                        if fd == launch.status_fd:
                            drain_until = time.monotonic() + DRAIN_S
                            if "exit" not in outcome:  # the snippet killed its supervisor?
                                outcome["lost"] = True
                                launch.kill(started)
                    elif fd == launch.status_fd:
                        *lines, status = (status + data).split(b"\n")
                        for line in lines:
                            self._on_event(json.loads(line), outcome, started)
                    else:
                        capture = self._captures[fd]
                        self._emit(capture.stream, capture.feed(data))
                        if capture.cut and not stopping:
                            stopping = True
                            launch.stop()

    def _on_event(
        self, event: dict[str, Any], outcome: dict[str, Any], started: dict[str, int]
    ) -> None:
        kind = event["event"]
        if kind == "started":  # the pids the caller may kill: outside any PID namespace
            started.update({key: int(event[key]) for key in ("pid", "snippet_pid") if key in event})
        elif kind == "sandbox":
            outcome["protections"] = [str(name) for name in event["protections"]]
            outcome["sandbox_reason"] = event.get("reason") or None
        elif kind == "exit":
            outcome["exit"] = event["exit_code"]
            outcome["timed_out"] = bool(event["timed_out"])
            outcome["duration"] = time.monotonic() - self._started
        elif kind == "skip":
            outcome["skipped"] = str(event["reason"])
        elif kind == "device":
            outcome["device"] = str(event["device"])

    def _emit(self, stream: Stream, text: str) -> None:
        if text:
            self._chunks.put(OutputChunk(stream, text))

    def _finish(self, outcome: dict[str, Any]) -> RunResult:
        """Turn what was read into a result, adding notes on how the run was stopped."""
        stdout, stderr = self._captures.values()
        for capture in (stdout, stderr):
            self._emit(capture.stream, capture.finish())
        texts = {"stdout": stdout.text(), "stderr": stderr.text()}
        for capture in (stdout, stderr):
            if capture.cut:
                texts[capture.stream] += self._note(
                    capture.stream,
                    f"output cut at {capture.limit:,} bytes; the snippet was stopped",
                )
        code = outcome.get("exit")
        if outcome.get("timed_out"):
            texts["stderr"] += self._note(
                "stderr", f"stopped at the {self._timeout_s:g} s time limit"
            )
        elif code == -signal.SIGXCPU:
            texts["stderr"] += self._note("stderr", "stopped by the CPU time limit")
        if outcome.get("lost"):
            texts["stderr"] += self._note(
                "stderr", "the supervising process ended without reporting how the run ended"
            )
        skipped = outcome.get("skipped")
        protections: tuple[str, ...] = ()
        if "protections" in outcome:
            shared = ("shared_memory_limit",) if self._address_space_limited else ()
            protections = (*BASE_PROTECTIONS, *shared, *outcome["protections"])
        return RunResult(
            exit_code=None if skipped else code,
            stdout=texts["stdout"],
            stderr=texts["stderr"],
            timed_out=bool(outcome.get("timed_out")),
            duration_s=round(outcome.get("duration", time.monotonic() - self._started), 4),
            device=None
            if skipped
            else outcome.get("device", None if self._requires_cuda else "cpu"),
            skipped=skipped,
            truncated=stdout.cut or stderr.cut,
            cancelled=bool(outcome.get("cancelled")),
            warm=self._launch.warm,
            protections=protections,
            sandbox_note=outcome.get("sandbox_reason"),
        )

    def _note(self, stream: Stream, message: str) -> str:
        text = f"\n[torchgloss: {message}]\n"
        self._emit(stream, text)
        return text


_LIVE: set[SnippetProcess] = set()
"""Runs not yet over, so that an interrupted caller can stop them and remove their folders."""
_LIVE_LOCK = threading.Lock()


def cancel_running_snippets(wait_s: float = BACKSTOP_S + DRAIN_S + 1) -> None:
    """Cancel every run of this process and wait (up to ``wait_s``) until each is cleaned up.

    Called at exit, so that Ctrl-C or a SIGTERM turned into an exception (the CLI does that)
    leaves no ``torchgloss-run-*`` folder and no process behind.
    """
    with _LIVE_LOCK:
        running = list(_LIVE)
    for process in running:
        process.cancel()
    deadline = time.monotonic() + wait_s
    for process in running:
        with contextlib.suppress(TimeoutError):
            process.wait(max(deadline - time.monotonic(), 0))


atexit.register(cancel_running_snippets)


def start_snippet(
    source: str | Snippet | Entry,
    *,
    timeout_s: float | None = None,
    requires_cuda: bool | None = None,
    memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB,
    output_limit: int = DEFAULT_OUTPUT_LIMIT,
    temp_limit_mb: int = DEFAULT_TEMP_LIMIT_MB,
    launcher: WarmLauncher | None = None,
) -> SnippetProcess:
    """Start running a snippet in its own supervised process; returns at once.

    Args:
        source: the code, or a :class:`Snippet` or :class:`Entry` whose ``timeout_s`` and
            ``requires_cuda`` are used unless given here.
        timeout_s: wall-clock limit (default :data:`DEFAULT_TIMEOUT_S`).
        requires_cuda: skip the run (with the reason) where CUDA is not available.
        memory_limit_mb: ``RLIMIT_DATA`` of the snippet's process, and (except for CUDA
            snippets) the address space it may map beyond what it starts with, shared or not.
        output_limit: bytes kept of each of stdout and stderr; more stops the run.
        temp_limit_mb: size of the private temporary folder (sandboxed runs only).
        launcher: a :class:`~glossary.snippets.warm.WarmLauncher` to fork from instead of
            starting a fresh interpreter (not used for CUDA snippets: CUDA and fork do not mix).

    Raises:
        NoSnippetError: ``source`` is an entry without a snippet.
        SnippetRunError: no process could be started.

    Example:
        >>> run = start_snippet("print(6 * 7)")
        >>> [chunk.text for chunk in run], run.wait().exit_code
        (['42\\n'], 0)
    """
    snippet: Snippet | None
    if isinstance(source, str):
        code, snippet = source, None
    elif isinstance(source, Entry):
        if source.snippet is None:
            raise NoSnippetError(
                _("{entry_id!r} has no example snippet to run.").format(entry_id=source.id)
            )
        snippet = source.snippet
        code = snippet.code
    else:
        snippet, code = source, source.code
    if timeout_s is None:
        timeout_s = (snippet.timeout_s if snippet else None) or DEFAULT_TIMEOUT_S
    if requires_cuda is None:
        requires_cuda = snippet.requires_cuda if snippet else False
    if requires_cuda and not cuda_driver_present():
        reason = "it needs CUDA, and this machine has no NVIDIA driver"
        return SnippetProcess(result=RunResult(None, "", "", False, 0.0, None, skipped=reason))
    workdir = tempfile.mkdtemp(prefix="torchgloss-run-")
    started = time.monotonic()
    request = {
        "code": code,
        "deadline": started + timeout_s,  # CLOCK_MONOTONIC is the same in every process
        "requires_cuda": requires_cuda,
        "workdir": workdir,
        "env": snippet_environment(workdir, requires_cuda=requires_cuda),
        "limits": snippet_limits(timeout_s, memory_limit_mb),
        "isolate": not os.environ.get(NO_NAMESPACES_VARIABLE),
        "temp_limit_mb": temp_limit_mb,
        "hide": hidden_folders(),
    }
    # CUDA reserves tens of GB of address space: CUDA snippets get RLIMIT_DATA only.
    room = None if requires_cuda else memory_limit_mb
    try:
        if launcher is not None and not requires_cuda and launcher.accepts(request):
            launch: Launch = launcher.launch({**request, "address_space_mb": room})
        else:
            fresh_room = None if room is None else room + torch_import_room_mb()
            launch = _PlainLaunch({**request, "address_space_mb": fresh_room})
    except BaseException:
        remove_tree(workdir)
        raise
    process = SnippetProcess()
    process._start(
        launch, workdir, started, timeout_s, requires_cuda, output_limit, room is not None
    )
    return process


def hidden_folders() -> list[str]:
    """The folders a sandboxed snippet sees empty: the user's home (``$HOME`` and the
    password database's, where they differ), torchgloss's own folder, and the runtime folders
    (``/run``, ``$XDG_RUNTIME_DIR``) whose Unix sockets are local services: a read-only mount
    does not stop ``connect()`` to a socket, only not seeing it does."""
    import pwd

    from glossary.paths import home_dir

    folders = {os.path.expanduser("~"), str(home_dir()), "/run"}
    with contextlib.suppress(KeyError):
        folders.add(pwd.getpwuid(os.getuid()).pw_dir)
    if xdg := os.environ.get("XDG_RUNTIME_DIR"):
        folders.add(xdg)
    return sorted(folders)


@functools.cache
def torch_import_room_mb() -> int:
    """Address space a fresh interpreter may need for ``import torch``: its shared libraries
    (those of the ``nvidia`` packages too) plus :data:`IMPORT_ROOM_MB`; measured once, without
    importing torch (the CPU build maps 0.63 GB for 0.45 GB of libraries)."""
    import importlib.util

    spec = importlib.util.find_spec("torch")
    total = 0
    if spec is not None and spec.submodule_search_locations:
        torch_dir = Path(next(iter(spec.submodule_search_locations)))
        libraries = [*torch_dir.glob("lib/*.so*"), *torch_dir.parent.glob("nvidia/*/lib/*.so*")]
        for library in libraries:
            with contextlib.suppress(OSError):
                total += library.stat().st_size
    return total // 2**20 + IMPORT_ROOM_MB


def run_snippet(
    source: str | Snippet | Entry,
    *,
    timeout_s: float | None = None,
    requires_cuda: bool | None = None,
    memory_limit_mb: int = DEFAULT_MEMORY_LIMIT_MB,
    output_limit: int = DEFAULT_OUTPUT_LIMIT,
    temp_limit_mb: int = DEFAULT_TEMP_LIMIT_MB,
    launcher: WarmLauncher | None = None,
) -> RunResult:
    """Run a snippet in its own supervised process and wait for the result.

    Takes the arguments of :func:`start_snippet`. The call returns within the time limit plus
    about a second, whatever the snippet does; its failures are in the result.

    Example:
        >>> result = run_snippet("import sys; print('hi'); sys.exit(3)")
        >>> result.stdout, result.exit_code, result.timed_out
        ('hi\\n', 3, False)
    """
    process = start_snippet(
        source,
        timeout_s=timeout_s,
        requires_cuda=requires_cuda,
        memory_limit_mb=memory_limit_mb,
        output_limit=output_limit,
        temp_limit_mb=temp_limit_mb,
        launcher=launcher,
    )
    with process:  # interrupted (Ctrl-C), it cancels the run and cleans up before raising
        return process.wait()
