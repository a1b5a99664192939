"""The glossary's data model: one :class:`Entry` per sense of a term, as written in ``data/*.yaml``.

These pydantic models are both the validator for the YAML files and the typed objects every
other part of torchgloss (search, snippets, CLI, TUI) works with. ``torchgloss schema`` publishes
:func:`glossary_json_schema` so editors can check a file while it is being typed.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from glossary.text.error_templates import TemplateError, compile_template
from glossary.text.normalize import has_japanese

ENTRY_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
"""Ids are stable and filename-safe. API entries use their dotted name (`torch.nn.Linear`);
others use kebab-case English (`learning-rate`)."""

_KANA_RE = re.compile(r"^[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc\u30fd\u30fe\u30fb・ 　ー]+$")
_NEEDS_READING_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヵヶ]")

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def is_kana(text: str) -> bool:
    """True when ``text`` is written only in hiragana/katakana (plus ー, ・ and spaces)."""
    return bool(_KANA_RE.match(text))


def needs_reading(text: str) -> bool:
    """True when ``text`` contains kanji, whose pronunciation a learner cannot guess."""
    return bool(_NEEDS_READING_RE.search(text))


class Kind(StrEnum):
    """What sort of thing a sense of "torch" (or a PyTorch term) is."""

    OBJECT = "object"  # an everyday object: a flashlight, a flaming torch
    VERB = "verb"  # to torch: set fire to
    METAPHOR = "metaphor"  # a torch as a symbol: hope, guidance, passing the torch
    PLACE = "place"  # TOKYO TORCH, Torch Tower
    LIBRARY = "library"  # PyTorch, Torch7, TorchVision …
    API = "api"  # a callable, class or attribute of the PyTorch API
    CONCEPT = "concept"  # a machine-learning or PyTorch idea: autograd, broadcasting …
    TOOL = "tool"  # software around PyTorch: pip, conda, TensorBoard, TorchServe
    HARDWARE = "hardware"  # GPU, CPU and platforms such as CUDA
    FORMAT = "format"  # file and exchange formats: ONNX, state_dict files
    ERROR = "error"  # an error or warning PyTorch prints: mat1 and mat2 shapes cannot be multiplied


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Term(_Strict):
    """The headword in both languages, with the Japanese reading in kana."""

    en: NonEmpty = Field(description="English headword, e.g. 'flashlight' or 'torch.cat'.")
    ja: NonEmpty = Field(description="Japanese headword, e.g. '懐中電灯' or 'テンソルの連結'.")
    reading: str | None = Field(
        default=None,
        description="Reading of the Japanese headword in kana (hiragana or katakana); required "
        "when the headword contains kanji.",
    )


_FOLDED_SPACE_RE = re.compile(
    r"(?<=[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef])"
)


class Text(_Strict):
    """A piece of prose in both languages."""

    en: NonEmpty
    ja: NonEmpty

    @field_validator("ja")
    @classmethod
    def _join_folded_japanese_lines(cls, value: str) -> str:
        """YAML's folded style (``>-``) turns line breaks into spaces, which Japanese does not
        put between words: drop a space that stands between two Japanese characters."""
        return _FOLDED_SPACE_RE.sub("", value)


class Relation(_Strict):
    """A related word: bilingual text, a link to another entry, or both.

    With ``ref`` alone the linked entry's headword stands for the text; without it, both
    languages must be given.
    """

    en: str | None = Field(default=None, description="The word in English.")
    ja: str | None = Field(default=None, description="The word in Japanese.")
    reading: str | None = Field(default=None, description="Kana reading of ``ja`` if it has kanji.")
    ref: str | None = Field(
        default=None, pattern=ENTRY_ID_PATTERN, description="Id of the entry this word links to."
    )
    note: Text | None = Field(default=None, description="Why or how it relates, when not obvious.")

    @model_validator(mode="after")
    def _text_or_link(self) -> Relation:
        if self.ref is None and not (self.en and self.ja):
            raise ValueError("a relation without 'ref' needs both 'en' and 'ja'")
        return self


class Snippet(_Strict):
    """A runnable example for an API entry, with what its output must look like."""

    code: NonEmpty = Field(description="Python source; prints something meaningful.")
    expected_output: str | None = Field(
        default=None,
        description="Exact expected stdout (trailing whitespace of each line is ignored).",
    )
    output_contains: list[NonEmpty] = Field(
        default_factory=list, description="Strings that must all appear in stdout."
    )
    output_regex: str | None = Field(
        default=None, description="A regular expression that must match somewhere in stdout."
    )
    reproduce: str | None = Field(
        default=None,
        description="Error entries only (required there): Python source that raises, or warns "
        "with, the entry's error. The check passes when it fails with the entry's exception "
        "and a message matching one of its templates; 'code' is then the fixed program.",
    )
    requires_cuda: bool = Field(
        default=False, description="Skip where no CUDA device exists (both programs)."
    )
    timeout_s: float | None = Field(default=None, gt=0, le=120, description="Override the timeout.")

    @field_validator("output_regex")
    @classmethod
    def _regex_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"output_regex does not compile: {exc}") from None
        return value


class ErrorInfo(_Strict):
    """What an error entry's error is, why it happens and how to fix it."""

    exception: str = Field(
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$",
        description="The exception or warning class as Python prints it: RuntimeError, "
        "ValueError, UserWarning, torch.OutOfMemoryError, _pickle.UnpicklingError …",
    )
    messages: list[NonEmpty] = Field(
        min_length=1,
        description="Message templates as PyTorch prints them, variable parts replaced by "
        "placeholders: {shape} ([64, 3, 3, 3], torch.Size([1, 10]), 64x512), {int}, {float}, "
        "{number}, {dtype} (Float, torch.FloatTensor, float32), {device} (cpu, cuda:0), "
        "{name} (an identifier or quoted name), {path}, {text} (anything); {{ and }} are "
        "literal braces. A template matches anywhere in the message, whitespace-tolerant.",
    )
    cause: Text = Field(description="What went wrong, in the user's terms.")
    fix: Text = Field(description="What to change, concretely.")

    @field_validator("messages")
    @classmethod
    def _templates_compile(cls, values: list[str]) -> list[str]:
        for index, value in enumerate(values):
            try:
                compile_template(value)
            except TemplateError as exc:
                raise ValueError(f"template {index + 1} ({value!r}): {exc}") from None
        return values


