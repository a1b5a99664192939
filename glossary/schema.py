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
    GetJsonSchemaHandler,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from glossary.text.error_templates import TemplateError, compile_template
from glossary.text.normalize import has_japanese

ENTRY_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
"""Ids are stable and filename-safe. API entries use their dotted name (`torch.nn.Linear`);
others use kebab-case English (`learning-rate`)."""

DOTTED_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$"
"""A Python dotted name such as ``torch.nn.Linear`` (the ``api`` field, exception classes)."""
_DOTTED_NAME_RE = re.compile(DOTTED_NAME_PATTERN)

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
    """What sort of thing a sense of "torch" (or a PyTorch term) is.

    The meaning of each kind is :data:`KIND_MEANINGS`, which the JSON Schema publishes.
    """

    OBJECT = "object"
    VERB = "verb"
    METAPHOR = "metaphor"
    PLACE = "place"
    LIBRARY = "library"
    API = "api"
    CONCEPT = "concept"
    TOOL = "tool"
    HARDWARE = "hardware"
    FORMAT = "format"
    ERROR = "error"

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler.resolve_ref_schema(handler(core_schema))
        schema["description"] = "What sort of thing the entry is:\n" + "\n".join(
            f"- {kind.value}: {KIND_MEANINGS[kind]}" for kind in cls
        )
        schema["enumDescriptions"] = [KIND_MEANINGS[kind] for kind in cls]  # for editors
        return schema


