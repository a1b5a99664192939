"""Issue 22: the snippet sandbox is a boundary, with real processes, sockets and files.

A snippet cannot reach a local service (TCP on 127.0.0.1, a Unix socket), read the user's
home or any process's environment, outlive its run (double fork, ``setsid``, killing its
supervisor and the zygote), map more memory than its cap (private or shared), or write more
than its temporary folder's cap; its writes elsewhere do not persist. A backtracking
``output_regex`` fails quickly, and SIGTERM or Ctrl-C leaves no temporary folder behind.
Where Linux namespaces are unavailable the tests that need them are skipped, and the
fallback test checks that it is reported.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from glossary.loader import Glossary
from glossary.snippets.runner import run_snippet, torch_import_room_mb
from glossary.snippets.warm import WarmLauncher
from tests.glossary.snippets.conftest import sleep_tag, tagged_processes, wait_until_gone

MakeGlossary = Callable[[dict[str, tuple[str, str]]], Glossary]
REPO = Path(__file__).resolve().parents[3]


def _namespaces_work() -> bool:
    unshare = shutil.which("unshare")
    if not sys.platform.startswith("linux") or unshare is None:
        return False
    probe = [unshare, "-U", "-r", "-p", "-f", "--mount-proc", "-n", "true"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


needs_namespaces = pytest.mark.skipif(
    not _namespaces_work(), reason="unprivileged user namespaces are not available here"
)


def code(text: str) -> str:
    return textwrap.dedent(text).strip() + "\n"


def cli(*args: str, **kwargs: object) -> subprocess.Popen[str]:
    """``python -m glossary ARGS`` from this checkout, in a process of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "glossary", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,  # type: ignore[call-overload]
    )


@needs_namespaces
def test_cannot_reach_a_listening_socket_on_localhost(launcher: WarmLauncher | None) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        result = run_snippet(
            code(f"""
                import socket
                try:
                    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
                    print("connected")
                except OSError as exc:
                    print("refused", exc.errno)
            """),
            launcher=launcher,
        )
        server.setblocking(False)
        with pytest.raises(BlockingIOError):
            server.accept()  # nobody connected
    assert result.stdout.startswith("refused"), result
    assert "no_network" in result.protections


