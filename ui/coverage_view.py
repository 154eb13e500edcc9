"""The Coverage tab: the open assessment against another framework, through the mappings.

Pick a framework; a tree grouped by the target's sections shows each requirement's level, target,
confidence and status, and opens to the source answers it came from. Figures are those of
`vciso coverage --json` (rounded once by `vciso.numbers`); a partial or unmapped requirement is never
shown as met. The coverage is computed on the operations layer's worker.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QTreeView, QVBoxLayout, QWidget

from ui import theme
from vciso import numbers as num

Index = QModelIndex | QPersistentModelIndex
STATUS_COLOURS = {"met": theme.GOOD, "below": theme.BAD, "partial": theme.WARN, "incomplete": theme.WARN,
                  "na": theme.NA, "unmapped": theme.NA, "unanswered": theme.NA}


class CoverageModel(QAbstractItemModel):
    """Three levels: target sections → requirements → the source answers of each requirement."""

    HEADERS = ("Requirement", "Level", "Target", "Confidence", "Status")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.coverage: Any = None
        self._sections: list[Any] = []

    def set_coverage(self, coverage: Any) -> None:
        self.beginResetModel()
        self.coverage = coverage
        self._sections = list(coverage.sections) if coverage is not None else []
        self.endResetModel()

    # the internal id of an index says where it is: 0 for a section, section+1 for a requirement of
    # that section, and (section+1) << 16 | (requirement+1) for a source answer of that requirement
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        tag = parent.internalId()
        if tag == 0:
            return self.createIndex(row, column, parent.row() + 1)
        if tag < (1 << 16):
            return self.createIndex(row, column, (tag << 16) | (parent.row() + 1))
        return QModelIndex()

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not child.isValid():
            return QModelIndex()
        tag = child.internalId()
        if tag == 0:
            return QModelIndex()
        if tag < (1 << 16):
            return self.createIndex(tag - 1, 0, 0)
        section, requirement = (tag >> 16) - 1, (tag & 0xFFFF) - 1
        return self.createIndex(requirement, 0, section + 1)

    def _node(self, index: Index) -> tuple[str, Any]:
        tag = index.internalId()
        if tag == 0:
            return "section", self._sections[index.row()]
        if tag < (1 << 16):
            return "requirement", self._sections[tag - 1].requirements[index.row()]
        section, requirement = (tag >> 16) - 1, (tag & 0xFFFF) - 1
        return "source", self._sections[section].requirements[requirement].sources[index.row()]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.column() > 0:
            return 0
        if not parent.isValid():
            return len(self._sections)
        kind, node = self._node(parent)
        if kind == "section":
            return len(node.requirements)
        if kind == "requirement":
            return len(node.sources)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        kind, node = self._node(index)
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(kind, node, column)
        if role == Qt.ItemDataRole.ForegroundRole and kind == "requirement" and column == 4:
            return QColor(STATUS_COLOURS.get(node.status, theme.NA))
        if role == Qt.ItemDataRole.ToolTipRole and kind == "requirement" and column == 0 and node.title:
            return node.title
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(kind: str, node: Any, column: int) -> str:
        from vciso.crosswalk.output import summary_line

        if kind == "section":
            return (f"{node.title}" if node.title == node.id else f"{node.id} {node.title}") if column == 0 else \
                (summary_line(node.totals) if column == 4 else "")
        if kind == "requirement":
            return (f"{node.id}  {node.title}".strip(), num.score(node.level), num.score(node.target),
                    node.confidence.capitalize(), node.status_label)[column]
        status = {"na": f"N/A ({node.na_reason})", "unanswered": "Unanswered"}.get(node.status)
        level = status or f"{num.format_value(node.level)} – {node.level_label}"
        return (f"{node.question_id}  {node.title}", "" if status else num.score(node.level),
                num.score(node.target), node.relationship, level)[column]


class CoverageView(QWidget):
    """The framework picker, the totals and the coverage tree of the open assessment."""

    def __init__(self, ops: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.assessment: Any = None
        self.stale = True
        self.framework = QComboBox()
        # a short minimum: the tab must not widen the window's minimum (it has to fit a 1024x640 screen)
        self.framework.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.framework.setMinimumContentsLength(12)
        self.framework.currentIndexChanged.connect(lambda _i: self._compute())
        self.summary = QLabel("Pick a framework to see how this assessment covers it.")
        self.summary.setWordWrap(True)
        self.notes = QLabel("")
        self.notes.setObjectName("muted")
        self.notes.setWordWrap(True)
        self.model = CoverageModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        top = QHBoxLayout()
        top.addWidget(QLabel("Coverage of"))
        top.addWidget(self.framework, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(self.tree, 1)
        ops.changed.connect(self._on_changed)

    def set_assessment(self, assessment: Any) -> None:
        self.assessment = assessment
        self.stale = True
        if self.isVisible():
            self.ensure_loaded()

    def ensure_loaded(self) -> None:
        """List the frameworks the assessment's questionnaire reaches (once per assessment), then compute."""
        if not self.stale or self.assessment is None:
            return
        self.stale = False
        questionnaire_id = self.assessment.questionnaire_id

        def job(_ctx: Any) -> list[tuple[str, str]]:
            from vciso.crosswalk import frameworks_for, load_mappings
            from vciso.library import load_library
            from vciso.paths import user_library_dir

            return frameworks_for(questionnaire_id, load_library(user_library_dir()), load_mappings(user_library_dir()))

        self.ops.call(job, self._set_frameworks, self._failed)

    def _set_frameworks(self, frameworks: list[tuple[str, str]]) -> None:
        current = self.framework.currentData()
        self.framework.blockSignals(True)
        self.framework.clear()
        for ident, title in frameworks:
            self.framework.addItem(f"{title} ({ident})", ident)
        index = max(0, self.framework.findData(current))
        self.framework.setCurrentIndex(index if frameworks else -1)
        self.framework.blockSignals(False)
        if not frameworks:
            self.summary.setText("No mapping leads from this questionnaire to another framework "
                                 "(import one in the Library).")
            self.model.set_coverage(None)
            return
        self._compute()

    def _compute(self) -> None:
        framework = self.framework.currentData()
        if not framework or self.assessment is None:
            return
        assessment_id = self.assessment.id

        def job(ctx: Any) -> Any:
            from vciso.crosswalk import assessment_coverage, load_mappings
            from vciso.library import load_library
            from vciso.paths import user_library_dir

            return assessment_coverage(ctx.client, assessment_id, framework, load_library(user_library_dir()),
                                       load_mappings(user_library_dir()))

        self.ops.call(job, self.set_coverage, self._failed)

    def set_coverage(self, coverage: Any) -> None:
        from vciso.crosswalk.output import summary_line

        self.summary.setText(f"{coverage.title}, from {coverage.source_title}: {summary_line(coverage.totals)}. "
                             "A requirement reached only through a partial mapping is never counted as met.")
        self.notes.setText("\n".join(coverage.notes))
        self.notes.setVisible(bool(coverage.notes))
        self.model.set_coverage(coverage)
        for row in range(self.model.rowCount()):
            self.tree.expand(self.model.index(row, 0))

    def _failed(self, message: str) -> None:
        self.summary.setText(f"The coverage could not be calculated: {message}")
        self.model.set_coverage(None)

    def _on_changed(self, changes: Any, _initiator: Any) -> None:
        if self.assessment is not None and changes.touches(self.assessment.id) and changes.answers_changed:
            if self.isVisible():
                self._compute()
            else:
                self.stale = True
