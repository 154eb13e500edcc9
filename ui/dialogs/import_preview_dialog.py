"""The preview of a questionnaire import: what the file is, what would be added to the library (id, title,
version, source, licence, sections per level, the first questions), how an OSCAL catalog's nested controls
are read, and the id it will have — Import or Cancel. Nothing is written until Import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit,
                               QVBoxLayout, QWidget)

ASSESS_CHOICES = (("auto", "Decide from the catalog (recommended)"),
                  ("leaves", "Only the innermost controls are questions"),
                  ("all", "Every control is a question"))


class ImportPreviewDialog(QDialog):
    """Shows an `ImportPlan`; the consultant may change how nested controls are read (OSCAL) and the id.
    `plan` is the plan to apply once the dialog is accepted."""

    def __init__(self, ops: Any, path: Path, scale: str | None, plan: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.path = Path(path)
        self.scale = scale
        self.plan = plan
        self.busy = False
        self.setWindowTitle("Import a questionnaire")
        self.resize(760, 560)
        heading = QLabel(f"Import {self.path.name} into the library?")
        heading.setObjectName("heading")
        heading.setWordWrap(True)
        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        self.summary.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.summary.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.assess_combo = QComboBox()
        for key, label in ASSESS_CHOICES:
            self.assess_combo.addItem(label, key)
        self.assess_combo.setToolTip("In a catalog whose controls hold other controls, which ones are asked: "
                                     "CSF 2.0 asks its subcategories, SP 800-53 a control and its enhancements")
        self.assess_combo.currentIndexChanged.connect(self._assess_changed)
        self.id_edit = QLineEdit()
        self.id_edit.textEdited.connect(self._rename)
        self.warning = QLabel("")
        self.warning.setWordWrap(True)
        self.warning.setObjectName("warning")
        self.warning.hide()
        form = QFormLayout()
        form.addRow("Nested controls:", self.assess_combo)
        form.addRow("Id in the library:", self.id_edit)
        self._assess_label = form.labelForField(self.assess_combo)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary, 1)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addWidget(self.buttons)
        self._show_plan(plan)
        if plan.clash:
            taken = plan.clash
            self.id_edit.setText(plan.suggested_id)
            self._rename(plan.suggested_id)
            self.warning.setText(f"The id “{plan.questionnaire.id}” is already taken by {taken}; nothing is "
                                 f"ever overwritten. The free id “{plan.suggested_id}” is filled in - change it "
                                 f"or cancel.")
            self.warning.show()

    def _show_plan(self, plan: Any) -> None:
        self.plan = plan
        self.summary.setPlainText("\n".join(plan.summary()))
        is_oscal = plan.converted.kind == "oscal"
        self.assess_combo.setVisible(is_oscal)
        if self._assess_label is not None:
            self._assess_label.setVisible(is_oscal)
        if self.id_edit.text() != plan.questionnaire.id:
            self.id_edit.setText(plan.questionnaire.id)
        self._check()

    def _check(self) -> None:
        """Import is offered only for a plan that may be applied, and not while the file is read again."""
        ok = self.plan is not None and self.plan.ok and not self.busy
        self.import_button.setEnabled(ok)
        if self.plan is not None and self.plan.ok and not self.busy:
            self.warning.hide()

    def _rename(self, text: str) -> None:
        from vciso.errors import QuestionnaireError

        try:
            plan = self.plan.renamed(text)
        except QuestionnaireError as exc:
            self.warning.setText(exc.problems[0])
            self.warning.show()
            self.import_button.setEnabled(False)
            return
        self.plan = plan
        if plan.clash:
            self.warning.setText(f"“{text}” is already taken by {plan.clash}; try “{plan.suggested_id}”.")
            self.warning.show()
        self.summary.setPlainText("\n".join(plan.summary()))
        self._check()

    def _assess_changed(self, _index: int) -> None:
        """Read the file again with the chosen structure, in the background."""
        from ui.operations import library_import

        self.busy = True
        self._check()
        self.summary.setPlainText(f"Reading {self.path.name} again…")
        wanted_id = self.id_edit.text().strip()
        library_import.preview_import(self.ops, self.path, self.scale, self.assess_combo.currentData(),
                                      lambda result: self._replanned(result, wanted_id), self._failed)

    def _replanned(self, result: Any, wanted_id: str) -> None:
        from vciso.errors import QuestionnaireError

        self.busy = False
        if isinstance(result, QuestionnaireError):
            self._failed("\n".join(result.problems))
            return
        self._show_plan(result)
        if wanted_id and wanted_id != result.questionnaire.id:
            self.id_edit.setText(wanted_id)
            self._rename(wanted_id)

    def _failed(self, message: str) -> None:
        self.busy = False
        self.summary.setPlainText(f"The file cannot be imported this way:\n{message}")
        self.import_button.setEnabled(False)
