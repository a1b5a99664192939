"""The runner contains whatever a snippet does, with real processes, fresh and warm alike.

Each fault (endless loop, runaway allocation, children left behind, floods of output, files,
stdin, exceptions) must come back as a result within the time limit plus a second, with the
snippet's processes gone and its folder removed, and the caller still working.
"""

from __future__ import annotations

import json
import math
import os
import textwrap
import time
from pathlib import Path

import pytest

from glossary.schema import Entry
from glossary.snippets.errors import NoSnippetError
from glossary.snippets.runner import (
    DEFAULT_MEMORY_LIMIT_MB,
    cuda_driver_present,
    run_snippet,
    start_snippet,
)
from glossary.snippets.warm import WarmLauncher
from tests.glossary.snippets.conftest import is_gone, sleep_tag, wait_until_gone


def code(text: str) -> str:
    return textwrap.dedent(text).strip() + "\n"


def test_output_and_exit_status(launcher: WarmLauncher | None) -> None:
    result = run_snippet(
        code("""
            import sys
            print("héllo 世界")
            print("oops", file=sys.stderr)
            sys.exit(3)
        """),
        launcher=launcher,
    )
    assert (result.stdout, result.stderr, result.exit_code) == ("héllo 世界\n", "oops\n", 3)
    assert result.device == "cpu"
    assert result.warm is (launcher is not None)
    assert not (result.timed_out or result.truncated or result.cancelled or result.skipped)
    assert 0 < result.duration_s < 10


def test_an_exception_is_a_result_with_the_snippets_traceback(
    launcher: WarmLauncher | None,
) -> None:
    result = run_snippet("x = 1\nraise ValueError('boom')\n", launcher=launcher)
    assert result.exit_code == 1
    assert 'File "<snippet>", line 2, in <module>' in result.stderr
    assert "raise ValueError('boom')" in result.stderr
    assert result.stderr.rstrip().endswith("ValueError: boom")
    assert "_sandbox" not in result.stderr  # the traceback shows the snippet, not the runner


def test_an_endless_loop_is_killed_at_the_time_limit(launcher: WarmLauncher | None) -> None:
    started = time.monotonic()
    result = run_snippet("while True:\n    pass\n", timeout_s=1.0, launcher=launcher)
    assert time.monotonic() - started < 1.0 + 1.0
    assert result.timed_out
    assert result.exit_code == -9
    assert "time limit" in result.stderr


def test_unbounded_allocation_stops_at_the_memory_limit(launcher: WarmLauncher | None) -> None:
    result = run_snippet(
        code("""
            chunks = []
            while True:
                chunks.append(bytearray(10**7))
        """),
        memory_limit_mb=1024,
        launcher=launcher,
    )
    assert result.exit_code == 1
    assert "MemoryError" in result.stderr
    assert not result.timed_out


CHILDREN = """
import os, time

ready_r, ready_w = os.pipe()

def sleeper():
    os.write(ready_w, b".")
    os.execvp("sleep", ["sleep", TAG])

for _ in range(3):
    if os.fork() == 0:
        sleeper()
if os.fork() == 0:  # a daemon: a new session, then its parent exits
    os.setsid()
    if os.fork() == 0:
        sleeper()
    os._exit(0)
for _ in range(4):
    os.read(ready_r, 1)
"""


@pytest.mark.parametrize("ending", ["exits", "times out"])
def test_child_processes_are_gone_after_the_run(launcher: WarmLauncher | None, ending: str) -> None:
    tag = sleep_tag()
    count = "print(len(os.popen('pgrep -f \"^sleep ' + TAG + '\"').read().split()))\n"
    tail = "time.sleep(60)\n" if ending == "times out" else count
    started = time.monotonic()
    result = run_snippet(f"TAG = {tag!r}\n" + CHILDREN + tail, timeout_s=3.0, launcher=launcher)
    assert time.monotonic() - started < 3.0 + 1.0
    if ending == "exits":
        assert result.stdout == "4\n", result  # all four ran
    assert wait_until_gone(tag, within_s=0) == []
    assert result.timed_out is (ending == "times out")


