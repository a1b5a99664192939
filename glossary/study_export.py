"""Study export: a set of entries as an Anki deck (``.apkg``, through genanki), CSV or JSON.

Every format carries the same card: the term in both languages, its kana reading, both
definitions and the example's code. The Anki note type and deck have fixed ids and each note's
guid comes from its entry id, so importing a newer export of the same entries updates the
cards already in the collection instead of adding duplicates.

Files are written atomically: an interrupted export leaves the old file (or none).
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, astuple, dataclass, fields
from pathlib import Path

from glossary.atomic import write_text_atomic
from glossary.errors import GlossaryError
from glossary.schema import Entry

ANKI_MODEL_ID = 1_733_023_023
"""The note type's id: fixed, so every torchgloss deck shares one note type in Anki."""
ANKI_DECK_ID = 1_733_023_024
"""The default deck's id: fixed, so a new export updates the deck imported before."""

ANKI_CSS = """\
.card { font-family: sans-serif; font-size: 20px; text-align: left; }
.term { font-size: 28px; font-weight: bold; }
.reading { color: #666; }
.definition { margin-top: .6em; }
pre { font-size: 14px; background: #f4f4f4; padding: .5em; white-space: pre-wrap; }
"""


class ExportError(GlossaryError):
    """The entries to export could not be found, or the file could not be written."""

    title = "Export problem"


@dataclass(frozen=True, slots=True)
class StudyCard:
    """What one entry puts on a study card (plain text; each format escapes it itself)."""

    id: str
    term_en: str
    term_ja: str
    reading: str
    definition_en: str
    definition_ja: str
    example: str

    @classmethod
    def from_entry(cls, entry: Entry) -> StudyCard:
        """The card of ``entry``; the example is the snippet's code (for an error entry, the
        program that raises it, then the fixed one)."""
        example = ""
        if entry.snippet is not None:
            parts = [entry.snippet.reproduce, entry.snippet.code]
            example = "\n\n# fix:\n".join(p.strip() for p in parts if p)
        return cls(
            id=entry.id,
            term_en=entry.term.en,
            term_ja=entry.term.ja,
            reading=entry.term.reading or "",
            definition_en=entry.definition.en.strip(),
            definition_ja=entry.definition.ja.strip(),
            example=example,
        )


FIELDS = tuple(f.name for f in fields(StudyCard))
"""The card's fields, in order (CSV columns, JSON keys, Anki note fields)."""


def study_cards(entries: Iterable[Entry]) -> list[StudyCard]:
    """One card per entry, in order, each entry once."""
    seen: set[str] = set()
    cards: list[StudyCard] = []
    for entry in entries:
        if entry.id not in seen:
            seen.add(entry.id)
            cards.append(StudyCard.from_entry(entry))
    return cards


def write_json(cards: Sequence[StudyCard], path: Path) -> None:
    """``{"cards": [{field: value …} …]}`` (UTF-8, Japanese kept readable)."""
    data = {"format": 1, "cards": [asdict(card) for card in cards]}
    _write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def write_csv(cards: Sequence[StudyCard], path: Path) -> None:
    """A header row of :data:`FIELDS`, then one row per card (UTF-8 with a BOM, so that
    spreadsheet programs read the Japanese right; Anki's CSV import accepts it too)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for card in cards:
        writer.writerow(astuple(card))
    _write_text(path, "\ufeff" + buffer.getvalue())


def write_anki(cards: Sequence[StudyCard], path: Path, deck_name: str = "torchgloss") -> None:
    """An Anki package: one deck of ``deck_name``, one note (and card) per entry.

    The card's front shows the term in both languages; the back adds the reading, both
    definitions and the example. Fields are HTML-escaped (glossary text is never markup).
    """
    import genanki

    model = genanki.Model(
        ANKI_MODEL_ID,
        "torchgloss entry",
        fields=[{"name": name} for name in FIELDS],
        templates=[
            {
                "name": "Term → meaning",
                "qfmt": '<div class="term">{{term_en}}</div><div class="term">{{term_ja}}</div>',
                "afmt": (
                    "{{FrontSide}}<hr id=answer>"
                    '<div class="reading">{{reading}}</div>'
                    '<div class="definition">{{definition_en}}</div>'
                    '<div class="definition">{{definition_ja}}</div>'
                    "{{#example}}<pre>{{example}}</pre>{{/example}}"
                ),
            }
        ],
        css=ANKI_CSS,
    )
    deck = genanki.Deck(ANKI_DECK_ID, deck_name)
    for card in cards:
        values = [_anki_field(value) for value in astuple(card)]
        deck.add_note(
            genanki.Note(model=model, fields=values, guid=genanki.guid_for("torchgloss", card.id))
        )
    _write_via_temp(path, lambda tmp: genanki.Package(deck).write_to_file(str(tmp)))


def _anki_field(text: str) -> str:
    """Plain text as an Anki field (HTML): escaped, line breaks kept."""
    return html.escape(text).replace("\n", "<br>")


def _write_text(path: Path, text: str) -> None:
    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror}.") from None


def _write_via_temp(path: Path, write: Callable[[Path], None]) -> None:
    """Let ``write(tmp)`` make the file beside ``path``, then move it into place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror}.") from None
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror}.") from None
    finally:
        tmp.unlink(missing_ok=True)
