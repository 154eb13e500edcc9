"""The portfolio: every client of the workspace in one sortable, filterable table (the vCISO's home view).

The rows come from `vciso.portfolio` (each file's own summary), read in the background; a client not assessed
for more than 180 days is highlighted; a file that cannot be read shows its error in its row. Double-click (or
Enter) on a row asks the window to open that client.
"""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QTableView, QVBoxLayout, QWidget)

from ui import prompts, theme
from ui.models import ObjectRole, SortRole, refilter
from vciso import numbers as num

Index = QModelIndex | QPersistentModelIndex

COLUMNS = ("Client", "Latest assessment", "Date", "Questionnaire", "Score", "To target", "Complete", "Change",
           "Open", "Overdue", "Next due", "Days since")
STALE_COLUMN = COLUMNS.index("Days since")
OVERDUE_COLUMN = COLUMNS.index("Overdue")
_NUMERIC = {"Score", "To target", "Complete", "Change", "Open", "Overdue", "Days since"}


def _display(row: Any, column: str) -> str:
    if not row.ok:
        if getattr(row, "locked", False):
            return {"Client": row.file_id,
                    "Latest assessment": "Locked (encrypted): open it once in this run to see its figures"
                    }.get(column, "")
        return {"Client": row.file_id, "Latest assessment": row.error}.get(column, "")
    if column == "Client":
        return row.name
    if row.assessment_id is None:
        return "No assessment yet" if column == "Latest assessment" else ""
    return {
        "Latest assessment": row.assessment_name,
        "Date": num.short_date(row.assessment_date),
        "Questionnaire": row.questionnaire_title,
        "Score": num.score(row.score),
        "To target": num.percent(row.percent_to_target),
        "Complete": num.percent(row.completion),
        "Change": num.score_change(row.change),
        "Open": str(row.open_actions),
        "Overdue": str(row.overdue_actions),
        "Next due": num.short_date(row.next_due),
        "Days since": "" if row.days_since is None else str(row.days_since),
    }[column]


def _sort_key(row: Any, column: str) -> Any:
    """What a column sorts by: numbers as numbers, dates as ISO text, missing values last (as the lowest)."""
    if column == "Client":
        return ("0" if row.ok else "1") + row.name.casefold()  # unreadable files after the clients
    if not row.ok:
        return ""
    value = {"Latest assessment": row.assessment_name.casefold(), "Date": row.assessment_date or "",
             "Questionnaire": row.questionnaire_title.casefold(), "Score": row.score,
             "To target": row.percent_to_target, "Complete": row.completion, "Change": row.change,
             "Open": row.open_actions, "Overdue": row.overdue_actions, "Next due": row.next_due or "",
             "Days since": row.days_since}[column]
    if column in _NUMERIC:
        return -1e18 if value is None else float(value)
    return value


class PortfolioModel(QAbstractTableModel):
    """The portfolio's rows (`vciso.portfolio.PortfolioRow`), one per client file."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(COLUMNS):
            return None
        row, column = self._rows[index.row()], COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == SortRole:
            return _sort_key(row, column)
        if role == ObjectRole:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not row.ok:  # a locked (encrypted) client is not damaged: muted, not in red
                return QBrush(QColor(theme.MUTED if getattr(row, "locked", False) else theme.BAD))
            if column == "Overdue" and row.overdue_actions:
                return QBrush(QColor(theme.BAD))
            if column == "Days since" and row.stale:
                return QBrush(QColor(theme.WARN))
        if role == Qt.ItemDataRole.BackgroundRole and column == "Days since" and row.ok and row.stale:
            return QBrush(theme.tint(QColor(theme.WARN), 0.85))
        if role == Qt.ItemDataRole.ToolTipRole:
            if not row.ok:
                return row.error
            if column == "Days since" and row.stale:
                return "Not assessed for more than 180 days"
            if column == "Change" and row.previous_name:
                return f"Since {row.previous_name} ({num.short_date(row.previous_date)})"
            if column in ("Client", "Latest assessment", "Questionnaire"):
                return _display(row, column) or None  # the whole text of a cell the column cuts short
        return None


class PortfolioProxy(QSortFilterProxyModel):
    """Sorts by each column's value and keeps the rows whose client, assessment or questionnaire contains
    the filter text; optionally only clients needing attention (overdue actions, stale, or unreadable)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(True)
        self._text = ""
        self._attention_only = False

    def set_text(self, text: str) -> None:
        refilter(self, lambda: setattr(self, "_text", text.strip().casefold()))

    def set_attention_only(self, on: bool) -> None:
        refilter(self, lambda: setattr(self, "_attention_only", bool(on)))

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        row = model.row_at(source_row)  # type: ignore[attr-defined]
        if self._attention_only and row.ok and not (row.overdue_actions or row.stale):
            return False
        if not self._text:
            return True
        haystack = " ".join((row.name, row.file_id, row.industry, row.assessment_name, row.questionnaire_title,
                             row.error)).casefold()
        return self._text in haystack