def test_a_snippet_that_kills_its_supervisor_leaves_nothing_behind(
    launcher: WarmLauncher | None,
) -> None:
    tag = sleep_tag()
    result = run_snippet(
        f"TAG = {tag!r}\n"
        + code("""
            import os, signal, time
            ready_r, ready_w = os.pipe()
            if os.fork() == 0:
                os.write(ready_w, b".")
                os.execvp("sleep", ["sleep", TAG])
            os.read(ready_r, 1)
            os.kill(os.getppid(), signal.SIGKILL)
            time.sleep(0.5)
        """),
        timeout_s=5.0,
        launcher=launcher,
    )
    if "pid_namespace" in result.protections:  # process 1 of a namespace cannot be killed
        assert result.exit_code == 0, result
    else:
        assert result.exit_code is None
        assert "without reporting" in result.stderr
    assert wait_until_gone(tag) == []  # the zygote reaps what it adopted asynchronously


@pytest.mark.parametrize(
    "snippet",
    ["while True:\n    print('x' * 1000)\n", "import sys\nsys.stdout.write('y' * 5_000_000)\n"],
    ids=["endless", "one big write"],
)
def test_a_flood_of_output_is_cut_and_stopped(launcher: WarmLauncher | None, snippet: str) -> None:
    started = time.monotonic()
    result = run_snippet(snippet, output_limit=100_000, timeout_s=30, launcher=launcher)
    assert time.monotonic() - started < 10
    assert result.truncated and not result.timed_out
    assert result.stdout.endswith(
        "[torchgloss: output cut at 100,000 bytes; the snippet was stopped]\n"
    )
    assert 100_000 <= len(result.stdout) < 100_200


