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

Either way, where Linux allows unprivileged user namespaces, one run is this process tree::

    outer supervisor  (session leader; new user, mount and network namespaces; only waits)
    └── supervisor    (process 1 of a new PID namespace; mounts; dies with its parent)
        └── snippet   (its own process group; no capabilities; fds 0/1/2 = /dev/null, pipes)
            └── whatever the snippet starts

The supervisor enforces the wall-clock limit, kills the snippet's process group and then every
other process of the namespace, reaps them all and only then reports ``exit``. A snippet cannot
signal its process 1 (the kernel drops SIGKILL from inside), cannot see or signal anything
outside the namespace, and everything in it dies with process 1 whatever it does. The mounts
(:func:`_isolate_files`) give it its own ``/proc``, read-only files, a size-capped tmpfs as
``/tmp``, working folder and ``/dev/shm``, and empty folders over the user's home; the network
namespace has only ``lo``. Where namespaces are not available the tree is today's fallback::

    supervisor  (session leader; child subreaper)
    └── snippet (its own process group)

whose supervisor kills the snippet's group and every descendant left over (orphans are
re-parented to it, a subreaper, so a child that called ``setsid()`` is found too). Its
``sandbox`` event says which protections were in force, and why others were not. The snippet
process applies its resource limits, takes a fresh environment, working directory and
``__main__`` module, drops its capabilities, and runs the code.
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
    try:  # thread-self, not getpid(): in a PID namespace whose /proc is the host's they differ
        with open("/proc/thread-self/children", "rb") as listing:
            return [int(pid) for pid in listing.read().split()]
    except FileNotFoundError:  # a kernel without CONFIG_PROC_CHILDREN: read every process
        pass
    me = int(os.readlink("/proc/self"))
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
    """Fork the snippet, watch it, clean up after it. Returns only in the snippet process.

    Where the kernel allows, the supervisor first moves into new namespaces and forks the real
    supervisor as process 1 of a new PID namespace (:func:`_enter_sandbox`); this process then
    only waits for it. Otherwise it supervises with today's limits and says why.
    """
    fds = request["fds"]
    os.dup2(fds["err"], 2)  # the supervisor's own errors (bugs) reach the caller too
    _send(fds["status"], event="started", pid=os.getpid())
    protections, missing_reason = [], "TORCHGLOSS_NO_NAMESPACES turned them off"
    if request.get("isolate"):
        protections, missing_reason = _enter_sandbox(request)
    namespaced = "pid_namespace" in protections
    _become_subreaper()
    wakeup = _wakeup_pipe()
    pid = os.fork()
    if pid == 0:
        _drop_wakeup_pipe(wakeup)
        os.setpgid(0, 0)
        request["namespaced"] = namespaced
        return
    with contextlib.suppress(OSError):  # also here, so the group exists whichever runs first
        os.setpgid(pid, pid)
    if namespaced:  # the snippet cannot signal process 1; ignoring SIGINT keeps its handler away
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _send(fds["status"], event="sandbox", protections=protections, reason=missing_reason)
    else:  # outside a PID namespace the caller may need the snippet's pid as a last resort
        _send(fds["status"], event="started", pid=os.getpid(), snippet_pid=pid)
        _send(fds["status"], event="sandbox", protections=protections, reason=missing_reason)
    reason = _watch(pid, fds["control"], wakeup, float(request["deadline"]))
    # The snippet is not reaped yet, so its process group id cannot have been reused.
    _kill(pid, group=True)
    if namespaced:
        _kill(-1)  # as process 1: every other process of the namespace, wherever it hides
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


# ---------------------------------------------------------------------------------- namespaces

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x20000, 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT = 1, 24, 38, 47
SYS_MOUNT_SETATTR, AT_FDCWD, AT_RECURSIVE, MOUNT_ATTR_RDONLY = 442, -100, 0x8000, 1
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 1
STAGING = ".torchgloss-"
"""Prefix of the folders in the private ``/tmp`` that are bound onto the other writable places."""


def _libc() -> Any:
    import ctypes

    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        import ctypes

        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str = "") -> None:
    """mount(2); ``None`` arguments are NULL."""
    args = [None if text is None else os.fsencode(text) for text in (source, target, fstype)]
    _check(_libc().mount(*args, flags, os.fsencode(data)), f"mount {target}")


