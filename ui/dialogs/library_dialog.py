"""The questionnaire library: what is there, what could not be loaded, and importing a new file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView,
                               QLabel, QListWidget, QListWidgetItem, QPushButton, QTableView, QVBoxLayout, QWidget)

from ui import prompts
from ui.models import LibraryTableModel, SortRole

SCALE_NAMES = {"maturity-0-5": "Maturity 0–5 (Not performed … Optimised)",
               "implementation-4": "Implementation status (Not … Fully implemented)",
               "yes-no": "Yes / No"}
IMPORT_FILTER = "Questionnaires (*.yaml *.yml *.json *.xlsx);;All files (*)"


class LibraryDialog(QDialog):
    """Lists the library (bundled and imported questionnaires) and imports files into it."""

    def __init__(self, ops: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._note = ""
        self.setWindowTitle("Questionnaire library")
        self.resize(900, 560)
        self.model = LibraryTableModel(self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(SortRole)
        self.table = QTableView()
        self.table.setModel(proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.model.columnCount() - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.model.columnCount() - 1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(self.model.columnCount() - 1, 220)
        header.setStretchLastSection(False)
        self.table.setWordWrap(False)

        import_row = QHBoxLayout()
        import_row.addWidget(QLabel("Answer scale for OSCAL catalogs and templates without one:"))
        self.scale_combo = QComboBox()
        for key, label in SCALE_NAMES.items():
            self.scale_combo.addItem(label, key)
        import_row.addWidget(self.scale_combo)
        import_row.addStretch(1)
        self.import_button = QPushButton("Import file…")
        self.import_button.setProperty("primary", True)
        self.import_button.clicked.connect(self.choose_and_import)
        self.folder_button = QPushButton("Open library folder")
        self.folder_button.clicked.connect(self._open_folder)
        import_row.addWidget(self.folder_button)
        import_row.addWidget(self.import_button)

        self.status = QLabel("Loading the library…")
        self.status.setWordWrap(True)
        self.problems_label = QLabel("")
        self.problems_label.setObjectName("heading")
        self.problems = QListWidget()
        self.problems.setWordWrap(True)
        self.problems.setMaximumHeight(160)
        self.problems.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.problems_label.hide()
        self.problems.hide()
        hint = QLabel("Import our YAML format, an OSCAL catalog in JSON (e.g. NIST SP 800-53), or the Excel "
                      "authoring template (vciso questionnaire template). Each file is checked before it is added.")
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems)
        layout.addWidget(hint)
        layout.addLayout(import_row)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.ops.library(self._show_library, self._load_failed)

    def _load_failed(self, message: str) -> None:
        self.status.setText(f"The library could not be loaded: {message}")

    def _show_library(self, library: Any) -> None:
        self.model.set_entries(library.entries)
        count = len(library.entries)
        self.status.setText(f"{self._note}{count} questionnaire{'s' if count != 1 else ''} in the library.")
        self._note = ""
        if library.problems:
            self.show_problems(f"{len(library.problems)} file(s) in the library folder could not be loaded "
                               "(the rest of the library works):",
                               [f"{p.path.name}: {problem}" for p in library.problems for problem in p.problems])
        else:
            self.problems_label.hide()
            self.problems.hide()

    def show_problems(self, heading: str, problems: list[str]) -> None:
        self.problems_label.setText(heading)
        self.problems.clear()
        for problem in problems:
            item = QListWidgetItem(f"• {problem}")
            item.setToolTip(problem)
            self.problems.addItem(item)
        self.problems_label.show()
        self.problems.show()

    def _open_folder(self) -> None:
        from vciso.paths import user_library_dir

        folder = user_library_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def choose_and_import(self) -> None:
        path = prompts.open_file(self, "Import a questionnaire", str(Path.home()), IMPORT_FILTER)
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Validate and add a file to the library in the background; problems are listed here."""
        scale = self.scale_combo.currentData()
        self.import_button.setEnabled(False)
        self.status.setText(f"Importing {path.name}…")

        def work() -> Any:
            from vciso.errors import QuestionnaireError
            from vciso.paths import user_library_dir
            try:
                from vciso.importers import import_questionnaire
            except ImportError as exc:
                raise QuestionnaireError(str(path), [f"importing is not available in this build ({exc})"]) from None
            try:
                return import_questionnaire(path, user_library_dir(), scale)
            except QuestionnaireError as exc:
                return exc

        self.ops.run_task(work, lambda result: self._imported(path, result), self._import_failed)

    def _imported(self, path: Path, result: Any) -> None:
        from vciso.errors import QuestionnaireError

        self.import_button.setEnabled(True)
        if isinstance(result, QuestionnaireError):
            self.status.setText(f"{path.name} was not imported; the library is unchanged.")
            self.show_problems(f"{len(result.problems)} problem(s) in {path.name}:", result.problems)
            return
        self.problems_label.hide()
        self.problems.hide()
        self._note = f"Imported “{result.title}” {result.version} ({result.question_count} questions). "
        self.ops.invalidate_library()
        self.reload()

    def _import_failed(self, message: str) -> None:
        self.import_button.setEnabled(True)
        self.status.setText("The file was not imported; the library is unchanged.")
        self.show_problems("Problem:", [message])
