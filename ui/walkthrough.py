"""The walkthrough view: the section tree on the left, the question panel on the right, and the keyboard.

Every change the panel asks for is sent to the operations layer at once; the tree and the panel show
the answer as the worker reports it saved, and the save state ("Saved 10:42:13") is always visible.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QButtonGroup, QComboBox, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QSizePolicy, QSplitter, QTreeView, QVBoxLayout,
                               QWidget)

from ui.question_panel import QuestionPanel
from ui.walkthrough_model import (UNANSWERED, QuestionFilterProxy, QuestionIdRole, QuestionTreeModel,
                                  response_state)


class WalkthroughView(QWidget):
    """Walk an assessment question by question."""

    activateRequested = Signal()        # a walkthrough action was used from another view

    def __init__(self, ops: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.assessment: Any = None
        self.questionnaire: Any = None
        self.previous: dict[str, Any] = {}
        self.order: list[str] = []
        self.current_id: str | None = None
        self.read_only = False
        self._build()
        self._build_actions()
        ops.changed.connect(self._on_changed)
        ops.answerSaved.connect(self._on_saved)
        ops.answerFailed.connect(self._on_failed)
        ops.savingChanged.connect(self._on_saving)

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.model = QuestionTreeModel(self)
        self.proxy = QuestionFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 8, 4, 8)
        left_layout.setSpacing(6)
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Find a question by text or id  (Ctrl+F)")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.textChanged.connect(self._find_changed)
        self.find_edit.installEventFilter(self)
        left_layout.addWidget(self.find_edit)
        filters = QHBoxLayout()
        filters.setSpacing(4)
        self.filter_group = QButtonGroup(self)
        for mode, label in (("all", "All"), ("unanswered", "Unanswered"), ("flagged", "Flagged")):
            button = QPushButton(label)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setProperty("mode", mode)
            button.setChecked(mode == "all")
            self.filter_group.addButton(button)
            filters.addWidget(button)
        self.filter_group.buttonClicked.connect(lambda button: self.set_filter(button.property("mode")))
        # only shown when the questionnaire's questions carry tags (e.g. implementation groups IG1, IG2)
        self.tag_combo = QComboBox()
        self.tag_combo.setToolTip("Show only the questions with this tag (e.g. an implementation group)")
        self.tag_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.tag_combo.setMinimumContentsLength(8)
        self.tag_combo.currentIndexChanged.connect(lambda _index: self.set_tag(self.tag_combo.currentData() or ""))
        self.tag_combo.hide()
        filters.addWidget(self.tag_combo)
        filters.addStretch(1)
        left_layout.addLayout(filters)

        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().hide()
        self.tree.setIndentation(14)
        self.tree.selectionModel().currentChanged.connect(self._tree_current_changed)
        self.progress_label = QLabel("")
        self.progress_label.setObjectName("muted")
        left_layout.addWidget(self.progress_label)
        left_layout.addWidget(self.tree, 1)
        self.empty_filter_label = QLabel("")
        self.empty_filter_label.setObjectName("muted")
        self.empty_filter_label.setWordWrap(True)
        self.empty_filter_label.hide()
        left_layout.addWidget(self.empty_filter_label)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        self.panel = QuestionPanel()
        self.read_only_label = QLabel("Read-only")
        self.read_only_label.setObjectName("badge")
        self.read_only_label.hide()
        self.save_label = QLabel("")
        self.save_label.setObjectName("saveState")
        self.save_label.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        # under "Question 8 of 36": never squeezed by the navigation buttons on a small screen
        self.panel.corner.addWidget(self.save_label, 0, Qt.AlignmentFlag.AlignRight)
        self.panel.corner.addWidget(self.read_only_label, 0, Qt.AlignmentFlag.AlignRight)
        self.panel.changeRequested.connect(self._change_requested)
        self.panel.nextRequested.connect(self.next_question)
        self.panel.previousRequested.connect(self.previous_question)
        self.panel.nextUnansweredRequested.connect(self.next_unanswered)
        from ui.evidence_box import EvidenceController
        self.evidence = EvidenceController(self.ops, self.panel.evidence_box, self)
        right_layout.addWidget(self.panel, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([320, 900])
        self.splitter.setChildrenCollapsible(False)
        left.setMinimumWidth(220)
        right.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    def _build_actions(self) -> None:
        def action(text: str, keys: list[str], slot: Any) -> QAction:
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        self.next_action = action("&Next question", ["Ctrl+Down", "Ctrl+Return"], self._activated(self.next_question))
        self.previous_action = action("&Previous question", ["Ctrl+Up"], self._activated(self.previous_question))
        self.unanswered_action = action("Next &unanswered", ["Ctrl+U", "F3"], self._activated(self.next_unanswered))
        self.find_action = action("&Find question…", [QKeySequence(QKeySequence.StandardKey.Find).toString()],
                                  self._activated(self.focus_find))
        self.flag_action = action("&Flag for follow-up", ["Ctrl+Shift+F"], self._activated(self.panel.toggle_flag))
        self.na_action = action("Not &applicable…", ["Ctrl+Shift+A"], self._activated(self.panel.toggle_na))
        self.notes_action = action("Edit &notes", ["Ctrl+E"], self._activated(self._focus_notes))
        self.clear_action = action("&Clear answer", ["Delete", "Backspace"], self._activated(self.panel.clear_answer))
        # Delete and Backspace belong to the text fields while one has the focus (they override it)
        self.clear_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.actions_for_menu = [self.next_action, self.previous_action, self.unanswered_action, None,
                                 self.find_action, self.flag_action, self.na_action, self.notes_action,
                                 self.clear_action]
        for digit in "0123456789":
            for keys in (digit, f"Num+{digit}"):
                shortcut = QShortcut(QKeySequence(keys), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(lambda d=digit: self.panel.choose_key(d))
        for keys in ("Return", "Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self._enter_pressed)
        self.set_enabled(False)

    def _activated(self, slot: Any) -> Any:
        def run() -> None:
            if self.questionnaire is None:
                return
            if not self.isVisible():
                self.activateRequested.emit()
            slot()
        return run

    def set_enabled(self, enabled: bool) -> None:
        for act in self.actions_for_menu:
            if act is not None:
                act.setEnabled(enabled)

    # ------------------------------------------------------------------ session

    def set_assessment(self, assessment: Any, questionnaire: Any, responses: dict[str, Any],
                       previous: dict[str, Any] | None = None, read_only: bool = False,
                       start_at: str | None = None) -> None:
        """Show an assessment; starts at `start_at`, else the first unanswered question."""
        self.panel.flush()
        self.assessment = assessment
        self.panel.provenance.assessment_date = assessment.assessment_date  # to flag evidence over a year old
        self.questionnaire = questionnaire
        self.previous = previous or {}
        self.read_only = read_only
        self.order = [loc.question.id for loc in questionnaire.locations]
        self._fill_tags(questionnaire)
        self.model.set_assessment(questionnaire, responses)
        self.tree.expandAll()
        self.panel.set_read_only(read_only)
        self.read_only_label.setVisible(read_only)
        self._set_save_state("saved", "Read-only" if read_only else "All answers saved")
        self.current_id = None
        self.set_enabled(True)
        self._update_progress()
        if not self.order:
            return
        first = start_at if start_at in self.order else self._first_unanswered() or self.order[0]
        self.go_to(first)

    def clear(self) -> None:
        self.panel.flush()
        self.assessment = self.questionnaire = None
        self.current_id = None
        self.evidence.show(None, None, True)
        self._fill_tags(None)
        self.model.set_assessment(None, {})
        self.set_enabled(False)

    def _first_unanswered(self) -> str | None:
        return next((qid for qid in self.order if response_state(self.model.response(qid)) == UNANSWERED), None)

    # ------------------------------------------------------------------ navigation

    def go_to(self, question_id: str) -> None:
        """Show a question and select it in the tree (the tree filter is cleared if it hides it)."""
        if self.questionnaire is None or question_id not in self.order:
            return
        source = self.model.question_index(question_id)
        proxy_index = self.proxy.mapFromSource(source)
        if not proxy_index.isValid():
            self.find_edit.clear()
            self.tag_combo.setCurrentIndex(0)
            self.set_filter("all")
            proxy_index = self.proxy.mapFromSource(source)
        self._show(question_id)
        self.tree.selectionModel().setCurrentIndex(
            proxy_index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.tree.scrollTo(proxy_index)

    def _show(self, question_id: str) -> None:
        if question_id == self.current_id:
            return
        if self.panel.na_unresolved() and self.current_id:  # left by a click: say so, never silently
            self._status(f"{self.current_id} was not marked N/A: N/A needs a reason")
        self.current_id = question_id
        self.panel.show_question(self.questionnaire, question_id, self.model.response(question_id),
                                 self.assessment.default_target, self.order.index(question_id), len(self.order),
                                 self.previous.get(question_id))
        self.evidence.show(self.assessment.id, question_id, self.read_only)

    def _tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        question_id = self.proxy.data(current, QuestionIdRole) if current.isValid() else None
        if question_id:
            self._show(question_id)

    def _step(self, step: int, wanted: Any = None) -> None:
        if not self.order:
            return
        start = self.order.index(self.current_id) if self.current_id in self.order else -step
        position = start + step
        while 0 <= position < len(self.order):
            qid = self.order[position]
            source = self.model.question_index(qid)
            if (wanted is None or wanted(qid)) and (not self.proxy.active or self.proxy.accepts(source)):
                self.go_to(qid)
                self.panel.setFocus()
                return
            position += step
        self._status("This is the last question." if step > 0 else "This is the first question.")

    def _status(self, message: str) -> None:
        status = getattr(self.window(), "statusBar", None)
        if status is not None:
            status().showMessage(message, 4000)

    def _may_leave(self) -> bool:
        """Save typed text before moving on; an N/A still waiting for its reason keeps the cursor there."""
        self.panel.flush()
        if self.panel.na_unresolved():
            self.panel.insist_on_reason()
            return False
        return True

    def next_question(self) -> None:
        if self._may_leave():
            self._step(1)

    def previous_question(self) -> None:
        if self._may_leave():
            self._step(-1)

    def next_unanswered(self) -> None:
        """The next unanswered question after this one, wrapping round to the start."""
        if not self._may_leave() or not self.order:
            return
        start = self.order.index(self.current_id) if self.current_id in self.order else -1
        for offset in range(1, len(self.order) + 1):
            qid = self.order[(start + offset) % len(self.order)]
            if response_state(self.model.response(qid)) == UNANSWERED:
                self.go_to(qid)
                self.panel.setFocus()
                return
        self._status("Every question is answered or marked N/A.")

    def focus_find(self) -> None:
        self.find_edit.setFocus()
        self.find_edit.selectAll()

    def _focus_notes(self) -> None:
        self.panel.notes.setFocus()

    def set_filter(self, mode: str) -> None:
        self.proxy.set_mode(mode)
        for button in self.filter_group.buttons():
            button.setChecked(button.property("mode") == mode)
        self._after_filter()

    def _find_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._after_filter()

    def _fill_tags(self, questionnaire: Any) -> None:
        """The tag filter's choices: the tags the questionnaire defines (implementation groups and the like);
        hidden when it defines none (free topic tags such as "backups" would make a list of dozens)."""
        from vciso.scope import defined_tags

        tags = defined_tags(questionnaire) if questionnaire is not None else []
        self.tag_combo.blockSignals(True)
        self.tag_combo.clear()
        self.tag_combo.addItem("All tags", "")
        for tag in tags:
            count = sum(1 for loc in questionnaire.locations if tag in loc.question.tags)
            self.tag_combo.addItem(f"{questionnaire.tag_label(tag)} ({count})", tag)
        self.tag_combo.setCurrentIndex(0)
        self.tag_combo.blockSignals(False)
        self.tag_combo.setVisible(bool(tags))
        self.proxy.set_tag("")

    def set_tag(self, tag: str) -> None:
        """Show only the questions with this tag ('' for every question)."""
        index = max(0, self.tag_combo.findData(tag))
        if self.tag_combo.currentIndex() != index:
            self.tag_combo.setCurrentIndex(index)  # comes back here through currentIndexChanged
            return
        self.proxy.set_tag(self.tag_combo.itemData(index) or "")
        self._after_filter()

    def _after_filter(self) -> None:
        """Keep what is shown and what is selected one thing: the shown question stays if it still matches,
        else the first match is shown, else no question at all (so a key press answers nothing hidden)."""
        self.tree.expandAll()
        empty = self.proxy.rowCount() == 0
        self.empty_filter_label.setVisible(empty)
        if empty:
            self.empty_filter_label.setText("No question matches. Clear the search or choose All.")
        if self.questionnaire is None:
            return
        shown = self.current_id
        if shown is None or not self.proxy.mapFromSource(self.model.question_index(shown)).isValid():
            shown = self._first_match()
        if shown is None:
            self.current_id = None
            self.tree.selectionModel().clearCurrentIndex()
            self.panel.show_nothing("No matching question. Clear the search (Esc) or choose All.")
            return
        self._show(shown)
        index = self.proxy.mapFromSource(self.model.question_index(shown))
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.tree.scrollTo(index)

    def _first_match(self) -> str | None:
        for qid in self.order:
            if self.proxy.accepts(self.model.question_index(qid)):
                return qid
        return None

    def _enter_pressed(self) -> None:
        focus = QApplication.focusWidget()
        if focus is self.find_edit:
            match = self._first_match()
            if match:
                self.go_to(match)
                self.panel.setFocus()
            return
        self.next_question()

    def eventFilter(self, watched: Any, event: Any) -> bool:
        from PySide6.QtCore import QEvent
        if watched is self.find_edit and event.type() == QEvent.Type.KeyPress:
            if event.key() == Qt.Key.Key_Escape:
                self.find_edit.clear()
                self.panel.setFocus()
                return True
            if event.key() == Qt.Key.Key_Down:
                self.tree.setFocus()
                return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ saving

    def _change_requested(self, question_id: str, fields: dict) -> None:
        from ui.operations import answers

        if self.assessment is None or self.read_only:
            return
        answers.edit_answer(self.ops, self.assessment.id, question_id, fields, self)

    def _on_saving(self, saving: bool) -> None:
        if saving:
            self._set_save_state("saving", "Saving…")

    def _on_changed(self, changes: Any, _initiator: Any) -> None:
        """Show answers that changed: one by one as they were saved, or all of them after a bulk change."""
        if self.assessment is None or not changes.touches(self.assessment.id):
            return
        for change in changes.answers:
            if change.assessment_id == self.assessment.id:
                self._show_response(change.after)
        if changes.all_answers:
            from ui.operations import answers

            assessment_id = self.assessment.id
            answers.load_responses(self.ops, assessment_id, lambda found: self._responses_loaded(assessment_id, found))
        self._update_progress()

    def _show_response(self, response: Any) -> None:
        self.model.update_response(response)
        if response.question_id == self.current_id:
            self.panel.set_response(response)

    def _responses_loaded(self, assessment_id: int, responses: dict[str, Any]) -> None:
        if self.assessment is None or self.assessment.id != assessment_id:
            return
        for question_id in self.order:
            response = responses.get(question_id)
            if response is not None and response != self.model.response(question_id):
                self._show_response(response)
        self._update_progress()

    def _on_saved(self, change: Any) -> None:
        if self.assessment is None or change.assessment_id != self.assessment.id:
            return
        if not self.ops.saving and self.ops.last_saved is not None:
            self._set_save_state("saved", f"Saved {self.ops.last_saved:%H:%M:%S}")

    def _on_failed(self, question_id: str, message: str) -> None:
        self._set_save_state("error", f"Not saved: {message}")
        self.save_label.setToolTip(message)
        if question_id == self.current_id:
            self.panel.set_response(self.model.response(question_id))

    def _set_save_state(self, state: str, text: str) -> None:
        self.save_label.setProperty("state", state)
        self.save_label.setText(text)
        self.save_label.style().unpolish(self.save_label)
        self.save_label.style().polish(self.save_label)

    def _update_progress(self) -> None:
        total = len(self.order)
        done = sum(1 for qid in self.order if response_state(self.model.response(qid)) != UNANSWERED)
        flagged = sum(1 for qid in self.order if (r := self.model.response(qid)) is not None and r.flagged)
        text = f"{done} of {total} answered or N/A"
        if done == total and total:
            text = f"All {total} answered or N/A"
        if flagged:
            text += f" · {flagged} flagged"
        self.progress_label.setText(text)
