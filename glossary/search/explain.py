"""Why a hit was found, in words a person reads: what they typed and what it matched.

A :class:`~glossary.search.types.Match` holds the evidence as the engine keeps it; this module
turns it into phrases for the "matched:" line (``"ばっちさいず" = headword "バッチサイズ"``,
``words "reshape", "view" in its text``, ``meaning close to "reshape that shares memory…"``),
in the interface's language. It shows the query's own words and the entry's own text, never
index terms or the labels of internal fields, and leaves out evidence that says nothing more:
a near spelling beside an exact name, or the words of a query that a name matched whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from glossary.i18n import N_, _, japanese
from glossary.search.types import Match, Signal
from glossary.text.normalize import fold

#: How each part of an entry is called in an explanation (translated when shown).
FIELD_NAMES = {
    "headword": N_("headword"),
    "api": N_("API name"),
    "id": N_("id"),
    "name": N_("name"),
    "alias": N_("alias"),
    "reading": N_("reading"),
}
#: Dense rows whose label names a part of the entry instead of being its text.
LABELLED_ROWS = {
    "definition_en": N_("its English definition"),
    "definition_ja": N_("its Japanese definition"),
    "names": N_("its names"),
}
#: The labels older dense indexes carry for those rows, without a field.
_ROW_LABELS = {
    "definition (en)": "definition_en",
    "definition (ja)": "definition_ja",
    "names": "names",
}
_NAME_SIGNALS = (Signal.NAME, Signal.ALIAS, Signal.READING)
#: Longest text quoted from an entry (a template, an asked-as request).
MAX_QUOTED = 60
#: Most query words listed for a text match (a pasted error has many).
MAX_WORDS = 6


def explain(matches: Sequence[Match]) -> list[str]:
    """The phrases that say why an entry matched, strongest evidence first."""
    names = [m for m in matches if m.signal in _NAME_SIGNALS]
    best = max(names, key=lambda m: m.score, default=None)
    shown: list[Match] = []
    if best is not None:
        shown.append(best)
        # Other names only where they matched another part of the query ("bmm と matmul").
        typed = {_key(best.query_surface)}
        for match in names:
            if _key(match.query_surface) not in typed:
                shown.append(match)
                typed.add(_key(match.query_surface))
    whole = best is not None and _covers_query(best, matches)
    phrases = [_name_phrase(m) for m in shown]
    for match in matches:
        if match.signal is Signal.FUZZY and best is None:
            phrases.append(_name_phrase(match))
        elif match.signal is Signal.TEMPLATE:
            phrases.append(_("error message {text}").format(text=_quote(match.surface)))
        elif match.signal is Signal.TEXT and not whole and not _fuzzy_whole(matches):
            separator = "" if japanese() else ", "  # 「reshape」「view」
            hits = match.surface.split()
            words = separator.join(_quote(word) for word in hits[:MAX_WORDS])
            words += "…" if len(hits) > MAX_WORDS else ""
            phrases.append(_("words {words} in its text").format(words=words))
        elif match.signal is Signal.SEMANTIC:
            phrases.append(_meaning_phrase(match))
    return phrases


def _name_phrase(match: Match) -> str:
    typed, surface = match.query_surface.strip(), match.surface.strip()
    kind = _(FIELD_NAMES.get(match.field, FIELD_NAMES["name"]))
    quoted = _quote(surface)
    if match.signal is Signal.READING:
        return _("{typed} = reading of {surface}").format(typed=_quote(typed), surface=quoted)
    if match.signal is Signal.FUZZY:
        return _("{typed} is close to the spelling of {kind} {surface}").format(
            typed=_quote(typed), kind=kind, surface=quoted
        )
    if not typed or typed.casefold() == surface.casefold():
        return _("{kind} {surface}").format(kind=kind, surface=quoted)
    if fold(surface).startswith(fold(typed)) and fold(surface) != fold(typed):
        return _("{typed} begins {kind} {surface}").format(
            typed=_quote(typed), kind=kind, surface=quoted
        )
    return _("{typed} = {kind} {surface}").format(typed=_quote(typed), kind=kind, surface=quoted)


def _meaning_phrase(match: Match) -> str:
    row = match.field or _ROW_LABELS.get(match.surface, "")
    if row in LABELLED_ROWS:
        return _("meaning close to {part}").format(part=_(LABELLED_ROWS[row]))
    return _("meaning close to {text}").format(text=_quote(match.surface))


def _covers_query(name: Match, matches: Sequence[Match]) -> bool:
    """Whether the name matched the whole query, so its words add nothing."""
    text = next((m for m in matches if m.signal is Signal.TEXT), None)
    if text is None:
        return True
    typed = _key(name.query_surface)
    return all(_key(word) in typed for word in text.surface.split())


def _fuzzy_whole(matches: Sequence[Match]) -> bool:
    """A near spelling of one name (``torch.cta``): its pieces' words say nothing more."""
    fuzzy = next((m for m in matches if m.signal is Signal.FUZZY), None)
    return fuzzy is not None and _covers_query(fuzzy, matches)


def _key(text: str) -> str:
    return fold(text).strip()


def _quote(text: str) -> str:
    if len(text) > MAX_QUOTED:
        text = text[: MAX_QUOTED - 1].rstrip() + "…"
    return _("“{text}”").format(text=text)