class _Table(QTableView):
    """Enter opens the current client, as a double-click does."""

    activatedByKey = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activatedByKey.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class PortfolioView(QWidget):
    """The portfolio page: a filter box, an "attention only" switch, the table and a one-line total."""

    openRequested = Signal(object)  # the PortfolioRow of the client to open

    def __init__(self, ops: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._portfolio: Any = None
        self.model = PortfolioModel(self)
        self.proxy = PortfolioProxy(self)
        self.proxy.setSourceModel(self.model)
        title = QLabel("Portfolio")
        title.setObjectName("title")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by client, assessment or questionnaire")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        self.attention = QCheckBox("Needs attention only")
        self.attention.setToolTip("Clients with overdue actions or not assessed for more than 180 days")
        self.attention.toggled.connect(self.proxy.set_attention_only)
        self.table = _Table()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.table.doubleClicked.connect(self._open)
        self.table.activatedByKey.connect(self._open)
        self.total = QLabel("")
        self.total.setObjectName("muted")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.attention)
        top.addWidget(self.search, 1)
        self.export_button = QPushButton("Export workbook…")
        self.export_button.setToolTip("One row per client in an Excel table, ready to print")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export_workbook)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total)
        self.proxy.rowsInserted.connect(self._count)
        self.proxy.rowsRemoved.connect(self._count)
        self.proxy.modelReset.connect(self._count)

    def set_portfolio(self, portfolio: Any) -> None:
        """Show a `vciso.portfolio.Portfolio`."""
        self._portfolio = portfolio
        self.export_button.setEnabled(bool(portfolio.rows))
        self.model.set_rows(portfolio.rows)
        self.table.resizeColumnsToContents()
        # long names are elided (the tooltip of a cut cell is its text) so that every figure stays in view
        widest = {0: 180, 1: 160, 3: 140, **{COLUMNS.index(name): 76 for name in _NUMERIC}, STALE_COLUMN: 90}
        for column, width in widest.items():
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), width))
        self._count()

    def show_loading(self) -> None:
        self.total.setText("Reading the workspace…")

    def show_error(self, message: str) -> None:
        self.total.setText(message)

    def _count(self, *_: Any) -> None:
        rows = [self.model.row_at(r) for r in range(self.model.rowCount())]
        shown = self.proxy.rowCount()
        stale = sum(1 for row in rows if row.stale)
        overdue = sum(1 for row in rows if row.ok and row.overdue_actions)
        errors = sum(1 for row in rows if not row.ok)
        parts = [num.plural(len(rows) - errors, "client")]
        if shown != len(rows):
            parts[0] = f"{shown} of {len(rows)} shown"
        if overdue:
            parts.append(f"{overdue} with overdue actions")
        if stale:
            parts.append(f"{stale} not assessed for over 180 days")
        if errors:
            parts.append(f"{num.plural(errors, 'file')} cannot be read")
        self.total.setText(" · ".join(parts))

    def export_workbook(self) -> None:
        """Ask where, then write the portfolio workbook in the background (every client, whatever the filter)."""
        if self._portfolio is None:
            return
        chosen = prompts.save_file(self, "Export the portfolio", f"Portfolio {self._portfolio.today.isoformat()}.xlsx",
                                   "Excel workbook (*.xlsx)")
        if not chosen:
            return
        from pathlib import Path

        path, portfolio = Path(chosen), self._portfolio

        def write() -> Any:
            from exports.portfolio_workbook import write_portfolio_workbook
            return write_portfolio_workbook(portfolio, path)

        def done(_warnings: Any) -> None:
            self.total.setText(f"Wrote {path}")

        def failed(message: str) -> None:
            prompts.error(self, "Export the portfolio", message)

        if self._ops is None:
            from ui.operations import error_message
            try:
                done(write())
            except Exception as exc:  # noqa: BLE001 - shown as one line, as the operations layer does
                failed(error_message(exc))
            return
        self._ops.run_task(write, done, failed)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.openRequested.emit(self.proxy.data(index, ObjectRole))
