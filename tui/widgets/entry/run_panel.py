"""The output panel of a snippet run: a status line, a Cancel button and the streamed output.

The run itself happens in a worker thread that reads the runner's stream; it only appends to
a buffer, and a timer on the UI side moves what arrived into the log ten times a second.
However fast or slow a snippet prints, the UI thread does a bounded amount of work and stays
responsive, and Cancel is always one keystroke away.

Once a run has ended the same key (x) closes the panel. The panel has three heights
(:data:`PANEL_SIZES`): it opens short, so that on a small terminal the example stays in view
above it, and grows or shrinks a step at a time.
"""

from __future__ import annotations

import threading
from time import monotonic
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Button, Log, Static
from textual.worker import Worker, WorkerState

from glossary.errors import GlossaryError
from glossary.i18n import _
from tui.messages import RunFinished

if TYPE_CHECKING:
    from glossary.schema import Entry
    from glossary.snippets.runner import RunResult
    from tui.snippets import SnippetHandle, SnippetStarter

FLUSH_INTERVAL_S = 0.1
"""How often arrived output is moved into the log (and the elapsed time updated)."""

PANEL_SIZES = ("short", "half", "tall")
"""The panel's heights, smallest first (each a class styled in ``app.tcss``); it opens with
the first."""


def describe_result(result: RunResult, cancelled: bool) -> tuple[str, str]:
    """The outcome class and one status line for a finished run, in plain words."""
    seconds = result.duration_s
    if result.skipped:
        return "skipped", _("Not run: {reason}").format(reason=result.skipped)
    if cancelled or result.cancelled:
        return "cancelled", _("Cancelled after {seconds} s").format(seconds=f"{seconds:.1f}")
    if result.timed_out:
        return "timeout", _("Timed out: stopped after {seconds} s").format(seconds=f"{seconds:.1f}")
    if result.truncated:
        return "error", _("Stopped after {seconds} s: too much output").format(
            seconds=f"{seconds:.1f}"
        )
    if result.exit_code == 0:
        return "ok", _("Finished in {seconds} s (exit status 0)").format(seconds=f"{seconds:.1f}")
    if result.exit_code is None:
        failed = _("Failed after {seconds} s: the run ended without an exit status")
        return "error", failed.format(seconds=f"{seconds:.1f}")
    failed = _("Failed with exit status {code} after {seconds} s")
    return "error", failed.format(code=result.exit_code, seconds=f"{seconds:.1f}")


