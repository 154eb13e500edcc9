"""The Library dialog's Mappings tab: the crosswalks the library holds (bundled and imported), and importing one.

Importing reads and checks the file first (a plan: its format, id, pairs and any problem) and writes only
when the plan is sound and the consultant confirms; every read and write runs off the UI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView,
                               QVBoxLayout, QWidget)

from ui import prompts

Index = QModelIndex | QPersistentModelIndex


class MappingsModel(QAbstractTableModel):
    """One row per mapping: its id, from, to, how many pairs, and where it comes from."""

    HEADERS = ("Mapping", "From", "To", "Pairs", "Kept in")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []   # MappingEntryFile

    def set_library(self, library: Any) -> None:
        self.beginResetModel()
        self._rows = list(library.files)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        entry = self._rows[index.row()]
        mapping = entry.mapping
        if role == Qt.ItemDataRole.DisplayRole:
            return (mapping.id, mapping.source_title or mapping.source_id, mapping.target_title or mapping.target_id,
                    str(mapping.pair_count), "bundled" if entry.bundled else entry.path.name)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(x for x in (mapping.title, mapping.provenance, mapping.licence) if x) or None
        return None


class MappingsPanel(QWidget):
    """The mappings of the library, with Import."""

    def __init__(self, ops: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.model = MappingsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        self.import_button = QPushButton("Import mapping…")
        self.import_button.setToolTip("An OSCAL mapping collection, a NIST OLIR workbook, a CISO Assistant "
                                      "mapping library or our own mapping file")
        self.import_button.clicked.connect(self.choose_and_import)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.reload()

    def reload(self, done_message: str = "") -> None:
        """List the mappings again in the background; `done_message` (what was just done) is shown first
        when the list arrives, so the listing never hides it."""
        def load() -> Any:
            from vciso.crosswalk import load_mappings
            from vciso.paths import user_library_dir

            return load_mappings(user_library_dir())

        self.ops.run_task(load, lambda library: self._loaded(library, done_message),
                          lambda message: self.status.setText(message))

    def _loaded(self, library: Any, done_message: str = "") -> None:
        self.model.set_library(library)
        problems = [f"{p.path.name}: {'; '.join(p.problems)}" for p in library.problems]
        text = f"{len(library.files)} mapping{'s' if len(library.files) != 1 else ''}"
        if problems:
            text += " · not loaded: " + " · ".join(problems)
        self.status.setText(f"{done_message} · {text}" if done_message else text)

    def choose_and_import(self) -> None:
        chosen = prompts.open_file(self, "Import a mapping", str(Path.home()),
                                   "Mappings (*.yaml *.yml *.json *.xlsx);;All files (*)")
        if chosen:
            self.import_file(Path(chosen))

    def import_file(self, path: Path) -> None:
        def plan() -> Any:
            from vciso.crosswalk.store import plan_mapping_import
            from vciso.paths import user_library_dir

            return plan_mapping_import(path, user_library_dir())

        self.status.setText(f"Reading {path.name}…")
        self.ops.run_task(plan, self._planned, lambda message: self._failed(path, message))

    def _planned(self, plan: Any) -> None:
        mapping = plan.mapping
        if not plan.ok:
            self._failed(plan.source_path, "; ".join(plan.problems))
            return
        text = (f"Read {plan.source_path.name} as {plan.format_name}: “{mapping.title or mapping.id}”, "
                f"{mapping.pair_count} pairs from {mapping.source_id} to {mapping.target_id}.")
        notes = "\n".join(plan.notes)
        if not prompts.confirm(self, "Import mapping", text + (f"\n\n{notes}" if notes else ""), "Import"):
            self.status.setText("Nothing was imported")
            return

        def apply() -> Path:
            from vciso.crosswalk.store import apply_mapping_import

            return apply_mapping_import(plan)

        self.ops.run_task(apply, lambda where: self._imported(mapping, where),
                          lambda message: self._failed(plan.source_path, message))

    def _imported(self, mapping: Any, where: Path) -> None:
        message = f"Imported “{mapping.title or mapping.id}” ({mapping.pair_count} pairs) into {where}"
        self.status.setText(message)
        self.reload(message)

    def _failed(self, path: Path, message: str) -> None:
        self.status.setText(f"{Path(path).name} was not imported: {message}")
        prompts.error(self, "Import mapping", message)
