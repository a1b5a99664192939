"""One reference entry: what the installed torch says about one public name.

Only the standard library is imported here: the builder child process uses this module too, and
loading a stored layer must stay cheap.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

Kind = Literal["function", "class", "method", "property", "attribute", "module-constant"]

DOCS_ROOT = "https://docs.pytorch.org/docs/stable"

MODULE_PAGES: dict[str, str] = {
    "torch.distributions": "distributions",
    "torch.special": "special",
    "torch.nn.init": "nn.init",
    "torch.utils.data": "data",
    "torch.utils.checkpoint": "checkpoint",
    "torch.distributed": "distributed",
    "torch.profiler": "profiler",
    "torch.multiprocessing": "multiprocessing",
    "torch.testing": "testing",
    "torch.hub": "hub",
    "torch.random": "random",
    "torch.export": "export",
    "torch.onnx": "onnx",
    "torch.amp": "amp",
    "torch.cuda.amp": "amp",
    "torch.masked": "masked",
    "torch.accelerator": "accelerator",
    "torch.compiler": "torch.compiler_api",
    "torch.backends": "backends",
}
"""Modules whose names are documented on one page (with an anchor each), not a page per name."""


@dataclass(frozen=True, slots=True)
class ReferenceEntry:
    """One public name of the installed torch, as introspection finds it.

    ``name`` is the canonical dotted name and also the entry's id. The same object re-exported
    by a module nested with its first one (``torch.autograd.grad_mode.no_grad`` for
    ``torch.autograd.no_grad``) is not a second entry: that name is in ``aliases``. See
    :func:`glossary.reference.build.build_entries` for why unrelated modules keep their own.
    """

    name: str
    aliases: tuple[str, ...]
    kind: Kind
    module: str
    signature: str | None
    summary: str
    doc: str
    url: str
    examples: tuple[str, ...]
    deprecated: bool

    @property
    def short_name(self) -> str:
        return self.name.rsplit(".", 1)[-1]

    @property
    def display_signature(self) -> str | None:
        """``torch.cat(tensors, dim=0, *, out=None) -> Tensor``, or None without a signature."""
        return f"{self.name}{self.signature}" if self.signature else None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["aliases"] = list(self.aliases)
        data["examples"] = list(self.examples)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReferenceEntry:
        values = {f.name: data[f.name] for f in fields(cls)}
        values["aliases"] = tuple(values["aliases"])
        values["examples"] = tuple(values["examples"])
        return cls(**values)


def docs_url(name: str, module: str) -> str:
    """The documentation page of ``name``: its generated page, or its module's page + anchor."""
    for prefix in sorted(MODULE_PAGES, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return f"{DOCS_ROOT}/{MODULE_PAGES[prefix]}.html#{name}"
    return f"{DOCS_ROOT}/generated/{name}.html"
