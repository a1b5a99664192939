"""Fold text into comparable keys: width, case, kana script, long vowels, romaji.

Everything here is pure Python over :mod:`unicodedata` (plus ``jaconv`` for romaji), so the
cold search path can normalize a query in microseconds without loading a dictionary.

The folds, from strict to loose:

* :func:`clean` makes arbitrary input safe to process and show (lone surrogates, control and
  bidi-format characters removed, whitespace collapsed);
* :func:`fold` is NFKC (full-width ``ｔｏｒｃｈ．ｃａｔ`` → ``torch.cat``, half-width kana →
  full-width), case folding, katakana → hiragana and collapsed whitespace;
* :func:`loose` further drops separators and punctuation (``data loader`` = ``DataLoader``,
  ``zero_grad`` = ``zero grad``) and folds kana long vowels and small kana
  (``オプティマイザ`` = ``オプティマイザー``, ``じどびぶん`` = ``じどうびぶん``), which is how a
  romaji reading typed without long vowels still finds its entry.
"""

from __future__ import annotations

import re
import unicodedata

_JAPANESE_RE = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f々〆]"
)
_KANJI_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆]")
_HIRAGANA_ONLY_RE = re.compile(r"^[\u3041-\u3096\u309d\u309eー]+$")
_ROMAJI_INPUT_RE = re.compile(r"^[a-z' \-]+$")
# っ must come before a consonant; English read as romaji leaves it elsewhere (batch → ばっっう)
_BAD_SOKUON_RE = re.compile(r"っ(?:$|[あいうえおんっーぁぃぅぇぉ])")

# Katakana → hiragana by code point (ァ..ヶ are 0x60 above ぁ..ゖ; ヽヾ → ゝゞ).
_KATA_TO_HIRA: dict[int, int | str] = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}
_KATA_TO_HIRA.update({0x30FD: 0x309D, 0x30FE: 0x309E})
# ヷヸヹヺ have no precomposed hiragana: base kana plus the combining voiced mark.
_KATA_TO_HIRA.update(
    {0x30F7: "わ\u3099", 0x30F8: "ゐ\u3099", 0x30F9: "ゑ\u3099", 0x30FA: "を\u3099"}
)

_SMALL_KANA = str.maketrans("ぁぃぅぇぉゕゖゎ", "あいうえおかけわ")

# The vowel each hiragana ends in, for folding long vowels (おう → お, えい → え, ああ → あ).
_VOWEL_OF: dict[str, str] = {}
for _vowel, _chars in {
    "a": "あかさたなはまやらわがざだばぱゃ",
    "i": "いきしちにひみりぎじぢびぴ",
    "u": "うくすつぬふむゆるぐずづぶぷゅゔ",
    "e": "えけせてねへめれげぜでべぺ",
    "o": "おこそとのほもよろをごぞどぼぽょ",
}.items():
    for _char in _chars:
        _VOWEL_OF[_char] = _vowel
_LENGTHENERS = {"a": "あ", "i": "い", "u": "う", "e": "えい", "o": "おう"}

_QUESTION_SUFFIXES = (
    "とはなんですか",
    "とは何ですか",
    "とはなに",
    "とは何",
    "とは",
    "ってなに",
    "って何",
    "って",
    "の意味は",
    "の意味",
    "の使い方",
    "の使いかた",
    "使い方",
    "について",
    "を教えて",
    "とは?",
    "?",
)
_QUESTION_PREFIXES = (
    "what is a ",
    "what is an ",
    "what is the ",
    "what is ",
    "what's ",
    "what are ",
    "what does ",
    "how to use ",
    "how do i use ",
    "meaning of ",
    "definition of ",
    "define ",
    "explain ",
)


def clean(text: str) -> str:
    """Make any string safe to search for and to print.

    Lone surrogates are dropped (valid surrogate pairs become their character), control
    characters become spaces, invisible format characters (bidi marks, zero-width spaces, BOM)
    are removed, and runs of whitespace collapse to one space.

    >>> clean("  torch\\x00.cat\\u200f ")
    'torch .cat'
    """
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        text = text.replace("\ufffd", "")
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cc" or category in ("Zl", "Zp"):
            out.append(" ")
        elif category != "Cf":
            out.append(ch)
    return " ".join("".join(out).split())


