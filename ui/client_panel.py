"""The left-hand panel: the workspace's clients (with search) and the selected client's assessments."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QRect, QSize, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QPainter
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QListView, QSplitter,
                               QStyledItemDelegate, QStyleOptionViewItem, QToolButton, QVBoxLayout, QWidget)

from ui import theme
from ui.models import AssessmentListModel, ClientListModel, ErrorRole, ObjectRole, SearchRole, SubtitleRole


class TwoLineDelegate(QStyledItemDelegate):
    """A name in bold and a muted line of detail under it (red when the item has an error)."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        height = option.fontMetrics.height()
        return QSize(200, height * 2 + 14)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        from PySide6.QtWidgets import QStyle  # its enums are costly to load: not needed before the first row

        self.initStyleOption(option, index)
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(option.rect, theme.tint(theme.current_accent(), 0.86))
            painter.fillRect(QRect(option.rect.left(), option.rect.top(), 3, option.rect.height()),
                             theme.current_accent())
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(option.rect, QColor("#F5F7FA"))
        rect = option.rect.adjusted(10, 6, -8, -6)
        title_font = QFont(option.font)
        title_font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(title_font)
        painter.setPen(QColor(theme.BAD) if index.data(ErrorRole) else QColor(theme.TEXT))
        line = option.fontMetrics.height()
        title = painter.fontMetrics().elidedText(str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
                                                 Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), line), Qt.AlignmentFlag.AlignLeft, title)
        painter.setFont(option.font)
        painter.setPen(QColor(theme.BAD) if index.data(ErrorRole) else QColor(theme.MUTED))
        subtitle = painter.fontMetrics().elidedText(str(index.data(SubtitleRole) or ""),
                                                    Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(QRect(rect.left(), rect.top() + line + 2, rect.width(), line), Qt.AlignmentFlag.AlignLeft,
                         subtitle)
        painter.setPen(QColor(theme.BORDER))
        painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        painter.restore()


def _tool_button(action: QAction) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setAutoRaise(True)
    return button


def _list_view() -> QListView:
    view = QListView()
    view.setItemDelegate(TwoLineDelegate(view))
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setMouseTracking(True)
    view.setUniformItemSizes(True)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    return view


class ClientPanel(QWidget):
    """Clients and assessments; tells the window which one was chosen."""

    clientChosen = Signal(object)       # ClientListing or None
    assessmentChosen = Signal(object)   # Assessment or None

    def __init__(self, client_actions: list[QAction], assessment_actions: list[QAction],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clients = ClientListModel(self)
        self.client_proxy = QSortFilterProxyModel(self)
        self.client_proxy.setSourceModel(self.clients)
        self.client_proxy.setFilterRole(SearchRole)
        self.client_proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.assessments = AssessmentListModel(self)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search clients")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.client_view = _list_view()
        self.client_view.setModel(self.client_proxy)
        self.client_view.selectionModel().currentChanged.connect(self._client_changed)
        self.client_view.addActions(client_actions[1:])
        self.no_match = QLabel("No client matches the search.")
        self.no_match.setObjectName("muted")
        self.no_match.hide()

        self.assessment_view = _list_view()
        self.assessment_view.setModel(self.assessments)
        self.assessment_view.selectionModel().currentChanged.connect(self._assessment_changed)
        self.assessment_view.addActions(assessment_actions[1:])
        self.assessment_empty = QLabel("No assessments yet.\nStart one with “New assessment”.")
        self.assessment_empty.setObjectName("muted")
        self.assessment_empty.setWordWrap(True)
        self.assessment_empty.hide()

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(8, 8, 8, 4)
        top_layout.setSpacing(6)
        top_layout.addLayout(self._header("Clients", client_actions))
        top_layout.addWidget(self.search)
        top_layout.addWidget(self.client_view, 1)
        top_layout.addWidget(self.no_match)

        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(8, 4, 8, 8)
        bottom_layout.setSpacing(6)
        self.assessment_header = QLabel("Assessments")
        bottom_layout.addLayout(self._header("Assessments", assessment_actions))
        bottom_layout.addWidget(self.assessment_view, 1)
        bottom_layout.addWidget(self.assessment_empty)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([420, 260])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.setMinimumWidth(220)
        self._quiet = False

    @staticmethod
    def _header(title: str, actions: list[QAction]) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel(title)
        label.setObjectName("sectionLabel")
        row.addWidget(label)
        row.addStretch(1)
        row.addWidget(_tool_button(actions[0]))
        return row

    # ------------------------------------------------------------------ clients

    def set_listings(self, listings: list[Any], select: str | None = None) -> None:
        """Show the workspace's clients, keeping (or setting) the selection by file id."""
        current = select or (self.current_listing().file_id if self.current_listing() else None)
        self._quiet = True
        self.clients.set_listings(listings)
        self._quiet = False
        self._search_changed(self.search.text())
        if current is not None:
            self.select_client(current)

    def select_client(self, file_id: str) -> bool:
        row = self.clients.row_of(file_id)
        if row < 0:
            return False
        index = self.client_proxy.mapFromSource(self.clients.index(row))
        if not index.isValid():
            self.search.clear()
            index = self.client_proxy.mapFromSource(self.clients.index(row))
        self.client_view.setCurrentIndex(index)
        return True

    def current_listing(self) -> Any:
        index = self.client_view.currentIndex()
        return self.client_proxy.data(index, ObjectRole) if index.isValid() else None

    def _search_changed(self, text: str) -> None:
        self.client_proxy.setFilterFixedString(text)
        self.no_match.setVisible(bool(text) and self.client_proxy.rowCount() == 0)

    def _client_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._quiet:
            return
        listing = self.client_proxy.data(current, ObjectRole) if current.isValid() else None
        old = self.client_proxy.data(previous, ObjectRole) if previous.isValid() else None
        if listing is not None and old is not None and listing.path == old.path and listing.ok == old.ok:
            return
        self.clientChosen.emit(listing)

    # ------------------------------------------------------------------ assessments

    def set_assessments(self, assessments: list[Any], select: int | None = None) -> None:
        self._quiet = True
        self.assessments.set_assessments(assessments)
        self._quiet = False
        self.assessment_empty.setVisible(not assessments)
        if select is not None and self.assessments.row_of(select) >= 0:
            self.assessment_view.setCurrentIndex(self.assessments.index(self.assessments.row_of(select)))
        elif assessments:
            self.assessment_view.setCurrentIndex(self.assessments.index(0))
        else:
            self.assessmentChosen.emit(None)

    def clear_assessments(self) -> None:
        self._quiet = True
        self.assessments.set_assessments([])
        self._quiet = False
        self.assessment_empty.hide()

    def current_assessment(self) -> Any:
        index = self.assessment_view.currentIndex()
        return self.assessments.data(index, ObjectRole) if index.isValid() else None

    def _assessment_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet:
            return
        self.assessmentChosen.emit(self.assessments.data(current, ObjectRole) if current.isValid() else None)
