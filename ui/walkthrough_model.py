"""The walkthrough's navigation tree: sections with their progress, questions with their answer state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from ui import theme
from ui.models import HeaderMixin, refilter

Index = QModelIndex | QPersistentModelIndex
QuestionIdRole = Qt.ItemDataRole.UserRole + 10
StateRole = Qt.ItemDataRole.UserRole + 11
FlaggedRole = Qt.ItemDataRole.UserRole + 12
TextRole = Qt.ItemDataRole.UserRole + 13
TagsRole = Qt.ItemDataRole.UserRole + 14

ANSWERED, NOT_APPLICABLE, UNANSWERED = "answered", "na", "unanswered"


def response_state(response: Any) -> str:
    if response is None:
        return UNANSWERED
    if response.is_na:
        return NOT_APPLICABLE
    return ANSWERED if response.current is not None else UNANSWERED


_ICONS: dict[tuple[str, bool], QIcon] = {}


def state_icon(state: str, flagged: bool) -> QIcon:
    """A small round marker: filled when answered, grey dash for N/A, hollow when open; amber if flagged."""
    key = (state, flagged)
    if key not in _ICONS:
        size = 14
        pixmap = QPixmap(size * 2, size * 2)
        pixmap.setDevicePixelRatio(2.0)
        pixmap.fill(QColor(0, 0, 0, 0))
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = QColor(theme.GOOD if state == ANSWERED else theme.NA)
        if state == ANSWERED:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawEllipse(3, 3, 8, 8)
        elif state == NOT_APPLICABLE:
            painter.setPen(QPen(color, 2))
            painter.drawLine(3, 7, 11, 7)
        else:
            painter.setPen(QPen(color, 1.4))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(3, 3, 8, 8)
        if flagged:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(theme.WARN))
            painter.drawEllipse(9, 0, 5, 5)
        painter.end()
        _ICONS[key] = QIcon(pixmap)
    return _ICONS[key]


@dataclass
class _Node:
    kind: str                      # "section" | "question"
    item: Any                      # Section | Question
    parent: int                    # position of the parent node, -1 for top-level sections
    children: list[int] = field(default_factory=list)
    total: int = 0                 # questions below a section
    complete: int = 0              # of which answered or N/A


class QuestionTreeModel(HeaderMixin, QAbstractItemModel):
    """Sections (with "complete/total") and their questions (with the level given), in questionnaire order."""

    HEADERS = ("Question", "Answer")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._nodes: list[_Node] = []
        self._top: list[int] = []
        self._by_question: dict[str, int] = {}
        self._responses: dict[str, Any] = {}
        self._questionnaire: Any = None

    # ------------------------------------------------------------------ content

    def set_assessment(self, questionnaire: Any, responses: Mapping[str, Any]) -> None:
        self.beginResetModel()
        self._questionnaire = questionnaire
        self._responses = dict(responses)
        self._nodes, self._top, self._by_question = [], [], {}

        def add_section(section: Any, parent: int) -> int:
            position = len(self._nodes)
            self._nodes.append(_Node("section", section, parent))
            (self._nodes[parent].children if parent >= 0 else self._top).append(position)
            for question in section.questions:
                q_position = len(self._nodes)
                self._nodes.append(_Node("question", question, position))
                self._nodes[position].children.append(q_position)
                self._by_question[question.id] = q_position
            for child in section.sections:
                add_section(child, position)
            return position

        if questionnaire is not None:
            for section in questionnaire.sections:
                add_section(section, -1)
            for position in range(len(self._nodes)):
                if self._nodes[position].kind == "question":
                    complete = response_state(self._responses.get(self._nodes[position].item.id)) != UNANSWERED
                    self._bump(position, 1, int(complete))
        self.endResetModel()

    def _bump(self, position: int, total: int, complete: int) -> None:
        parent = self._nodes[position].parent
        while parent >= 0:
            self._nodes[parent].total += total
            self._nodes[parent].complete += complete
            parent = self._nodes[parent].parent

    def update_response(self, response: Any) -> None:
        """Show a changed answer: the question's row and the progress of every section above it."""
        position = self._by_question.get(response.question_id)
        if position is None:
            return
        before = response_state(self._responses.get(response.question_id)) != UNANSWERED
        self._responses[response.question_id] = response
        after = response_state(response) != UNANSWERED
        if before != after:
            self._bump(position, 0, 1 if after else -1)
        last = self.columnCount() - 1
        node = position
        while node >= 0:
            index = self._index_of(node)
            self.dataChanged.emit(index, index.siblingAtColumn(last))
            node = self._nodes[node].parent

    def response(self, question_id: str) -> Any:
        return self._responses.get(question_id)

    def question_index(self, question_id: str) -> QModelIndex:
        position = self._by_question.get(question_id)
        return self._index_of(position) if position is not None else QModelIndex()

    def _index_of(self, position: int, column: int = 0) -> QModelIndex:
        parent = self._nodes[position].parent
        siblings = self._nodes[parent].children if parent >= 0 else self._top
        return self.createIndex(siblings.index(position), column, position)

    # ------------------------------------------------------------------ model interface

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if parent.isValid():
            if parent.column() != 0:
                return QModelIndex()
            children = self._nodes[parent.internalId()].children
        else:
            children = self._top
        if not 0 <= row < len(children) or not 0 <= column < len(self.HEADERS):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        parent = self._nodes[index.internalId()].parent
        return QModelIndex() if parent < 0 else self._index_of(parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._top)
        if parent.column() != 0:
            return 0
        return len(self._nodes[parent.internalId()].children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._nodes[index.internalId()]
        column = index.column()
        if node.kind == "section":
            return self._section_data(node, column, role)
        question = node.item
        response = self._responses.get(question.id)
        state = response_state(response)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{question.id}  {question.title or question.text}"
            if state == NOT_APPLICABLE:
                return "N/A"
            if state == ANSWERED:
                from vciso.numbers import format_value
                return format_value(response.current)
            return ""
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return state_icon(state, bool(response and response.flagged))
        if role == Qt.ItemDataRole.ToolTipRole:
            flag = "\nFlagged for follow-up" if response is not None and response.flagged else ""
            answer = ""
            if state == ANSWERED and self._questionnaire is not None:
                answer = f"\nAnswer: {self._questionnaire.scale_for(question).label(response.current)}"
            elif state == NOT_APPLICABLE:
                answer = f"\nN/A: {response.na_reason}"
            return f"{question.id}: {question.text}{answer}{flag}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QColor(theme.MUTED)
        if role == QuestionIdRole:
            return question.id
        if role == StateRole:
            return state
        if role == FlaggedRole:
            return bool(response and response.flagged)
        if role == TextRole:
            return f"{question.id} {question.title} {question.text} {question.guidance}"
        if role == TagsRole:
            return question.tags
        return None

    def _section_data(self, node: _Node, column: int, role: int) -> Any:
        section = node.item
        if role == Qt.ItemDataRole.DisplayRole:
            return section.title if column == 0 else f"{node.complete}/{node.total}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{section.title}: {node.complete} of {node.total} questions answered or N/A"
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QColor(theme.GOOD if node.total and node.complete == node.total else theme.MUTED)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == 0 and node.parent < 0:
            from PySide6.QtGui import QFont
            font = QFont()
            font.setWeight(QFont.Weight.DemiBold)
            return font
        if role == StateRole:
            return "section"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class QuestionFilterProxy(QSortFilterProxyModel):
    """Filters questions by state (all, unanswered, flagged), by tag (e.g. an implementation group) and by
    text or id; sections with a match stay.

    Filtering is not dynamic: answering a question while "Unanswered" is shown keeps it in view until
    the filter changes, so the list does not jump under the consultant's cursor.
    """

    MODES = ("all", "unanswered", "flagged")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._mode = "all"
        self._text = ""
        self._tag = ""
        self.setRecursiveFilteringEnabled(True)
        self.setDynamicSortFilter(False)

    def set_mode(self, mode: str) -> None:
        refilter(self, lambda: setattr(self, "_mode", mode if mode in self.MODES else "all"))

    def set_text(self, text: str) -> None:
        refilter(self, lambda: setattr(self, "_text", text.strip().casefold()))

    def set_tag(self, tag: str | None) -> None:
        """Show only the questions carrying this tag ('' or None: every question)."""
        refilter(self, lambda: setattr(self, "_tag", tag or ""))

    @property
    def tag(self) -> str:
        return self._tag

    @property
    def active(self) -> bool:
        return self._mode != "all" or bool(self._text) or bool(self._tag)

    def accepts(self, source_index: QModelIndex) -> bool:
        """Whether a question (source index) passes the current filter."""
        model = self.sourceModel()
        if self._mode == "unanswered" and model.data(source_index, StateRole) != UNANSWERED:
            return False
        if self._mode == "flagged" and not model.data(source_index, FlaggedRole):
            return False
        if self._tag and self._tag not in (model.data(source_index, TagsRole) or ()):
            return False
        if self._text and self._text not in str(model.data(source_index, TextRole) or "").casefold():
            return False
        return True

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        if self.sourceModel().data(index, QuestionIdRole) is None:
            return not self.active  # a section shows when a question below it matches
        return self.accepts(index)
