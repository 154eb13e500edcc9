"""The keyboard shortcuts (F1): one table of action and keys, grouped, built from `SHORTCUTS` below."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel,
                               QTreeView, QVBoxLayout, QWidget)

Index = QModelIndex | QPersistentModelIndex

# (group, action, keys): keys in Qt's portable form ("Ctrl+Shift+Z"), shown in the platform's own form.
# Keep this list in step with the shortcuts the window and the walkthrough set.
SHORTCUTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Walkthrough", "Choose a level", ("0 – 9",)),
    ("Walkthrough", "Move between levels (Space picks)", ("Up", "Down")),
    ("Walkthrough", "Next question", ("Enter", "Ctrl+Down")),
    ("Walkthrough", "Previous question", ("Shift+Enter", "Ctrl+Up")),
    ("Walkthrough", "Next unanswered question", ("Ctrl+U", "F3")),
    ("Walkthrough", "Find a question by text or id", ("Ctrl+F",)),
    ("Walkthrough", "Flag for follow-up", ("Ctrl+Shift+F",)),
    ("Walkthrough", "Not applicable (needs a reason)", ("Ctrl+Shift+A",)),
    ("Walkthrough", "Write a note", ("Ctrl+E",)),
    ("Walkthrough", "Back from the note to the levels", ("Esc",)),

    ("Views", "Portfolio of every client", ("Ctrl+0",)),
    ("Views", "Walkthrough", ("Ctrl+1",)),
    ("Views", "Dashboard", ("Ctrl+2",)),
    ("Views", "Roadmap", ("Ctrl+3",)),
    ("Views", "Questionnaire library", ("Ctrl+L",)),

    ("Clients and assessments", "New client", ("Ctrl+N",)),
    ("Clients and assessments", "Edit client profile", ("Ctrl+Shift+E",)),
    ("Clients and assessments", "New assessment", ("Ctrl+Shift+N",)),
    ("Clients and assessments", "Import answers from a workbook", ("Ctrl+I",)),
    ("Clients and assessments", "Export the PDF report", ("Ctrl+Shift+P",)),
    ("Clients and assessments", "Export the Excel workbook", ("Ctrl+Shift+X",)),
    ("Clients and assessments", "Export the Word report", ("Ctrl+Shift+W",)),

    ("Edit", "Undo", ("Ctrl+Z",)),
    ("Edit", "Redo", ("Ctrl+Shift+Z", "Ctrl+Y")),
    ("Edit", "Clear answer", ("Delete", "Backspace")),
    ("Edit", "Assessment properties", ("F2",)),
    ("Edit", "Reload", ("F5",)),

    ("App", "Settings", ("Ctrl+,",)),
    ("App", "Keyboard shortcuts", ("F1",)),
    ("App", "Quit", ("Ctrl+Q",)),
)


def key_text(keys: str) -> str:
    """One shortcut as the platform writes it (⌘Z on macOS); text that is no key sequence stays as is."""
    sequence = QKeySequence.fromString(keys, QKeySequence.SequenceFormat.PortableText)
    if sequence.isEmpty() or sequence.toString(QKeySequence.SequenceFormat.PortableText) != keys:
        return keys
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


@dataclass(frozen=True)
class ShortcutGroup:
    title: str
    rows: tuple[tuple[str, str], ...]   # (action, keys as shown)


def group_shortcuts(shortcuts: Sequence[tuple[str, str, tuple[str, ...]]] = SHORTCUTS) -> list[ShortcutGroup]:
    """The shortcuts grouped, groups and rows in the order of the list."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for group, action, keys in shortcuts:
        groups.setdefault(group, []).append((action, " / ".join(key_text(k) for k in keys)))
    return [ShortcutGroup(title, tuple(rows)) for title, rows in groups.items()]


