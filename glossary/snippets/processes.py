"""How a snippet's processes are started, limited and cleaned up: one home for the fresh
runner (:mod:`glossary.snippets.runner`) and the pre-warmed one (:mod:`glossary.snippets.warm`).

Both start ``_sandbox.py`` with the same interpreter flags and scrubbed environment, hand the
same resource limits to the snippet's process, kill a process group that is left behind, and
remove a work folder the snippet may have locked down.

Why ``RLIMIT_DATA`` and not ``RLIMIT_AS``: the address-space limit counts every mapping, and
CUDA builds of torch reserve tens of GB of address space on start-up, so an ``RLIMIT_AS`` that
stops a runaway snippet also breaks a CUDA one. ``RLIMIT_DATA`` counts private writable memory
only (heap, anonymous mmaps, thread stacks; Linux 4.7 and later), which is what a runaway
allocation grows: a loop of ``bytearray`` allocations stops with a ``MemoryError`` at the limit,
as ``torch.empty`` does with a ``RuntimeError``.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import signal
import stat
from pathlib import Path
from typing import Any

SANDBOX_SCRIPT = Path(__file__).with_name("_sandbox.py")
"""The supervisor script, run by path under ``-I`` (it imports nothing of torchgloss)."""
PYTHON_FLAGS = ("-I", "-B", "-u", "-X", "utf8")
"""Isolated mode; no .pyc files, unbuffered output and UTF-8 I/O, asked for by flag because
``-I`` ignores ``PYTHONDONTWRITEBYTECODE``, ``PYTHONUNBUFFERED`` and ``PYTHONIOENCODING``."""

PASSED_ENVIRONMENT = ("PATH", "LANG", "LANGUAGE", "TZ", "LD_LIBRARY_PATH")
"""Variables a snippet inherits (with every ``LC_*``): enough to find programs, speak the
user's locale and load the interpreter's own libraries; nothing else of the caller's."""

FILE_SIZE_LIMIT_MB = 64
"""``RLIMIT_FSIZE``: no file the snippet writes may grow larger."""


def snippet_environment(home: str, *, requires_cuda: bool) -> dict[str, str]:
    """The whole environment a snippet sees: nothing of the caller's beyond a short allowlist.

    ``HOME`` and ``TMPDIR`` are the run's own folder. Math libraries use one thread (the
    checker runs snippets in parallel instead). GPUs are hidden unless the snippet needs CUDA.
    ``PYTHONHASHSEED`` and ``PYTHONDONTWRITEBYTECODE`` reach Python processes the snippet may
    start; the snippet's own interpreter runs under ``-I`` and gets flags instead.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key in PASSED_ENVIRONMENT or key.startswith("LC_")
    }
    env.setdefault("PATH", os.defpath)
    env.update(
        HOME=home,
        TMPDIR=home,
        PYTHONHASHSEED="0",
        PYTHONDONTWRITEBYTECODE="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
    )
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if not requires_cuda:
        env["CUDA_VISIBLE_DEVICES"] = ""
    elif visible is not None:
        env["CUDA_VISIBLE_DEVICES"] = visible
    return env


def snippet_limits(timeout_s: float, memory_limit_mb: int) -> dict[str, list[int]]:
    """Resource limits as ``{"RLIMIT_…": [soft, hard]}``, applied in the snippet's process.

    CPU time is the wall-clock limit plus one second (SIGXCPU at the soft limit, SIGKILL one
    second later): a backstop that holds even if the supervisor is gone. Memory is
    ``RLIMIT_DATA`` (see the module docstring for why not ``RLIMIT_AS``). The number of
    processes is not limited: ``RLIMIT_NPROC`` counts all of the user's processes and does
    not bind root, so the supervisor's kill-everything-left sweep does that job instead.
    """
    cpu = math.ceil(timeout_s) + 1
    memory = memory_limit_mb * 1024 * 1024
    file_size = FILE_SIZE_LIMIT_MB * 1024 * 1024
    return {
        "RLIMIT_CPU": [cpu, cpu + 1],
        "RLIMIT_DATA": [memory, memory],
        "RLIMIT_FSIZE": [file_size, file_size],
        "RLIMIT_CORE": [0, 0],
    }


def kill_group(pid: int) -> None:
    """Kill the process group ``pid`` leads (each run's processes start a session of their
    own); a group that is gone already, or not ours, is left alone."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def remove_tree(path: str) -> None:
    """Remove a run's folder even where the snippet took permissions away."""

    def make_writable(function: Any, failed: str, _exc: Any) -> None:
        try:
            os.chmod(os.path.dirname(failed), stat.S_IRWXU)
            if os.path.isdir(failed) and not os.path.islink(failed):
                os.chmod(failed, stat.S_IRWXU)
            function(failed)
        except OSError:
            pass  # nothing more a non-root caller can do; the folder is left in the temp dir

    shutil.rmtree(path, onerror=make_writable)