class RunPanel(Vertical):
    """Runs one entry's snippet at a time and shows its output as it comes."""

    running: reactive[bool] = reactive(False)
    """True from start until the run has ended (the screen shows Cancel while it is)."""
    height_step: reactive[int] = reactive(0)
    """Which of :data:`PANEL_SIZES` the panel has."""

    def __init__(
        self, starter: SnippetStarter, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.add_class(f"-{PANEL_SIZES[0]}")
        self._starter = starter
        self._lock = threading.Lock()
        self._pending: list[str] = []
        self._handle: SnippetHandle | None = None
        self._cancel_requested = False
        self._started = 0.0
        self._timer: Timer | None = None
        self.runs_started = 0
        """Runs started here so far: a run can start and end between two looks at
        :attr:`running`."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="run-header"):
            yield Static("", id="run-status")
            yield Static(_("e edit · + − size"), id="run-keys")
            yield Button(_("Close") + "  x", id="cancel-run", compact=True)
        yield Log(id="run-log", max_lines=10_000)

    @property
    def log_widget(self) -> Log:
        """The log the output goes to."""
        return self.query_one("#run-log", Log)

    @property
    def output(self) -> str:
        """Everything shown so far (for tests and for copying)."""
        return "\n".join(self.log_widget.lines)

    def start(self, entry: Entry, *, edited: bool = False) -> None:
        """Run ``entry``'s snippet (``edited``: code the reader changed, which the title
        says); does nothing while another run is going."""
        if self.running or entry.snippet is None:
            return
        self.display = True
        title = f"Output 出力 · {entry.id}"
        self.border_title = title + " · " + _("edited") if edited else title
        self.log_widget.clear()
        with self._lock:
            self._pending.clear()
            self._handle = None
            self._cancel_requested = False
        self._started = monotonic()
        self.runs_started += 1
        self.running = True
        self._set_status("running", _("Running… {seconds} s").format(seconds="0.0"))
        self._timer = self.set_interval(FLUSH_INTERVAL_S, self._flush)
        self._run(entry)

    def reset(self) -> None:
        """Ready for another entry: any run stopped, the panel hidden and empty."""
        self.cancel()
        self.display = False
        self.log_widget.clear()

    def close(self) -> None:
        """Hide the output of a run that has ended (a running one must be cancelled first)."""
        if not self.running:
            self.display = False
            self.log_widget.clear()

    def change_height(self, step: int) -> None:
        """Grow (``step`` 1) or shrink (-1) the panel by one of :data:`PANEL_SIZES`."""
        self.height_step = max(0, min(len(PANEL_SIZES) - 1, self.height_step + step))

    def watch_height_step(self, old: int, new: int) -> None:
        self.remove_class(f"-{PANEL_SIZES[old]}")
        self.add_class(f"-{PANEL_SIZES[new]}")

    def cancel(self) -> None:
        """Stop the run (it reports back as cancelled); safe to call at any time."""
        if self.running:
            self._stop_process()
            self._set_status("running", _("Cancelling…"))

    def _stop_process(self) -> None:
        """Ask the runner to stop; a run still starting stops as soon as it has started."""
        with self._lock:
            self._cancel_requested = True
            handle = self._handle
        if handle is not None and self.running:
            handle.cancel()

    def on_unmount(self) -> None:
        """Leaving the entry stops its run: no orphan process keeps going unseen."""
        self._stop_process()

    def watch_running(self, running: bool) -> None:
        button = self.query_one("#cancel-run", Button)
        button.label = (_("Cancel") if running else _("Close")) + "  x"

    @on(Button.Pressed, "#cancel-run")
    def _on_cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self.running:
            self.cancel()
        else:
            self.close()

    @work(thread=True, exclusive=True, group="snippet-run", exit_on_error=False)
    def _run(self, entry: Entry) -> None:
        """Start the runner, stream its output into the buffer, report how it ended."""
        try:
            handle = self._starter(entry)
        except GlossaryError as exc:
            self.post_message(RunFinished("error", str(exc)))
            return
        with self._lock:
            self._handle = handle
            cancel_now = self._cancel_requested
        if cancel_now:
            handle.cancel()
        for chunk in handle:
            with self._lock:
                self._pending.append(chunk.text)
        result = handle.wait()
        with self._lock:
            cancelled = self._cancel_requested
        self.post_message(RunFinished(*describe_result(result, cancelled)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A bug in the run itself still ends the run, visibly, instead of hanging it."""
        if event.worker.group == "snippet-run" and event.state is WorkerState.ERROR:
            error = event.worker.error
            message = _("Could not run the snippet: {error}").format(error=error)
            self.post_message(RunFinished("error", message))

    def on_run_finished(self, message: RunFinished) -> None:
        self._flush()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.running = False
        self._set_status(message.outcome, message.summary)

    def _flush(self) -> None:
        """Move arrived output into the log; update the elapsed time."""
        with self._lock:
            pending, self._pending = self._pending, []
        if pending:
            self.log_widget.write("".join(pending))
        if self.running and not self._cancel_requested:
            seconds = f"{monotonic() - self._started:.1f}"
            self._set_status("running", _("Running… {seconds} s").format(seconds=seconds))

    def _set_status(self, outcome: str, text: str) -> None:
        status = self.query_one("#run-status", Static)
        status.update(text)
        status.set_classes(f"-{outcome}")