def test_files_stay_in_a_folder_that_is_removed(
    launcher: WarmLauncher | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_snippet(
        code("""
            import json, os, tempfile
            with open("out.txt", "w") as f:
                f.write("data")
            with open(os.path.join(tempfile.gettempdir(), "tmp.txt"), "w") as f:
                f.write("data")
            os.makedirs(os.path.expanduser("~/.cache/x"))
            try:
                with open("big.bin", "wb") as f:
                    f.write(b"0" * (65 * 2**20))
                too_big = None
            except OSError as exc:
                too_big = exc.errno
            os.makedirs("locked/inner")
            os.chmod("locked", 0)  # taking permissions away does not keep the folder around
            home = os.path.expanduser("~")
            print(json.dumps([os.getcwd(), tempfile.gettempdir(), home, too_big]))
        """),
        launcher=launcher,
    )
    cwd, tmp, home, too_big = json.loads(result.stdout)
    assert cwd == tmp == home
    assert not Path(cwd).exists()
    assert list(tmp_path.iterdir()) == []  # nothing in the caller's working directory
    assert too_big == 27  # EFBIG: RLIMIT_FSIZE stops a file at 64 MB


def test_stdin_is_empty(launcher: WarmLauncher | None) -> None:
    result = run_snippet("import sys\nprint(repr(sys.stdin.read()))\ninput()\n", launcher=launcher)
    assert result.stdout == "''\n"
    assert result.exit_code == 1
    assert "EOFError" in result.stderr
    assert not result.timed_out


def test_environment_flags_and_limits(
    launcher: WarmLauncher | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TORCHGLOSS_TEST_SECRET", "s3cret")
    monkeypatch.setenv("PYTHONPATH", "/nowhere")
    result = run_snippet(
        code("""
            import json, os, resource, sys
            print(json.dumps({
                "env": dict(os.environ),
                "cwd": os.getcwd(),
                "isolated": sys.flags.isolated,
                "no_bytecode": sys.flags.dont_write_bytecode,
                "argv": sys.argv,
                "data": resource.getrlimit(resource.RLIMIT_DATA),
                "cpu": resource.getrlimit(resource.RLIMIT_CPU),
                "core": resource.getrlimit(resource.RLIMIT_CORE),
                "stdin_tty": sys.stdin.isatty(),
            }))
        """),
        timeout_s=4.5,
        launcher=launcher,
    )
    seen = json.loads(result.stdout)
    env = seen["env"]
    assert "TORCHGLOSS_TEST_SECRET" not in env and "PYTHONPATH" not in env
    assert env["HOME"] == env["TMPDIR"] == seen["cwd"]
    assert env["CUDA_VISIBLE_DEVICES"] == ""
    assert env["OMP_NUM_THREADS"] == "1"
    assert env["PATH"] == os.environ["PATH"]
    assert seen["isolated"] == 1 and seen["no_bytecode"] == 1 and seen["argv"] == ["-c"]
    assert seen["data"] == [DEFAULT_MEMORY_LIMIT_MB * 2**20] * 2
    assert seen["cpu"] == [math.ceil(4.5) + 1, math.ceil(4.5) + 2]
    assert seen["core"] == [0, 0]
    assert seen["stdin_tty"] is False


def test_each_warm_run_is_a_fresh_process(warm_launcher: WarmLauncher) -> None:
    snippet = code("""
        import os, random, torch
        started = open("/proc/self/stat").read().rsplit(")", 1)[1].split()[19]
        process = f"{os.getpid()}:{started}"  # pids repeat in PID namespaces; start times do not
        print(process, random.random(), hasattr(torch, "leak"), flush=True)
        torch.leak = True
    """)
    first, second = (run_snippet(snippet, launcher=warm_launcher) for _ in range(2))
    pid1, random1, leak1 = first.stdout.split()
    pid2, random2, leak2 = second.stdout.split()
    assert pid1 != pid2
    assert random1 != random2
    assert leak1 == leak2 == "False"


def test_output_streams_while_running_and_cancel_stops_it(launcher: WarmLauncher | None) -> None:
    tag = sleep_tag()
    process = start_snippet(
        f"TAG = {tag!r}\n"
        + code("""
            import os, sys, time
            if os.fork() == 0:
                os.execvp("sleep", ["sleep", TAG])
            sys.stdout.write("running" + chr(10))  # one write; print() makes two
            sys.stdout.flush()
            os.execvp("sleep", ["sleep", TAG])
        """),
        timeout_s=30,
        launcher=launcher,
    )
    chunks = iter(process)
    first = next(chunks)
    assert first.stream == "stdout" and not process.done
    started = time.monotonic()
    process.cancel()
    assert time.monotonic() - started < 0.1  # cancel() does not block
    result = process.wait(timeout=5)
    assert time.monotonic() - started < 2
    assert result.cancelled and result.exit_code == -9 and not result.timed_out
    assert first.text == "running\n" and wait_until_gone(tag, within_s=0) == []
    assert list(chunks) == []


def test_needing_cuda_without_a_gpu_is_skipped() -> None:
    if cuda_driver_present():
        pytest.skip("this machine has an NVIDIA driver")
    result = run_snippet("import torch\nprint(torch.ones(1).cuda())\n", requires_cuda=True)
    assert result.skipped == "it needs CUDA, and this machine has no NVIDIA driver"
    assert result.exit_code is None and result.device is None and not result.ok


def test_entries_and_their_snippet_settings_are_accepted() -> None:
    entry = Entry.model_validate(
        {
            "id": "torch.add",
            "kind": "api",
            "api": "torch.add",
            "term": {"en": "torch.add", "ja": "たしざん"},
            "definition": {"en": "Adds.", "ja": "足す。"},
            "snippet": {"code": "import time\ntime.sleep(5)\n", "timeout_s": 0.5},
        }
    )
    assert run_snippet(entry).timed_out
    with pytest.raises(NoSnippetError):
        start_snippet(entry.model_copy(update={"snippet": None}))


def test_a_closed_launcher_leaves_no_zygote() -> None:
    launcher = WarmLauncher(preload=())
    assert run_snippet("print(1)", launcher=launcher).stdout == "1\n"
    launcher.close()
    assert is_gone(launcher.pid)


@pytest.mark.parametrize("warm", [False, True])
def test_a_snippet_does_not_inherit_the_runners_future_imports(
    launcher: WarmLauncher | None, warm: bool
) -> None:
    """The runner's own ``from __future__ import annotations`` must not turn a snippet's
    annotations into strings (TorchScript reads them as types)."""
    code = "def f(x: int) -> int:\n    return x\nprint(f.__annotations__['x'] is int)\n"
    result = run_snippet(code, timeout_s=20.0, launcher=launcher if warm else None)
    assert result.stdout == "True\n", result
