"""Evidence files in the question panel: the list of files attached to the shown answer, "Attach
evidence…", "Save a copy…" and "Remove", and files dropped anywhere on the panel.

`EvidenceBox` is the view (it only emits what the consultant asked for); `EvidenceController` asks the
operations layer to act and refreshes the list from the one `changed` signal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListView, QPushButton, QVBoxLayout, QWidget

from ui import prompts

_Index = QModelIndex | QPersistentModelIndex


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB" if size >= 1024 else f"{size} bytes"


class EvidenceListModel(QAbstractListModel):
    """The files attached to one answer (a list of `vciso.evidence.EvidenceFile`)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[Any] = []

    def set_items(self, items: list[Any]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{item.name}  ·  {size_text(item.size)}  ·  {item.added_at[:10]}"
        if role == Qt.ItemDataRole.ToolTipRole:
            who = f" by {item.added_by}" if item.added_by else ""
            return f"{item.name}\n{item.media_type}, {item.size:,} bytes\nAdded {item.added_at[:16].replace('T', ' ')}" \
                   f"{who}\nSHA-256 {item.sha256}"
        if role == Qt.ItemDataRole.UserRole:
            return item
        return None


class EvidenceBox(QWidget):
    """The evidence files of the shown answer. Files dropped on `drop_target` (the whole question panel)
    are offered for attaching too."""

    attachRequested = Signal(list)        # [Path]
    removeRequested = Signal(object)      # EvidenceFile
    saveRequested = Signal(object)        # EvidenceFile

    def __init__(self, drop_target: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.read_only = True
        self.model = EvidenceListModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        self.caption = QLabel("Evidence files")
        self.caption.setObjectName("sectionLabel")
        layout.addWidget(self.caption)
        buttons = QHBoxLayout()  # under the caption: the panel stays narrow enough for a small screen
        self.attach_button = QPushButton("Attach evidence…")
        self.attach_button.setToolTip("Attach documents, screenshots or exports to this answer; they are stored "
                                      "inside the client file. You can also drop files on this panel.")
        self.save_button = QPushButton("Save…")
        self.save_button.setToolTip("Save a copy of the selected file outside the client file")
        self.remove_button = QPushButton("Remove")
        for button in (self.attach_button, self.save_button, self.remove_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        self.list.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.list)
        self.hint = QLabel("No files attached. Drop files here or use Attach evidence…")
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        self.attach_button.clicked.connect(self._choose_files)
        self.save_button.clicked.connect(lambda: self._emit_selected(self.saveRequested))
        self.remove_button.clicked.connect(lambda: self._emit_selected(self.removeRequested))
        self.drop_target = drop_target
        if drop_target is not None:
            drop_target.setAcceptDrops(True)
            drop_target.installEventFilter(self)
        self.show_files([], read_only=True)

    # ------------------------------------------------------------------ showing

    def show_files(self, items: list[Any], read_only: bool) -> None:
        self.read_only = read_only
        self.model.set_items(items)
        self.list.setVisible(bool(items))
        rows = max(1, min(len(items), 4))  # as tall as its files, up to four; then it scrolls
        self.list.setFixedHeight(rows * max(self.list.sizeHintForRow(0), self.list.fontMetrics().height() + 4)
                                 + 2 * self.list.frameWidth() + 4)
        self.hint.setVisible(not items)
        self.hint.setText("No files attached." if read_only else
                          "No files attached. Drop files here or use Attach evidence…")
        self.caption.setText(f"Evidence files ({len(items)})" if items else "Evidence files")
        self._update_buttons()

    def selected(self) -> Any:
        index = self.list.currentIndex()
        return self.model.data(index, Qt.ItemDataRole.UserRole) if index.isValid() else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.attach_button.setEnabled(not self.read_only)
        self.remove_button.setEnabled(chosen and not self.read_only)
        self.save_button.setEnabled(chosen)

    # ------------------------------------------------------------------ intents

    def _choose_files(self) -> None:
        paths = prompts.open_files(self, "Attach evidence", str(Path.home()), "All files (*)")
        if paths:
            self.attachRequested.emit([Path(p) for p in paths])

    def _emit_selected(self, signal: Any) -> None:
        item = self.selected()
        if item is not None:
            signal.emit(item)

    @staticmethod
    def dropped_files(mime: Any) -> list[Path]:
        """The local files (not folders) a drag carries."""
        if mime is None or not mime.hasUrls():
            return []
        paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        return [path for path in paths if path.is_file()]

    def eventFilter(self, watched: Any, event: Any) -> bool:
        kind = event.type()
        if watched is self.drop_target and kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            files = [] if self.read_only else self.dropped_files(event.mimeData())
            if not files:
                event.ignore()
                return False
            event.acceptProposedAction()
            if kind == QEvent.Type.Drop:
                self.attachRequested.emit(files)
            return True
        return super().eventFilter(watched, event)


class EvidenceController(QObject):
    """Keeps an EvidenceBox showing the files of the shown answer and carries out what it asks."""

    def __init__(self, ops: Any, box: EvidenceBox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.box = box
        self.assessment_id: int | None = None
        self.question_id: str | None = None
        self.read_only = True
        self._window = parent
        box.attachRequested.connect(self.attach)
        box.removeRequested.connect(self.remove)
        box.saveRequested.connect(self.save_copy)
        ops.changed.connect(self._on_changed)

    def show(self, assessment_id: int | None, question_id: str | None, read_only: bool) -> None:
        """Show the files of an answer (None: nothing shown)."""
        self.assessment_id, self.question_id, self.read_only = assessment_id, question_id, read_only
        self.box.show_files([], read_only=True)
        self.reload()

    def reload(self) -> None:
        from ui.operations import evidence

        if self.assessment_id is None or self.question_id is None:
            return
        wanted = (self.assessment_id, self.question_id)
        evidence.load_evidence(self.ops, *wanted, lambda items: self._loaded(wanted, items),
                               lambda message: self._loaded(wanted, []))

    def _loaded(self, wanted: tuple[int, str], items: list[Any]) -> None:
        if wanted == (self.assessment_id, self.question_id):
            self.box.show_files(items, self.read_only)

    def _on_changed(self, changes: Any, _initiator: Any) -> None:
        if self.assessment_id is not None and changes.evidence and changes.touches(self.assessment_id):
            self.reload()

    def attach(self, paths: list[Path]) -> None:
        from ui.operations import evidence

        if self.assessment_id is None or self.question_id is None or self.read_only or not paths:
            return
        question_id = self.question_id

        def done(result: tuple[list[Any], list[str]]) -> None:
            added, already = result
            if already and not added:
                prompts.inform(self._window, "Attach evidence",
                               f"{', '.join(already)} {'is' if len(already) == 1 else 'are'} already attached to "
                               f"{question_id}.")

        evidence.attach_evidence(self.ops, self.assessment_id, question_id, list(paths), done,
                                 lambda message: prompts.error(self._window, "Attach evidence",
                                                               f"Nothing was attached: {message}"), self)

    def remove(self, item: Any) -> None:
        from ui.operations import evidence

        if self.read_only:
            return
        if not prompts.confirm(self._window, "Remove evidence",
                               f"Remove “{item.name}” from {item.question_id}?\n\nThe removal is recorded in the "
                               "evidence history.", "Remove", destructive=True):
            return
        evidence.remove_evidence(self.ops, item.id, None,
                                 lambda message: prompts.error(self._window, "Remove evidence", message), self)

    def save_copy(self, item: Any) -> None:
        from ui.operations import evidence

        target = prompts.save_file(self._window, "Save a copy of the evidence file", str(Path.home() / item.name),
                                   "All files (*)")
        if not target:
            return
        evidence.save_evidence_copy(self.ops, item, Path(target), None,
                                    lambda message: prompts.error(self._window, "Save a copy", message))
