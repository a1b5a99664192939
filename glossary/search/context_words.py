"""Context words: what people add to a PyTorch question that says nothing about which entry.

In a PyTorch glossary, "PyTorch", "in pytorch", "how to", "方法", "使い方", "徹底解説" are the
setting of the question, not its subject: left in, they pull the ``pytorch`` library entry or
``pip-install`` to the top of "how to concatenate tensors in pytorch". :func:`content_of`
removes them from the text that the word and meaning signals look at, as long as something
else is left; "what is PyTorch" and "PyTorch とは" keep them, because there the library is
the subject.

The lists are short on purpose: a word belongs here only if it is boilerplate in almost every
question that contains it.
"""

from __future__ import annotations

import re

#: English phrases (matched as whole words, case-insensitively), longest first.
ENGLISH = (
    "what is the best way to",
    "is there a way to",
    "is it possible to",
    "what is the correct way to",
    "how do i",
    "how can i",
    "how do you",
    "how should i",
    "how to",
    "in pytorch",
    "using pytorch",
    "with pytorch",
    "on pytorch",
    "pytorch's",
    "pytorch",
    "in python",
    "tutorial",
    "beginner",
    "beginners",
    "explained",
    "example",
    "examples",
    "please help",
    "help",
)
#: Japanese phrases (matched anywhere), longest first.
JAPANESE = (
    "PyTorchで",
    "PyTorchの",
    "PyTorchを",
    "PyTorchに",
    "Pytorchで",
    "pytorchで",
    "徹底解説",
    "わかりやすく",
    "分かりやすく",
    "初心者向け",
    "初心者",
    "するには",
    "する方法",
    "のやり方",
    "やり方",
    "使い方",
    "について",
    "まとめ",
    "入門",
    "解説",
    "備忘録",
    "メモ",
    "方法",
)
_ENGLISH_RE = re.compile(
    r"(?<![\w.])(?:" + "|".join(re.escape(p) for p in ENGLISH) + r")(?![\w.])", re.IGNORECASE
)
_JAPANESE_RE = re.compile("|".join(re.escape(p) for p in JAPANESE), re.IGNORECASE)
#: Decoration of blog titles: 【PyTorch】, 「…」 quotes, ！？ runs, ―― dashes.
_DECORATION_RE = re.compile(r"【[^】]{0,20}】|[「」『』【】！!？?～〜―—]+")
_JAPANESE_CHAR_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_INSTALL_RE = re.compile(
    r"install|インストール|導入|アンインストール|version|バージョン", re.IGNORECASE
)
_LEFT_RE = re.compile(r"[\w\u3040-\u30ff\u3400-\u9fff]")
_LIBRARY_WORDS = re.compile(r"^(?:what\s+is|what's|about|)\s*$", re.IGNORECASE)


def content_of(text: str) -> str:
    """``text`` without its context words and title decoration; ``text`` itself when the
    question is about PyTorch itself or nothing would be left.

    >>> content_of("How to concatenate two tensors in PyTorch?")
    'concatenate two tensors'
    >>> content_of("PyTorch とは")
    'PyTorch とは'
    """
    if len(text.split()) <= 2 and not _JAPANESE_CHAR_RE.search(text):
        return text  # "pytorch lighting": a name with a typo, not a question
    if _INSTALL_RE.search(text):
        return text  # installing PyTorch: the library is the subject
    stripped = _DECORATION_RE.sub(" ", text)
    stripped = _JAPANESE_RE.sub(" ", stripped)
    stripped = _ENGLISH_RE.sub(" ", stripped)
    stripped = " ".join(stripped.split())
    if not _LEFT_RE.search(stripped) or _is_question_framing(stripped):
        return text
    return stripped


def _is_question_framing(rest: str) -> bool:
    """What is left is only "what is" / "とは": the question is about the library."""
    from glossary.text.normalize import strip_question

    folded = rest.casefold().strip(" ?")
    return (
        bool(_LIBRARY_WORDS.match(folded))
        or strip_question(folded) == ""
        or folded
        in (
            "とは",
            "とは何",
            "って何",
            "の意味",
        )
    )
