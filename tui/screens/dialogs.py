"""Modal dialogs: confirm running a snippet from a user folder, and show a user error."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from glossary.i18n import _


class ConfirmRunScreen(ModalScreen[bool]):
    """Ask before running code that came from a user folder rather than the bundled data.

    Dismisses with ``True`` to run. The default button is "Don't run": Enter on a dialog that
    appeared unexpectedly should never run a stranger's code.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(False)", _("Don't run")),
        Binding("y", "dismiss(True)", _("Run"), show=False),
        Binding("n", "dismiss(False)", _("Don't run"), show=False),
    ]

    def __init__(
        self, entry_id: str, source: Path | None, code: str, *, edited: bool = False
    ) -> None:
        super().__init__()
        self.entry_id = entry_id
        self.source = source
        self.code = code
        self.edited = edited
        """The code is the reader's edit of the example (not the example itself)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-warning") as dialog:
            if self.edited:
                dialog.border_title = _("Run the edited code?")
                message = _(
                    "This is your edit of the example of {entry}, not torchgloss's own code. "
                    "It runs as a Python program with your permissions."
                ).format(entry=repr(self.entry_id))
            else:
                dialog.border_title = _("Run code from a user folder?")
                where = f" from {_display_path(self.source)}" if self.source else ""
                message = (
                    f"The example of {self.entry_id!r} comes{where}, not from torchgloss's own "
                    "glossary. It runs as a Python program with your permissions."
                )
            yield Static(message, markup=False, classes="dialog-message")
            with VerticalScroll(id="dialog-code"):
                yield Static(self.code, markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Don't run") + "  n", id="no", variant="primary")
                yield Button(_("Run") + "  y", id="yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _on_button(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class ErrorDialog(ModalScreen[None]):
    """A :class:`~glossary.errors.GlossaryError` (or similar) told in plain words."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "dismiss", _("Close"))]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="-error") as dialog:
            dialog.border_title = self.title_text
            with VerticalScroll(id="dialog-body"):
                yield Static(self.message, markup=False, classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Close"), id="close", variant="primary")
            yield Label(_("Esc or Enter to close"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def _on_close(self) -> None:
        self.dismiss(None)


def _display_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
