"""Preview of an answers import: what is new, what changes, what stays, and every problem found."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QListWidget,
                               QTableView, QVBoxLayout, QWidget)

from ui.models import ImportPreviewModel
from vciso.numbers import plural


def describe_response(questionnaire: Any) -> Any:
    """A function rendering an answer in a few words: '3 – Always (note, evidence)', 'N/A: reason'."""
    from vciso.numbers import format_value

    def describe(response: Any) -> str:
        if response is None:
            return "—"
        question = questionnaire.question(response.question_id)
        scale = questionnaire.scale_for(question) if question is not None else None
        if response.is_na:
            text = f"N/A: {response.na_reason}"
        elif response.current is not None:
            label = scale.label(response.current) if scale else ""
            text = f"{format_value(response.current)} – {label}"
        else:
            text = "Unanswered"
        extras = []
        if response.target is not None:
            extras.append(f"target {format_value(response.target)}")
        if response.note:
            extras.append("note")
        if response.evidence:
            extras.append("evidence")
        if response.flagged:
            extras.append("flagged")
        return text + (f" ({', '.join(extras)})" if extras else "")
    return describe


class ImportPreviewDialog(QDialog):
    """Nothing is written until the consultant presses Import."""

    def __init__(self, plan: Any, questionnaire: Any, assessment_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import answers — {plan.source}")
        self.resize(820, 540)
        self.plan = plan
        self.model = ImportPreviewModel(self)
        self.model.set_plan(plan, describe_response(questionnaire))
        summary = QLabel(f"Into “{assessment_name}”: {plan.summary()}.")
        summary.setObjectName("heading")
        summary.setWordWrap(True)
        table = QTableView()
        table.setModel(self.model)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().hide()
        table.setAlternatingRowColors(True)
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.table = table
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(table, 1)
        if plan.problems:
            heading = QLabel(f"{plural(len(plan.problems), 'problem')} — fix them in the file and import again, or "
                             f"import the valid answers and skip the {plural(len(plan.rejected), 'row')} with "
                             "problems:")
            heading.setWordWrap(True)
            heading.setStyleSheet("color: #B3261E; font-weight: 600;")
            problems = QListWidget()
            problems.setWordWrap(True)
            problems.addItems([f"• {p}" for p in plan.problems])
            problems.setMaximumHeight(170)
            layout.addWidget(heading)
            layout.addWidget(problems)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        count = len(plan.to_write)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(f"Import {plural(count, 'answer')}")
        ok.setEnabled(plan.ok and count > 0)
        self.skip_problems = False
        self.skip_button = None
        if plan.problems and count:  # an explicit second choice: the valid rows, never silently
            self.skip_button = self.buttons.addButton(
                f"Import the {plural(count, 'valid answer')}, skip {plural(len(plan.rejected), 'row')} with problems",
                QDialogButtonBox.ButtonRole.ApplyRole)
            self.skip_button.clicked.connect(self._import_valid_rows)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _import_valid_rows(self) -> None:
        self.skip_problems = True
        self.accept()
