"""The ranked results: each hit on two lines, headwords and kind above, definition below."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.content import Content
from textual.style import Style
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from glossary.search.types import SearchHit, Signal
from tui.widgets.parts import part_style

# How each signal reads in the "why it matched" column: short, and the same in both languages.
SIGNAL_LABELS: dict[Signal, str] = {
    Signal.NAME: "name",
    Signal.ALIAS: "alias",
    Signal.READING: "reading",
    Signal.FUZZY: "fuzzy",
    Signal.SEMANTIC: "meaning",
    Signal.TEXT: "text",
}
SIGNAL_ORDER = {signal: rank for rank, signal in enumerate(SIGNAL_LABELS)}
SURFACE_SIGNALS = frozenset({Signal.NAME, Signal.ALIAS, Signal.READING, Signal.FUZZY})


def why_matched(hit: SearchHit) -> str:
    """A short account of the evidence, names first: ``alias torch.concat · meaning · text``.

    The surface that matched is shown where it tells the reader something the row does not
    already show (an alias, a reading, the spelling a fuzzy match took); ``text`` and
    ``meaning`` speak for themselves.
    """
    shown = {hit.term_en.casefold(), hit.term_ja.casefold()}
    parts: list[str] = []
    seen: set[Signal] = set()
    # Scores of different signals are not comparable; a fixed order reads better.
    for match in sorted(hit.matched_by, key=lambda m: SIGNAL_ORDER.get(m.signal, 99)):
        if match.signal in seen:
            continue
        seen.add(match.signal)
        label = SIGNAL_LABELS.get(match.signal, str(match.signal))
        surface = match.surface.strip()
        if match.signal in SURFACE_SIGNALS and surface and surface.casefold() not in shown:
            parts.append(f"{label} {surface}")
        else:
            parts.append(label)
    return " · ".join(parts)


@dataclass(frozen=True, slots=True)
class ResultRow:
    """What one row shows: the hit and the one-line definition chosen for it."""

    hit: SearchHit
    definition: str


class ResultsList(OptionList):
    """An option list of :class:`SearchHit` rows whose parts are styled from ``app.tcss``.

    The parts of a row (Japanese headword, kind, reason, definition) take their styles from
    the component classes below, so the look lives in the stylesheet and follows the theme.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "results--term",
        "results--term-ja",
        "results--kind",
        "results--why",
        "results--definition",
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[ResultRow] = []

    @property
    def rows(self) -> list[ResultRow]:
        """The rows on show, in rank order."""
        return list(self._rows)

    @property
    def highlighted_id(self) -> str | None:
        """Id of the entry under the cursor, if any."""
        option = self.highlighted_option
        return option.id if option is not None else None

    def show_rows(self, rows: Sequence[ResultRow], *, keep_cursor: bool = False) -> None:
        """Replace the rows; the cursor goes to the top, or with ``keep_cursor`` stays on the
        same entry if it is still listed (the same query again, say with semantic hits)."""
        keep = self.highlighted_id if keep_cursor else None
        self._rows = list(rows)
        self.set_options(Option(self._prompt(row), id=row.hit.id) for row in self._rows)
        ids = [row.hit.id for row in self._rows]
        if ids:
            self.highlighted = ids.index(keep) if keep in ids else 0

    def notify_style_update(self) -> None:
        """Re-render the rows with the new styles (a theme switch, a change of focus)."""
        super().notify_style_update()
        for index, row in enumerate(self._rows):
            self.replace_option_prompt_at_index(index, self._prompt(row))

    def _prompt(self, row: ResultRow) -> Content:
        hit = row.hit
        head: list[tuple[str, Style] | str] = [
            (hit.term_en, part_style(self, "results--term")),
        ]
        if hit.term_ja and hit.term_ja != hit.term_en:
            head += ["  ", (hit.term_ja, part_style(self, "results--term-ja"))]
        head += ["  ", (hit.kind, part_style(self, "results--kind"))]
        why = why_matched(hit)
        if why:
            head += ["  ", (why, part_style(self, "results--why"))]
        body = Content.styled(row.definition or " ", part_style(self, "results--definition"))
        return Content.assemble(*head, "\n", body)
