"""The reference layer of the installed torch, built once per test session (a real child
process introspecting the real torch), and copied into each test's own home."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from glossary.reference import ReferenceLayer, load_reference_layer
from glossary.reference.store import reference_path, torch_version


@pytest.fixture(scope="session")
def built_reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store file, built once into a session folder."""
    home = tmp_path_factory.mktemp("reference-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TORCHGLOSS_HOME", str(home))
        load_reference_layer()
        return reference_path(torch_version())


@pytest.fixture
def reference_layer(built_reference: Path, isolated_home: Path) -> ReferenceLayer:
    """The session's layer, in this test's home (so ``load_reference_layer`` finds it)."""
    target = reference_path(torch_version())
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(built_reference, target)
    return load_reference_layer(build=False)