def _enter_sandbox(request: dict[str, Any]) -> tuple[list[str], str]:
    """Move into new user, mount, network and PID namespaces; return in process 1 of the last.

    The process that calls this stays outside the new PID namespace: it forks the supervisor
    that becomes process 1 there, waits for it and exits with it, never returning. Process 1
    dies with it (parent-death signal), and the kernel kills every process of a PID namespace
    when its process 1 ends, so nothing a snippet starts can outlive the run.

    Returns the protections in force and what failed, if anything (in process 1, or, when
    there are no namespaces, in the only process).
    """
    if not sys.platform.startswith("linux"):
        return [], "this system has no Linux namespaces"
    uid, gid = os.getuid(), os.getgid()
    libc = _libc()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID) != 0:
        import ctypes

        return [], f"user namespaces are not available here ({os.strerror(ctypes.get_errno())})"
    maps = (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1"))
    try:
        for name, text in maps:  # the same ids inside: files keep their owners
            with open(f"/proc/self/{name}", "w") as map_file:
                map_file.write(text)
    except OSError as exc:  # no capabilities to use: the limits alone (in a PID namespace)
        return [], f"the user namespace could not map this user ({exc.strerror})"
    child = os.fork()
    if child:
        while True:
            with contextlib.suppress(InterruptedError):
                os.waitpid(child, 0)
                break
        os._exit(0)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    problems: list[str] = []
    protections = ["user_namespace", "pid_namespace", "no_network"]
    protections += _isolate_files(request, problems)
    try:
        _loopback_up()
    except OSError as exc:  # still no network: only local sockets (gloo) miss it
        problems.append(f"the loopback interface stays down ({exc})")
    return protections, "; ".join(problems)


def _isolate_files(request: dict[str, Any], problems: list[str]) -> list[str]:
    """Mount this namespace's own /proc, a read-only view of the files, a size-capped private
    /tmp (also the working folder and /dev/shm) and empty folders over the user's home.

    Each step that fails is left out of the returned protections and added to ``problems``.
    """
    done: list[str] = []
    workdir = request["workdir"]
    steps = [
        ("own_proc", lambda: _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)),
        ("private_tmp", lambda: _private_tmp(workdir, int(request["temp_limit_mb"]))),
        ("hidden_home", lambda: _hide_folders(request["hide"], workdir)),
        ("read_only_files", lambda: _read_only_root(done, workdir)),  # last: it needs the rest
    ]
    try:
        _mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing mounted here leaks out
    except OSError as exc:
        problems.append(f"no private mounts ({exc})")
        return done
    for name, step in steps:
        try:
            step()
        except OSError as exc:
            problems.append(f"no {name} ({exc})")
        else:
            done.append(name)
    return done


def _read_only_root(done: list[str], workdir: str) -> None:
    """Make every mount read-only but the private /tmp, its binds and /proc (mount_setattr,
    Linux 5.12). Without a private /tmp the working folder would be read-only: nothing done."""
    if "private_tmp" not in done:
        raise OSError("the private /tmp is missing, so the files stay writable")
    _set_read_only("/", True, recursive=True)
    writable = ["/tmp", "/dev/shm", "/proc"]
    if os.path.commonpath(["/tmp", workdir]) != "/tmp":
        writable.append(workdir)
    for path in writable:
        if os.path.isdir(path):
            _set_read_only(path, False)


def _set_read_only(path: str, read_only: bool, *, recursive: bool = False) -> None:
    import ctypes

    change = (MOUNT_ATTR_RDONLY, 0) if read_only else (0, MOUNT_ATTR_RDONLY)
    attr = (ctypes.c_uint64 * 4)(*change, 0, 0)  # attr_set, attr_clr, propagation, userns_fd
    flags = AT_RECURSIVE if recursive else 0
    result = _libc().syscall(SYS_MOUNT_SETATTR, AT_FDCWD, os.fsencode(path), flags, attr, 32)
    _check(result, f"mount_setattr {path}")


def _interpreter_dirs() -> set[str]:
    """The folders the interpreter itself loads from (a virtual environment, ``sys.path``)."""
    needed = [sys.prefix, sys.base_prefix, os.path.dirname(sys.executable), *sys.path]
    needed += os.environ.get("LD_LIBRARY_PATH", "").split(":")
    return {os.path.realpath(p) for p in needed if p and os.path.isdir(p)}


def _outermost_inside(folder: str, paths: set[str]) -> list[str]:
    """The paths inside ``folder`` (not itself) that no other of them contains."""
    inside = sorted(p for p in paths if p != folder and os.path.commonpath([folder, p]) == folder)
    keep: list[str] = []
    for path in inside:  # sorted: a folder comes before what it contains
        if not any(os.path.commonpath([kept, path]) == kept for kept in keep):
            keep.append(path)
    return keep


