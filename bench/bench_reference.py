"""What the reference layer costs: build time, file size, load time, entries per module.

Builds the layer in a private TORCHGLOSS_HOME (a real child process introspecting the
installed torch), then loads it ``--runs`` times in fresh interpreters and prints a table.

usage: python bench/bench_reference.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

LOAD = (
    "import sys, time\n"
    "from glossary.reference import load_reference_layer\n"
    "t = time.perf_counter()\n"
    "layer = load_reference_layer(build=False)\n"
    "ms = (time.perf_counter() - t) * 1000\n"
    "heavy = [m for m in ('torch', 'faiss', 'sentence_transformers') if m in sys.modules]\n"
    "print(ms, len(layer), ','.join(heavy) or '-')\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reference-") as home:
        env = {**os.environ, "TORCHGLOSS_HOME": home}
        os.environ["TORCHGLOSS_HOME"] = home
        sys.path.insert(0, str(REPO))
        from glossary.reference import load_reference_layer
        from glossary.reference.store import reference_path, torch_version

        started = time.perf_counter()
        layer = load_reference_layer()
        build_s = time.perf_counter() - started
        size = reference_path(torch_version()).stat().st_size
        loads = []
        for _ in range(args.runs):
            done = subprocess.run(
                [sys.executable, "-c", LOAD], cwd=REPO, env=env, capture_output=True, text=True
            )
            ms, count, heavy = done.stdout.split()
            loads.append(float(ms))
        print(f"torch {layer.torch_version}: {len(layer)} entries, {len(layer.skipped)} skipped")
        print(f"{'build (child process)':<34} {build_s:8.2f} s")
        print(f"{'store size':<34} {size / 1e6:8.2f} MB")
        label = f"load (after import), median of {args.runs}"
        print(f"{label:<34} {statistics.median(loads):8.1f} ms")
        print(f"{'load, best':<34} {min(loads):8.1f} ms   heavy imports: {heavy}")
        print()
        counts = Counter(entry.module for entry in layer.entries)
        with_examples = Counter(entry.module for entry in layer.entries if entry.examples)
        print(f"{'module':<40} {'entries':>8} {'examples':>9}")
        for module, count in counts.most_common():
            print(f"{module:<40} {count:>8} {with_examples[module]:>9}")
        for item in layer.skipped:
            print(f"skipped {item.name}: {item.error}: {item.message}")


if __name__ == "__main__":
    main()
