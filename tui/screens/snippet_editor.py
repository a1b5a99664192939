"""Edit an entry's example and run the edited code: a text editor over the entry screen.

What the editor gives back is only text; the entry screen runs it through the same isolated
runner and the same trust rules as the example itself (edited code is never trusted: the
user confirms it once for each exact text, as for code from a user folder).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, TextArea

from glossary.i18n import _


@dataclass(frozen=True, slots=True)
class EditedCode:
    """What the editor closed with: the text, and whether to run it now."""

    code: str
    run: bool


class SnippetEditor(TextArea):
    """The code editor: Tab indents, and Escape closes the editor (a plain TextArea would
    only move the focus on)."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            event.stop()
            event.prevent_default()
            await self.run_action("screen.close")
            return
        await super()._on_key(event)


class SnippetEditorScreen(ModalScreen[EditedCode]):
    """Edit ``code``; dismisses with the text, to run (Ctrl+R) or only kept (Escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "run", _("Run the edited code"), priority=True),
        Binding("escape", "close", _("Close"), show=False),
    ]

    def __init__(self, entry_id: str, code: str) -> None:
        super().__init__()
        self.entry_id = entry_id
        self.code = code

    def compose(self) -> ComposeResult:
        with Vertical(id="editor-dialog") as dialog:
            dialog.border_title = _("Edit the example of {entry}").format(entry=self.entry_id)
            yield SnippetEditor.code_editor(self.code, id="snippet-editor", soft_wrap=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Close") + "  Esc", id="close-editor", compact=True)
                yield Button(
                    _("Run") + "  Ctrl+R", id="run-edited", variant="warning", compact=True
                )
            yield Label(
                _("Ctrl+R runs the edited code in the same sandbox · Esc closes, keeping it"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one(SnippetEditor).focus()

    @property
    def text(self) -> str:
        """The code as edited so far."""
        return self.query_one(SnippetEditor).text

    def action_run(self) -> None:
        """Run the edited code (the entry screen decides whether it may)."""
        self.dismiss(EditedCode(self.text, run=True))

    def action_close(self) -> None:
        """Close without running; the entry screen keeps the edited text for next time."""
        self.dismiss(EditedCode(self.text, run=False))

    @on(Button.Pressed, "#run-edited")
    def _on_run_pressed(self) -> None:
        self.action_run()

    @on(Button.Pressed, "#close-editor")
    def _on_close_pressed(self) -> None:
        self.action_close()
