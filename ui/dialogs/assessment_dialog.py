"""New assessment dialog: a questionnaire from the library, optionally as a follow-up of an earlier one."""

from __future__ import annotations

import datetime as dt
from typing import Any, Sequence

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
                               QWidget)


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
            self.based_on_combo.addItem(f"Follow-up of “{assessment.name}” ({assessment.assessment_date}) — "
                                        "pre-filled with its answers", assessment.id)
        self.questionnaire_combo = QComboBox()
        for questionnaire in self._questionnaires:
            self.questionnaire_combo.addItem(
                f"{questionnaire.title} {questionnaire.version} — {questionnaire.question_count} questions",
                questionnaire.id)
        self.name_edit = QLineEdit()
        self.assessor_edit = QLineEdit(assessor)
        self.assessor_edit.setPlaceholderText("Who runs the assessment")
        form.addRow("Start from:", self.based_on_combo)
        form.addRow("Questionnaire:", self.questionnaire_combo)
        form.addRow("Name:", self.name_edit)
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
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self._questionnaires))

    def _based_on_changed(self, *_args: Any) -> None:
        earlier = self._earlier.get(self.based_on_combo.currentData())
        self.questionnaire_combo.setEnabled(earlier is None)
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
        self.name_edit.setPlaceholderText(f"{kind} {dt.date.today().isoformat()}")

    def values(self) -> dict[str, Any]:
        name = self.name_edit.text().strip() or self.name_edit.placeholderText()
        return {"questionnaire_id": self.questionnaire_combo.currentData(), "name": name,
                "assessor": self.assessor_edit.text().strip(), "based_on": self.based_on_combo.currentData()}
