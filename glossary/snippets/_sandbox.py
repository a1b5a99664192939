"""The child side of a snippet run. Standard library only; executed as a script by ``python -I``.

It is never imported by torchgloss: :mod:`glossary.snippets.runner` and
:mod:`glossary.snippets.warm` start it, in one of two ways.

* ``python -I _sandbox.py run`` reads one JSON request line on stdin and supervises one snippet.
  Its stdin stays open as the kill switch (end of file means "stop now"); its stdout carries the
  status events, one JSON object a line.
* ``python -I _sandbox.py zygote FD [MODULE ...]`` imports the modules (torch) once, then serves
  requests arriving on the ``SOCK_SEQPACKET`` socket ``FD``: a JSON message with three file
  descriptors (the run's own socket, which is both kill switch and status channel, and the
  stdout and stderr pipes). Each request gets a freshly forked supervisor, so each snippet still
  starts from a clean process, without paying for ``import torch`` again.

Either way, one run is this process tree::

    supervisor  (session leader; child subreaper on Linux)
    └── snippet (its own process group; fds 0/1/2 = /dev/null and the caller's pipes)
        └── whatever the snippet starts

The supervisor enforces the wall-clock limit, kills the snippet's process group and then every
descendant left over (orphans are re-parented to the supervisor because it is a subreaper, so a
child that called ``setsid()`` is found too), reaps them all and only then reports ``exit``. The
snippet process applies its resource limits, takes a fresh environment, working directory and
``__main__`` module, and runs the code.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import sys
import time
from typing import Any, NoReturn

SNIPPET_FILENAME = "<snippet>"
MAX_REQUEST_BYTES = 1 << 20
PR_SET_CHILD_SUBREAPER = 36


def main() -> None:
    """Serve (zygote) or read one request, supervise it; the snippet process runs the code."""
    if sys.argv[1] == "zygote":
        request = _serve(int(sys.argv[2]), sys.argv[3:])
        if request is None:
            return
    else:
        request = _read_request(0)
    _supervise(request)
    _run_snippet(request)  # only the forked snippet process gets here


def _read_request(fd: int) -> dict[str, Any]:
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            raise SystemExit("sandbox: the request ended early")
        data += chunk
    request: dict[str, Any] = json.loads(data)
    return request


def _send(fd: int, **event: Any) -> None:
    """One status event; a caller that has gone away is not an error here."""
    with contextlib.suppress(OSError):
        os.write(fd, json.dumps(event).encode() + b"\n")


def _become_subreaper() -> None:
    """Have orphaned descendants re-parented to this process instead of init (Linux only)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _wakeup_pipe() -> int:
    """Make SIGCHLD wake a poll() through a pipe; returns the pipe's read end."""
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(write_end)
    return read_end


def _drop_wakeup_pipe(read_end: int) -> None:
    write_end = signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.close(read_end)
    if write_end >= 0:
        os.close(write_end)


def _kill(pid: int, *, group: bool = False) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        (os.killpg if group else os.kill)(pid, signal.SIGKILL)


def _children() -> list[int]:
    """This (single-threaded) process's children, from /proc; empty where there is no /proc."""
    me = os.getpid()
    try:
        with open(f"/proc/{me}/task/{me}/children", "rb") as listing:
            return [int(pid) for pid in listing.read().split()]
    except FileNotFoundError:  # a kernel without CONFIG_PROC_CHILDREN: read every process
        pass
    kids = []
    for name in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == me:
            kids.append(int(name))
    return kids


def _kill_all_children() -> dict[int, int]:
    """SIGKILL every child and reap them, until no child is left.

    A killed child's own children are re-parented here (subreaper) before its exit can be
    reaped, so each round finds the next generation. The listing of children may miss one that
    is just being re-parented, so a round waits for an exit only briefly before listing again.
    Returns the exit code of each reaped pid.
    """
    codes: dict[int, int] = {}
    while True:
        for pid in _children():
            _kill(pid)
        give_up = time.monotonic() + 0.05
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return codes
            if pid:
                codes[pid] = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() > give_up:
                break
            time.sleep(0.001)


# ---------------------------------------------------------------------------------- supervisor


def _supervise(request: dict[str, Any]) -> None:
    """Fork the snippet, watch it, clean up after it. Returns only in the snippet process."""
    fds = request["fds"]
    os.dup2(fds["err"], 2)  # the supervisor's own errors (bugs) reach the caller too
    _become_subreaper()
    wakeup = _wakeup_pipe()
    pid = os.fork()
    if pid == 0:
        _drop_wakeup_pipe(wakeup)
        os.setpgid(0, 0)
        return
    with contextlib.suppress(OSError):  # also here, so the group exists whichever runs first
        os.setpgid(pid, pid)
    _send(fds["status"], event="started", pid=os.getpid(), snippet_pid=pid)
    reason = _watch(pid, fds["control"], wakeup, float(request["deadline"]))
    # The snippet is not reaped yet, so its process group id cannot have been reused.
    _kill(pid, group=True)
    code = _kill_all_children().get(pid)
    _send(fds["status"], event="exit", exit_code=code, timed_out=reason == "timeout")
    os._exit(0)


def _watch(pid: int, control: int, wakeup: int, deadline: float) -> str:
    """Wait until the snippet exits, the deadline passes or the caller pulls the kill switch."""
    poller = select.poll()
    poller.register(control, select.POLLIN)
    poller.register(wakeup, select.POLLIN)
    while os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return "timeout"
        for fd, _ in poller.poll(remaining * 1000):
            if fd == control:
                return "stop"  # end of file or anything else: the caller wants it stopped
            os.read(wakeup, 512)
    return "exited"


# ------------------------------------------------------------------------------------- zygote


