"""``torchgloss config path|show``: where the settings file is, and what it sets."""

from __future__ import annotations

import click

from glossary.cli.common import echo_json


@click.group("config")
def config_group() -> None:
    """The settings file (TOML): theme, language, filters, default limits."""


@config_group.command("path")
def config_path() -> None:
    """Print where the settings file is (or would be)."""
    from glossary.paths import config_file

    click.echo(str(config_file()))


@config_group.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
def config_show(as_json: bool) -> None:
    """Print the settings in effect (the file's, defaults for what it leaves out).

    Without a file, prints a commented example to start one from.
    """
    from glossary.paths import config_file
    from glossary.settings import EXAMPLE, load_settings

    settings = load_settings()
    if as_json:
        echo_json(settings.to_json())
        return
    if settings.path is None:
        click.echo(f"# No settings file yet: {config_file()}\n# Defaults are in effect; e.g.\n")
        click.echo(EXAMPLE, nl=False)
        return
    click.echo(f"# {settings.path}")
    click.echo(f'theme = "{settings.theme}"')
    if settings.language:
        click.echo(f'language = "{settings.language}"')
    click.echo("\n[filters]")
    for key, value in (("lang", settings.filters.lang), ("kind", settings.filters.kind)):
        if value:
            click.echo(f'{key} = "{value}"')
    click.echo("\n[limits]")
    click.echo(f"search = {settings.limits.search}")
    click.echo(f"history = {settings.limits.history}")
