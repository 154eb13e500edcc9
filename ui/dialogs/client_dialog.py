"""New client / edit profile dialog; a new client may be created encrypted (a passphrase typed twice)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QSpinBox, QVBoxLayout, QWidget)

INDUSTRIES = ("Accounting and finance", "Construction", "Education", "Healthcare", "Hospitality", "Legal services",
              "Manufacturing", "Non-profit", "Professional services", "Real estate", "Retail", "Technology",
              "Transport and logistics")


class ClientDialog(QDialog):
    """The client's profile: name (required), industry, employees, contact, notes; for a new client, whether
    to encrypt its file and with which passphrase."""

    def __init__(self, parent: QWidget | None = None, profile: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit client profile" if profile else "New client")
        self.setMinimumWidth(460)
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. Bright Smile Dental Group")
        self.industry_edit = QComboBox()
        self.industry_edit.setEditable(True)
        self.industry_edit.addItems(["", *INDUSTRIES])
        self.employees_edit = QSpinBox()
        self.employees_edit.setRange(0, 1_000_000)
        self.employees_edit.setSpecialValueText("Unknown")
        self.contact_edit = QLineEdit()
        self.contact_edit.setPlaceholderText("Main contact: name, role, email or phone")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setPlaceholderText("Anything worth remembering: systems, providers, context")
        self.notes_edit.setMaximumHeight(110)
        form.addRow("Name:", self.name_edit)
        form.addRow("Industry:", self.industry_edit)
        form.addRow("Employees:", self.employees_edit)
        form.addRow("Contact:", self.contact_edit)
        form.addRow("Notes:", self.notes_edit)
        if profile is not None:
            self.name_edit.setText(profile.name)
            self.industry_edit.setCurrentText(profile.industry)
            self.employees_edit.setValue(profile.employees or 0)
            self.contact_edit.setText(profile.contact)
            self.notes_edit.setPlainText(profile.notes)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Save" if profile else "Create client")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(self._validate)
        layout = QVBoxLayout(self)
        if profile is None:
            hint = QLabel("Each client is kept in its own file in the workspace folder.")
            hint.setObjectName("muted")
            layout.addWidget(hint)
        self.encrypt_box: QCheckBox | None = None
        if profile is None:
            self._add_encryption(form)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._validate()

    def _add_encryption(self, form: QFormLayout) -> None:
        from ui.dialogs.passphrase_dialog import NewPassphraseFields, warning_banner

        self.encrypt_box = QCheckBox("Encrypt this client file")
        self.encrypt_box.setToolTip("The file can then be opened only with its passphrase (SQLCipher, AES-256)")
        self.banner, self.warning = warning_banner()
        form.addRow("", self.encrypt_box)
        form.addRow(self.banner)
        self.passphrase_fields = NewPassphraseFields(form, "Passphrase:")
        self.passphrase_fields.changed.connect(self._validate)
        self.encrypt_box.toggled.connect(self._encryption_toggled)
        self._encryption_toggled(False)

    def _encryption_toggled(self, on: bool) -> None:
        form = self.passphrase_fields.form
        form.setRowVisible(self.banner, on)
        self.passphrase_fields.set_visible(on)
        if on:
            self.passphrase_fields.passphrase_edit.setFocus()
        self._validate()
        self.adjustSize()

    def _validate(self) -> None:
        ready = bool(self.name_edit.text().strip())
        if self.encrypt_box is not None and self.encrypt_box.isChecked():
            ready = ready and self.passphrase_fields.passphrase() is not None
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)

    def accept(self) -> None:
        if not self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled():  # Enter while incomplete
            return
        super().accept()

    def passphrase(self) -> str | None:
        """The passphrase to encrypt the new client's file with, or None to leave it plain."""
        if self.encrypt_box is None or not self.encrypt_box.isChecked():
            return None
        return self.passphrase_fields.passphrase()

    def values(self) -> dict[str, Any]:
        """Profile fields as `Workspace.create_client` / `ClientFile.update_profile` take them."""
        return {"name": self.name_edit.text().strip(), "industry": self.industry_edit.currentText().strip(),
                "employees": self.employees_edit.value() or None, "contact": self.contact_edit.text().strip(),
                "notes": self.notes_edit.toPlainText().strip()}
