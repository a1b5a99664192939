"""``--help`` in the interface language: the help texts of click commands, translated in place.

Command modules keep their help where click expects it (docstrings, ``help=``), in English;
:func:`localize` replaces each text with its translation from the message catalogue when a
command is loaded, so no command module needs to know about languages.
"""

from __future__ import annotations

from collections.abc import Iterator

import click

from glossary.i18n import N_, _, japanese

_DONE = "_torchgloss_localized"


#: Click's own words that every help screen and usage error shows; click looks them up
#: through :func:`gettext.gettext`, which :func:`translate_click` points at our catalogue.
CLICK_MESSAGES = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Missing argument"),
    N_("Missing command."),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Invalid value for {param_hint}: {message}"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("Aborted!"),
)
_CLICK_MODULES = ("core", "formatting", "decorators", "exceptions", "parser", "types", "termui")


def localize(command: click.Command) -> click.Command:
    """Translate ``command``'s help, its options' help and its sub-commands' (once)."""
    if not japanese() or getattr(command, _DONE, False):
        return command
    setattr(command, _DONE, True)
    for attr in ("help", "short_help", "epilog"):
        text = getattr(command, attr, None)
        if text:
            setattr(command, attr, _(text))
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            param.help = _(param.help)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            localize(sub)
    return command


def translate_click() -> None:
    """Make click's own words (``Usage:``, ``Options``, ``Error:`` …) follow the interface
    language. Click binds :func:`gettext.gettext` at import as each module's ``_``; in Japanese
    those names are pointed at :func:`glossary.i18n._` (the ``torchgloss`` process only)."""
    if not japanese():
        return
    import importlib

    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if callable(getattr(module, "_", None)):
            module._ = _  # type: ignore[attr-defined]


def help_strings(root: click.Group) -> Iterator[tuple[str, str]]:
    """``(where, text)`` for every help text under ``root`` (sub-commands loaded lazily too),
    in English: the messages :mod:`glossary.i18n_po` collects for the catalogue."""
    ctx = click.Context(root, info_name="torchgloss")
    yield from _walk(root, "torchgloss", ctx)


def _walk(command: click.Command, name: str, ctx: click.Context) -> Iterator[tuple[str, str]]:
    for attr in ("help", "short_help", "epilog"):
        text = getattr(command, attr, None)
        if text:
            yield f"{name} ({attr})", text
    for param in command.params:
        if isinstance(param, click.Option) and param.help:
            yield f"{name} {param.opts[0]}", param.help
    if isinstance(command, click.Group):
        for sub_name in command.list_commands(ctx):
            sub = command.get_command(ctx, sub_name)
            if sub is not None:
                yield from _walk(sub, f"{name} {sub_name}", ctx)
