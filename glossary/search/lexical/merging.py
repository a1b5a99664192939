"""The lexical index of the bundled glossary plus a user's folders, without re-analysing the
bundled part.

Compiling runs Sudachi and pykakasi over every entry: seconds for the bundled glossary, most
of a user-folder session's first search. The package ships those entries compiled
(:mod:`.shipped`); here only the user's entries are analysed and appended to them
(:func:`.building.compile_after`), which gives the tables a whole compile would, key by key.
It applies while the bundled files are those the shipped tables were compiled from, with the
same analyzer versions (both checked by :func:`.shipped.shipped_compiled`), and no user
entry replaces a bundled one; otherwise the caller compiles everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from glossary.search.lexical.index import LexicalIndex


def compile_with_bundled(folders: Sequence[Path], fingerprint: str) -> LexicalIndex | None:
    """The index of ``folders`` (the bundled glossary first, then the user's) from the shipped
    tables and the user's entries alone; ``None`` when that does not apply (see the module
    docstring).

    Entries of the user's folders that do not validate are left out, and their problems
    recorded in the index (:attr:`LexicalIndex.skipped`), as a whole compile does.
    """
    from glossary.loader import collect
    from glossary.paths import bundled_data_dir
    from glossary.search.lexical.building import compile_after
    from glossary.search.lexical.index import LexicalIndex, with_skipped
    from glossary.search.lexical.shipped import shipped_compiled

    if len(folders) < 2 or folders[0].resolve() != bundled_data_dir().resolve():
        return None
    base = shipped_compiled()
    if base is None:
        return None
    entries, _origins, problems = collect(folders[1:])
    bundled_ids = {row[0] for row in base["entries"]}
    if any(entry.id in bundled_ids for entry in entries):
        return None  # a replaced entry moves to the end, and links to it read the new one
    return LexicalIndex(with_skipped(compile_after(base, entries, fingerprint), problems))
