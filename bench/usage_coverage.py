"""How much of the torch API that real code uses has a curated entry.

Counts, for each torch name, the source files of the installed ``transformers`` and
``sentence-transformers`` packages that use it (written ``torch.x``, ``nn.X`` or ``F.x``,
resolved in the installed torch to the longest name that exists), then reports which of the
most used names have a curated entry (its ``api``, or a ``torch.…`` alias) and what share of
the uses those cover. Modules themselves (``torch.nn``) are not counted.

    python bench/usage_coverage.py [--top 100 --top 300] [--missing 40] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import types
from collections import Counter
from pathlib import Path

_NAME_RE = re.compile(
    r"\b(torch(?:\.[A-Za-z_]\w*)+|nn\.[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*|F\.[A-Za-z_]\w*)"
)


def _resolve(name: str, torch: types.ModuleType) -> str | None:
    """The longest prefix of ``name`` that exists in torch and is not a module."""
    if name.startswith("nn."):
        name = "torch." + name
    elif name.startswith("F."):
        name = "torch.nn.functional." + name[2:]
    parts = name.split(".")
    obj: object = torch
    best = None
    for i, part in enumerate(parts[1:], 1):
        try:
            obj = getattr(obj, part)
        except Exception:  # noqa: BLE001 - a missing or raising attribute ends the walk
            break
        if not isinstance(obj, types.ModuleType):
            best = ".".join(parts[: i + 1])
    return best


def usage_counts(packages: tuple[str, ...] = ("transformers", "sentence_transformers")) -> Counter:
    """Files using each torch name, over the installed sources of ``packages``."""
    import importlib

    import torch

    counts: Counter[str] = Counter()
    for package in packages:
        root = Path(importlib.import_module(package).__file__).parent
        for path in root.rglob("*.py"):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            names = {_resolve(m, torch) for m in _NAME_RE.findall(text)}
            counts.update(n for n in names if n)
    return counts


def curated_names() -> set[str]:
    """Names a curated entry documents: its ``api`` and its ``torch.…`` aliases."""
    from glossary.loader import load_glossary

    names: set[str] = set()
    for entry in load_glossary().entries:
        if entry.api:
            names.add(entry.api)
        names.update(alias for alias in entry.aliases if alias.startswith("torch."))
    return names


def report(counts: Counter, curated: set[str], tops: list[int], missing: int) -> dict:
    prefixes = {name.rsplit(".", 1)[0] for name in curated}
    ranked = counts.most_common()

    def covered(name: str) -> bool:
        return name in curated or name in prefixes

    rows = []
    for top in tops:
        head = ranked[:top]
        uses = sum(c for _, c in head)
        hit = sum(c for n, c in head if covered(n))
        rows.append(
            {
                "top": top,
                "names_curated": sum(1 for n, _ in head if covered(n)),
                "uses_percent": round(100 * hit / uses, 1) if uses else 0.0,
            }
        )
    gaps = [(n, c) for n, c in ranked[: max(tops)] if not covered(n)][:missing]
    return {"rows": rows, "missing": gaps, "names_counted": len(counts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, action="append", help="sizes of the head (100, 300)")
    parser.add_argument("--missing", type=int, default=40, help="most used names without entry")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = report(usage_counts(), curated_names(), args.top or [100, 300], args.missing)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"{result['names_counted']} torch names used in transformers + sentence-transformers")
    print(f"{'top':>5} {'curated names':>14} {'% of uses':>10}")
    for row in result["rows"]:
        print(f"{row['top']:>5} {row['names_curated']:>14} {row['uses_percent']:>10.1f}")
    print("most used without a curated entry:")
    print("  " + ", ".join(f"{n} ({c})" for n, c in result["missing"]))


if __name__ == "__main__":
    main()
