"""``torchgloss search QUERY``: ranked entries with why each matched; ``-`` reads stdin."""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from glossary.cli.common import (
    ENGINE_DEVICE_OPTION,
    ENGINE_MODEL_OPTION,
    console,
    data_dirs,
    echo_json,
    error_text,
    json_text,
    warn_skipped,
)
from glossary.errors import GlossaryError
from glossary.i18n import _
from glossary.i18n import japanese as ja_ui
from glossary.search.types import Mode, SearchResponse

if TYPE_CHECKING:
    from rich.text import Text

    from glossary.search.engine import SearchEngine
    from glossary.search.types import SearchHit

MODES = [m.value for m in Mode]


@click.command()
@click.argument("query", nargs=-1, required=True)
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(min=1),
    help="Most results (default: limits.search of the settings file, else 10).",
)
@click.option(
    "--lang",
    type=click.Choice(["ja", "en"]),
    help="Language of the query and of the one-line definitions (default: guessed).",
)
@click.option("--kind", help="Only entries of this kind: api, concept, object, library …")
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default=Mode.HYBRID.value,
    show_default=True,
    help="Which signals rank: names + words + meaning, names + words only, or meaning only.",
)
@click.option(
    "--layer",
    type=click.Choice(["curated", "reference", "all"]),
    default="all",
    show_default=True,
    help="Curated entries, the installed torch's reference pages (not yet curated), or both.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@ENGINE_MODEL_OPTION
@ENGINE_DEVICE_OPTION
@click.pass_context
def search(
    ctx: click.Context,
    query: tuple[str, ...],
    limit: int | None,
    lang: str | None,
    kind: str | None,
    mode: str,
    layer: str,
    as_json: bool,
    model: str | None,
    device: str | None,
) -> None:
    """Search the glossary for QUERY, in Japanese, English, kana or romaji.

    The words of QUERY may be given unquoted. With QUERY "-", read one query per line from
    stdin and print one JSON object per line (the model is loaded once).

    \b
    例: torchgloss search 自動微分
        torchgloss search テンソルをつなげる --limit 3
        torchgloss search jidou bibun
        torchgloss search torch.cta --json
        printf 'cat\\nじどうびぶん\\n' | torchgloss search -
    """
    if limit is None:
        from glossary.settings import load_settings

        limit = load_settings().limits.search
    searcher = _Searcher(
        data_dirs(ctx), model, device, _Options(limit, lang, kind, Mode(mode), layer)
    )
    if query == ("-",):
        _search_lines(searcher)
        return
    response = searcher.search(" ".join(query), lexical_first=True)
    if as_json:
        echo_json(response.to_json())
    else:
        _render(response, lang)
    searcher.finish_semantic()


@dataclass(frozen=True, slots=True)
class _Options:
    limit: int
    lang: str | None
    kind: str | None
    mode: Mode
    layer: str = "all"


class _Searcher:
    """Answers queries through a running ``torchgloss serve`` if one serves these folders,
    else with an engine opened here on first use (and kept for the next query)."""

    def __init__(
        self, extra: list[Path], model: str | None, device: str | None, options: _Options
    ) -> None:
        self.extra = extra
        self.model = model
        self.device = device
        self.options = options
        self.engine: SearchEngine | None = None
        self.use_server = model is None and device is None
        #: Texts still to embed before meaning search works (see :meth:`search`).
        self.backlog = 0

    def search(self, query: str, *, lexical_first: bool = False) -> SearchResponse:
        """Answer ``query``. With ``lexical_first``, a hybrid search whose dense index would
        first have to embed texts (a user's folder) answers lexically at once and leaves the
        embedding to :meth:`finish_semantic`."""
        if self.use_server:
            response = self._remote(query)
            if response is not None:
                return response
            self.use_server = False  # no server: do not knock again for every line
        if self.engine is None:
            from glossary.search.engine import SearchEngine

            self.engine = SearchEngine.open(self.extra, model=self.model, device=self.device)
            self.engine.on_progress = _BuildProgress()
            warn_skipped(self.engine.skipped)
        o = self.options
        response = self.engine.search(
            query,
            limit=o.limit,
            lang=o.lang,
            kind=o.kind,
            mode=o.mode,
            layer=o.layer,
            embed_now=not lexical_first,
        )
        self.backlog = response.semantic_backlog
        return response

    def finish_semantic(self) -> None:
        """Embed what :meth:`search` left for later (with a progress bar on stderr)."""
        if not self.backlog or self.engine is None:
            return
        self.backlog = 0
        try:
            self.engine.ensure_semantic(_BuildProgress())
        except GlossaryError as exc:
            console(stderr=True).print(
                _("Meaning search is not ready: {error}").format(error=error_text(exc)),
                style="yellow",
            )

    def _remote(self, query: str) -> SearchResponse | None:
        from glossary.paths import runtime_dir

        socket_path = runtime_dir() / "search.sock"  # glossary.server.default_socket_path()
        if not socket_path.exists():
            return None
        from glossary.datafiles import glossary_folders
        from glossary.search.freshness import folder_names
        from glossary.server_client import remote_search

        o = self.options
        return remote_search(
            socket_path,
            folder_names(glossary_folders(self.extra)),
            query,
            limit=o.limit,
            lang=o.lang,
            kind=o.kind,
            mode=o.mode,
            layer=o.layer,
        )


class _BuildProgress:
    """Shows on stderr what a search builds (the model, vectors of a user's folder): each
    stage once, and on a terminal a bar with the count and an estimate of the time left."""

    WIDTH = 24

    def __init__(self) -> None:
        from glossary.progress import StageClock

        self.stage = ""
        self.clock = StageClock()
        self.live = sys.stderr.isatty()

    def __call__(self, stage: str, done: int, total: int) -> None:
        from glossary.progress import describe_seconds_left

        left = self.clock.seconds_left(stage, done, total)
        if stage != self.stage:
            if total == 0:
                return  # nothing to do in this stage: say nothing
            self.stage = stage
            sys.stderr.write(f"torchgloss: {stage} ({total})…\n")
        if self.live and total:
            filled = self.WIDTH * done // total
            bar = f"[{'#' * filled}{'-' * (self.WIDTH - filled)}] {done}/{total}"
            sys.stderr.write(f"\r  {bar}  {describe_seconds_left(left)}".ljust(60))
            if done >= total:
                sys.stderr.write("\n")
        sys.stderr.flush()


def _search_lines(searcher: _Searcher) -> None:
    """``search -``: one compact JSON object per input line, flushed as it is answered."""
    from glossary.text.normalize import clean

    stdin = sys.stdin
    if isinstance(stdin, io.TextIOWrapper):
        stdin.reconfigure(errors="replace")  # undecodable bytes must not end the run
    for line in stdin:
        query = line.rstrip("\r\n")
        try:
            data = searcher.search(query).to_json()
        except GlossaryError as exc:
            data = {"query": clean(query), "results": [], "error": error_text(exc)}
        sys.stdout.write(
            json_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"))) + "\n"
        )
        sys.stdout.flush()


def _render(response: SearchResponse, lang: str | None) -> None:
    from rich.text import Text

    from glossary.text.normalize import has_japanese

    out = console()
    err = console(stderr=True)
    for notice in response.notices:
        err.print(Text(notice, style="yellow"))
    if not response.results:
        shown = response.query if len(response.query) <= 60 else response.query[:59] + "…"
        err.print(Text(_("No entries match {query!r}.").format(query=shown), style="dim"))
        return
    japanese = lang == "ja" or (lang is None and (has_japanese(response.query) or ja_ui()))
    for rank, hit in enumerate(response.results, 1):
        out.print(_hit_view(rank, hit, japanese))


def _hit_view(rank: int, hit: SearchHit, japanese: bool) -> Text:
    from rich.text import Text

    from glossary.search.explain import explain

    view = Text()
    view.append(f"{rank:>2}  ", style="dim")
    view.append(hit.term_en, style="bold")
    if hit.term_ja:
        view.append("  ")
        view.append(hit.term_ja, style="bold cyan")
    view.append(f"  [{hit.kind}]", style="magenta")
    if hit.layer == "reference":
        view.append("  " + _("reference (not yet curated)"), style="yellow")
    if hit.id not in (hit.term_en, hit.api):
        view.append(f"  {hit.id}", style="dim")
    summary = (hit.summary_ja or hit.summary_en) if japanese else (hit.summary_en or hit.summary_ja)
    if summary:
        view.append("\n    " + summary)
    if hit.matched_by:
        view.append("\n    " + _("matched:") + " ", style="dim")
        view.append(" · ".join(explain(hit.matched_by)), style="green")
    return view
