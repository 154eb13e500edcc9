"""The assessment dialogs: New assessment (a questionnaire from the library, optionally as a follow-up of an
earlier one) and the Properties of an assessment (name, date, assessor, status)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
                               QWidget)

from ui.date_edit import DateEdit


class AssessmentDialog(QDialog):
    """Choose questionnaire, name, assessor and (for a follow-up) the assessment to start from."""

    def __init__(self, questionnaires: Sequence[Any], earlier: Sequence[Any], assessor: str = "",
                 parent: QWidget | None = None, based_on: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New assessment")
        self.setMinimumWidth(520)
        self._questionnaires = list(questionnaires)
        form = QFormLayout()
        self.based_on_combo = QComboBox()
        self.based_on_combo.addItem("A blank assessment", None)
        for assessment in earlier:
            # short enough to be read whole in the combo; the hint below says what a follow-up copies
            self.based_on_combo.addItem(f"Follow-up of “{assessment.name}” ({assessment.assessment_date})",
                                        assessment.id)
            self.based_on_combo.setItemData(self.based_on_combo.count() - 1,
                                            "A new assessment pre-filled with this one's answers",
                                            Qt.ItemDataRole.ToolTipRole)
        self.based_on_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.questionnaire_combo = QComboBox()
        for questionnaire in self._questionnaires:
            self.questionnaire_combo.addItem(
                f"{questionnaire.title} {questionnaire.version} — {questionnaire.question_count} questions",
                questionnaire.id)
        self.name_edit = QLineEdit()
        self.assessor_edit = QLineEdit(assessor)
        self.assessor_edit.setPlaceholderText("Who runs the assessment")
        self._default_assessor = assessor
        self.date_edit = DateEdit()
        self.date_edit.setDate(dt.date.today())
        self.date_edit.setToolTip("The day of the assessment (an on-site visit last week can be back-dated)")
        form.addRow("Start from:", self.based_on_combo)
        form.addRow("Questionnaire:", self.questionnaire_combo)
        form.addRow("Name:", self.name_edit)
        form.addRow("Date:", self.date_edit)
        form.addRow("Assessor:", self.assessor_edit)
        self.hint = QLabel("")
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)
        self._earlier = {a.id: a for a in earlier}
        self.based_on_combo.currentIndexChanged.connect(self._based_on_changed)
        self.questionnaire_combo.currentIndexChanged.connect(self._update_name)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start assessment")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        if based_on is not None and based_on in self._earlier:
            self.based_on_combo.setCurrentIndex(self.based_on_combo.findData(based_on))
        self._based_on_changed()
        self.date_edit.line.textChanged.connect(self._check)
        self._check()

    def _check(self, *_args: Any) -> None:
        ok = bool(self._questionnaires) and self.date_edit.is_valid()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def _based_on_changed(self, *_args: Any) -> None:
        earlier = self._earlier.get(self.based_on_combo.currentData())
        self.questionnaire_combo.setEnabled(earlier is None)
        # a follow-up is usually run by whoever ran the earlier one (unless the assessor was typed here)
        if self.assessor_edit.text().strip() in {self._default_assessor, *(a.assessor for a in self._earlier.values())}:
            self.assessor_edit.setText(earlier.assessor if earlier is not None and earlier.assessor
                                       else self._default_assessor)
        if earlier is not None:
            position = self.questionnaire_combo.findData(earlier.questionnaire_id)
            if position >= 0:
                self.questionnaire_combo.setCurrentIndex(position)
                self.hint.setText("The answers, notes and flags of the earlier assessment are copied; change what "
                                  "has changed since.")
            else:
                self.hint.setText(f"“{earlier.questionnaire_title}” is no longer in the library; the follow-up "
                                  "uses the questionnaire exactly as the earlier assessment did.")
        else:
            self.hint.setText("")
        self._update_name()

    def _update_name(self, *_args: Any) -> None:
        earlier = self._earlier.get(self.based_on_combo.currentData())
        title = earlier.questionnaire_title if earlier else next(
            (q.title for q in self._questionnaires if q.id == self.questionnaire_combo.currentData()), "")
        kind = "Follow-up" if earlier else title
        day = self.date_edit.date()
        when = day.toString("yyyy-MM-dd") if day.isValid() else dt.date.today().isoformat()
        self.name_edit.setPlaceholderText(f"{kind} {when}")

    def values(self) -> dict[str, Any]:
        name = self.name_edit.text().strip() or self.name_edit.placeholderText()
        return {"questionnaire_id": self.questionnaire_combo.currentData(), "name": name,
                "assessor": self.assessor_edit.text().strip(), "based_on": self.based_on_combo.currentData(),
                "assessment_date": self.date_edit.date().toString("yyyy-MM-dd")}


class AssessmentPropertiesDialog(QDialog):
    """Name, date, assessor and status of an assessment (F2)."""

    def __init__(self, assessment: Any, parent: QWidget | None = None) -> None:
        from vciso.client_records import ASSESSMENT_STATUSES

        super().__init__(parent)
        self.setWindowTitle("Assessment properties")
        self.setMinimumWidth(480)
        self.name_edit = QLineEdit(assessment.name)
        self.date_edit = DateEdit()
        self.date_edit.setDate(dt.date.fromisoformat(assessment.assessment_date[:10]))
        self.assessor_edit = QLineEdit(assessment.assessor)
        self.assessor_edit.setPlaceholderText("Who runs the assessment")
        self.status_combo = QComboBox()
        for status in ASSESSMENT_STATUSES:
            self.status_combo.addItem(status.capitalize(), status)
        if self.status_combo.findData(assessment.status) < 0:  # a status written by an earlier version
            self.status_combo.addItem(assessment.status.capitalize(), assessment.status)
        self.status_combo.setCurrentIndex(self.status_combo.findData(assessment.status))
        self.status_combo.setToolTip("Final: the deliverables stop saying DRAFT")
        form = QFormLayout()
        form.addRow("Name:", self.name_edit)
        form.addRow("Date:", self.date_edit)
        form.addRow("Assessor:", self.assessor_edit)
        form.addRow("Status:", self.status_combo)
        note = QLabel(f"{assessment.questionnaire_title} {assessment.questionnaire_version}")
        note.setObjectName("muted")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self._original = self.values()
        for signal in (self.name_edit.textChanged, self.date_edit.line.textChanged):
            signal.connect(self._check)
        self._check()

    def _check(self, *_args: Any) -> None:
        ok = bool(self.name_edit.text().strip()) and self.date_edit.is_valid()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def values(self) -> dict[str, Any]:
        return {"name": self.name_edit.text().strip(), "assessment_date": self.date_edit.date().toString("yyyy-MM-dd"),
                "assessor": self.assessor_edit.text().strip(), "status": self.status_combo.currentData()}

    def changes(self) -> dict[str, Any]:
        """Only the fields the consultant changed."""
        return {key: value for key, value in self.values().items() if self._original.get(key) != value}
