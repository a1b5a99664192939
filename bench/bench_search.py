"""Search speed as a user meets it, next to ``python -m pydoc torch.cat`` measured in the same run.

Prints a table: cold ``torchgloss search`` wall time and peak memory for an exact term and for
a paraphrase never asked before (its query-vector cache is cleared each time), warm latency
p50/p95 in-process and through ``torchgloss serve``, and dense-index build throughput.
Indexes are built first (not timed as cold searches) in a private TORCHGLOSS_HOME.

usage: python bench/bench_search.py [--runs 5]
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


def row(name: str, walls: list[float], peaks: list[float], ref: float | None) -> str:
    med = statistics.median(walls)
    ratio = f"{med / ref:5.2f}×" if ref else "    —"
    return f"{name:<42} {med:7.3f} s  {max(peaks):6.0f} MB  {ratio}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="tg-bench-"))
    env = {**os.environ, "TORCHGLOSS_HOME": str(home), "NO_COLOR": "1", "HF_HUB_OFFLINE": "1"}
    tg = [sys.executable, "-c", "from glossary.cli import main; main()"]

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
