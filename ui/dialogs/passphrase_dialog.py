"""A new passphrase for an encrypted client file: typed twice, at least 8 characters, with the warning that a
lost passphrase cannot be recovered. Used to encrypt a client, to change its passphrase (with the current
one first) and in the New client dialog."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QFrame, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)

from vciso.crypto import MIN_PASSPHRASE_LENGTH  # one rule for the app and the command line

WARNING = ("Keep the passphrase somewhere safe, such as your password manager. It is needed every time the "
           "client file is opened. If it is lost, the file cannot be opened again: it cannot be recovered, "
           "by you or by anyone.")


def warning_banner(text: str = WARNING) -> tuple[QFrame, QLabel]:
    """The warning in a yellow banner (the frame, and its label for tests to read)."""
    frame = QFrame()
    frame.setObjectName("banner")
    label = QLabel(text)
    label.setWordWrap(True)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(10, 8, 10, 8)
    layout.addWidget(label)
    return frame, label


class NewPassphraseFields(QObject):
    """A new passphrase typed twice, a switch to show it, and what is wrong with it in one line: rows added
    to the dialog's own form, so that their labels line up with the others."""

    changed = Signal()

    def __init__(self, form: QFormLayout, label: str = "New passphrase:") -> None:
        super().__init__(form)
        self.form = form
        self.current = ""  # the passphrase being replaced, which the new one may not repeat
        self.passphrase_edit = QLineEdit()
        self.confirm_edit = QLineEdit()
        for edit in (self.passphrase_edit, self.confirm_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(self._check)
        self.passphrase_edit.setPlaceholderText(f"at least {MIN_PASSPHRASE_LENGTH} characters; a few words is best")
        self.show_box = QCheckBox("Show the passphrase")
        self.show_box.toggled.connect(self._show)
        self.problem = QLabel("")
        self.problem.setObjectName("muted")
        form.addRow(label, self.passphrase_edit)
        form.addRow("Again:", self.confirm_edit)
        form.addRow("", self.show_box)
        form.addRow("", self.problem)
        self._check()

    def set_visible(self, visible: bool) -> None:
        for widget in (self.passphrase_edit, self.confirm_edit, self.show_box, self.problem):
            self.form.setRowVisible(widget, visible)

    def _show(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for edit in (self.passphrase_edit, self.confirm_edit):
            edit.setEchoMode(mode)

    def problem_text(self) -> str:
        """Why the passphrase typed cannot be used yet ("" when it can)."""
        first, second = self.passphrase_edit.text(), self.confirm_edit.text()
        if not first:
            return f"Type a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters."
        if len(first) < MIN_PASSPHRASE_LENGTH:
            return f"A passphrase needs at least {MIN_PASSPHRASE_LENGTH} characters ({len(first)} so far)."
        if first != second and (not second or first.startswith(second)):
            return "Type the passphrase again to confirm it."
        if first != second:
            return "The two passphrases differ."
        if self.current and first == self.current:
            return "The new passphrase is the same as the current one."
        return ""

    def _check(self) -> None:
        self.problem.setText(self.problem_text())
        self.changed.emit()

    def passphrase(self) -> str | None:
        """The new passphrase, or None while it cannot be used."""
        return None if self.problem_text() else self.passphrase_edit.text()


class PassphraseDialog(QDialog):
    """Encrypt a client file (a new passphrase) or change its passphrase (`ask_current`: the current one,
    then a new one). The passphrases are only returned, never kept."""

    def __init__(self, client_name: str, ask_current: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change passphrase" if ask_current else "Encrypt client file")
        self.setMinimumWidth(540)
        heading = QLabel(f"Change the passphrase of “{client_name}”" if ask_current
                         else f"Encrypt “{client_name}” with a passphrase")
        heading.setObjectName("heading")
        heading.setWordWrap(True)
        intro = QLabel("The file is rewritten with the new passphrase; the old one no longer opens it, nor any "
                       "copy made from now on." if ask_current else
                       "Its name, answers, notes and evidence are then unreadable without the passphrase, in "
                       "the workspace and in every copy of the file.")
        intro.setWordWrap(True)
        banner, self.warning = warning_banner()
        self.current_edit: QLineEdit | None = None
        form = QFormLayout()
        if ask_current:
            self.current_edit = QLineEdit()
            self.current_edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.current_edit.textChanged.connect(self._check)
            form.addRow("Current passphrase:", self.current_edit)
        self.new_fields = NewPassphraseFields(form, "New passphrase:" if ask_current else "Passphrase:")
        self.new_fields.changed.connect(self._check)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button().setText("Change passphrase" if ask_current else "Encrypt")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(banner)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._check()
        # as tall as the wrapped texts need at this width (the size hint assumes narrower, taller lines)
        self.resize(self.minimumWidth(), self.heightForWidth(self.minimumWidth()))

    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _check(self) -> None:
        if self.current_edit is not None:
            self.new_fields.current = self.current_edit.text()
            self.new_fields.problem.setText(self.new_fields.problem_text())
        self.ok_button().setEnabled(self._ready())

    def _ready(self) -> bool:
        has_current = self.current_edit is None or bool(self.current_edit.text())
        return has_current and self.new_fields.passphrase() is not None

    def accept(self) -> None:
        if not self._ready():  # Enter in a field while something is missing
            return
        super().accept()

    def current(self) -> str | None:
        """The current passphrase typed (None when it was not asked)."""
        return self.current_edit.text() if self.current_edit is not None else None

    def new_passphrase(self) -> str | None:
        return self.new_fields.passphrase()