@pytest.fixture
def fake_home(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``$HOME`` in /var/tmp (not /tmp, which a snippet sees empty anyway), with a secret."""
    if not os.access("/var/tmp", os.W_OK):
        pytest.skip("/var/tmp is not writable here")
    home = Path(tempfile.mkdtemp(prefix="torchgloss-test-home-", dir="/var/tmp"))
    (home / "secret.txt").write_text("s3cret", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    yield home
    shutil.rmtree(home)


@needs_namespaces
def test_cannot_read_a_file_in_home(launcher: WarmLauncher | None, fake_home: Path) -> None:
    result = run_snippet(
        code(f"""
            import os
            print(sorted(os.listdir({str(fake_home)!r})))
            try:
                print(open({str(fake_home / "secret.txt")!r}).read())
            except OSError as exc:
                print("unreadable", exc.errno)
        """),
        launcher=launcher,
    )
    assert result.stdout == "[]\nunreadable 2\n", result
    assert (fake_home / "secret.txt").read_text(encoding="utf-8") == "s3cret"


@needs_namespaces
def test_cannot_reach_a_unix_socket_in_the_runtime_folder(
    launcher: WarmLauncher | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Like ``torchgloss serve``'s: a read-only mount does not stop connect(), hiding does."""
    if not os.access("/var/tmp", os.W_OK):
        pytest.skip("/var/tmp is not writable here")
    runtime = Path(tempfile.mkdtemp(prefix="torchgloss-test-run-", dir="/var/tmp"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    path = str(runtime / "service.sock")
    try:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(path)
            server.listen()
            result = run_snippet(
                code(f"""
                    import socket
                    with socket.socket(socket.AF_UNIX) as client:
                        try:
                            client.connect({path!r})
                            print("connected")
                        except OSError as exc:
                            print("refused", exc.errno)
                """),
                launcher=launcher,
            )
    finally:
        shutil.rmtree(runtime)
    assert result.stdout == "refused 2\n", result  # ENOENT: not even visible


SCAN_ENVIRON = code("""
    import os
    found = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/environ", "rb") as environ:
                    if b"TORCHGLOSS_TEST_SECRET" in environ.read():
                        found.append(pid)
            except OSError:
                pass
    print(len(found))
""")


@needs_namespaces
@pytest.mark.parametrize("mode", ["fresh", "warm"])
def test_cannot_read_any_process_environment(mode: str) -> None:
    """The caller's environment (a real one: /proc shows a process's initial environment)."""
    program = (
        "import sys\n"
        "from glossary.snippets.runner import run_snippet\n"
        "from glossary.snippets.warm import WarmLauncher\n"
        "launcher = WarmLauncher(preload=()) if sys.argv[2] == 'warm' else None\n"
        "print(run_snippet(sys.argv[1], launcher=launcher).stdout, end='')\n"
        "launcher and launcher.close()\n"
    )
    env = {**os.environ, "TORCHGLOSS_TEST_SECRET": "s3cret"}
    done = subprocess.run(
        [sys.executable, "-c", program, SCAN_ENVIRON, mode],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout == "0\n", done


ESCAPE = """
import os, signal, time
ready_r, ready_w = os.pipe()
if os.fork() == 0:  # double fork into a session of its own
    os.setsid()
    if os.fork() == 0:
        os.write(ready_w, b".")
        os.execvp("sleep", ["sleep", TAG])
    os._exit(0)
os.read(ready_r, 1)
supervisor = os.getppid()
with open(f"/proc/{supervisor}/stat") as stat:
    zygote = int(stat.read().rsplit(")", 1)[1].split()[1])
for pid in (supervisor, zygote):  # the supervisor, and (warm) the zygote above it
    if pid not in (0, 1, CALLER):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
time.sleep(0.5)
"""


@needs_namespaces
@pytest.mark.parametrize("mode", ["fresh", "warm"])
def test_cannot_outlive_its_run(mode: str) -> None:
    tag = sleep_tag()
    launcher = WarmLauncher(preload=()) if mode == "warm" else None
    snippet = f"TAG = {tag!r}\nCALLER = {os.getpid()}\n" + ESCAPE
    try:
        result = run_snippet(snippet, timeout_s=5, launcher=launcher)
        assert wait_until_gone(tag) == [], result
        assert result.exit_code == 0, result  # it could kill neither supervisor nor zygote
        if launcher is not None:
            assert run_snippet("print(1)", launcher=launcher).warm
    finally:
        for pid in tagged_processes(tag):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        if launcher is not None:
            launcher.close()


@needs_namespaces
@pytest.mark.parametrize("flags", ["MAP_PRIVATE", "MAP_SHARED"])
def test_cannot_map_more_than_its_memory_cap(launcher: WarmLauncher | None, flags: str) -> None:
    size_mb = 512 + torch_import_room_mb() + 256  # past the cap, fresh (room for torch) or warm
    result = run_snippet(
        code(f"""
            import mmap
            try:
                memory = mmap.mmap(-1, {size_mb} << 20, flags=mmap.{flags})
                print("mapped")
            except OSError as exc:
                print("refused", exc.errno)
            small = mmap.mmap(-1, 64 << 20, flags=mmap.{flags})  # within the cap: fine
            small[-1] = 1
        """),
        memory_limit_mb=512,  # RLIMIT_DATA counts the zygote's torch (0.3 GB)
        launcher=launcher,
    )
    assert result.stdout == "refused 12\n", result
    assert result.exit_code == 0
    assert "shared_memory_limit" in result.protections


@needs_namespaces
def test_cannot_write_more_than_its_temp_cap(launcher: WarmLauncher | None) -> None:
    result = run_snippet(
        code("""
            import os, tempfile
            written = 0
            try:
                for i in range(10):
                    with open(os.path.join(tempfile.gettempdir(), f"f{i}"), "wb") as out:
                        out.write(b"0" * (8 << 20))
                    written += 8
                errno = 0
            except OSError as exc:
                errno = exc.errno
            print(written, errno)
        """),
        temp_limit_mb=32,
        launcher=launcher,
    )
    written, errno = result.stdout.split()
    assert errno == "28" and int(written) <= 32, result  # ENOSPC
    assert "private_tmp" in result.protections


@needs_namespaces
def test_writes_outside_its_folder_do_not_persist(launcher: WarmLauncher | None) -> None:
    tag = sleep_tag()
    places = [f"/tmp/torchgloss-test-{tag}", f"/dev/shm/torchgloss-test-{tag}"]
    outside = f"/var/tmp/torchgloss-test-{tag}"
    try:
        result = run_snippet(
            code(f"""
                for path in {places!r}:
                    open(path, "w").write("x")
                try:
                    open({outside!r}, "w").write("x")
                except OSError as exc:
                    print("refused", exc.errno)
            """),
            launcher=launcher,
        )
        assert result.exit_code == 0, result
        assert result.stdout in ("refused 30\n", "refused 13\n", "refused 2\n")  # EROFS
        assert not any(os.path.exists(path) for path in [*places, outside])
    finally:
        for path in [*places, outside]:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)


def test_the_fallback_says_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TORCHGLOSS_NO_NAMESPACES", "1")
    result = run_snippet("print(1)")
    assert result.stdout == "1\n"
    assert "pid_namespace" in result.missing_protections
    assert "no_network" in result.missing_protections
    assert result.sandbox_note and "TORCHGLOSS_NO_NAMESPACES" in result.sandbox_note
    done = cli("run", "torch.cat", env={**os.environ, "NO_COLOR": "1"})
    _, err = done.communicate(timeout=120)
    assert err.count("note: examples ran without user_namespace, pid_namespace") == 1, err


def test_a_backtracking_output_regex_fails_quickly(user_glossary: MakeGlossary) -> None:
    snippet = "code: \"print('a' * 40 + '!')\"\noutput_regex: '^(a+)+$'"
    folder = user_glossary({"my.redos": ("torch.add", snippet)}).folders[-1]
    started = time.monotonic()
    done = cli("--data", str(folder), "check-snippets", "--yes", "--fresh", "my.redos")
    try:
        out, _ = done.communicate(timeout=60)
    finally:
        done.kill()
    assert time.monotonic() - started < 30
    assert done.returncode == 1
    assert "FAIL my.redos" in out and "backtracks catastrophically" in out


SLEEPER = "code: \"import time\\nprint('started', flush=True)\\ntime.sleep(60)\"\ntimeout_s: 90"


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
@pytest.mark.parametrize("command", ["run", "check-snippets"])
def test_an_interrupted_run_leaves_no_temporary_folder(
    user_glossary: MakeGlossary, tmp_path: Path, stop: signal.Signals, command: str
) -> None:
    folder = user_glossary({"my.sleep": ("torch.add", SLEEPER)}).folders[-1]
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "NO_COLOR": "1"}
    done = cli("--data", str(folder), command, "my.sleep", "--yes", env=env)
    try:
        deadline = time.monotonic() + 60
        while not list(temp.glob("torchgloss-run-*")) and time.monotonic() < deadline:
            time.sleep(0.05)  # the run has started once its folder exists
        assert list(temp.glob("torchgloss-run-*")), done
        time.sleep(0.5)
        done.send_signal(stop)
        done.communicate(timeout=20)
    finally:
        done.kill()
    assert done.returncode != 0
    assert list(temp.iterdir()) == []  # no torchgloss-run-*, no torchgloss-warm-*


def test_run_json_names_the_protections() -> None:
    done = cli("run", "torch.cat", "--json")
    out, _ = done.communicate(timeout=120)
    data = json.loads(out)
    assert data["exit_code"] == 0
    assert {"time_limit", "memory_limit", "output_limit"} <= set(data["protections"])
    if _namespaces_work():
        assert data["missing_protections"] == [] and data["sandbox_note"] is None
    else:
        assert data["missing_protections"] and data["sandbox_note"]
