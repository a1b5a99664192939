"""How long does checking every bundled snippet take, fresh interpreters vs. pre-warmed forks?

Runs :func:`glossary.snippets.checks.check_all` over the bundled glossary once per mode and
prints a table: total wall time (a warm run includes starting its zygote), and the per-snippet
run time (start to exit, as ``RunResult.duration_s`` measures it) at the median and 95th
percentile.

    python bench/bench_snippets.py                 # both modes, all bundled snippets
    python bench/bench_snippets.py --modes warm    # only the pre-warmed mode
    python bench/bench_snippets.py --limit 40      # the first 40 snippets (fresh mode is slow)
"""

from __future__ import annotations

import argparse
import statistics
import time

from glossary.loader import Glossary, collect
from glossary.paths import bundled_data_dir
from glossary.snippets.checks import SnippetCheck, check_all, default_jobs


def bundled_glossary() -> Glossary:
    """The bundled glossary alone (no user folders), without the cross-entry checks."""
    folder = bundled_data_dir()
    entries, origins, _ = collect([folder], trusted=[folder])
    return Glossary(entries=entries, origins=origins, folders=[folder])


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", default="fresh,warm", help="comma-separated: fresh, warm")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--limit", type=int, default=None, help="only the first N snippets")
    args = parser.parse_args()

    glossary = bundled_glossary()
    ids = [entry.id for entry in glossary.entries if entry.snippet is not None][: args.limit]
    rows = []
    for mode in args.modes.split(","):
        started = time.perf_counter()
        checks: list[SnippetCheck] = check_all(glossary, args.jobs, ids=ids, warm=mode == "warm")
        total = time.perf_counter() - started
        durations = [c.result.duration_s for c in checks if c.result is not None]
        passed = sum(c.status == "passed" for c in checks)
        warm_runs = sum(bool(c.result and c.result.warm) for c in checks)
        rows.append(
            (
                mode,
                len(checks),
                args.jobs,
                f"{total:.1f}",
                f"{statistics.median(durations):.3f}",
                f"{percentile(durations, 0.95):.3f}",
                f"{passed}/{len(checks)}",
                str(warm_runs),
            )
        )
    header = ("mode", "snippets", "jobs", "total s", "p50 s", "p95 s", "passed", "forked")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(cell).rjust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
