"""Query time stays lean: no sentence-transformers, no transformers, a cheap package import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
    )


def test_importing_the_package_imports_no_model_library() -> None:
    result = run_python(
        "import sys, glossary.embedding, glossary.cli.model_cmd\n"
        "heavy = {'torch', 'numpy', 'transformers', 'sentence_transformers', 'tokenizers'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.slow
def test_a_query_needs_neither_sentence_transformers_nor_transformers(built_model: Path) -> None:
    result = run_python(
        "import sys\n"
        "from glossary.embedding import load_encoder\n"
        "vectors = load_encoder(device='cpu').encode_queries(['テンソルをつなげる'])\n"
        "assert vectors.shape == (1, 384), vectors.shape\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(loaded & {'transformers', 'sentence_transformers', 'tokenizers'}))",
        TORCHGLOSS_MODEL_CACHE=str(built_model.parent),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
