"""The roadmap editor: filter, sort and edit the plan; regenerate it from the answers, keeping edits."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFrame, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QSizePolicy, QStackedWidget, QStyledItemDelegate, QTableView, QVBoxLayout,
                               QWidget)

from ui import prompts, theme
from ui.roadmap_model import OPEN, OVERDUE, UNASSIGNED, ItemRole, RoadmapFilterProxy, RoadmapTableModel


class ComboDelegate(QStyledItemDelegate):
    """Edits a cell with a drop-down of (label, value) choices."""

    def __init__(self, choices: Callable[[], list[tuple[str, Any]]], parent: Any = None) -> None:
        super().__init__(parent)
        self._choices = choices

    def createEditor(self, parent: QWidget, option: Any, index: QModelIndex) -> QWidget:
        combo = QComboBox(parent)
        for label, value in self._choices():
            combo.addItem(label, value)
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        position = editor.findData(index.data(Qt.ItemDataRole.EditRole))  # type: ignore[attr-defined]
        editor.setCurrentIndex(max(position, 0))  # type: ignore[attr-defined]

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex) -> None:
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)  # type: ignore[attr-defined]


class DateDelegate(QStyledItemDelegate):
    """Edits a due date: typed (2027-01-15 or 15 Jan 2027) or picked from a calendar; a text that is not a
    date is refused in the editor and never stored."""

    def createEditor(self, parent: QWidget, option: Any, index: QModelIndex) -> QWidget:
        from ui.date_edit import DateEdit
        editor = DateEdit(parent, allow_empty=True)
        editor.setAutoFillBackground(True)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        editor.setDate(value if isinstance(value, QDate) else QDate.currentDate())  # type: ignore[attr-defined]

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex) -> None:
        if not editor.is_valid():  # type: ignore[attr-defined]
            status = getattr(editor.window(), "statusBar", None)
            if status is not None:
                status().showMessage(f"Due date not changed: {editor.error}", 8000)  # type: ignore[attr-defined]
            return
        value = editor.date()  # type: ignore[attr-defined]
        model.setData(index, value if value.isValid() else None, Qt.ItemDataRole.EditRole)


# What each column gets when there is room, in pixels; Action (the title) takes whatever is left.
PREFERRED_WIDTHS = {"phase": 96, "question_id": 62, "owner": 130, "due_date": 100, "status": 96, "effort": 120,
                    "priority": 66, "notes": 130}
# How narrow each column may get on a small screen (its text then ends in "…", whole in the tooltip).
FLOOR_WIDTHS = {"phase": 70, "question_id": 56, "owner": 72, "due_date": 66, "status": 80, "effort": 56,
                "priority": 56, "notes": 56}
ACTION_MIN_WIDTH = 200


class ColumnWidths:
    """Fits a table's columns to its width: the stretch column takes the spare width (never less than
    ACTION_MIN_WIDTH while the others can still give way, down to their header's own width); a column the
    consultant resizes keeps that width, remembered for the next start."""

    def __init__(self, table: QTableView, columns: tuple[str, ...], stretch: str, preferred: dict[str, int],
                 key: str) -> None:
        self.table, self.header = table, table.horizontalHeader()
        self.columns, self.stretch, self.key = columns, stretch, key
        self.preferred = dict(preferred)
        self.preferred.update(self._remembered())
        self._fitting = False
        self.header.sectionResized.connect(self._resized)

    def _remembered(self) -> dict[str, int]:
        import json
        from ui.window_state import qsettings
        try:
            stored = json.loads(str(qsettings().value(self.key) or "{}"))
        except ValueError:
            return {}
        return {name: int(width) for name, width in stored.items()
                if name in self.preferred and isinstance(width, int) and 20 <= width <= 2000}

    def fit(self, available: int) -> None:
        """Give every column its width for a table `available` pixels wide."""
        header = self.header
        hints = {name: header.sectionSizeHint(self.columns.index(name)) for name in self.preferred}
        floors = {name: min(hints[name], FLOOR_WIDTHS.get(name, 60)) for name in self.preferred}
        # with room, no column is narrower than its header; without, they give way down to their floor
        widths = {name: max(width, hints[name]) for name, width in self.preferred.items()}
        excess = sum(widths.values()) + ACTION_MIN_WIDTH - available
        if excess > 0:  # too narrow: the other columns give way in proportion to what they can spare
            room = {name: widths[name] - floors[name] for name in widths}
            total_room = sum(room.values())
            if total_room:
                for name in widths:
                    widths[name] -= round(min(excess, total_room) * room[name] / total_room)
        widths[self.stretch] = max(ACTION_MIN_WIDTH, available - sum(widths.values()))
        self._fitting = True
        try:
            for name, width in widths.items():
                header.resizeSection(self.columns.index(name), width)
        finally:
            self._fitting = False

    def _resized(self, column: int, _old: int, new: int) -> None:
        name = self.columns[column]
        if self._fitting or name == self.stretch:
            return
        import json
        from ui.window_state import qsettings
        self.preferred[name] = new
        qsettings().setValue(self.key, json.dumps(self.preferred))
        self.fit(self.table.viewport().width())


class RoadmapView(QWidget):
    """Edit one assessment's roadmap; every edit is saved through the operations layer."""

    def __init__(self, ops: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.assessment: Any = None
        self.phases: tuple[Any, ...] = ()
        self.actions_per_month = 4
        self.read_only = False
        self.loaded = False
        self.consultant = ""      # who a change of status is recorded as (Settings)
        self._build()
        ops.changed.connect(self._on_changed)

    def _build(self) -> None:
        from vciso.roadmap import STATUSES

        self.model = RoadmapTableModel(self)
        self.model.editRequested.connect(self._save_edit)
        self.proxy = RoadmapFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        bar = QHBoxLayout()
        bar.setContentsMargins(12, 10, 12, 6)
        bar.addWidget(QLabel("Phase:"))
        self.phase_filter = QComboBox()
        self.phase_filter.currentIndexChanged.connect(lambda _i: self.proxy.set_phase(self.phase_filter.currentData()))
        bar.addWidget(self.phase_filter)
        bar.addSpacing(10)
        bar.addWidget(QLabel("Status:"))
        self.status_filter = QComboBox()
        self.status_filter.addItem("All", None)
        self.status_filter.addItem("Open", OPEN)
        self.status_filter.addItem("Overdue", OVERDUE)
        for status in STATUSES:
            self.status_filter.addItem(status, status)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_status(self.status_filter.currentData()))
        bar.addWidget(self.status_filter)
        self.owner_filter = QComboBox()      # on the progress row: the bar must fit a 1024-pixel window
        self.owner_filter.setToolTip("Show the items of one owner (or the unassigned ones)")
        self.owner_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.owner_filter.setMaximumWidth(220)      # a long owner is elided, whole in the drop-down
        self.owner_filter.addItem("All owners", None)
        self.owner_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_owner(self.owner_filter.currentData()))
        bar.addSpacing(12)
        self.count_label = QLabel("")
        self.count_label.setObjectName("muted")
        self.count_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar.addWidget(self.count_label, 1)
        self.regenerate_button = QPushButton("Regenerate")
        self.regenerate_button.setToolTip("Recompute the plan from the current answers; your edits are kept")
        self.regenerate_button.clicked.connect(self.regenerate)
        self.add_button = QPushButton("Add item…")
        self.add_button.clicked.connect(self.add_item)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete one of your own items (generated items can be Deferred instead)")
        self.delete_button.clicked.connect(self.delete_item)
        for button in (self.regenerate_button, self.add_button, self.delete_button):
            bar.addWidget(button)

        self.progress_label = QLabel("")      # the plan's progress: done, in progress, overdue
        self.progress_label.setContentsMargins(12, 0, 12, 4)
        self.progress_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.progress_label.setWordWrap(True)

        self.banner = QFrame()
        self.banner.setObjectName("banner")
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(10, 6, 10, 6)
        self.banner_label = QLabel("Answers changed since this roadmap was generated. Regenerate to bring it up "
                                   "to date — owners, dates, statuses and notes you edited are kept.")
        self.banner_label.setWordWrap(True)
        banner_layout.addWidget(self.banner_label, 1)
        self.banner.hide()

        self.proposal_banner = QFrame()
        self.proposal_banner.setObjectName("banner")
        proposal_layout = QHBoxLayout(self.proposal_banner)
        proposal_layout.setContentsMargins(10, 6, 10, 6)
        self.proposal_label = QLabel("")
        self.proposal_label.setWordWrap(True)
        proposal_layout.addWidget(self.proposal_label, 1)
        self.confirm_button = QPushButton("Confirm done")
        self.confirm_button.setToolTip("Mark every item whose gap these answers closed as Done, recorded with "
                                       "this assessment")
        self.confirm_button.clicked.connect(self.confirm_done)
        proposal_layout.addWidget(self.confirm_button)
        self.proposal_banner.hide()

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.SelectedClicked)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)   # every column can be resized
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.column_widths = ColumnWidths(self.table, RoadmapTableModel.COLUMNS, "title", PREFERRED_WIDTHS,
                                          "roadmap/columnWidths")
        self.table.viewport().installEventFilter(self)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        columns = RoadmapTableModel.COLUMNS
        self.table.setItemDelegateForColumn(columns.index("status"), ComboDelegate(
            lambda: [(s, s) for s in STATUSES], self.table))
        self.table.setItemDelegateForColumn(columns.index("phase"), ComboDelegate(
            lambda: [(name, i) for i, name in enumerate(self.model.phase_names())], self.table))
        self.table.setItemDelegateForColumn(columns.index("due_date"), DateDelegate(self.table))
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

        self.detail = QLabel("")
        self.detail.setWordWrap(True)
        self.detail.setObjectName("muted")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setContentsMargins(12, 4, 12, 8)
        self.detail.setMinimumHeight(40)

        table_page = QWidget()
        table_layout = QVBoxLayout(table_page)
        table_layout.setContentsMargins(12, 0, 12, 0)
        table_layout.addWidget(self.banner)
        table_layout.addWidget(self.proposal_banner)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.detail)

        empty_page = QWidget()
        empty_layout = QVBoxLayout(empty_page)
        empty_layout.addStretch(1)
        self.empty_label = QLabel("No roadmap yet.\nGenerate one from the gaps in the answers: quick wins first, "
                                  "then by priority, spread over the phases set in Settings.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setObjectName("muted")
        self.generate_button = QPushButton("Generate roadmap")
        self.generate_button.setProperty("primary", True)
        self.generate_button.clicked.connect(self.regenerate)
        empty_layout.addWidget(self.empty_label)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.generate_button)
        row.addStretch(1)
        empty_layout.addLayout(row)
        empty_layout.addStretch(2)

        self.pages = QStackedWidget()
        self.pages.addWidget(table_page)
        self.pages.addWidget(empty_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        progress_row = QHBoxLayout()
        progress_row.setContentsMargins(0, 0, 12, 0)
        progress_row.addWidget(self.progress_label, 1)
        progress_row.addWidget(self.owner_filter)
        layout.addLayout(progress_row)
        layout.addWidget(self.pages, 1)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        from PySide6.QtCore import QEvent
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.column_widths.fit(event.size().width())
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ content

    def set_assessment(self, assessment: Any, phases: tuple[Any, ...], read_only: bool = False,
                       actions_per_month: int = 4) -> None:
        """Switch to an assessment; its items load the next time the view is shown (see `ensure_loaded`)."""
        self.assessment = assessment
        self.phases = phases
        self.actions_per_month = actions_per_month
        self.read_only = read_only
        self.loaded = False
        self.model.read_only = read_only
        self.model.set_phases([p.name for p in phases])
        self.model.set_items([])
        self.phase_filter.blockSignals(True)
        self.phase_filter.clear()
        self.phase_filter.addItem("All", None)
        for phase in phases:
            self.phase_filter.addItem(phase.name, phase.index)
        self.phase_filter.blockSignals(False)
        self.proxy.set_phase(None)
        for button in (self.regenerate_button, self.add_button, self.delete_button, self.generate_button):
            button.setEnabled(not read_only)
        self.banner.hide()
        self._update_state()

    def ensure_loaded(self) -> None:
        if self.assessment is not None and not self.loaded:
            self.reload()

    def reload(self) -> None:
        from ui.operations import roadmap

        roadmap.load_items(self.ops, self.assessment.id, self._loaded, self._error)

    def _loaded(self, items: list[Any]) -> None:
        self.loaded = True
        self.model.set_items(items)
        self._update_state()

    def _on_changed(self, changes: Any, initiator: Any) -> None:
        """Answers changed: the plan may be out of date (only say so when there is a plan). The roadmap
        changed elsewhere (an import, another view, another process): read it again."""
        if self.assessment is None or not changes.touches(self.assessment.id):
            return
        if changes.answers_changed and self.model.rowCount() and not self.read_only:
            self.banner.show()
        if changes.roadmap and initiator is not self:
            if self.isVisible():
                self.reload()
            else:
                self.loaded = False

    def _update_state(self) -> None:
        count = self.model.rowCount()
        self.pages.setCurrentIndex(0 if count or not self.loaded else 1)
        import datetime as dt

        from vciso.plan import plan_progress, progress_sentence
        progress = plan_progress(self.model.items(), dt.date.today())
        self.count_label.setText(f"{count} items" if count else "")
        self.progress_label.setText(f"Plan progress: {progress_sentence(progress)}" if count else "")
        self.progress_label.setVisible(bool(count))
        self.progress_label.setStyleSheet(f"color: {theme.BAD};" if progress.overdue else "")
        self.progress = progress
        self._fill_owner_filter()
        proposed = [item for item in self.model.items() if getattr(item, "proposed_in", None) is not None]
        if proposed and not self.read_only:
            names = ", ".join(item.question_id or item.title for item in proposed[:6])
            more = f" and {len(proposed) - 6} more" if len(proposed) > 6 else ""
            self.proposal_label.setText(
                f"The answers of this assessment close the gap of {len(proposed)} open "
                f"item{'s' if len(proposed) != 1 else ''} ({names}{more}). Confirm to mark "
                f"{'them' if len(proposed) != 1 else 'it'} done; a gap that reopens later reopens the item.")
        self.proposal_banner.setVisible(bool(proposed) and not self.read_only)
        self.count_label.setToolTip(self.count_label.text())
        self.delete_button.setEnabled(not self.read_only and self._selected() is not None
                                      and self._selected().origin == "manual")

    def _fill_owner_filter(self) -> None:
        """The owners of the plan's items (and Unassigned), keeping the choice made."""
        chosen = self.owner_filter.currentData()
        owners = sorted({item.owner.strip() for item in self.model.items() if item.owner.strip()}, key=str.casefold)
        choices = [("All owners", None), *((owner, owner) for owner in owners)]
        if any(not item.owner.strip() for item in self.model.items()):
            choices.append(("Unassigned", UNASSIGNED))
        if [(self.owner_filter.itemText(i), self.owner_filter.itemData(i))
                for i in range(self.owner_filter.count())] == choices:
            return
        self.owner_filter.blockSignals(True)
        self.owner_filter.clear()
        for label, value in choices:
            self.owner_filter.addItem(label, value)
        position = self.owner_filter.findData(chosen) if chosen is not None else 0
        self.owner_filter.setCurrentIndex(max(position, 0))
        self.owner_filter.blockSignals(False)
        self.proxy.set_owner(self.owner_filter.currentData())

    def _selected(self) -> Any:
        index = self.table.selectionModel().currentIndex()
        return self.proxy.data(index, ItemRole) if index.isValid() else None

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.proxy.data(current, ItemRole) if current.isValid() else None
        if item is None:
            self.detail.setText("")
        else:
            where = f"{item.question_id} · " if item.question_id else "Own item · "
            self.detail.setText(f"{where}{item.recommendation or item.title}")
        self._update_state()

    # ------------------------------------------------------------------ edits

    def _save_edit(self, item_id: int, changes: dict) -> None:
        from ui.operations import roadmap

        def failed(message: str) -> None:
            self._error(message)
            self.reload()

        item = next((i for i in self.model.items() if i.id == item_id), None)
        label = (item.question_id or f"“{item.title}”") if item is not None else ""
        roadmap.update_item(self.ops, self.assessment.id, item_id, changes, self._saved, failed, self, label,
                            self.consultant)

    def _saved(self, item: Any) -> None:
        self.model.replace_item(item)
        self._update_state()

    def regenerate(self) -> None:
        from ui.operations import roadmap

        if self.assessment is None or self.read_only:
            return

        def done(result: Any) -> None:
            changes, items = result
            self.banner.hide()
            self._loaded(items)
            status = getattr(self.window(), "statusBar", None)
            if status is not None:
                status().showMessage(f"Roadmap regenerated: {len(changes.added)} added, {len(changes.updated)} "
                                     f"updated, {len(changes.removed)} removed, {len(changes.proposed)} proposed "
                                     f"done, {len(changes.reopened)} reopened", 6000)

        roadmap.regenerate(self.ops, self.assessment.id, self.phases, done, self._error, self, self.actions_per_month)

    def confirm_done(self) -> None:
        """Close every item proposed as done (one undoable step)."""
        from ui.operations import roadmap

        if self.assessment is None or self.read_only:
            return
        roadmap.confirm_done(self.ops, self.assessment.id, self.consultant, self._loaded, self._error, self)

    def add_item(self) -> None:
        from ui.operations import roadmap

        if self.assessment is None or self.read_only:
            return
        title = prompts.get_text(self, "Add roadmap item", "What needs to be done?")
        if not title or not title.strip():
            return
        assessment_id = self.assessment.id
        phase = self.phase_filter.currentData() or 0

        def done(item: Any) -> None:
            self.loaded = True
            self.model.add_item(item)
            self._update_state()
            index = self.proxy.mapFromSource(self.model.index(self.model.rowCount() - 1, 2))
            if index.isValid():
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)

        roadmap.add_item(self.ops, assessment_id, title.strip(), {"phase": phase}, done, self._error, self)

    def delete_item(self) -> None:
        from ui.operations import roadmap

        item = self._selected()
        if item is None or self.read_only:
            return
        if item.origin != "manual":
            prompts.inform(self, "Delete roadmap item", "Items generated from the answers come back when the "
                           "roadmap is regenerated. Set their status to Deferred instead.")
            return
        if not prompts.confirm(self, "Delete roadmap item", f"Delete “{item.title}”?", "Delete", destructive=True):
            return

        def done(_result: Any) -> None:
            self.model.remove_item(item.id)
            self._update_state()

        roadmap.delete_item(self.ops, self.assessment.id, item.id, done, self._error, self, f"“{item.title}”")

    def _error(self, message: str) -> None:
        prompts.error(self, "Roadmap", message)
