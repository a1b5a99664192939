"""Which torch device runs the embedding model, and how many texts go through it at once."""

from __future__ import annotations

from glossary.errors import ModelError
from glossary.i18n import _

DEVICES = ("cuda", "mps", "cpu")

#: Most texts per forward pass. CPU gains little from big batches and pays for padding; a GPU
#: wants enough rows to fill it (the default model is small, 12 × 384).
BATCH_SIZES = {"cuda": 128, "mps": 64, "cpu": 16}
#: Most tokens per forward pass, padding included: one long text travels with few others, so
#: short texts are not padded to its length.
TOKEN_BUDGETS = {"cuda": 65536, "mps": 16384, "cpu": 2048}


def pick_device(preferred: str | None = None) -> str:
    """The device to use: ``preferred`` if given and present, else CUDA, then Apple MPS, else CPU.

    Args:
        preferred: ``"cuda"``, ``"cuda:1"``, ``"mps"``, ``"cpu"`` or ``None`` (choose).

    Raises:
        ModelError: ``preferred`` is not a device name or is not available on this machine.
    """
    import torch

    if preferred is None or preferred == "auto":
        if torch.cuda.is_available():
            return "cuda"
        if torch.backends.mps.is_available():
            return "mps"
        return "cpu"
    kind = preferred.split(":", 1)[0]
    if kind not in DEVICES:
        raise ModelError(
            _("Unknown device {device!r}; use one of auto, cuda, mps or cpu.").format(
                device=preferred
            )
        )
    available = {
        "cuda": torch.cuda.is_available(),
        "mps": torch.backends.mps.is_available(),
        "cpu": True,
    }[kind]
    if not available:
        raise ModelError(
            _(
                "Device {device!r} is not available on this machine; set {name} to cpu, "
                "or leave it out to pick the best one present."
            ),
            parameter="device",
            device=preferred,
        )
    if kind == "cuda" and ":" in preferred:
        index = preferred.split(":", 1)[1]
        if not index.isdigit() or int(index) >= torch.cuda.device_count():
            raise ModelError(
                _(
                    "There is no GPU {device!r} here ({count} found); set {name} to cuda:0, "
                    "or leave it out."
                ),
                parameter="device",
                device=preferred,
                count=torch.cuda.device_count(),
            )
    return preferred


def batch_size_for(device: str) -> int:
    """Most texts per forward pass on ``device``."""
    return BATCH_SIZES[device.split(":", 1)[0]]


def token_budget_for(device: str) -> int:
    """Most tokens (rows × longest row) per forward pass on ``device``."""
    return TOKEN_BUDGETS[device.split(":", 1)[0]]