def kata_to_hira(text: str) -> str:
    """Katakana → hiragana (ー and other characters are kept)."""
    return text.translate(_KATA_TO_HIRA)


def fold(text: str) -> str:
    """The strict comparison key: NFKC, case folding, katakana → hiragana, single spaces.

    >>> fold("ＰｙＴｏｒｃｈ  テンソル")
    'pytorch てんそる'
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(kata_to_hira(text).split())


def collapse_kana(text: str) -> str:
    """Fold kana spellings that readers treat as the same word.

    Small vowels become large (てぃ ≈ てい), ー and っ disappear, and a vowel that only
    lengthens the one before it is dropped (おう, おお → お; えい → え; うう → う), so
    ``がくしゅうりつ``, ``がくしゅりつ`` and ``ガクシューリツ`` share one key.
    """
    text = text.translate(_SMALL_KANA).replace("ー", "").replace("っ", "")
    out: list[str] = []
    for ch in text:
        if out and ch in _LENGTHENERS.get(_VOWEL_OF.get(out[-1], ""), ""):
            continue
        out.append(ch)
    return "".join(out)


def loose(key: str) -> str:
    """A forgiving key from a :func:`fold` key: no separators or punctuation, kana collapsed.

    Returns ``key`` itself when nothing would be left (a query of only ``@`` or ``.``).

    >>> loose(fold("Data_Loader"))
    'dataloader'
    """
    kept = [ch for ch in key if ch != "ー" and not unicodedata.category(ch).startswith(("P", "Z"))]
    result = collapse_kana("".join(kept))
    return result or key


def has_japanese(text: str) -> bool:
    """True when ``text`` holds at least one kana or kanji character."""
    return bool(_JAPANESE_RE.search(text))


def has_kanji(text: str) -> bool:
    """True when ``text`` holds at least one kanji (its pronunciation is not written)."""
    return bool(_KANJI_RE.search(text))


def is_hiragana(text: str) -> bool:
    """True when ``text`` is hiragana only (after :func:`fold`, katakana counts too)."""
    return bool(_HIRAGANA_ONLY_RE.match(text))


def romaji_to_kana(text: str) -> list[str]:
    """Readings in hiragana that a romaji query may stand for; empty if it is not romaji.

    Hepburn, kunrei-shiki and IME-style spellings are accepted (``jidou bibun``,
    ``zidoubibun``, ``gakusyuuritu``, ``shimbun``, ``jidō``). Text that does not turn into
    well-formed kana (most English words: ``tensor`` ends in a stray ``r``, ``batch`` in
    a doubled っ) gives no reading.
    Where ``nn`` before a vowel is ambiguous, both readings are returned.
    """
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = " ".join(text.split())
    if not text or len(text) > 80 or not _ROMAJI_INPUT_RE.match(text):
        return []
    text = re.sub(r"m(?=[bpm])", "n", text).replace(" ", "")
    spellings = [text]
    hepburn = re.sub(r"nn(?=[aiueoy])", "n'n", text)
    if hepburn != text:
        spellings.append(hepburn)
    from jaconv import alphabet2kana

    readings = []
    for spelling in spellings:
        kana = alphabet2kana(spelling).replace("'", "")
        if kana and is_hiragana(kana) and not _BAD_SOKUON_RE.search(kana) and kana not in readings:
            readings.append(kana)
    return readings


def strip_question(text: str) -> str:
    """Remove question framing around a term: ``torch.compile とは`` → ``torch.compile``.

    Works on :func:`fold`-ed text; returns the text unchanged if nothing would be left.

    >>> strip_question("what is autograd?")
    'autograd'
    """
    current = text.strip()
    changed = True
    while changed:
        changed = False
        for suffix in _QUESTION_SUFFIXES:
            if current.endswith(suffix) and len(current) > len(suffix):
                current = current[: -len(suffix)].rstrip()
                changed = True
        for prefix in _QUESTION_PREFIXES:
            if current.startswith(prefix) and len(current) > len(prefix):
                current = current[len(prefix) :].lstrip()
                changed = True
    return current or text
