"""The interface language (English or Japanese) and its message catalogue.

Messages are English strings marked with :func:`_`; their Japanese translations live in a
standard gettext catalogue, ``glossary/locale/ja/LC_MESSAGES/torchgloss.po``, compiled to the
``.mo`` next to it by ``python -m glossary.i18n_po compile`` (both are committed, and a test
checks that the ``.mo`` matches the ``.po``). Messages with values use ``str.format`` fields:
``_("No entries match {query}.").format(query=q)``.

The language is Japanese when ``TORCHGLOSS_LANG`` is ``ja``, or, without it, when the first
of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set names a Japanese locale (``ja_JP.UTF-8``);
English otherwise. It is read once per process (:func:`reset` forgets it, for tests).

Cheap on purpose: English needs no file at all, and :mod:`gettext` is already imported by
click on every CLI path.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from gettext import NullTranslations

DOMAIN = "torchgloss"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("en", "ja")

Language = Literal["en", "ja"]


def language_from(environ: dict[str, str] | os._Environ[str]) -> Language:
    """The interface language that these environment variables ask for."""
    chosen = environ.get("TORCHGLOSS_LANG", "").strip().lower()
    if chosen:
        return "ja" if chosen.startswith("ja") else "en"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").strip()
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


@cache
def language() -> Language:
    """The interface language of this process (see the module docstring)."""
    return language_from(os.environ)


@cache
def _catalogue(lang: Language) -> NullTranslations | None:
    if lang == "en":
        return None
    import gettext

    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def translate(message: str, lang: Language) -> str:
    """``message`` in ``lang`` whatever the interface language (the palette matches both)."""
    catalogue = _catalogue(lang)
    if catalogue is None or not message:
        return message
    return catalogue.gettext(message)


def _(message: str) -> str:
    """``message`` in the interface language (itself where the catalogue lacks it)."""
    return translate(message, language())


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it here (for tables of messages
    translated when they are shown)."""
    return message


def japanese() -> bool:
    """True when the interface speaks Japanese."""
    return language() == "ja"


def reset() -> None:
    """Read the language again on next use (tests change the environment)."""
    language.cache_clear()
    _catalogue.cache_clear()
