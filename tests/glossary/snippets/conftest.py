"""Fixtures for the snippet tests: one pre-warmed launcher per session, and both ways to run.

Every isolation test runs twice, through a fresh interpreter and forked from the pre-warmed
one, because both must keep the same promises.
"""

from __future__ import annotations

import os
import random
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from glossary.loader import Glossary, load_glossary
from glossary.snippets.warm import WarmLauncher


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "snippets: runs every bundled snippet on the installed torch (the CI guard)",
    )


@pytest.fixture(scope="session")
def warm_launcher() -> Iterator[WarmLauncher]:
    """One zygote for the whole session (it imports torch once: about 2-5 s)."""
    with WarmLauncher() as launcher:
        yield launcher


@pytest.fixture(params=["fresh", "warm"])
def launcher(request: pytest.FixtureRequest) -> WarmLauncher | None:
    """None (a fresh interpreter per run) or the session's warm launcher."""
    if request.param == "fresh":
        return None
    warm: WarmLauncher = request.getfixturevalue("warm_launcher")
    return warm


def is_gone(pid: int) -> bool:
    """The process no longer runs: it does not exist, or is a zombie waiting for its reaper.

    Zombies count as gone because an orphan's reaper may be init, which some containers'
    init does slowly or never; the runner's own processes reap everything they started.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except FileNotFoundError:
        return True
    return stat.rsplit(b")", 1)[1].split()[0] == b"Z"


def sleep_tag() -> str:
    """A ``sleep`` argument no other process has: finds a snippet's processes from outside
    (inside a PID namespace, the pids a snippet sees mean nothing here)."""
    return f"60.{random.randrange(10**12):012d}"


def tagged_processes(tag: str) -> list[int]:
    """Live (not zombie) processes whose command line contains ``tag``."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{name}/cmdline").read_bytes()
        except OSError:
            continue
        if tag.encode() in cmdline and not is_gone(int(name)):
            found.append(int(name))
    return found


def wait_until_gone(tag: str, within_s: float = 2.0) -> list[int]:
    """The tagged processes still alive after ``within_s`` (reaping may be asynchronous)."""
    deadline = time.monotonic() + within_s
    while (left := tagged_processes(tag)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


API_ENTRY = """\
  - id: {id}
    kind: api
    api: {api}
    term: {{en: {id}, ja: れい}}
    definition: {{en: An example entry for tests., ja: テスト用の項目。}}
    snippet:
{snippet}
"""


@pytest.fixture
def user_glossary(tmp_path: Path) -> Callable[[dict[str, tuple[str, str]]], Glossary]:
    """Write API entries ``{id: (api, snippet_yaml)}`` to a user folder; load it with the rest."""

    def make(entries: dict[str, tuple[str, str]]) -> Glossary:
        folder = tmp_path / "user-glossary"
        folder.mkdir(exist_ok=True)
        body = "".join(
            API_ENTRY.format(id=entry_id, api=api, snippet=textwrap.indent(snippet, "      "))
            for entry_id, (api, snippet) in entries.items()
        )
        (folder / "mine.yaml").write_text("entries:\n" + body, encoding="utf-8")
        return load_glossary([folder])

    return make
