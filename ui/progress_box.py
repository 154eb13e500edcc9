"""One window-modal progress dialog for long jobs on the worker (exports, backups, restores, re-encrypting).

It has no Cancel button: every such job writes to a temporary file and replaces the target at the end, so
stopping half-way would only leave a temporary file behind — and a job that cannot be stopped must not
offer to.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog


def busy_dialog(parent: Any, text: str, min_width: int = 0) -> QProgressDialog:
    """A shown, window-modal progress dialog without Cancel (busy until a maximum is set)."""
    dialog = QProgressDialog(text, "", 0, 0, parent)
    dialog.setCancelButton(None)
    dialog.setWindowTitle("vCISO Workbench")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    if min_width:
        dialog.setMinimumWidth(min_width)
    dialog.show()
    return dialog


class ProgressBox:
    """The progress dialog of one flow: `start`, `step` as the worker reports, `end` when done or failed."""

    def __init__(self, parent: Any, min_width: int = 0) -> None:
        self.parent = parent
        self.min_width = min_width
        self.dialog: QProgressDialog | None = None

    def start(self, text: str) -> None:
        self.end()
        self.dialog = busy_dialog(self.parent, text, self.min_width)

    def step(self, step: int, total: int, message: str) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        if message:
            dialog.setLabelText(message)
        dialog.setMaximum(max(total, 0))
        dialog.setValue(step if total else 0)  # a modal dialog processes events here: keep it last

    def end(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()
