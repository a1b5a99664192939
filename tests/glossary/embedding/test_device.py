"""Device choice, batch sizes, and the same ranking on GPU as on CPU."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from glossary.embedding.device import batch_size_for, pick_device, token_budget_for
from glossary.embedding.encoder import LeanEncoder
from glossary.embedding.spec import ModelSpec
from glossary.errors import ModelError


def test_automatic_choice_prefers_cuda_then_mps_then_cpu() -> None:
    expected = (
        "cuda"
        if torch.cuda.is_available()
        else "mps"
        if torch.backends.mps.is_available()
        else "cpu"
    )
    assert pick_device(None) == expected
    assert pick_device("auto") == expected
    assert pick_device("cpu") == "cpu"


def test_unknown_or_absent_devices_are_model_errors() -> None:
    with pytest.raises(ModelError, match="Unknown device"):
        pick_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(ModelError, match="not available"):
            pick_device("cuda")
    else:
        with pytest.raises(ModelError, match="no GPU"):
            pick_device(f"cuda:{torch.cuda.device_count()}")


@pytest.mark.skipif(torch.backends.mps.is_available(), reason="needs a machine without MPS")
def test_an_absent_device_is_named_as_the_parameter() -> None:
    with pytest.raises(ModelError) as caught:
        pick_device("mps")
    assert caught.value.parameter == "device"
    assert "set device to cpu, or leave it out" in str(caught.value)
    assert "--" not in str(caught.value)  # the CLI adds its option, the library does not
    assert "set --device to cpu" in caught.value.naming("--device")


def test_batch_sizes_suit_the_device() -> None:
    assert batch_size_for("cpu") < batch_size_for("mps") < batch_size_for("cuda:1")
    assert token_budget_for("cpu") < token_budget_for("cuda")


@pytest.mark.slow
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_gpu_index_ranks_like_cpu(default_spec: ModelSpec, parity_texts: list[str]) -> None:
    passages = [t for t in parity_texts if t.strip()]
    queries = ["自動微分", "テンソルをつなげる", "learning rate", "torch.cat", "懐中電灯"]
    cpu = LeanEncoder(default_spec, "cpu")
    gpu = LeanEncoder(default_spec, "cuda")
    index_cpu, index_gpu = cpu.encode_passages(passages), gpu.encode_passages(passages)
    assert np.sum(index_cpu * index_gpu, axis=1).min() >= 1 - 1e-5
    q = cpu.encode_queries(queries)
    top_cpu = np.argsort(-(q @ index_cpu.T), axis=1)[:, :10]
    top_gpu = np.argsort(-(q @ index_gpu.T), axis=1)[:, :10]
    assert (top_cpu == top_gpu).all()
