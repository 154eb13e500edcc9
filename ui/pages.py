"""The pages of the main area: welcome, messages (empty states and errors), and the open assessment."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QPushButton, QStackedWidget, QTabWidget, QVBoxLayout,
                               QWidget)


class MessagePage(QWidget):
    """A calm, centred message with a few buttons: empty states and errors."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card = QFrame()
        self.card.setObjectName("card")
        self.card.setMaximumWidth(620)
        inner = QVBoxLayout(self.card)
        inner.setContentsMargins(32, 28, 32, 28)
        inner.setSpacing(12)
        self.title = QLabel("")
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.text = QLabel("")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail = QLabel("")
        self.detail.setObjectName("muted")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(8)
        inner.addWidget(self.title)
        inner.addWidget(self.text)
        inner.addWidget(self.detail)
        inner.addSpacing(6)
        inner.addLayout(self.buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.card, 4)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.button_widgets: dict[str, QPushButton] = {}

    def show_message(self, title: str, text: str, detail: str = "",
                     buttons: list[tuple[str, Callable[[], None], bool]] | None = None) -> None:
        """Set the message; each button is (label, callback, primary)."""
        self.title.setText(title)
        self.text.setText(text)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        while self.buttons.count():
            item = self.buttons.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        self.button_widgets = {}
        for label, callback, primary in buttons or []:
            button = QPushButton(label)
            button.setProperty("primary", primary)
            button.clicked.connect(lambda _checked=False, cb=callback: cb())
            self.buttons.addWidget(button)
            self.button_widgets[label] = button
        self.buttons.addStretch(1)


class AssessmentPage(QWidget):
    """The open assessment: a header and the Walkthrough, Dashboard and Roadmap views.

    Each view refreshes itself from the operations layer's `changed` signal; the page wires none of them.
    """

    tabChanged = Signal(int)

    def __init__(self, ops: Any, settings: Callable[[], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.settings = settings
        self.assessment: Any = None
        self.questionnaire: Any = None  # the open assessment's, whole
        header = QWidget()
        header.setObjectName("assessmentHeader")
        header.setStyleSheet("QWidget#assessmentHeader { background: white; }")
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(16, 10, 16, 0)
        header_layout.setSpacing(2)
        self.title = QLabel("")
        self.title.setObjectName("title")
        self.subtitle = QLabel("")
        self.subtitle.setObjectName("muted")
        self.subtitle.setWordWrap(True)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        self.read_only_badge = QLabel("Read-only — open in another window")
        self.read_only_badge.setObjectName("badge")
        self.read_only_badge.hide()
        title_row.addWidget(self.read_only_badge)
        header_layout.addLayout(title_row)
        header_layout.addWidget(self.subtitle)

        from ui.roadmap_view import RoadmapView  # imported with the first assessment, not at start-up
        from ui.walkthrough import WalkthroughView

        self.walkthrough = WalkthroughView(ops)
        self.roadmap = RoadmapView(ops)
        from ui.coverage_view import CoverageView
        self.coverage = CoverageView(ops)
        self.dashboard: Any = None
        self.dashboard_holder = QStackedWidget()
        placeholder = QLabel("Calculating scores…")
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setObjectName("muted")
        self.dashboard_holder.addWidget(placeholder)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.walkthrough, "Walkthrough")
        self.tabs.addTab(self.dashboard_holder, "Dashboard")
        self.tabs.addTab(self.roadmap, "Roadmap")
        self.tabs.addTab(self.coverage, "Coverage")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.walkthrough.activateRequested.connect(lambda: self.tabs.setCurrentIndex(0))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        header_layout.addSpacing(4)
        layout.addWidget(header)
        layout.addWidget(self.tabs, 1)

    def ensure_dashboard(self) -> Any:
        """The dashboard is built on first use: QtCharts stays out of the app's start-up."""
        if self.dashboard is None:
            from ui.dashboard import DashboardView
            self.dashboard = DashboardView(self.ops, self.settings)
            self.dashboard_holder.addWidget(self.dashboard)
            self.dashboard_holder.setCurrentWidget(self.dashboard)
            if self.assessment is not None:
                self.dashboard.set_assessment(self.assessment, self.questionnaire)
        return self.dashboard

    def set_assessment(self, client_name: str, assessment: Any, questionnaire: Any, responses: dict,
                       previous: dict | None, read_only: bool, start_at: str | None = None,
                       read_only_reason: str = "open in another window") -> None:
        self.assessment = assessment
        self.questionnaire = questionnaire
        self.title.setText(f"{client_name}  ·  {assessment.name}")
        parts = [f"{assessment.questionnaire_title} {assessment.questionnaire_version}",
                 f"{questionnaire.question_count} questions", assessment.assessment_date]
        if assessment.assessor:
            parts.append(f"assessed by {assessment.assessor}")
        if assessment.based_on is not None:
            parts.append("follow-up")
        self.subtitle.setText(" · ".join(parts))
        self.read_only_badge.setText(f"Read-only — {read_only_reason}")
        self.read_only_badge.setVisible(read_only)
        self.walkthrough.set_assessment(assessment, questionnaire, responses, previous, read_only, start_at)
        self.roadmap.set_assessment(assessment, self.settings().phases(), read_only, self.settings().capacity())
        self.roadmap.consultant = self.settings().consultant
        if self.dashboard is not None:
            self.dashboard.set_assessment(assessment, questionnaire)
        self.coverage.set_assessment(assessment)
        self._tab_changed(self.tabs.currentIndex())

    def set_client_name(self, client_name: str) -> None:
        if self.assessment is not None:
            self.title.setText(f"{client_name}  ·  {self.assessment.name}")

    def _tab_changed(self, index: int) -> None:
        if index == 1:
            self.ensure_dashboard().ensure_fresh()
        elif index == 2:
            self.roadmap.ensure_loaded()
        elif index == self.tabs.indexOf(self.coverage):
            self.coverage.ensure_loaded()
        self.tabChanged.emit(index)