def _private_tmp(workdir: str, size_mb: int) -> None:
    """One tmpfs of ``size_mb`` over /tmp, bound onto the working folder and /dev/shm too.

    What the interpreter loads from under /tmp (a virtual environment made there, as CI
    does) is bound back in, read-only once :func:`_read_only_root` has run.
    """
    keep = _outermost_inside("/tmp", _interpreter_dirs())
    handles = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path in keep}
    try:
        _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, f"size={size_mb}m,mode=1777")
        for path, handle in handles.items():
            os.makedirs(path, exist_ok=True)
            _mount(f"/proc/self/fd/{handle}", path, None, MS_BIND | MS_REC)
    finally:
        for handle in handles.values():
            os.close(handle)
    if os.path.commonpath(["/tmp", workdir]) == "/tmp":
        os.makedirs(workdir, mode=0o700, exist_ok=True)
    else:
        _bind_private(workdir, 0o700)
    if os.path.isdir("/dev/shm"):
        _bind_private("/dev/shm", 0o1777)


def _bind_private(target: str, mode: int) -> None:
    staging = os.path.join("/tmp", STAGING + target.strip("/").replace("/", "-"))
    os.makedirs(staging, exist_ok=True)
    os.chmod(staging, mode)
    _mount(staging, target, None, MS_BIND)


def _hide_folders(folders: list[str], workdir: str) -> None:
    """Cover each folder with an empty read-only tmpfs, keeping visible (read-only) what the
    interpreter itself loads from there (a virtual environment in the home folder)."""
    needed_dirs = _interpreter_dirs()
    for folder in {os.path.realpath(f) for f in folders}:
        if folder in ("/", "/tmp") or folder in needed_dirs or not os.path.isdir(folder):
            continue  # hiding the interpreter's own folder would break every run
        keep = _outermost_inside(folder, needed_dirs)
        handles = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path in keep}
        _mount("tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755")
        try:
            for path, handle in handles.items():
                os.makedirs(path, exist_ok=True)
                _mount(f"/proc/self/fd/{handle}", path, None, MS_BIND | MS_REC)
            if os.path.commonpath([folder, workdir]) == folder:  # bind the private one back
                os.makedirs(workdir, exist_ok=True)
                _bind_private(workdir, 0o700)
            _mount(None, folder, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, "size=1m")
        except OSError:
            _libc().umount2(os.fsencode(folder), MNT_DETACH)  # half hidden would break runs
            raise
        finally:
            for handle in handles.values():
                os.close(handle)


def _loopback_up() -> None:
    """Bring up ``lo`` in the new network namespace: local sockets (gloo) work, nothing else."""
    import fcntl
    import struct

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH14x", b"lo", 0)
        flags = struct.unpack("16sH14x", fcntl.ioctl(sock, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | IFF_UP))


def _drop_capabilities() -> None:
    """In the snippet: give up every capability the new user namespace granted, for good, so
    that it cannot undo the mounts (unmount the tmpfs over the home folder, say)."""
    import ctypes

    libc = _libc()
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    cap = 0
    while libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0:
        cap += 1
    libc.prctl(PR_CAP_AMBIENT, 4, 0, 0, 0)  # PR_CAP_AMBIENT_CLEAR_ALL
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this thread
    data = (ctypes.c_uint32 * 6)()  # effective, permitted, inheritable (two words each): none
    _check(libc.capset(header, data), "capset")


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
    _set_limits(request["limits"], request.get("address_space_mb"))
    try:
        _drop_capabilities()
    except OSError:
        if request["namespaced"]:
            raise  # the mounts are only a boundary for a process without capabilities
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


def _set_limits(limits: dict[str, list[int]], address_space_mb: int | None) -> None:
    """Apply rlimits as both soft and hard limit (never above an existing hard limit).

    ``address_space_mb`` more than is mapped now becomes ``RLIMIT_AS``: unlike ``RLIMIT_DATA``
    it counts shared mappings too (``mmap(MAP_SHARED)``), measured from what the interpreter
    (and the zygote's torch) already maps.
    """
    import resource

    limits = dict(limits)
    if address_space_mb is not None:
        with open("/proc/self/status", "rb") as status:
            mapped_kb = int(status.read().split(b"VmSize:")[1].split()[0])
        room = mapped_kb * 1024 + address_space_mb * 1024 * 1024
        limits["RLIMIT_AS"] = [room, room]
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
        exec(compile(code, SNIPPET_FILENAME, "exec", dont_inherit=True), module.__dict__)
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
