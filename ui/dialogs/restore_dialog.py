"""Restore a deleted client: the files of the workspace's trash, newest first, to pick one from."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView,
                               QVBoxLayout, QWidget)

from ui import theme
from ui.models import ObjectRole, RowTableModel

Index = QModelIndex | QPersistentModelIndex


class DeletedClientsModel(RowTableModel):
    """The workspace's deleted clients (`DeletedClient`): name, when deleted, assessments, file."""

    HEADERS = ("Client", "Deleted on", "Assessments", "File in the trash")

    def __init__(self, deleted: Sequence[Any], parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = list(deleted)

    def entry(self, row: int) -> Any:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                if entry.locked:
                    from vciso.backup import ENCRYPTED_NOTE

                    return f"{entry.name} ({ENCRYPTED_NOTE})"
                return entry.name if entry.ok else f"{entry.name} (cannot be read)"
            if column == 1:
                return entry.deleted_on or "—"
            if column == 2:
                return str(entry.assessment_count) if entry.ok else "—"
            return entry.path.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.error or str(entry.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and not entry.ok and not entry.locked:
            return QColor(theme.BAD)
        if role == ObjectRole:
            return entry
        return None


class RestoreDialog(QDialog):
    """Pick one deleted client; `chosen()` is the one to move back into the workspace."""

    def __init__(self, deleted: Sequence[Any], trash: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore a deleted client")
        self.model = DeletedClientsModel(deleted, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        intro = QLabel("Deleted clients wait in the workspace's trash folder until you remove them there. "
                       "The client you restore comes back with all its assessments; a client of the same "
                       "name now in the workspace is never overwritten.")
        intro.setWordWrap(True)
        where = QLabel(f"Trash folder: {trash}")
        where.setObjectName("muted")
        where.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setText("Restore")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(where)
        layout.addWidget(self.buttons)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        if self.model.rowCount():
            self.table.selectRow(0)
        self._selection_changed()
        self._fit_to_contents()

    def _fit_to_contents(self) -> None:
        """Wide enough for every column (the trash file names too) and tall enough for a few rows, within
        the screen."""
        from PySide6.QtWidgets import QApplication

        self.table.resizeColumnsToContents()
        columns = sum(self.table.horizontalHeader().sectionSize(c) for c in range(self.model.columnCount()))
        width, height = max(640, columns + 60), min(220 + 30 * self.model.rowCount(), 520)
        screen = self.screen() or QApplication.primaryScreen()
        if screen is not None:
            width = min(width, screen.availableGeometry().width() - 40)
        self.resize(width, height)

    def _selection_changed(self, *_args: Any) -> None:
        self.restore_button.setEnabled(self.chosen() is not None)

    def select(self, row: int) -> None:
        self.table.selectRow(row)

    def chosen(self) -> Any:
        """The selected `DeletedClient`, or None."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None
