"""``torchgloss validate``: check glossary files and report every problem with file and line."""

from __future__ import annotations

from pathlib import Path

import click

from glossary.cli.common import console, data_dirs, echo_json
from glossary.i18n import _


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@click.option(
    "--no-api-check", is_flag=True, help="Skip resolving API names (avoids importing torch)."
)
@click.pass_context
def validate(
    ctx: click.Context, paths: tuple[Path, ...], as_json: bool, no_api_check: bool
) -> None:
    """Validate glossary YAML (the bundled data, TORCHGLOSS_DATA, --data and PATHS).

    Exit status 1 when any problem is found; each is reported with file, line and field.

    \b
    例: torchgloss validate ~/my-glossary/
    """
    from glossary.errors import GlossaryError
    from glossary.validate import validate as run_validation

    missing = [p for p in paths if not p.exists()]
    if missing:
        raise GlossaryError(f"{missing[0]}: no such file or folder.")
    problems = run_validation([*data_dirs(ctx), *paths], check_api=not no_api_check)
    if as_json:
        echo_json(
            {
                "ok": not problems,
                "problems": [
                    {
                        "path": p.path,
                        "line": p.line,
                        "field": p.field,
                        "entry": p.entry_id,
                        "message": p.message,
                    }
                    for p in problems
                ],
            }
        )
    else:
        from rich.markup import escape

        out = console()
        err = console(stderr=True)
        for problem in problems:
            err.print(f"[red]✗[/] {escape(str(problem))}")
        if problems:
            found = _("1 problem found.") if len(problems) == 1 else _("{count} problems found.")
            err.print(f"[bold red]{escape(found.format(count=len(problems)))}[/]")
        else:
            out.print("[green]✓[/] " + escape(_("glossary data is valid.")))
    ctx.exit(1 if problems else 0)