class AskedAs(_Strict):
    """How people ask for an entry in their own words, when they do not know its name.

    Searched by meaning and by words (a doc2query-style expansion: a question is closer to
    another question than to a definition), never shown as a definition. Each item is one
    short request as a user would type it: "join two tensors end to end", "テンソルを連結したい".
    """

    en: list[NonEmpty] = Field(default_factory=list, description="Requests in English.")
    ja: list[NonEmpty] = Field(default_factory=list, description="Requests in Japanese.")

    @field_validator("ja")
    @classmethod
    def _japanese(cls, values: list[str]) -> list[str]:
        for value in values:
            if not has_japanese(value):
                raise ValueError(f"{value!r} has no Japanese in it; put it under 'en'")
        return values

    def all(self) -> list[str]:
        """Every request, English first."""
        return [*self.en, *self.ja]


class Source(_Strict):
    """Where a definition can be checked."""

    title: NonEmpty
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")


class Entry(_Strict):
    """One sense of one term. The unit of search results and of ``torchgloss show``."""

    id: str = Field(pattern=ENTRY_ID_PATTERN, description="Stable id, e.g. 'torch-cat'.")
    kind: Kind
    term: Term
    aliases: list[NonEmpty] = Field(
        default_factory=list,
        description="Other names in either language: オプティマイザー, torch.concat …",
    )
    definition: Text
    asked_as: AskedAs = Field(
        default_factory=AskedAs,
        description="How users ask for it without its name (テンソルを連結したい).",
    )
    synonyms: list[Relation] = Field(default_factory=list, description="同意語")
    antonyms: list[Relation] = Field(default_factory=list, description="対義語")
    cooccurring: list[Relation] = Field(default_factory=list, description="共起語")
    related: list[Relation] = Field(default_factory=list, description="関連語")
    api: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$",
        description="Full dotted name for API entries, e.g. 'torch.nn.Linear'.",
    )
    since: str | None = Field(
        default=None, pattern=r"^\d+\.\d+(\.\d+)?$", description="First torch version with it."
    )
    snippet: Snippet | None = Field(
        default=None,
        description="A runnable example; for error entries 'reproduce' raises the error and "
        "'code' is the fixed program.",
    )
    error: ErrorInfo | None = Field(
        default=None,
        description="Error entries only (required there): exception, message templates, "
        "cause and fix.",
    )
    sources: list[Source] = Field(default_factory=list)
    tags: list[NonEmpty] = Field(default_factory=list, description="Free-form area tags.")

    @model_validator(mode="after")
    def _api_entries_name_their_api(self) -> Entry:
        if self.kind is Kind.API and not self.api:
            raise ValueError("an entry of kind 'api' needs the 'api' field (its dotted name)")
        return self

    @model_validator(mode="after")
    def _error_entries_have_their_error(self) -> Entry:
        if self.kind is Kind.ERROR:
            if self.error is None:
                raise ValueError("an entry of kind 'error' needs the 'error' block")
            if self.snippet is None or self.snippet.reproduce is None:
                raise ValueError(
                    "an entry of kind 'error' needs 'snippet.reproduce' (a program that raises "
                    "the error) besides 'snippet.code' (the fixed program)"
                )
        else:
            if self.error is not None:
                raise ValueError("only entries of kind 'error' may have an 'error' block")
            if self.snippet is not None and self.snippet.reproduce is not None:
                raise ValueError("only entries of kind 'error' may have 'snippet.reproduce'")
        return self

    def relations(self) -> dict[str, list[Relation]]:
        """The four relation lists by their field name, in display order."""
        return {
            "synonyms": self.synonyms,
            "antonyms": self.antonyms,
            "cooccurring": self.cooccurring,
            "related": self.related,
        }


class GlossaryFile(_Strict):
    """The top level of one YAML file under ``data/``."""

    entries: list[Entry] = Field(default_factory=list)


def glossary_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) for one glossary YAML file."""
    schema = GlossaryFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "torchgloss glossary file"
    return schema
