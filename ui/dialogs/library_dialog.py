"""The questionnaire library: what is there, what could not be loaded, a preview of the selected
questionnaire, importing a new file, removing an imported one, and the Excel authoring template."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import (QAbstractItemModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt,
                            QUrl)
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView,
                               QLabel, QListWidget, QListWidgetItem, QPushButton, QSplitter, QTableView, QTreeView,
                               QVBoxLayout, QWidget)

from ui import prompts
from ui.models import LibraryTableModel, ObjectRole, SortRole

Index = QModelIndex | QPersistentModelIndex

SCALE_NAMES = {"maturity-0-5": "Maturity 0–5 (Not performed … Optimised)",
               "implementation-4": "Implementation status (Not … Fully implemented)",
               "yes-no": "Yes / No"}
IMPORT_FILTER = "Questionnaires (*.yaml *.yml *.json *.xlsx);;All files (*)"
TEMPLATE_FILTER = "Excel workbook (*.xlsx)"


@dataclass
class OutlineNode:
    """A section or question of the previewed questionnaire; `parent` and `children` are node numbers."""

    id: str
    title: str
    tooltip: str
    parent: int
    row: int
    is_section: bool
    children: list[int] = field(default_factory=list)


class QuestionnaireOutlineModel(QAbstractItemModel):
    """A questionnaire's sections (parents, nested as in the file) and questions: id and title."""

    HEADERS = ("ID", "Question")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._nodes: list[OutlineNode] = []
        self._top: list[int] = []
        self.questionnaire: Any = None

    def set_questionnaire(self, questionnaire: Any) -> None:
        """Show this questionnaire (None: nothing)."""
        self.beginResetModel()
        self.questionnaire = questionnaire
        self._nodes, self._top = [], []
        if questionnaire is not None:
            for row, section in enumerate(questionnaire.sections):
                self._top.append(self._add_section(section, -1, row))
        self.endResetModel()

    def _add_section(self, section: Any, parent: int, row: int) -> int:
        number = len(self._nodes)
        node = OutlineNode(section.id, section.title, section.description or section.title, parent, row, True)
        self._nodes.append(node)
        for child in section.sections:
            node.children.append(self._add_section(child, number, len(node.children)))
        for question in section.questions:
            text = question.text
            tooltip = f"{question.id}: {text}" + (f"\n\n{question.guidance}" if question.guidance else "")
            node.children.append(len(self._nodes))
            self._nodes.append(OutlineNode(question.id, question.title or text, tooltip, number,
                                           len(node.children) - 1, False))
        return number

    @property
    def section_count(self) -> int:
        return sum(1 for node in self._nodes if node.is_section)

    @property
    def question_count(self) -> int:
        return sum(1 for node in self._nodes if not node.is_section)

    def node(self, index: Index) -> OutlineNode | None:
        return self._nodes[index.internalId()] if index.isValid() else None

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        children = self._nodes[parent.internalId()].children if parent.isValid() else self._top
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        up = self._nodes[index.internalId()].parent
        if up < 0:
            return QModelIndex()
        return self.createIndex(self._nodes[up].row, 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._top)
        if parent.column() != 0:
            return 0
        return len(self._nodes[parent.internalId()].children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return node.id if index.column() == 0 else node.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return node.tooltip
        if role == Qt.ItemDataRole.FontRole and node.is_section:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None


class LibraryDialog(QDialog):
    """Lists the library (bundled and imported questionnaires), previews the selected one, imports files
    into it and removes imported ones."""

    def __init__(self, ops: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self._note = ""
        self._select_id: str | None = None   # the questionnaire to select once the library is (re)loaded
        self.setWindowTitle("Questionnaire library")
        screen = (parent.screen() if parent is not None else None) or self.screen()
        area = screen.availableGeometry() if screen is not None else None
        self.resize(min(960, area.width() - 40) if area else 960, min(700, area.height() - 60) if area else 700)
        self.model = LibraryTableModel(self)
        self.proxy = proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(SortRole)
        self.table = QTableView()
        self.table.setModel(proxy)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # titles and ids are read whole; the long licence texts take what is left (elided on a small screen)
        for column in range(self.model.columnCount() - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)
        self.table.selectionModel().currentRowChanged.connect(self._show_selected)

        self.outline = QuestionnaireOutlineModel(self)
        self.preview = QTreeView()
        self.preview.setModel(self.outline)
        self.preview.setUniformRowHeights(True)
        self.preview.setAlternatingRowColors(True)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.preview.header().setStretchLastSection(True)
        self.preview_title = QLabel("Select a questionnaire to see its sections and questions.")
        self.preview_title.setObjectName("heading")
        self.preview_title.setWordWrap(True)
        self.remove_button = QPushButton("Remove…")
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self.remove_selected)
        preview_row = QHBoxLayout()
        preview_row.addWidget(self.preview_title, 1)
        preview_row.addWidget(self.remove_button)
        preview_box = QWidget()
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.setContentsMargins(0, 4, 0, 0)
        preview_layout.addLayout(preview_row)
        preview_layout.addWidget(self.preview, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(preview_box)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([200, 320])

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
        self.template_button = QPushButton("Save authoring template…")
        self.template_button.setToolTip("A blank Excel workbook to write your own questionnaire in, with an "
                                        "example row and a note on every column; import it here when filled in")
        self.template_button.clicked.connect(self.save_template)
        # two rows: one row of the scale and every button would make the dialog wider than a laptop screen
        button_row = QHBoxLayout()
        button_row.addWidget(self.template_button)
        button_row.addWidget(self.folder_button)
        button_row.addStretch(1)
        button_row.addWidget(self.import_button)

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
        hint = QLabel("Import our YAML format, an OSCAL catalog in JSON (e.g. NIST SP 800-53), or a filled-in "
                      "Excel authoring template (Save authoring template… gives you a blank one). Each file is "
                      "checked before it is added.")
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        button_row.addWidget(buttons)
        from PySide6.QtWidgets import QTabWidget

        from ui.dialogs.mappings_panel import MappingsPanel

        self.mappings = MappingsPanel(ops)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.splitter, "Questionnaires")
        self.tabs.addTab(self.mappings, "Mappings")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems)
        layout.addWidget(hint)
        layout.addLayout(import_row)
        layout.addLayout(button_row)
        self.reload()

    def reload(self) -> None:
        self.ops.library(self._show_library, self._load_failed)

    def _load_failed(self, message: str) -> None:
        self.status.setText(f"The library could not be loaded: {message}")

    def _show_library(self, library: Any) -> None:
        previous = self.current_entry()
        self.model.set_entries(library.entries)
        self._select(self._select_id or (previous.questionnaire.id if previous is not None else None))
        self._select_id = None
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

    # ------------------------------------------------------------------ selection and preview

    def current_entry(self) -> Any:
        """The selected `LibraryEntry`, or None."""
        index = self.table.currentIndex()
        return index.data(ObjectRole) if index.isValid() else None

    def _select(self, questionnaire_id: str | None) -> None:
        """Select a questionnaire (an imported one before a bundled one of the same id), else the first row."""
        rows = [r for r in range(self.proxy.rowCount())
                if self.proxy.index(r, 0).data(ObjectRole).questionnaire.id == questionnaire_id]
        rows.sort(key=lambda r: self.proxy.index(r, 0).data(ObjectRole).bundled)
        row = rows[0] if rows else 0
        if self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(row, 0))
            self.table.selectRow(row)
        else:
            self._show_selected()

    def _show_selected(self, *_args: Any) -> None:
        entry = self.current_entry()
        self.outline.set_questionnaire(entry.questionnaire if entry is not None else None)
        if entry is None:
            self.preview_title.setText("Select a questionnaire to see its sections and questions.")
            self.remove_button.setEnabled(False)
            return
        q = entry.questionnaire
        sections, questions = self.outline.section_count, self.outline.question_count
        self.preview_title.setText(f"{q.title} {q.version} — {sections} section{'s' if sections != 1 else ''}, "
                                   f"{questions} question{'s' if questions != 1 else ''}")
        self.preview.expandAll()
        self.remove_button.setEnabled(not entry.bundled)
        self.remove_button.setToolTip("Bundled questionnaires come with the app and cannot be removed"
                                      if entry.bundled else f"Move {entry.path.name} out of the library")

    # ------------------------------------------------------------------ remove, template

    def remove_selected(self) -> None:
        """Ask, then move the selected imported questionnaire's file to the library's trash folder."""
        from vciso.library import TRASH_DIR
        from vciso.paths import user_library_dir

        from ui.operations import library as library_ops

        entry = self.current_entry()
        if entry is None or entry.bundled:
            return
        q = entry.questionnaire
        folder = user_library_dir()
        if not prompts.confirm(
                self, "Remove questionnaire",
                f"Remove “{q.title}” {q.version} from the library?\n\nIts file {entry.path.name} is moved to\n"
                f"{folder / TRASH_DIR}\nTo bring it back, move the file back into\n{folder}\n\nAssessments "
                "already started with it keep their own copy and still open.", "Remove", destructive=True):
            return
        self.remove_button.setEnabled(False)
        self.status.setText(f"Removing “{q.title}”…")
        library_ops.remove_questionnaire(self.ops, q.id, lambda moved: self._removed(q, moved),
                                         self._remove_failed)

    def _removed(self, questionnaire: Any, moved: tuple[Path, ...]) -> None:
        where = moved[0].parent if moved else ""
        self._note = f"Removed “{questionnaire.title}” (its file is in {where}). "
        self.reload()

    def _remove_failed(self, message: str) -> None:
        self.status.setText("The questionnaire was not removed; the library is unchanged.")
        self.show_problems("Problem:", [message])
        self._show_selected()

    def save_template(self) -> None:
        """Write the blank Excel authoring template where the consultant chooses, in the background."""
        from ui.operations import library as library_ops

        chosen = prompts.save_file(self, "Save the questionnaire authoring template",
                                   str(Path.home() / "questionnaire-template.xlsx"), TEMPLATE_FILTER)
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        self.template_button.setEnabled(False)
        self.status.setText(f"Writing {path.name}…")
        library_ops.save_template(self.ops, path, self._template_saved, self._template_failed)

    def _template_saved(self, path: Path) -> None:
        self.template_button.setEnabled(True)
        self.status.setText(f"Saved the authoring template as {path}.")
        choice = prompts.export_finished(self, "Authoring template saved",
                                         f"The questionnaire authoring template was saved as\n{path}",
                                         "Fill in one row per question, then bring it in here with Import file…")
        if choice == "open":
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        elif choice == "folder":
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

    def _template_failed(self, message: str) -> None:
        self.template_button.setEnabled(True)
        self.status.setText("The authoring template was not saved.")
        self.show_problems("Problem:", [message])

    # ------------------------------------------------------------------ import

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
        """Read and check a file in the background, show what would be imported (Import / Cancel), then add
        it to the library; problems are listed here."""
        from ui.operations import library_import

        self.import_button.setEnabled(False)
        self.status.setText(f"Reading {path.name}…")
        scale = self.scale_combo.currentData()
        library_import.preview_import(self.ops, path, scale, "auto",
                                      lambda result: self._previewed(path, scale, result), self._import_failed)

    def _previewed(self, path: Path, scale: str, result: Any) -> None:
        """Show the preview of a readable file; Import writes it, Cancel leaves the library as it was."""
        from vciso.errors import QuestionnaireError

        from ui.dialogs.import_preview_dialog import ImportPreviewDialog
        from ui.operations import library_import

        if isinstance(result, QuestionnaireError):
            self._imported(path, result)
            return
        dialog = ImportPreviewDialog(self.ops, path, scale, result, self)
        if not prompts.run_dialog(dialog) or not dialog.plan.ok:
            self.import_button.setEnabled(True)
            self.status.setText(f"{path.name} was not imported (cancelled); the library is unchanged.")
            return
        self.status.setText(f"Importing {path.name}…")
        library_import.apply_import(self.ops, dialog.plan, lambda done: self._imported(path, done),
                                    self._import_failed)

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
        self._select_id = result.id
        self.reload()

    def _import_failed(self, message: str) -> None:
        self.import_button.setEnabled(True)
        self.status.setText("The file was not imported; the library is unchanged.")
        self.show_problems("Problem:", [message])
