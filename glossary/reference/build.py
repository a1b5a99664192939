"""Introspect the installed torch into reference entries (runs only in a child process).

``python -I -c '…' OUT.json [MODULE …]`` (started by :mod:`glossary.reference.store`) imports
the listed torch modules, and only those, then writes ``{"torch_version", "entries",
"skipped", "public"}`` as JSON. A module that fails to import or an attribute that raises on
access is recorded in ``skipped`` (name, exception type, one line) and the build goes on.
Standard library and torch only: nothing else is imported by name.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import sys
import types
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

from glossary.reference.docstrings import (
    examples_of,
    looks_deprecated,
    signature_from_doc,
    summary_of,
)
from glossary.reference.entry import Kind, ReferenceEntry, docs_url
from glossary.reference.modules import DISTRIBUTED_CORE, MEMBER_CLASSES, REFERENCE_MODULES

_MISSING = object()
_GENERIC_SIGNATURES = {"(*args, **kwargs)", "(self, /, *args, **kwargs)", "(...)"}


def _skip(skipped: list[dict[str, str]], name: str, exc: BaseException) -> None:
    if any(item["name"] == name for item in skipped):
        return  # a module listed twice, or a class member reached again
    line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    skipped.append({"name": name, "error": type(exc).__name__, "message": line[:200]})


def aliases_for(name: str) -> list[str]:
    """The forms people type for ``name``: ``nn.X``, ``F.x``, ``Tensor.x``, ``.x()``, ``x``."""
    forms: list[str] = []
    if name.startswith("torch."):
        forms.append(name[len("torch.") :])
    for prefix, short in (
        ("torch.nn.functional.", "F."),
        ("torch.Tensor.", "Tensor."),
        ("torch.distributions.", "D."),
    ):
        if name.startswith(prefix):
            forms.append(short + name[len(prefix) :])
    if name.startswith("torch.Tensor."):
        forms.append("." + name.rsplit(".", 1)[-1])
    short_name = name.rsplit(".", 1)[-1]
    forms.append(short_name)
    return [f for f in dict.fromkeys(forms) if f != name]


def public_names(module: Any) -> list[str]:
    """``__all__`` when the module defines it, else its non-underscore, non-module attributes."""
    names = getattr(module, "__all__", None)
    if names is None:
        names = dir(module)
        inner = getattr(module, "m", None)
        if type(module) is not types.ModuleType and isinstance(inner, types.ModuleType):
            # torch.backends.cudnn and friends: a module subclass whose flags are properties
            # of the class, wrapping the real module as ``m``
            names = [*dir(type(module)), *dir(inner)]
            names = [n for n in names if n != "m" and not hasattr(types.ModuleType, n)]
    return sorted({str(n) for n in names if not str(n).startswith("_")})


def _kind(value: Any, member: bool) -> Kind:
    if inspect.isclass(value):
        return "class"
    if isinstance(value, (property, types.GetSetDescriptorType, types.MemberDescriptorType)):
        return "property"
    if callable(value):
        return "method" if member else "function"
    return "attribute" if member else "module-constant"


def _signature(value: Any, doc: str, short_name: str) -> str | None:
    if not callable(value) or isinstance(value, property):
        return None
    text: str | None
    try:
        text = str(inspect.signature(value))
    except Exception:  # noqa: BLE001 - a signature torch cannot compute is only a missing one
        text = None
    from_doc = signature_from_doc(doc, short_name)
    if text is None or text in _GENERIC_SIGNATURES:
        return from_doc
    return text


def make_entry(
    name: str, module: str, value: Any, *, member: bool = False, doc: str | None = None
) -> ReferenceEntry:
    """One entry for ``value``, known as ``name`` in ``module``."""
    kind = _kind(value, member)
    if doc is None:
        data = kind in ("module-constant", "attribute")  # an int's __doc__ is int's
        raw = None if data else getattr(value, "__doc__", None)
        doc = raw if isinstance(raw, str) else ""
    doc = inspect.cleandoc(doc) if doc else ""
    short_name = name.rsplit(".", 1)[-1]
    return ReferenceEntry(
        name=name,
        aliases=tuple(aliases_for(name)),
        kind=kind,
        module=module,
        signature=_signature(value, doc, short_name),
        summary=summary_of(doc, short_name),
        doc=doc,
        url=docs_url(name, module),
        examples=tuple(examples_of(doc)),
        deprecated=looks_deprecated(doc, value),
    )


def _foreign(value: Any) -> bool:
    """True for what a module without ``__all__`` merely imported (``typing.Any`` and the like)."""
    owner = getattr(value, "__module__", None)
    if not isinstance(owner, str) or not (inspect.isclass(value) or callable(value)):
        return False
    return not owner.startswith(("torch", "builtins")) and owner != "math"


def _incidental(short: str, value: Any) -> bool:
    """What a module without ``__all__`` holds without exporting it: imported helpers, and
    ``TYPE_CHECKING`` or shared-docstring tables (``reproducibility_notes``)."""
    return _foreign(value) or short == "TYPE_CHECKING" or isinstance(value, dict)


def _module_members(
    module_name: str, skipped: list[dict[str, str]]
) -> Iterable[tuple[str, str, Any]]:
    try:
        module = importlib.import_module(module_name)
    except BaseException as exc:  # an import may raise anything, SystemExit included
        if isinstance(exc, KeyboardInterrupt):
            raise
        _skip(skipped, module_name, exc)
        return
    has_all = getattr(module, "__all__", None) is not None
    for short in public_names(module):
        if module_name == "torch.distributed" and short not in DISTRIBUTED_CORE:
            continue
        full = f"{module_name}.{short}"
        try:
            value = getattr(module, short)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            _skip(skipped, full, exc)
            continue
        if isinstance(value, types.ModuleType) or (not has_all and _incidental(short, value)):
            continue
        yield full, module_name, value


def _class_members(
    class_name: str, skipped: list[dict[str, str]]
) -> Iterable[tuple[str, str, Any, str | None]]:
    module_name, _, attr = class_name.rpartition(".")
    try:
        cls = getattr(importlib.import_module(module_name), attr)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        _skip(skipped, class_name, exc)
        return
    for short in sorted(dir(cls)):
        if short.startswith("_"):
            continue
        full = f"{class_name}.{short}"
        try:
            static = inspect.getattr_static(cls, short)
        except AttributeError as exc:
            _skip(skipped, full, exc)
            continue
        if isinstance(static, (staticmethod, classmethod)):
            static = getattr(cls, short, static)
        raw = getattr(static, "__doc__", None)
        doc = raw if isinstance(raw, str) and not isinstance(static, (int, float, str)) else None
        yield full, class_name, static, doc


def _same_family(first: str, second: str) -> bool:
    """Same module, or one nested in the other below ``torch`` itself."""
    if first == second:
        return True
    if "torch" in (first, second):
        return False
    return second.startswith(first + ".") or first.startswith(second + ".")


def build_entries(
    modules: Sequence[str] = REFERENCE_MODULES, classes: Sequence[str] = MEMBER_CLASSES
) -> tuple[list[ReferenceEntry], list[dict[str, str]], dict[str, list[str]]]:
    """Every public name of ``modules`` and member of ``classes``, what was skipped, and the
    public names each module (or class) has, entry or not (what coverage counts).

    An object that a module re-exports from a module nested with it (``torch.autograd.no_grad``
    is ``torch.autograd.grad_mode.no_grad``; ``torch.cuda.amp`` in ``torch.cuda``), or that a
    module exports under two names, gets one entry, named after the first module (in
    ``modules`` order) that exports it; the other names become aliases. The same object in
    unrelated modules (``torch.conv2d`` and ``torch.nn.functional.conv2d``) gets an entry in
    each: both are documented public names, each module's page lists it, and coverage is
    counted per module.
    """
    skipped: list[dict[str, str]] = []
    entries: dict[str, ReferenceEntry] = {}
    extra_aliases: dict[str, list[str]] = {}
    canonical_of: dict[int, list[str]] = {}
    keep_alive: list[Any] = []  # ids stay unique only while the objects live
    public: dict[str, list[str]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for module_name in modules:
            for full, module, value in _module_members(module_name, skipped):
                public.setdefault(module, []).append(full)
                shareable = inspect.isclass(value) or inspect.isroutine(value)
                earlier = canonical_of.get(id(value), []) if shareable else []
                first = next((n for n in earlier if _same_family(entries[n].module, module)), None)
                if first is not None:
                    extra_aliases[first].append(full)
                    continue
                try:
                    entries[full] = make_entry(full, module, value)
                except Exception as exc:  # noqa: BLE001 - one odd attribute must not stop the build
                    _skip(skipped, full, exc)
                    continue
                extra_aliases[full] = []
                if shareable:
                    canonical_of.setdefault(id(value), []).append(full)
                    keep_alive.append(value)
        for class_name in classes:
            for full, owner, value, doc in _class_members(class_name, skipped):
                public.setdefault(owner, []).append(full)
                if full in entries:
                    continue
                try:
                    entries[full] = make_entry(full, owner, value, member=True, doc=doc or "")
                except Exception as exc:  # noqa: BLE001 - one odd attribute must not stop the build
                    _skip(skipped, full, exc)
                    continue
                extra_aliases[full] = []
    result = []
    for name, entry in entries.items():
        more = extra_aliases.get(name, [])
        if more:
            forms = [*more, *(a for m in more for a in aliases_for(m))]
            merged = tuple(dict.fromkeys([*entry.aliases, *forms]))
            entry = dataclasses.replace(entry, aliases=merged)
        result.append(entry)
    return result, skipped, public


def main(argv: Sequence[str] | None = None) -> int:
    """``OUT.json [MODULE …]``: build (the default module list, or the modules given) and write."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: build OUT.json [MODULE ...]", file=sys.stderr)
        return 2
    out, modules = args[0], args[1:] or list(REFERENCE_MODULES)
    import torch  # the one import by name; the rest are the listed torch modules

    entries, skipped, public = build_entries(modules)
    data = {
        "torch_version": str(torch.__version__),
        "entries": [e.to_json() for e in entries],
        "skipped": skipped,
        "public": public,
    }
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
