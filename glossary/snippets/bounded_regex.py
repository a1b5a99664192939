"""``re.search`` with a time limit: a snippet's ``output_regex`` is matched in a child process.

Python's ``re`` backtracks, so a pattern from a glossary folder such as ``^(a+)+$`` against
``'a' * 40 + '!'`` runs for hours. The match holds the GIL and cannot be interrupted by a
thread or a signal handler, so it runs in a short-lived interpreter (``python -I -S``, which
starts quickly) that is killed at the limit, with its address space capped.
"""

from __future__ import annotations

import json
import subprocess
import sys

REGEX_TIMEOUT_S = 2.0
"""How long one ``output_regex`` match may take."""
REGEX_MEMORY_MB = 512
"""``RLIMIT_AS`` of the matching process."""

_PROGRAM = f"""\
import json, re, resource, sys
limit = {REGEX_MEMORY_MB} * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
pattern, text = json.load(sys.stdin)
sys.stdout.write("1" if re.search(pattern, text) else "0")
"""


class RegexTimeoutError(Exception):
    """The match did not finish within the time limit (catastrophic backtracking)."""


def bounded_search(pattern: str, text: str, timeout_s: float = REGEX_TIMEOUT_S) -> bool:
    """Whether ``re.search(pattern, text)`` finds a match, decided within ``timeout_s``.

    Raises:
        RegexTimeoutError: the match took longer (the child is killed).
        ValueError: the pattern does not compile, or the child failed otherwise.

    Example:
        >>> bounded_search(r"loss=\\d+", "step 1 loss=42")
        True
    """
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-S", "-c", _PROGRAM],
            input=json.dumps([pattern, text]).encode(),
            capture_output=True,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RegexTimeoutError(
            f"matching took longer than {timeout_s:g} s (a pattern that backtracks "
            "catastrophically, such as nested repeats); simplify it"
        ) from None
    if done.returncode != 0 or done.stdout not in (b"0", b"1"):
        last = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        raise ValueError(f"the match failed: {last[0]}")
    return done.stdout == b"1"
