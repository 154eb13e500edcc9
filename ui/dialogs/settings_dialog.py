"""Settings: workspace, consultant and firm, logo, accent colour, paper size, default target, roadmap phases,
backups, evidence limit, and whether encrypted clients' passphrases are remembered in the system keyring.

These are the core's `AppSettings` (shared with the command line's exports), saved with `save_settings`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QPixmap
from PySide6.QtWidgets import (QCheckBox, QColorDialog, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from ui import prompts
from vciso.branding import normalise_accent
from vciso.numbers import format_value

TARGETS = (None, 1.0, 2.0, 3.0, 4.0, 5.0)
PAPERS = (("A4 (210 × 297 mm)", "A4"), ("US Letter (8.5 × 11 in)", "Letter"))


class SettingsDialog(QDialog):
    """Edit a copy of the settings; `result_settings()` gives the edited copy."""

    def __init__(self, settings: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setMinimumWidth(660)  # the placeholders of the folder and logo fields are read whole
        self._settings = settings
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.workspace_edit = QLineEdit(settings.workspace)
        self.workspace_edit.setPlaceholderText("The default folder in your user data folder")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse_workspace)
        form.addRow("Workspace folder:", self._row(self.workspace_edit, browse))

        self.consultant_edit = QLineEdit(settings.consultant)
        self.consultant_edit.setPlaceholderText("Your name, as it appears on reports")
        self.firm_edit = QLineEdit(settings.firm_name)
        self.firm_edit.setPlaceholderText("Your firm, as it appears on reports")
        form.addRow("Consultant:", self.consultant_edit)
        form.addRow("Firm name:", self.firm_edit)

        self.logo_edit = QLineEdit(settings.logo_path)
        self.logo_edit.setPlaceholderText("A PNG or JPEG for the report cover (optional)")
        self.logo_edit.textChanged.connect(self._show_logo)
        logo_browse = QPushButton("Choose…")
        logo_browse.clicked.connect(self._browse_logo)
        form.addRow("Logo image:", self._row(self.logo_edit, logo_browse))
        self.logo_preview = QLabel("")
        self.logo_preview.setFixedHeight(48)
        self.logo_preview.setObjectName("muted")
        form.addRow("", self.logo_preview)

        self.accent = QColor(normalise_accent(settings.accent_color))
        self.accent_button = QPushButton("")
        self.accent_button.setFixedWidth(140)
        self.accent_button.clicked.connect(self._choose_accent)
        form.addRow("Accent colour:", self._row(self.accent_button))
        self._show_accent()

        self.paper_combo = QComboBox()
        for label, value in PAPERS:
            self.paper_combo.addItem(label, value)
        self.paper_combo.setCurrentIndex(max(self.paper_combo.findData(settings.paper_size), 0))
        form.addRow("Paper size:", self.paper_combo)

        self.target_combo = QComboBox()
        self.target_combo.addItem("The questionnaire's own target", None)
        for value in TARGETS[1:]:
            self.target_combo.addItem(f"Level {format_value(value)}", value)
        position = self.target_combo.findData(settings.default_target) if settings.default_target is not None else 0
        self.target_combo.setCurrentIndex(max(position, 0))
        form.addRow("Default target:", self.target_combo)

        self.phases_edit = QLineEdit(", ".join(str(d) for d in settings.phase_days))
        self.phases_edit.setPlaceholderText("30, 90, 180, 365")
        self.phases_edit.textChanged.connect(self._validate)
        form.addRow("Roadmap phases end after (days):", self.phases_edit)
        self.phases_hint = QLabel("")
        self.phases_hint.setObjectName("muted")
        self.phases_hint.setWordWrap(True)
        form.addRow("", self.phases_hint)
        self.capacity_spin = QSpinBox()
        self.capacity_spin.setRange(1, 50)
        self.capacity_spin.setValue(settings.capacity())
        self.capacity_spin.setSuffix(" per month")
        self.capacity_spin.setToolTip("Roadmap due dates are spread so that no more than this many actions fall "
                                      "due in the same month")
        form.addRow("Roadmap actions:", self.capacity_spin)

        from vciso.backup import automatic_backup_folder
        self.backups_spin = QSpinBox()
        self.backups_spin.setRange(1, 100)
        self.backups_spin.setValue(settings.backups_kept())
        self.backups_spin.setSuffix(" per client")
        self.backups_spin.setToolTip("When the app closes it copies each client it changed; the newest copies are "
                                     "kept, older ones deleted")
        folder = automatic_backup_folder()
        self.backup_folder_button = QPushButton("Show folder")
        self.backup_folder_button.setToolTip(str(folder) if folder.is_dir() else "No automatic backup made yet")
        self.backup_folder_button.setEnabled(folder.is_dir())
        self.backup_folder_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(automatic_backup_folder()))))
        form.addRow("Automatic backups kept:", self._row(self.backups_spin, self.backup_folder_button))
        # one line, the middle of a long path elided (the whole path in the tooltip and on the button)
        prefix = "Made on close in "
        room = 380 - self.fontMetrics().horizontalAdvance(prefix)
        shown = self.fontMetrics().elidedText(str(folder), Qt.TextElideMode.ElideMiddle, room)
        self.backup_folder_label = QLabel(prefix + shown)
        self.backup_folder_label.setObjectName("muted")
        self.backup_folder_label.setToolTip(f"Made on close in {folder}")
        self.backup_folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self.backup_folder_label)
        self.evidence_spin = QSpinBox()
        self.evidence_spin.setRange(1, 500)
        self.evidence_spin.setValue(max(1, min(500, int(settings.evidence_limit() / 1024 / 1024))))
        self.evidence_spin.setSuffix(" MB per file")
        self.evidence_spin.setToolTip("Evidence files are stored inside the client file; a larger file is refused")
        form.addRow("Evidence file limit:", self._row(self.evidence_spin))

        self.keyring_box = QCheckBox("Remember passphrases in the system keyring")
        self.keyring_box.setChecked(settings.remember_passphrases is True)
        form.addRow("Encrypted clients:", self.keyring_box)
        self.keyring_box.setToolTip("Off: an encrypted client's passphrase is asked once each time the app runs, "
                                    "and kept in memory only.\nOn: it is stored in your operating system's keyring, "
                                    "and opens the client without asking.")
        keyring_note = QLabel("Anyone who can use this account can then open them.")
        keyring_note.setObjectName("muted")
        keyring_note.setWordWrap(True)
        form.addRow("", keyring_note)

        note = QLabel("Branding and phases are used by the PDF and Excel deliverables (also from the command "
                      "line). A new default target applies to assessments started from now on.")
        note.setObjectName("muted")
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self._show_logo()
        self._validate()

    @staticmethod
    def _row(*widgets: QWidget) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget, 1 if isinstance(widget, QLineEdit) else 0)
        if not any(isinstance(w, QLineEdit) for w in widgets):
            layout.addStretch(1)
        return row

    def _browse_workspace(self) -> None:
        folder = prompts.choose_folder(self, "Workspace folder", self.workspace_edit.text() or str(Path.home()))
        if folder:
            self.workspace_edit.setText(folder)

    def _browse_logo(self) -> None:
        path = prompts.open_file(self, "Logo image", str(Path.home()), "Images (*.png *.jpg *.jpeg)")
        if path:
            self.logo_edit.setText(path)

    def _show_logo(self) -> None:
        path = self.logo_edit.text().strip()
        if not path:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("No logo")
            return
        pixmap = QPixmap(path)
        if pixmap.isNull():
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("This file cannot be read as an image.")
        else:
            self.logo_preview.setPixmap(pixmap.scaledToHeight(44, Qt.TransformationMode.SmoothTransformation))

    def _choose_accent(self) -> None:
        color = QColorDialog.getColor(self.accent, self, "Accent colour")
        if color.isValid():
            self.accent = color
            self._show_accent()

    def _show_accent(self) -> None:
        text = "white" if self.accent.lightness() < 140 else "black"
        self.accent_button.setText(self.accent.name().upper())
        self.accent_button.setStyleSheet(f"background: {self.accent.name()}; color: {text}; border-radius: 4px;")

    def phase_days(self) -> list[int] | None:
        """The phase lengths typed, or None when they are not increasing whole numbers of days."""
        from vciso.roadmap import make_phases

        try:
            days = [int(part) for part in self.phases_edit.text().replace(";", ",").split(",") if part.strip()]
            phases = make_phases(days)
        except ValueError:
            return None
        self.phases_hint.setText("Phases: " + " · ".join(p.name for p in phases))
        return days

    def _validate(self) -> None:
        days = self.phase_days()
        if days is None:
            self.phases_hint.setText("Enter increasing whole numbers of days, e.g. 30, 90, 180, 365.")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(days is not None)

    def result_settings(self) -> Any:
        return dataclasses.replace(
            self._settings, workspace=self.workspace_edit.text().strip(),
            consultant=self.consultant_edit.text().strip(), firm_name=self.firm_edit.text().strip(),
            logo_path=self.logo_edit.text().strip(), accent_color=normalise_accent(self.accent.name()),
            paper_size=self.paper_combo.currentData(),
            default_target=self.target_combo.currentData(), phase_days=self.phase_days() or list(self._settings.phase_days),
            actions_per_month=self.capacity_spin.value(), backups_to_keep=self.backups_spin.value(),
            evidence_max_mb=self.evidence_spin.value(), remember_passphrases=self.keyring_box.isChecked())