def _serve(ctrl_fd: int, modules: list[str]) -> dict[str, Any] | None:
    """Import ``modules`` once, then fork a supervisor per request.

    Returns the request in each forked supervisor; returns None in the zygote itself when the
    caller closes the control socket, after killing whatever is still running.
    """
    import gc
    import importlib
    import weakref

    ctrl = socket.socket(fileno=ctrl_fd)
    for name in modules:
        with contextlib.suppress(Exception):  # a snippet that needs it will show the error
            importlib.import_module(name)
    gc.freeze()  # keep the garbage collector from copying the shared pages in every child
    # Finalizers registered while importing are teardown (torch deregisters its 134 operator
    # libraries): children skip them at exit as they skip module teardown (62 ms each).
    for info in weakref.finalize._registry.values():  # type: ignore[attr-defined]
        info.atexit = False
    _become_subreaper()
    wakeup = _wakeup_pipe()
    ctrl.send(
        json.dumps({"event": "ready", "threads": len(os.listdir("/proc/self/task"))}).encode()
    )
    supervisors: set[int] = set()
    poller = select.poll()
    poller.register(ctrl, select.POLLIN)
    poller.register(wakeup, select.POLLIN)
    while True:
        for fd, _ in poller.poll():
            if fd == wakeup:
                os.read(wakeup, 512)
                _reap(supervisors)
                continue
            message, fds, _, _ = socket.recv_fds(ctrl, MAX_REQUEST_BYTES, 3)
            if not message:
                _kill_all_children()
                return None
            pid = os.fork()
            if pid == 0:
                _drop_wakeup_pipe(wakeup)
                ctrl.close()
                os.setsid()
                request: dict[str, Any] = json.loads(message)
                run_socket, out, err = fds
                request["fds"] = {
                    "control": run_socket,
                    "status": run_socket,
                    "out": out,
                    "err": err,
                }
                return request
            supervisors.add(pid)
            for received in fds:
                os.close(received)


def _reap(supervisors: set[int]) -> None:
    """Reap finished supervisors; kill what a dead supervisor left behind (adopted here)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        supervisors.discard(pid)
    for pid in _children():
        if pid not in supervisors:
            _kill(pid)


# ------------------------------------------------------------------------------------ snippet


def _run_snippet(request: dict[str, Any]) -> NoReturn:
    """In the snippet process: isolate, limit, run. Never returns."""
    status = _install_stdio(request["fds"])
    os.chdir(request["workdir"])
    os.environ.clear()
    os.environ.update(request["env"])
    _set_limits(request["limits"])
    _fresh_state()
    if request["requires_cuda"]:
        import torch

        if not torch.cuda.is_available():
            _send(
                status,
                event="skip",
                reason="torch.cuda.is_available() is False: this torch has no CUDA support, "
                "or no GPU is usable",
            )
            _exit(0)
        _send(status, event="device", device="cuda")
    os.close(status)
    _exec_main(request["code"])


def _install_stdio(fds: dict[str, int]) -> int:
    """Make fds 0/1/2 /dev/null and the caller's pipes; close the rest. Returns a status fd."""
    status = os.dup(fds["status"])
    out, err = os.dup(fds["out"]), os.dup(fds["err"])
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out, 1)
    os.dup2(err, 2)
    for fd in {devnull, out, err, *fds.values()} - {0, 1, 2}:
        os.close(fd)
    return status


def _set_limits(limits: dict[str, list[int]]) -> None:
    """Apply rlimits as both soft and hard limit (never above an existing hard limit)."""
    import resource

    for name, (soft, hard) in limits.items():
        kind = getattr(resource, name)
        ceiling = resource.getrlimit(kind)[1]
        if ceiling != resource.RLIM_INFINITY:
            soft, hard = min(soft, ceiling), min(hard, ceiling)
        resource.setrlimit(kind, (soft, hard))


def _fresh_state() -> None:
    """Undo what a process forked from the zygote shares with its siblings."""
    sys.argv[:] = ["-c"]
    if "tempfile" in sys.modules:
        sys.modules["tempfile"].tempdir = None  # re-read TMPDIR
    if "random" in sys.modules:
        sys.modules["random"].seed()
    if "numpy.random" in sys.modules:
        sys.modules["numpy.random"].seed()


def _exec_main(code: str) -> NoReturn:
    """Run ``code`` as ``python -c`` would: a fresh ``__main__``, tracebacks naming the snippet."""
    import builtins
    import linecache
    import traceback
    import types

    module = types.ModuleType("__main__")
    module.__builtins__ = builtins  # type: ignore[attr-defined]
    sys.modules["__main__"] = module
    lines = code.splitlines(keepends=True)
    linecache.cache[SNIPPET_FILENAME] = (len(code), None, lines, SNIPPET_FILENAME)
    status = 0
    try:
        exec(compile(code, SNIPPET_FILENAME, "exec"), module.__dict__)
    except SystemExit as exc:
        status = _exit_status(exc)
    except BaseException as exc:  # noqa: BLE001 - report what the snippet raised, like python does
        tb = exc.__traceback__.tb_next if exc.__traceback__ else None  # drop this frame
        traceback.print_exception(type(exc), exc, tb)
        status = 1
    _exit(status)


def _exit_status(exc: SystemExit) -> int:
    """The status ``sys.exit(arg)`` gives at top level (printing a non-integer ``arg``)."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1


def _exit(status: int) -> NoReturn:
    """End like the interpreter does (threads joined, atexit run, output flushed), minus teardown.

    Tearing down the modules writes to every object, and in a process forked from the zygote
    each write copies a page: with torch loaded that takes about 1.8 s, the snippet a few ms.
    """
    import atexit
    import threading

    threading._shutdown()  # type: ignore[attr-defined]  # what the interpreter calls at exit
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    main()
