"""Protect a deliverable with a password: the password twice, a switch to show it, and none when left empty."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLayout, QLineEdit,
                               QVBoxLayout, QWidget)

INTRO = ("Whoever opens the file will need this password.\n"
         "Leave both fields empty to save the file without one.\n"
         "The password is not kept anywhere: give it to the client another way\n"
         "than the file (a call, a message).")


class PasswordDialog(QDialog):
    """Ask for an optional password; after it is accepted, `password()` is the password or None for none."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Protect with a password?")
        question = QLabel(f"Protect the {label} with a password?")
        question.setObjectName("heading")
        intro = QLabel(INTRO)  # its own line breaks: the dialog is as wide as its longest line
        self.password_edit = QLineEdit()
        self.confirm_edit = QLineEdit()
        for edit in (self.password_edit, self.confirm_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setClearButtonEnabled(True)
            edit.textChanged.connect(self._check)
        self.password_edit.setPlaceholderText("no password")
        self.show_box = QCheckBox("Show the password")
        self.show_box.toggled.connect(self._show)
        self.problem = QLabel("")
        self.problem.setObjectName("muted")
        form = QFormLayout()
        form.addRow("Password:", self.password_edit)
        form.addRow("Again:", self.confirm_edit)
        form.addRow("", self.show_box)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)  # sized to its content, not resizable
        self._check()

    def _show(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for edit in (self.password_edit, self.confirm_edit):
            edit.setEchoMode(mode)

    def _check(self) -> None:
        """OK only when both fields agree (both empty: no password); say why not."""
        first, second = self.password_edit.text(), self.confirm_edit.text()
        if first == second:
            problem = ""
        elif not second or second == first[:len(second)]:
            problem = "Type the password again to confirm it."
        else:
            problem = "The two passwords differ."
        self.problem.setText(problem)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problem)
        ok.setText("Protect and save" if first else "Save without a password")

    def accept(self) -> None:
        if self.problem.text():  # Enter in a field while the two differ: not a choice of "no password"
            return
        super().accept()

    def password(self) -> str | None:
        """The password typed (twice alike), or None when left empty."""
        text = self.password_edit.text()
        return text if text and text == self.confirm_edit.text() else None
