"""The ranked results: each hit on two lines, headwords and kind above, definition below."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

from textual.color import Color
from textual.content import Content, Span
from textual.style import Style
from textual.visual import Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from glossary.i18n import _
from glossary.search.types import SearchHit, Signal
from tui.widgets.parts import PartStyles

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.geometry import Region
    from textual.strip import Strip
    from textual.visual import RenderOptions

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
_EXACT_SIGNALS = frozenset({Signal.NAME, Signal.ALIAS, Signal.READING})

NOT_CURATED = _("not yet curated")
"""The mark of a reference hit: the installed torch's own documentation of a name that has
no curated entry (no Japanese, no examples of ours)."""


def why_matched(hit: SearchHit) -> str:
    """A short account of the evidence, names first: ``alias torch.concat · meaning · text``.

    The surface that matched is shown where it tells the reader something the row does not
    already show (an alias, the spelling a fuzzy match took, what was typed for a reading);
    ``text`` and ``meaning`` speak for themselves. A near spelling beside an exact name is left
    out: it says nothing more. (``torchgloss search`` words it in full:
    :mod:`glossary.search.explain`.)
    """
    shown = {hit.term_en.casefold(), hit.term_ja.casefold()}
    exact = any(m.signal in _EXACT_SIGNALS for m in hit.matched_by)
    parts: list[str] = []
    seen: set[Signal] = set()
    # Scores of different signals are not comparable; a fixed order reads better.
    for match in sorted(hit.matched_by, key=lambda m: SIGNAL_ORDER.get(m.signal, 99)):
        if match.signal in seen or (match.signal is Signal.FUZZY and exact):
            continue
        seen.add(match.signal)
        label = SIGNAL_LABELS.get(match.signal, str(match.signal))
        surface = match.surface.strip()
        if match.signal is Signal.READING and match.query_surface.strip():
            surface = match.query_surface.strip()  # "reading gakushuuritsu", not the headword
        if match.signal in SURFACE_SIGNALS and surface and surface.casefold() not in shown:
            parts.append(f"{label} {surface}")
        else:
            parts.append(label)
    return " · ".join(parts)


MIN_CONTRAST = 3.0
"""Least contrast ratio (WCAG's, 1–21) of a part's colour on its row: WCAG's minimum for
large or bold text."""


def _luminance(color: Color) -> float:
    """WCAG relative luminance of an opaque colour."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(color.r) + 0.7152 * linear(color.g) + 0.0722 * linear(color.b)


def contrast(foreground: Color, background: Color) -> float:
    """WCAG contrast ratio of ``foreground`` (blended over ``background``) on ``background``."""
    lighter, darker = sorted(
        (_luminance(background + foreground), _luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True, slots=True)
class ResultRow:
    """What one row shows: the hit and the one-line definition chosen for it."""

    hit: SearchHit
    definition: str


def row_content(row: ResultRow, parts: PartStyles) -> Content:
    """The row's two lines: headwords, kind and why it matched above, the definition below."""
    hit = row.hit
    head: list[tuple[str, Style] | str] = [(hit.term_en, parts["results--term"])]
    if hit.term_ja and hit.term_ja != hit.term_en:
        head += ["  ", (hit.term_ja, parts["results--term-ja"])]
    head += ["  ", (hit.kind, parts["results--kind"])]
    if hit.layer == "reference":
        head += ["  ", (NOT_CURATED, parts["results--reference"])]
    why = why_matched(hit)
    if why:
        head += ["  ", (why, parts["results--why"])]
    body = Content.styled(row.definition or " ", parts["results--definition"])
    return Content.assemble(*head, "\n", body)


class LegibleRow(Visual):
    """A result row, drawn with its parts' current styles, whose coloured parts give way to
    the row's own colour where they would be hard to read on its background.

    The parts are coloured for the list's background. The cursor row has a background of its
    own, a strong one when the list has the focus, on which some parts could hardly be read
    (dark grey on dark blue in the light theme, grey-blue on blue in the dark one).

    The styled text is built when first needed and again only after a part's style changed
    (a theme switch), so a switch rebuilds just the rows on screen.
    """

    def __init__(self, row: ResultRow, parts: PartStyles) -> None:
        self.row = row
        self._parts = parts
        self._built: tuple[int, Content] | None = None

    @property
    def content(self) -> Content:
        """The row's text, styled as its parts are now."""
        if self._built is None or self._built[0] != self._parts.version:
            content = row_content(self.row, self._parts)  # may look the styles up first
            self._built = (self._parts.version, content)
        return self._built[1]

    def _on(self, style: Style) -> Content:
        content = self.content
        background, foreground = style.background, style.foreground
        if background is None or foreground is None:
            return content
        spans = []
        for span in content.spans:
            part = span.style
            if (
                isinstance(part, Style)
                and part.foreground is not None
                and contrast(part.foreground, background) < MIN_CONTRAST
            ):
                part = replace(part, foreground=foreground)
            spans.append(Span(span.start, span.end, part))
        return Content(content.plain, spans)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self._on(style).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.content.get_height(rules, width)


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
        "results--reference",
        "results--definition",
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[ResultRow] = []
        self._parts = PartStyles(self, self.COMPONENT_CLASSES)

    @property
    def rows(self) -> list[ResultRow]:
        """The rows on show, in rank order."""
        return list(self._rows)

    def hit_of(self, entry_id: str) -> SearchHit | None:
        """The hit with this id, if it is listed."""
        return next((row.hit for row in self._rows if row.hit.id == entry_id), None)

    def layer_of(self, entry_id: str) -> str:
        """The layer of the hit with this id (``curated`` or ``reference``)."""
        hit = self.hit_of(entry_id)
        return hit.layer if hit is not None else "curated"

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
        self.set_options(Option(LegibleRow(row, self._parts), id=row.hit.id) for row in self._rows)
        ids = [row.hit.id for row in self._rows]
        if ids:
            self.highlighted = ids.index(keep) if keep in ids else 0

    def render_lines(self, crop: Region) -> list[Strip]:
        """Draw the rows; after a part's style changed, the rows drawn before are stale."""
        if self._parts.refresh():
            # Textual keys the rows it drew by each row's own style, not by its parts'. Its
            # cache is private: without it (another Textual), there is nothing to forget.
            drawn = getattr(self, "_option_render_cache", None)
            if drawn is not None:
                drawn.clear()
        return super().render_lines(crop)
