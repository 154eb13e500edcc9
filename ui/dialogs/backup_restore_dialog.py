"""The preview of restoring a backup (a workspace backup zip, or one client file such as an automatic backup):
when it was made, and for each client the name and file it will have in the workspace and why either is
new. A backup with problems (damaged, unreadable) says so and offers no Restore. Nothing is written here.

Not to be confused with `restore_dialog.py`, which brings a deleted client back from the workspace's trash.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QFrame, QHeaderView, QLabel, QTableView,
                               QVBoxLayout, QWidget)

from ui import theme
from ui.models import ObjectRole, RowTableModel
from vciso.numbers import plural, short_date

Index = QModelIndex | QPersistentModelIndex
SUFFIX = ".vciso"


def restored_file(item: Any) -> str:
    """The file name a planned client gets in the workspace."""
    return f"{item.target_stem}{SUFFIX}"


def client_label(item: Any) -> str:
    """The client as it will be listed: its (new) name, or its file when it is encrypted (name hidden)."""
    from vciso.backup import ENCRYPTED_NOTE

    entry = item.entry
    return f"{entry.stem}{SUFFIX} ({ENCRYPTED_NOTE})" if entry.encrypted else item.restored_name


def why_renamed(item: Any) -> str:
    """Why the client gets another name or file than in the backup ("" when it keeps its own)."""
    if item.renamed_client:
        return "Renamed: this name is taken"
    if item.renamed_file:
        return f"New file: {item.entry.stem}{SUFFIX} is taken"
    return ""


class RestorePlanModel(RowTableModel):
    """The clients of a planned restore (`RestoreItem`): the name and file each will have, and why it differs
    from the backup's."""

    HEADERS = ("Client", "File in the workspace", "Note")

    def __init__(self, items: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = list(items)

    def item(self, row: int) -> Any:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                if role == Qt.ItemDataRole.ToolTipRole and item.renamed_client:
                    return f"{item.restored_name}\n(“{item.entry.name}” in the backup)"
                return client_label(item)
            if column == 1:
                return restored_file(item)
            return why_renamed(item)
        if role == Qt.ItemDataRole.ForegroundRole and column < 2 and \
                (item.renamed_client if column == 0 else item.renamed_file):
            return QColor(theme.WARN)  # what differs from the backup
        if role == ObjectRole:
            return item
        return None


def made_text(made: dt.datetime | None, single_file: bool) -> str:
    """When the backup was made, in words ("" when unknown)."""
    if made is None:
        return ""
    when = f"{short_date(made.date())} at {made:%H:%M}"
    return f"Copy of the client file as of {when}" if single_file else f"Backup made on {when}"


class BackupRestoreDialog(QDialog):
    """Shows a `RestorePlan` (and when its backup was made); accepted means: restore it."""

    def __init__(self, plan: Any, made: dt.datetime | None, workspace: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("Restore from backup")
        source = Path(plan.source)
        single = source.suffix == SUFFIX
        count = len(plan.items)
        if plan.problems:
            heading = f"{source.name} cannot be restored"
        elif count == 1:
            entry = plan.items[0].entry
            who = f"the encrypted client {entry.stem}{SUFFIX}" if entry.encrypted else f"“{entry.name}”"
            heading = f"Restore {who} from {source.name}?"
        else:
            heading = f"Restore {plural(count, 'client')} from {source.name}?"
        self.summary = QLabel(heading)
        self.summary.setObjectName("heading")
        self.summary.setWordWrap(True)
        details = [made_text(made, single), f"Into the workspace {workspace}"]
        self.details = QLabel("\n".join(line for line in details if line))
        self.details.setObjectName("muted")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.model = RestorePlanModel(plan.items, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setAlternatingRowColors(True)
        # a long name wraps onto a second line rather than losing its end ("(restored DATE)"); a file name
        # too long for its column loses its middle, never its end ("-restored.vciso")
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.setStyleSheet("QTableView::item { padding: 4px 2px; }")  # wrapped rows need air
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setVisible(count > 0)

        self.note = QLabel("Nothing in the workspace is replaced: a client whose name or file is taken is "
                           "restored beside it, under a new one. An encrypted client opens with its own "
                           "passphrase.")
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        self.note.setVisible(not plan.problems)

        self.problem_frame = QFrame()
        self.problem_frame.setObjectName("errorBanner")
        self.problems = QLabel(self._problem_text(plan.problems))
        self.problems.setWordWrap(True)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        frame_layout = QVBoxLayout(self.problem_frame)
        frame_layout.setContentsMargins(10, 8, 10, 8)
        frame_layout.addWidget(self.problems)
        self.problem_frame.setVisible(bool(plan.problems))
        self.problems.setVisible(bool(plan.problems))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(plan.items) and not plan.problems)
        self.restore_button.setDefault(self.restore_button.isEnabled())
        if not self.restore_button.isEnabled():
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")
        self.buttons.accepted.connect(self._accept_if_ok)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details)
        layout.addWidget(self.problem_frame)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        if not count:
            layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._fit_to_contents()

    @staticmethod
    def _problem_text(problems: Any) -> str:
        if not problems:
            return ""
        lines = "\n".join(f"• {problem}" for problem in problems)
        return f"What is wrong (nothing will be written):\n{lines}"

    def _accept_if_ok(self) -> None:
        if self.restore_button.isEnabled():
            self.accept()

    def _fit_to_contents(self) -> None:
        """As wide as the names and files need (up to 1000 px and the screen; longer ones lose their middle),
        tall enough for ten rows, then a scroll bar."""
        from PySide6.QtWidgets import QApplication

        metrics = self.table.fontMetrics()
        widths = [max([metrics.horizontalAdvance(str(self.model.index(row, column).data() or ""))
                       for row in range(self.model.rowCount())] + [metrics.horizontalAdvance(title)]) + 24
                  for column, title in enumerate(self.model.HEADERS)]
        screen = self.screen() or QApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else None
        width = min(max(640, sum(widths) + 50), 1000)
        rows = self.model.rowCount()
        height = 210 + 34 * min(rows, 10) if rows else 220
        if self.plan.problems and rows:
            self.problems.setMinimumWidth(width - 60)  # its height for that width, wrapped
            height += self.problem_frame.sizeHint().height()
        if available is not None:
            width = min(width, available.width() - 40)
            height = min(height, available.height() - 60)
        self.resize(width, height)
