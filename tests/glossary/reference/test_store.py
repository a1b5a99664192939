"""The stored reference layer: names and aliases resolve, loading is lean, damage is repaired,
and a module that fails to import is skipped and counted, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from glossary.reference import ReferenceLayer, ReferenceLayerError, load_reference_layer
from glossary.reference.store import reference_path, torch_version

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("torch.rsqrt", "torch.rsqrt"),
        ("F.grid_sample", "torch.nn.functional.grid_sample"),
        ("torch.nn.functional.grid_sample", "torch.nn.functional.grid_sample"),
        ("nn.SyncBatchNorm", "torch.nn.SyncBatchNorm"),
        ("Tensor.repeat_interleave", "torch.Tensor.repeat_interleave"),
        (".repeat_interleave()", "torch.Tensor.repeat_interleave"),
        ("torch.cdist", "torch.cdist"),
        ("torch.cdist()", "torch.cdist"),
        ("rsqrt", "torch.rsqrt"),
        ("linalg.norm", "torch.linalg.norm"),
        ("torch.fft.rfft", "torch.fft.rfft"),
        ("torch.cuda.synchronize", "torch.cuda.synchronize"),
        ("torch.optim.Optimizer.zero_grad", "torch.optim.Optimizer.zero_grad"),
    ],
)
def test_names_and_aliases_resolve(reference_layer: ReferenceLayer, text: str, name: str) -> None:
    found = reference_layer.resolve(text)
    assert found is not None and found.name == name


def test_unknown_name_resolves_to_nothing(reference_layer: ReferenceLayer) -> None:
    assert reference_layer.resolve("torch.no_such_function") is None
    assert reference_layer.resolve("  ") is None


def test_entries_carry_what_introspection_found(reference_layer: ReferenceLayer) -> None:
    cdist = reference_layer.by_name["torch.cdist"]
    assert cdist.kind == "function" and cdist.module == "torch"
    assert cdist.signature is not None and cdist.signature.startswith("(x1, x2, p=2.0")
    assert cdist.summary.startswith("Computes batched the p-norm distance")
    assert cdist.url == "https://docs.pytorch.org/docs/stable/generated/torch.cdist.html"
    assert cdist.examples and "torch.cdist(a, b, p=2)" in cdist.examples[0]
    cat = reference_layer.by_name["torch.cat"]
    assert cat.display_signature == "torch.cat(tensors, dim=0, *, out=None) -> Tensor"
    assert reference_layer.by_name["torch.Tensor.shape"].kind == "property"
    assert reference_layer.by_name["torch.nn.Linear"].kind == "class"
    assert reference_layer.by_name["torch.float32"].kind == "module-constant"
    assert reference_layer.torch_version == torch_version()
    assert len(reference_layer.fingerprint) == 16


def test_module_reexports_are_one_entry_with_aliases(reference_layer: ReferenceLayer) -> None:
    no_grad = reference_layer.resolve("torch.autograd.no_grad")
    assert no_grad is not None
    assert "torch.autograd.grad_mode.no_grad" in {no_grad.name, *no_grad.aliases}
    # unrelated modules keep their own documented entry
    assert {"torch.conv2d", "torch.nn.functional.conv2d"} <= set(reference_layer.by_name)


def test_every_listed_module_has_entries(reference_layer: ReferenceLayer) -> None:
    modules = {entry.module for entry in reference_layer.entries}
    for module in ("torch", "torch.Tensor", "torch.nn", "torch.distributions", "torch.linalg"):
        assert module in modules
    assert len(reference_layer) > 2000


def test_loading_an_existing_store_imports_no_torch(reference_layer: ReferenceLayer) -> None:
    code = (
        "import json, sys\n"
        "from glossary.reference import load_reference_layer\n"
        "layer = load_reference_layer(build=False)\n"
        "heavy = [m for m in ('torch', 'faiss', 'sentence_transformers') if m in sys.modules]\n"
        "print(json.dumps([len(layer), heavy, layer.resolve('torch.rsqrt').name]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=60,
        check=True,
    )
    count, heavy, name = json.loads(done.stdout)
    assert count == len(reference_layer) and heavy == [] and name == "torch.rsqrt"


def test_missing_store_without_build_says_what_to_do() -> None:
    with pytest.raises(ReferenceLayerError, match="not built yet"):
        load_reference_layer(build=False)


def test_failing_module_is_skipped_and_a_damaged_store_rebuilt() -> None:
    modules = ("torch.fft", "torch._torchgloss_no_such_module")
    layer = load_reference_layer(modules=modules)
    skipped = {item.name: item for item in layer.skipped}
    assert skipped["torch._torchgloss_no_such_module"].error == "ModuleNotFoundError"
    assert "Traceback" not in skipped["torch._torchgloss_no_such_module"].message
    assert layer.resolve("torch.fft.rfft") is not None
    path = reference_path(torch_version())
    path.write_bytes(path.read_bytes()[:-100])  # cut short: the checksum no longer matches
    with pytest.raises(ReferenceLayerError):
        load_reference_layer(build=False, modules=modules)
    rebuilt = load_reference_layer(modules=modules)
    assert rebuilt.fingerprint == layer.fingerprint
    assert [e.name for e in rebuilt.entries] == [e.name for e in layer.entries]


ISOLATION_CHECK = """
import json, sys
sys.path.insert(0, sys.argv[1])
import torch
before = set(sys.modules)
from glossary.reference.build import build_entries
entries, skipped, public = build_entries()
new = sorted({name.split(".")[0] for name in set(sys.modules) - before})
print(json.dumps({"new": new, "entries": len(entries)}))
"""


def _torch_dependencies() -> set[str]:
    """Top-level modules of torch's own distribution and of everything it requires."""
    from importlib.metadata import PackageNotFoundError, packages_distributions, requires

    seen: set[str] = set()
    todo = ["torch"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            needs = requires(name) or []
        except PackageNotFoundError:
            continue
        for spec in needs:
            dist = spec.split(";")[0].split("[")[0]
            for cut in "<>=!~ (":
                dist = dist.split(cut)[0]
            todo.append(dist.strip().lower().replace("_", "-"))
    return {
        module
        for module, dists in packages_distributions().items()
        if any(d.lower().replace("_", "-") in seen for d in dists)
    }


def test_building_imports_nothing_outside_torch_and_its_dependencies() -> None:
    done = subprocess.run(
        [sys.executable, "-I", "-c", ISOLATION_CHECK, str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    allowed = set(sys.stdlib_module_names) | {"torch", "glossary"} | _torch_dependencies()
    foreign = [name for name in report["new"] if name not in allowed]
    assert foreign == []
    assert report["entries"] > 2000
