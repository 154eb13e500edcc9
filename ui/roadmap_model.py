"""The roadmap table: one row per `RoadmapItem`, editable where the consultant may edit, plus its filter."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any, Sequence

from PySide6.QtCore import (QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel,
                            Qt, Signal)
from PySide6.QtGui import QColor

from ui import theme
from ui.models import RowTableModel, refilter
from vciso import numbers as num

Index = QModelIndex | QPersistentModelIndex
SortRole = Qt.ItemDataRole.UserRole + 20
ItemRole = Qt.ItemDataRole.UserRole + 21

EFFORT = {1: "Low", 2: "Medium", 3: "High"}
OVERDUE = "overdue"     # the status filter's choice of the open items past their due date
OPEN = "open"           # ... and of every open item (not done, not deferred)
UNASSIGNED = ""         # the owner filter's choice of the items without an owner
STATUS_COLORS = {"Done": theme.GOOD, "Blocked": theme.BAD, "In progress": theme.WARN, "Deferred": theme.NA}


class RoadmapTableModel(RowTableModel):
    """Roadmap items; an edit updates the row at once and is reported by `editRequested` for saving."""

    COLUMNS = ("phase", "question_id", "title", "owner", "due_date", "status", "effort", "priority", "notes")
    HEADERS = ("Phase", "Ref", "Action", "Owner", "Due", "Status", "Effort", "Priority", "Notes")
    EDITABLE = {"phase", "title", "owner", "due_date", "status", "notes"}

    editRequested = Signal(int, dict)   # item id, {field: value}

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._phase_names: list[str] = []
        self.read_only = False

    def set_phases(self, names: Sequence[str]) -> None:
        self._phase_names = list(names)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def phase_names(self) -> list[str]:
        return list(self._phase_names)

    def phase_name(self, index: int) -> str:
        return self._phase_names[index] if 0 <= index < len(self._phase_names) else f"Phase {index + 1}"

    def set_items(self, items: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(items)
        self.endResetModel()

    def items(self) -> list[Any]:
        return list(self._rows)

    def item(self, row: int) -> Any:
        return self._rows[row]

    def replace_item(self, item: Any) -> None:
        """Show an item as saved (or restore it after a failed save)."""
        for row, existing in enumerate(self._rows):
            if existing.id == item.id:
                self._rows[row] = item
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))
                return

    def add_item(self, item: Any) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(item)
        self.endInsertRows()
        return row

    def remove_item(self, item_id: int) -> None:
        for row, existing in enumerate(self._rows):
            if existing.id == item_id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
                return

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.read_only and self.COLUMNS[index.column()] in self.EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        name = self.COLUMNS[index.column()]
        value = getattr(item, name)
        if role == Qt.ItemDataRole.DisplayRole:
            if name == "phase":
                return self.phase_name(value)
            if name == "question_id":
                return value or "Own item"
            if name == "effort":
                return EFFORT.get(value, str(value)) + (" · quick win" if item.quick_win else "")
            if name == "priority":
                return num.priority(value, 1) if item.origin == "generated" else ""
            if name == "due_date":
                return num.short_date(value, blank="", padded=True)
            if name == "status" and getattr(item, "proposed_in", None) is not None:
                return f"{value} · gap closed"
            return value or ""
        if role == Qt.ItemDataRole.EditRole:
            if name == "due_date":
                due = item.due
                return QDate(due.year, due.month, due.day) if due else QDate.currentDate()
            return value
        if role == SortRole:
            if name == "due_date":
                return value or "9999"
            if name == "question_id":
                return value or ""
            if name == "title":
                return value.casefold()
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            if name in ("title", "question_id"):
                return f"{item.title}\n\n{item.recommendation}" if item.recommendation else item.title
            if name == "notes" and value:
                return value
            if name == "status" and getattr(item, "proposed_in", None) is not None:
                return f"{value} — the answers close this gap: confirm it done (Confirm done above the table)"
            if name == "due_date" and _overdue(item):
                return f"Overdue: due {num.short_date(value)}"
            if name in ("owner", "effort", "phase", "status", "due_date"):  # the whole text of a narrow column
                return self.data(index, Qt.ItemDataRole.DisplayRole) or None
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if name == "status" and getattr(item, "proposed_in", None) is not None:
                return QColor(theme.GOOD)
            if name == "status" and value in STATUS_COLORS:
                return QColor(STATUS_COLORS[value])
            if name == "due_date" and _overdue(item):
                return QColor(theme.BAD)
            if name in ("question_id", "effort", "priority"):
                return QColor(theme.MUTED)
        if role == Qt.ItemDataRole.FontRole and name == "due_date" and _overdue(item):
            from PySide6.QtGui import QFont
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and name == "priority":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ItemRole:
            return item
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only:
            return False
        name = self.COLUMNS[index.column()]
        if name not in self.EDITABLE:
            return False
        item = self._rows[index.row()]
        if name == "due_date":
            value = value.toString("yyyy-MM-dd") if isinstance(value, QDate) else (str(value) if value else None)
        elif name == "phase":
            value = int(value)
        elif isinstance(value, str):
            value = value.strip() if name in ("title", "owner") else value
            if name == "title" and not value:
                return False
        if getattr(item, name) == value:
            return False
        self._rows[index.row()] = replace(item, **{name: value})
        self.dataChanged.emit(index.siblingAtColumn(0), index.siblingAtColumn(len(self.COLUMNS) - 1))
        self.editRequested.emit(item.id, {name: value})
        return True


def _overdue(item: Any) -> bool:
    from vciso.plan import is_overdue
    return is_overdue(item, dt.date.today())


class RoadmapFilterProxy(QSortFilterProxyModel):
    """Shows the items of one phase, one status (or the open or overdue ones) and one owner (or the
    unassigned); sorts by each column's natural order."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.phase: int | None = None
        self.status: str | None = None
        self.owner: str | None = None
        self.setSortRole(SortRole)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_phase(self, phase: int | None) -> None:
        refilter(self, lambda: setattr(self, "phase", phase))

    def set_status(self, status: str | None) -> None:
        refilter(self, lambda: setattr(self, "status", status))

    def set_owner(self, owner: str | None) -> None:
        refilter(self, lambda: setattr(self, "owner", owner))

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        item = self.sourceModel().data(self.sourceModel().index(source_row, 0, source_parent), ItemRole)
        if item is None:
            return False
        if self.phase is not None and item.phase != self.phase:
            return False
        if self.status == OVERDUE:
            if not _overdue(item):
                return False
        elif self.status == OPEN:
            if not item.is_open:
                return False
        elif self.status is not None and item.status != self.status:
            return False
        if self.owner is not None and item.owner.strip().casefold() != self.owner.casefold():
            return False
        return True
