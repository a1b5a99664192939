"""The ``torchgloss`` command: argument parsing and rendering over the :mod:`glossary` library.

Sub-commands are imported only when invoked, so ``torchgloss search`` never pays for the
modules of ``validate`` or ``model`` (start-up time is a feature here).
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import click

from glossary import __version__
from glossary.cli.common import error_text
from glossary.cli.help_text import localize, translate_click
from glossary.errors import GlossaryError
from glossary.i18n import _, japanese

# name -> "module:attribute"; each module holds one command or group.
COMMANDS: dict[str, str] = {
    "show": "glossary.cli.show_cmd:show",
    "stats": "glossary.cli.stats_cmd:stats",
    "validate": "glossary.cli.validate_cmd:validate",
    "schema": "glossary.cli.schema_cmd:schema",
    "search": "glossary.cli.search_cmd:search",
    "eval": "glossary.cli.eval_cmd:eval_",
    "model": "glossary.cli.model_cmd:model_group",
    "index": "glossary.cli.index_cmd:index_group",
    "run": "glossary.cli.run_cmd:run",
    "check-snippets": "glossary.cli.run_cmd:check_snippets",
    "serve": "glossary.cli.serve_cmd:serve",
    "tui": "glossary.cli.tui_cmd:tui",
    "config": "glossary.cli.config_cmd:config_group",
    "bookmarks": "glossary.cli.bookmarks_cmd:bookmarks_group",
    "export": "glossary.cli.export_cmd:export",
}

HELP = """Japanese/English glossary and search for "torch" — above all PyTorch.

\b
Examples:
  torchgloss search "自動微分"            # autograd
  torchgloss search "テンソルをつなげる"   # finds torch.cat from a paraphrase
  torchgloss search jidoubibun           # romaji works too
  torchgloss show torch.cat
  torchgloss run torch.cat               # run the entry's example
  torchgloss 自動微分                     # no command: the words are searched
  torchgloss                             # open the terminal browser
"""


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module_name, attr = COMMANDS[cmd_name].split(":")
            command: click.Command = getattr(importlib.import_module(module_name), attr)
            return localize(command)
        return super().get_command(ctx, cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """``torchgloss 自動微分`` searches: words that are not a command are a query."""
        if args and not args[0].startswith("-") and args[0] not in self.list_commands(ctx):
            return "search", self.get_command(ctx, "search"), args
        return super().resolve_command(ctx, args)


@click.group(cls=LazyGroup, invoke_without_command=True, help=HELP)
@click.version_option(__version__, prog_name="torchgloss")
@click.option(
    "--data",
    "data_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Extra glossary folder, merged after the bundled one (repeatable). Also: TORCHGLOSS_DATA.",
)
@click.pass_context
def cli(ctx: click.Context, data_dirs: tuple[Path, ...]) -> None:
    ctx.ensure_object(dict)
    ctx.obj["data_dirs"] = list(data_dirs)
    if ctx.invoked_subcommand is None:
        from glossary.cli.tui_cmd import tui

        ctx.invoke(tui)


def error_line(error: GlossaryError) -> str:
    """How the CLI states a user error: its message (with the option it is about, where it is
    about one), headed by its title in Japanese."""
    message = error_text(error)
    return f"{_(error.title)}: {message}" if japanese() else message


def main(argv: list[str] | None = None) -> Any:
    """Entry point: runs the CLI, turning :class:`GlossaryError` into one line and a status.

    Without standalone mode click itself returns ``ctx.exit(N)``'s status, turns an interrupt in
    a command into :class:`click.exceptions.Abort` and exits 1 on a broken pipe, so those need
    no handler here.
    """
    translate_click()
    localize(cli)
    try:
        status = cli.main(args=argv, prog_name="torchgloss", standalone_mode=False)
        if isinstance(status, int) and status:
            sys.exit(status)  # ctx.exit(N) comes back as a return value without standalone mode
        return status
    except click.exceptions.Abort:
        click.echo(_("Aborted."), err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except GlossaryError as exc:
        click.echo(f"torchgloss: {error_line(exc)}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:  # before click's own handling starts (it makes later ones Abort)
        click.echo(_("Interrupted."), err=True)
        sys.exit(130)