class ShortcutsModel(QAbstractItemModel):
    """Groups as top-level rows, their shortcuts (action, keys) as children."""

    HEADERS = ("Action", "Keys")
    _TOP = 0  # internal id of a group row; a shortcut row's id is its group's row + 1

    def __init__(self, groups: Sequence[ShortcutGroup], parent: Any = None) -> None:
        super().__init__(parent)
        self._groups = list(groups)

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, self._TOP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == self._TOP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, self._TOP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == self._TOP and parent.column() == 0:
            return len(self._groups[parent.row()].rows)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        group_row = index.internalId()
        if group_row == self._TOP:
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return self._groups[index.row()].title
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._groups[group_row - 1].rows[index.row()][index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled if index.isValid() else Qt.ItemFlag.NoItemFlags

    def keys_for(self, action: str) -> str | None:
        """The keys shown for an action (None when it is not listed)."""
        for group in self._groups:
            for name, keys in group.rows:
                if name == action:
                    return keys
        return None


def split_in_two(groups: Sequence[ShortcutGroup]) -> tuple[list[ShortcutGroup], list[ShortcutGroup]]:
    """The groups in two columns of about the same height, keeping their order."""
    heights = [1 + len(group.rows) for group in groups]
    half, total, cut = sum(heights) / 2, 0, len(groups)
    for position, height in enumerate(heights):
        if total + height / 2 > half:
            cut = position
            break
        total += height
    return list(groups[:cut]), list(groups[cut:])


class ShortcutsDialog(QDialog):
    """Every keyboard shortcut, by group, in two side-by-side tables of action and keys."""

    def __init__(self, parent: QWidget | None = None,
                 shortcuts: Sequence[tuple[str, str, tuple[str, ...]]] = SHORTCUTS) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.models: list[ShortcutsModel] = []
        self.views: list[QTreeView] = []
        columns = QHBoxLayout()
        groups = group_shortcuts(shortcuts)
        halves = split_in_two(groups)
        # side by side when both halves fit on the screen, else one table (that scrolls on a small screen)
        fits = sum(self._width_of(half) for half in halves) + 60 <= self._screen_area().width() - 40
        for part in (halves if fits else (groups,)):
            if part:
                columns.addWidget(self._table(part), 1)
        hint = QLabel("The walkthrough keys work while a question is shown; while you type in a note or a "
                      "field, Enter, Delete and the digits belong to the text.")
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self._fit_to_contents()

    def _table(self, groups: Sequence[ShortcutGroup]) -> QTreeView:
        model = ShortcutsModel(groups, self)
        view = QTreeView()
        view.setModel(model)
        view.setRootIsDecorated(False)
        view.setItemsExpandable(False)
        view.setUniformRowHeights(True)
        view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        view.expandAll()
        for row in range(model.rowCount()):
            view.setFirstColumnSpanned(row, QModelIndex(), True)
        header = view.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.models.append(model)
        self.views.append(view)
        return view

    def _width_of(self, groups: Sequence[ShortcutGroup]) -> int:
        """About how wide a table of these groups is with no text cut off (indent, padding, frame)."""
        metrics = self.fontMetrics()
        actions = max((metrics.horizontalAdvance(a) for g in groups for a, _k in g.rows), default=0)
        keys = max((metrics.horizontalAdvance(k) for g in groups for _a, k in g.rows), default=0)
        return actions + keys + 90

    def _screen_area(self) -> Any:
        from PySide6.QtCore import QRect
        from PySide6.QtWidgets import QApplication

        screen = self.screen() or QApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)

    def keys_for(self, action: str) -> str | None:
        """The keys shown for an action (None when it is not listed)."""
        return next((keys for model in self.models if (keys := model.keys_for(action)) is not None), None)

    def _fit_to_contents(self) -> None:
        """Open large enough to show every row without scrolling, as far as the screen allows."""
        def rows(model: ShortcutsModel) -> int:
            return model.rowCount() + sum(model.rowCount(model.index(r, 0)) for r in range(model.rowCount()))

        view = self.views[0]
        row_height = view.sizeHintForRow(0) or self.fontMetrics().height() + 8
        height = max(rows(m) for m in self.models) * row_height + view.header().sizeHint().height() + 110
        width = sum(v.sizeHintForColumn(0) + v.sizeHintForColumn(1) + 60 for v in self.views) + 40
        area = self._screen_area()
        self.resize(max(min(width, area.width() - 40), 520), min(height, area.height() - 60))