KIND_MEANINGS: dict[Kind, str] = {
    Kind.OBJECT: "an everyday object called a torch: a flashlight, a flaming torch.",
    Kind.VERB: "to torch: to set fire to.",
    Kind.METAPHOR: "a torch as a symbol: hope, guidance, passing the torch.",
    Kind.PLACE: "a place or building: TOKYO TORCH, Torch Tower.",
    Kind.LIBRARY: "a library or framework: PyTorch, Torch7, TorchVision …",
    Kind.API: "a callable, class or attribute of the PyTorch API (torch.cat, torch.nn.Linear). "
    "The id is its dotted name; 'api' and 'term.en' may be left out and then default to the id. "
    "Its snippet must use the API.",
    Kind.CONCEPT: "a machine-learning or PyTorch idea: autograd, broadcasting, learning rate …",
    Kind.TOOL: "software around PyTorch: pip, conda, TensorBoard, TorchServe.",
    Kind.HARDWARE: "a device or platform: GPU, CPU, CUDA.",
    Kind.FORMAT: "a file or exchange format: ONNX, state_dict files.",
    Kind.ERROR: "an error or warning PyTorch prints (mat1 and mat2 shapes cannot be multiplied). "
    "Needs the 'error' block and 'snippet.reproduce'.",
}
"""What each :class:`Kind` means, and what an entry of that kind must have."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Term(_Strict):
    """The headword in both languages, with the Japanese reading in kana."""

    en: NonEmpty = Field(
        description="English headword, e.g. 'flashlight' or 'torch.cat'. API entries may leave "
        "it out: it defaults to 'api'."
    )
    ja: NonEmpty = Field(description="Japanese headword, e.g. '懐中電灯' or 'テンソルの連結'.")
    reading: str | None = Field(
        default=None,
        description="Reading of the Japanese headword in kana (hiragana or katakana): "
        "'でんとう' for '電灯'. `torchgloss validate` requires it when the headword contains "
        "kanji, and refuses one that is not kana.",
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
    reading: str | None = Field(
        default=None, description="Kana reading of 'ja' if it has kanji; must be kana."
    )
    ref: str | None = Field(
        default=None,
        pattern=ENTRY_ID_PATTERN,
        description="Id of the entry this word links to; it must exist (in the bundled data or "
        "a loaded folder) and not be the entry itself.",
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
        pattern=DOTTED_NAME_PATTERN,
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

    id: str = Field(
        pattern=ENTRY_ID_PATTERN,
        description="Stable id, unique in its folder: the dotted name for API entries "
        "('torch.cat', 'torch.nn.Linear'), kebab-case English otherwise ('learning-rate'). An id "
        "defined again in a later folder replaces the earlier entry.",
    )
    kind: Kind
    term: Term
    aliases: list[NonEmpty] = Field(
        default_factory=list,
        description="Other names people type for this same entry, in either language: "
        "オプティマイザー, torch.concat … Search finds the entry by them. `torchgloss validate` "
        "refuses an alias that repeats the headword or another alias, and one that is the name "
        "of a different API (that belongs under 'related').",
    )
    definition: Text = Field(
        description="What it is, in English and Japanese ('ja' must contain Japanese)."
    )
    asked_as: AskedAs = Field(
        default_factory=AskedAs,
        description="How users ask for it without its name (テンソルを連結したい).",
    )
    synonyms: list[Relation] = Field(
        default_factory=list,
        description="同意語: other words for the same thing in this sense, shown to the reader "
        "(懐中電灯 and フラッシュライト for a flashlight). Names a search should find this very "
        "entry by go in 'aliases' instead.",
    )
    antonyms: list[Relation] = Field(
        default_factory=list,
        description="対義語: words for the opposite (darkness for a flashlight, "
        "put out a fire for to torch).",
    )
    cooccurring: list[Relation] = Field(
        default_factory=list,
        description="共起語: words that appear beside this one in real text without meaning "
        "the same (battery, switch on for a flashlight).",
    )
    related: list[Relation] = Field(
        default_factory=list,
        description="関連語: everything else worth a look, usually links to other entries "
        "({ref: torch.stack} for torch.cat); a different API that people confuse with this "
        "one belongs here, not in 'aliases'.",
    )
    api: str | None = Field(
        default=None,
        pattern=DOTTED_NAME_PATTERN,
        description="Full dotted name for API entries, e.g. 'torch.nn.Linear'; defaults to the "
        "id. `torchgloss validate` checks that it resolves in the installed torch.",
    )
    since: str | None = Field(
        default=None, pattern=r"^\d+\.\d+(\.\d+)?$", description="First torch version with it."
    )
    snippet: Snippet | None = Field(
        default=None,
        description="A runnable example; in an API entry `torchgloss validate` checks that the "
        "code parses and uses the API (the last part of its name appears in it). For error "
        "entries 'reproduce' raises the error and 'code' is the fixed program.",
    )
    error: ErrorInfo | None = Field(
        default=None,
        description="Error entries only (required there): exception, message templates, "
        "cause and fix.",
    )
    sources: list[Source] = Field(default_factory=list)
    tags: list[NonEmpty] = Field(default_factory=list, description="Free-form area tags.")

    @model_validator(mode="before")
    @classmethod
    def _api_names_default_to_the_id(cls, data: Any) -> Any:
        """An API entry's id is its dotted name, so ``api`` and ``term.en`` need not repeat it."""
        if not isinstance(data, dict) or data.get("kind") != Kind.API.value:
            return data
        entry_id = data.get("id")
        filled = dict(data)
        if (
            filled.get("api") is None
            and isinstance(entry_id, str)
            and _DOTTED_NAME_RE.match(entry_id)
        ):
            filled["api"] = entry_id
        term = filled.get("term")
        if isinstance(term, dict) and term.get("en") is None and isinstance(filled.get("api"), str):
            filled["term"] = {"en": filled["api"], **term}
        return filled

    @model_validator(mode="after")
    def _api_entries_name_their_api(self) -> Entry:
        if self.kind is Kind.API and not self.api:
            raise ValueError(
                "an entry of kind 'api' needs the 'api' field (its dotted name), or an id that "
                "is that name"
            )
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
    # term.en may be left out of API entries only (it defaults to 'api'; see Entry).
    definitions = schema["$defs"]
    definitions["Term"]["required"] = [
        name for name in definitions["Term"]["required"] if name != "en"
    ]
    definitions["Entry"]["if"] = {"properties": {"kind": {"const": Kind.API.value}}}
    definitions["Entry"]["else"] = {"properties": {"term": {"required": ["en"]}}}
    return schema
