"""What is embedded for each entry: its passages, and the names whose query vectors are kept.

Each entry is embedded as a few passages: the opening of its English and Japanese definitions
(each with the headword in front), one line of its names, each of its Japanese or multi-word
names on its own (``テンソルを繋げる`` is close to how people phrase a search), and each of its
``asked_as`` requests, embedded as a query (a request is compared with a request, as E5 is
trained to for symmetric tasks).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from glossary.text.normalize import has_japanese

if TYPE_CHECKING:
    from glossary.schema import Entry

DEF_EN, DEF_JA, NAMES, SURFACE = "definition_en", "definition_ja", "names", "surface"
ASKED = "asked_as"
#: Characters of a definition embedded, per language (whole sentences).
DEFINITION_CHARS = {"en": 320, "ja": 160}
#: Names joined into an entry's "names" passage.
NAMES_IN_PASSAGE = 8

_IDENTIFIER_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


@dataclass(frozen=True, slots=True)
class Passage:
    """One embedded text and the entry it stands for.

    ``field`` is one of :data:`FIELD_WEIGHTS`; ``label`` says which part it is, for people
    (``definition (en)``, or the name itself).
    """

    entry_id: str
    field: str
    label: str
    text: str
    #: Embedded with the model's query prefix (a request users might type), not as a passage.
    as_query: bool = False

    @property
    def key(self) -> str:
        """What identifies its vector: the text and how it was embedded."""
        return ("q:" if self.as_query else "") + _text_hash(self.text)


def entry_passages(entries: Sequence[Entry]) -> list[Passage]:
    """The passages embedded for ``entries`` (see the module docstring).

    Definitions are cut to their opening sentences (:data:`DEFINITION_CHARS`): they carry the
    gist, and the model's cost grows with every token embedded.
    """
    passages: list[Passage] = []
    for entry in entries:
        term = entry.term
        ja_head = f"{term.ja}（{term.reading}）" if term.reading else term.ja
        en = _opening(entry.definition.en, DEFINITION_CHARS["en"])
        ja = _opening(entry.definition.ja, DEFINITION_CHARS["ja"])
        passages.append(Passage(entry.id, DEF_EN, "definition (en)", f"{term.en}: {en}"))
        passages.append(Passage(entry.id, DEF_JA, "definition (ja)", f"{ja_head}: {ja}"))
        names = list(dict.fromkeys([term.en, term.ja, *entry.aliases]))
        passages.append(Passage(entry.id, NAMES, "names", " / ".join(names[:NAMES_IN_PASSAGE])))
        for name in names:
            if has_japanese(name) or (" " in name.strip() and not _IDENTIFIER_RE.match(name)):
                passages.append(Passage(entry.id, SURFACE, name, name))
        if entry.error is not None:  # a pasted error is compared with the message it shows
            from glossary.text.error_templates import template_words

            for template in entry.error.messages:
                words = f"{entry.error.exception}: {template_words(template)}"
                passages.append(Passage(entry.id, ASKED, words, words, as_query=True))
        for request in dict.fromkeys(entry.asked_as.all()):
            passages.append(Passage(entry.id, ASKED, request, request, as_query=True))
    return passages


def surface_queries(entries: Sequence[Entry]) -> list[str]:
    """Names whose query vectors are computed at build time.

    Every headword, and every alias that names more than one entry: a query equal to one of
    those ranks several exact matches by meaning, so it needs a vector; a query that names one
    entry alone is answered without the model anyway.
    """
    from glossary.text.normalize import fold

    owners: dict[str, set[str]] = {}
    for entry in entries:
        for text in (entry.term.en, entry.term.ja, *entry.aliases):
            owners.setdefault(fold(text), set()).add(entry.id)
    forms: dict[str, None] = {}
    for entry in entries:
        for text in (entry.term.en, entry.term.ja, *entry.aliases):
            text = " ".join(text.split())
            is_headword = text in (entry.term.en, entry.term.ja)
            if text and (is_headword or len(owners[fold(text)]) > 1):
                forms[text] = None
    return list(forms)


def surface_key(text: str) -> str:
    """What identifies the query vector of a known name (as :attr:`Passage.key` a passage's)."""
    return "s:" + _text_hash(text)


def _opening(text: str, limit: int) -> str:
    """The first sentences of ``text`` that fit in ``limit`` characters (at least one)."""
    sentences = re.split(r"(?<=[.!?])\s+|(?<=[。！？])", " ".join(text.split()))
    kept = ""
    for sentence in sentences:
        if kept and len(kept) + len(sentence) + 1 > limit:
            break
        joiner = "" if not kept or kept.endswith("。") else " "
        kept = kept + joiner + sentence
    return kept


def _text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()
