"""The question panel of the walkthrough: the question, its guidance, the levels as buttons, target,
N/A with a reason, flag, notes and evidence. It never saves by itself: it asks its controller to, through
`changeRequested(question_id, fields)`, and it never drops text the consultant is typing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (QAbstractButton, QCheckBox, QComboBox, QFrame, QHBoxLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget)

from ui import theme

NOTE_DEBOUNCE_MS = 600


NA_HINT = "Give a reason to mark this question N/A; it is saved once there is one."


def level_keys(levels: tuple[Any, ...]) -> dict[str, float]:
    """Which digit picks which level: the level's own value when the scale is 0..9 whole numbers,
    else its position (1, 2, 3 ...)."""
    values = [level.value for level in levels]
    if all(float(v).is_integer() and 0 <= v <= 9 for v in values):
        return {str(int(v)): v for v in values}
    return {str(i + 1): v for i, v in enumerate(values[:9])}


def _label(text: str = "", name: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


class LevelButton(QAbstractButton):
    """One level of the scale: its key, label and what it means for this question."""

    def __init__(self, key: str, value: float, label: str, description: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.value = value
        self.setCheckable(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(f"{key}: {label}")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 5, 10, 5)
        layout.setSpacing(10)
        self.key_label = _label(key, wrap=False)
        self.key_label.setFixedWidth(24)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setStyleSheet(f"border: 1px solid {theme.BORDER}; border-radius: 3px; color: {theme.MUTED};"
                                     " font-weight: 600; padding: 1px;")
        text = QVBoxLayout()
        text.setSpacing(2)
        head = QHBoxLayout()
        self.title_label = _label(label)
        self.title_label.setStyleSheet("font-weight: 600;")
        self.target_tag = _label("TARGET", wrap=False)
        self.target_tag.setObjectName("badge")
        self.target_tag.hide()
        self.previous_tag = _label("", wrap=False)
        self.previous_tag.setObjectName("muted")
        self.previous_tag.hide()
        head.addWidget(self.title_label, 1)
        head.addWidget(self.previous_tag)
        head.addWidget(self.target_tag)
        self.description_label = _label(description, name="muted")
        text.addLayout(head)
        if description:
            text.addWidget(self.description_label)
        layout.addWidget(self.key_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(text, 1)
        self._hover = False

    def set_target(self, is_target: bool) -> None:
        self.target_tag.setVisible(is_target)

    def enterEvent(self, event: Any) -> None:
        self._hover = True
        self.update()
        super().enterEvent(event)

    def leaveEvent(self, event: Any) -> None:
        self._hover = False
        self.update()
        super().leaveEvent(event)

    def sizeHint(self) -> QSize:
        return self.layout().sizeHint()

    def minimumSizeHint(self) -> QSize:
        return self.layout().minimumSize()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self.layout().heightForWidth(width)

    def paintEvent(self, event: Any) -> None:
        accent = theme.current_accent()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
        if self.isChecked():
            background, border, width = theme.tint(accent, 0.87), accent, 2.0
        elif self._hover and self.isEnabled():
            background, border, width = QColor("#F8FAFC"), theme.tint(accent, 0.5), 1.0
        else:
            background, border, width = QColor(theme.PANEL), QColor(theme.BORDER), 1.0
        if self.hasFocus():
            border, width = accent, max(width, 1.5)
        painter.setPen(QPen(border, width))
        painter.setBrush(background)
        painter.drawRoundedRect(rect.adjusted(width / 2, width / 2, -width / 2, -width / 2), 5, 5)
        painter.end()


class QuestionPanel(QWidget):
    """Shows one question and turns the consultant's input into change requests."""

    changeRequested = Signal(str, dict)   # question id, fields for ClientFile.save_answer
    nextRequested = Signal()
    previousRequested = Signal()
    nextUnansweredRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question: Any = None
        self.scale: Any = None
        self._response: Any = None
        self._default_target: float | None = None
        self._saved_note = ""
        self._saved_evidence = ""
        self._saved_reason = ""
        self._read_only = False
        self._loading = False
        self._na_pending = False
        self.level_buttons: list[LevelButton] = []
        self.keys: dict[str, float] = {}
        self._build()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("questionBody")
        body.setStyleSheet(f"QWidget#questionBody {{ background: {theme.PANEL}; }}")
        self.scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 14, 24, 14)
        layout.setSpacing(8)

        self.path_label = _label("", name="muted")
        self.id_label = _label("", name="badge", wrap=False)
        self.position_label = _label("", name="muted", wrap=False)
        top = QHBoxLayout()
        top.addWidget(self.id_label, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.path_label, 1)
        corner = QVBoxLayout()  # "Question 8 of 36" above the save state: narrow, so never clipped
        corner.setSpacing(0)
        corner.addWidget(self.position_label, 0, Qt.AlignmentFlag.AlignRight)
        top.addLayout(corner)
        layout.addLayout(top)
        self.corner = corner  # the walkthrough puts its save state here

        self.title_label = _label("", name="title")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, False)
        self.text_label = _label("")
        self.text_label.setStyleSheet("font-size: 11pt;")
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, False)
        layout.addWidget(self.title_label)
        layout.addWidget(self.text_label)

        self.guidance_frame = QFrame()
        self.guidance_frame.setObjectName("guidance")
        guidance_layout = QVBoxLayout(self.guidance_frame)
        guidance_layout.setContentsMargins(12, 8, 12, 8)
        self.guidance_label = _label("")
        self.references_label = _label("", name="muted")
        guidance_layout.addWidget(self.guidance_label)
        guidance_layout.addWidget(self.references_label)
        layout.addWidget(self.guidance_frame)

        self.levels_caption = _label("Current level — press the digit, or click", name="sectionLabel")
        layout.addSpacing(4)
        layout.addWidget(self.levels_caption)
        self.levels_box = QVBoxLayout()
        self.levels_box.setSpacing(4)
        layout.addLayout(self.levels_box)

        row = QHBoxLayout()
        row.addWidget(QLabel("Target level:"))
        self.target_combo = QComboBox()
        self.target_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.target_combo.setMinimumContentsLength(16)
        self.target_combo.activated.connect(self._target_chosen)
        row.addWidget(self.target_combo)
        row.addStretch(1)
        layout.addSpacing(4)
        layout.addLayout(row)
        self.flag_check = QCheckBox("Flag for follow-up")
        self.flag_check.setToolTip("Ctrl+Shift+F")
        self.flag_check.clicked.connect(self._flag_clicked)

        na_row = QHBoxLayout()
        self.na_check = QCheckBox("Not applicable")
        self.na_check.setToolTip("Ctrl+Shift+A — needs a reason")
        self.na_check.clicked.connect(self._na_clicked)
        self.na_reason = QLineEdit()
        self.na_reason.setPlaceholderText("Why does this not apply? (required for N/A)")
        self.na_reason.textEdited.connect(lambda _text: self._debounce.start())
        self.na_reason.editingFinished.connect(self.flush)
        self.na_reason.setEnabled(False)
        self.na_reason.installEventFilter(self)
        na_row.addWidget(self.na_check)
        na_row.addWidget(self.na_reason, 1)
        layout.addLayout(na_row)
        layout.addWidget(self.flag_check)
        self.na_hint = _label(NA_HINT, name="muted")
        self.na_hint.setStyleSheet(f"color: {theme.WARN};")
        self.na_hint.hide()
        layout.addWidget(self.na_hint)

        layout.addWidget(_label("Notes", name="sectionLabel"))
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("What you saw, who said it, what is missing… (saved as you type)")
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(70)
        self.notes.setMaximumHeight(140)
        self.notes.textChanged.connect(self._text_changed)
        self.notes.installEventFilter(self)
        layout.addWidget(self.notes)
        self.evidence = QLineEdit()
        self.evidence.setPlaceholderText("Evidence: document, screenshot or system you were shown")
        self.evidence.textEdited.connect(lambda _text: self._debounce.start())
        self.evidence.editingFinished.connect(self.flush)
        self.evidence.installEventFilter(self)
        layout.addWidget(self.evidence)
        from ui.provenance_fields import ProvenanceFields
        self.provenance = ProvenanceFields()
        self.provenance.establishedChosen.connect(self._established_chosen)
        self.provenance.dateEdited.connect(self._evidence_date_edited)
        # the fields by the names tests and the walkthrough use
        self.established_combo, self.evidence_date = self.provenance.combo, self.provenance.date
        self.stale_label = self.provenance.stale_label
        layout.addWidget(self.provenance)
        from ui.evidence_box import EvidenceBox
        self.evidence_box = EvidenceBox(drop_target=self)  # files dropped anywhere on the panel are attached
        layout.addWidget(self.evidence_box)
        layout.addStretch(1)

        nav = QHBoxLayout()
        nav.setContentsMargins(24, 8, 24, 8)
        self.nav = nav
        self.previous_button = QPushButton("‹ Previous")
        self.previous_button.setToolTip("Ctrl+Up")
        self.previous_button.clicked.connect(self.previousRequested)
        self.unanswered_button = QPushButton("Unanswered ›")
        self.unanswered_button.setToolTip("Next unanswered question (Ctrl+U or F3)")
        self.unanswered_button.clicked.connect(self.nextUnansweredRequested)
        self.next_button = QPushButton("Next ›")
        self.next_button.setProperty("primary", True)
        self.next_button.setToolTip("Enter or Ctrl+Down")
        self.next_button.clicked.connect(self.nextRequested)
        for button in (self.previous_button, self.unanswered_button, self.next_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        nav.addWidget(self.previous_button)
        nav.addStretch(1)
        nav.addWidget(self.unanswered_button)
        nav.addWidget(self.next_button)
        nav_frame = QFrame()
        nav_frame.setObjectName("navBar")
        nav_frame.setStyleSheet(f"QFrame#navBar {{ background: {theme.PANEL}; border-top: 1px solid {theme.BORDER}; }}")
        nav_frame.setLayout(nav)

        self.empty_label = _label("", name="muted")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()
        outer.addWidget(self.scroll, 1)
        outer.addWidget(self.empty_label, 1)
        outer.addWidget(nav_frame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(NOTE_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.flush)

    def _established_chosen(self, key: str) -> None:
        if self._response is None or key != self._response.established:
            self._request(established=key)

    def _evidence_date_edited(self) -> None:
        text = self.provenance.take_typed_date()
        if text is not None:
            self._request(evidence_date=text)

    # ------------------------------------------------------------------ showing a question

    def show_question(self, questionnaire: Any, question_id: str, response: Any, default_target: float | None,
                      position: int, total: int, previous: Any = None) -> None:
        """Show a question (flush any text still pending for the previous one first)."""
        self.flush()
        self._loading = True
        self.empty_label.hide()
        self.scroll.show()
        self.na_hint.setText(NA_HINT)
        location = questionnaire.location(question_id)
        question = location.question
        self.question = question
        self.scale = questionnaire.scale_for(question)
        self._default_target = questionnaire.target_for(question, default_target)
        self.id_label.setText(question.id)
        self.path_label.setText("  ›  ".join(section.title for section in location.path))
        self.position_label.setText(f"Question {position + 1} of {total}")
        self.title_label.setText(question.title or question.text)
        self.text_label.setText(question.text if question.title else "")
        self.text_label.setVisible(bool(question.title))
        self.guidance_label.setText(question.guidance)
        self.references_label.setText("References: " + ", ".join(question.references) if question.references else "")
        self.references_label.setVisible(bool(question.references))
        self.guidance_frame.setVisible(bool(question.guidance or question.references))

        for button in self.level_buttons:
            self.levels_box.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.level_buttons = []
        self.keys = level_keys(self.scale.levels)
        key_of = {value: key for key, value in self.keys.items()}
        for level in self.scale.levels:
            button = LevelButton(key_of.get(level.value, ""), level.value, level.label, question.descriptor(level))
            button.clicked.connect(lambda _checked=False, value=level.value: self.choose_level(value, toggle=True))
            button.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            button.customContextMenuRequested.connect(lambda pos, b=button: self._level_menu(b, pos))
            button.installEventFilter(self)
            self.levels_box.addWidget(button)
            self.level_buttons.append(button)
        if previous is not None and previous.current is not None and not previous.is_na:
            for button in self.level_buttons:
                if button.value == previous.current:
                    button.previous_tag.setText("earlier answer")
                    button.previous_tag.show()

        self.target_combo.clear()
        self.target_combo.addItem(f"Default — {self._level_text(self._default_target)}", None)
        for level in self.scale.levels:
            self.target_combo.addItem(self._level_text(level.value), level.value)
        self.na_check.setEnabled(self.scale.na_allowed and not self._read_only)
        self._response = None
        self._na_pending = False
        self._saved_note = self._saved_evidence = self._saved_reason = ""
        self.notes.setPlainText("")
        self.evidence.setText("")
        self.provenance.clear()
        self.na_reason.setText("")
        self.set_response(response)
        self._loading = False
        self.scroll.verticalScrollBar().setValue(0)

    def show_nothing(self, message: str) -> None:
        """Show no question (a search matches none): keys and clicks then change nothing."""
        self.flush()
        self.question = self.scale = self._response = None
        self.keys = {}
        self.scroll.hide()
        self.empty_label.setText(message)
        self.empty_label.show()

    def _level_text(self, value: float | None) -> str:
        if value is None or self.scale is None:
            return "—"
        from vciso.numbers import format_value
        return f"{format_value(value)} – {self.scale.label(value)}"

    def set_response(self, response: Any) -> None:
        """Show the saved answer; text the consultant has typed but not yet saved is kept."""
        self._loading = True
        self._response = response
        current = response.current if response is not None else None
        is_na = bool(response is not None and response.is_na)
        for button in self.level_buttons:
            button.setChecked(not is_na and current is not None and button.value == current)
        target = response.target if response is not None else None
        effective = target if target is not None else self._default_target
        for button in self.level_buttons:
            button.set_target(button.value == effective)
        position = self.target_combo.findData(target) if target is not None else 0
        self.target_combo.setCurrentIndex(max(position, 0))
        self.flag_check.setChecked(bool(response is not None and response.flagged))
        note = response.note if response is not None else ""
        if self.notes.toPlainText() == self._saved_note and note != self._saved_note:
            self.notes.setPlainText(note)
        self._saved_note = note
        evidence = response.evidence if response is not None else ""
        if self.evidence.text() == self._saved_evidence and evidence != self._saved_evidence:
            self.evidence.setText(evidence)
        self._saved_evidence = evidence
        self.provenance.show_saved(response.established if response is not None else "",
                                   response.evidence_date if response is not None else "")
        reason = response.na_reason if response is not None else ""
        if self.na_reason.text() == self._saved_reason and reason != self._saved_reason:
            self.na_reason.setText(reason)
        self._saved_reason = reason
        if is_na:
            self._na_pending = False
        self.na_check.setChecked(is_na or self._na_pending)
        self.na_reason.setEnabled(self.na_check.isChecked() and not self._read_only)
        self.na_hint.setVisible(self._na_pending)
        for button in self.level_buttons:
            button.setEnabled(not self._read_only)
        self._loading = False

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for widget in (self.target_combo, self.flag_check, self.na_check, self.na_reason, self.evidence,
                       self.established_combo, self.evidence_date):
            widget.setEnabled(not read_only)
        self.notes.setReadOnly(read_only)
        for button in self.level_buttons:
            button.setEnabled(not read_only)
        self.levels_caption.setText("Current level (read-only)" if read_only
                                    else "Current level — press the digit, or click")

    # ------------------------------------------------------------------ input → change requests

    def _request(self, **fields: Any) -> None:
        if self.question is not None and not self._read_only and not self._loading:
            self.changeRequested.emit(self.question.id, fields)

    def choose_level(self, value: float, toggle: bool = False) -> None:
        """Pick a level (a digit key or a click); picking a level ends N/A. Clicking the level that is
        already chosen (`toggle`) clears it."""
        if self.question is None or self._read_only:
            return
        if toggle and self._response is not None and not self._response.is_na and self._response.current == value:
            self.clear_answer()
            return
        for button in self.level_buttons:
            button.setChecked(button.value == value)
        chosen = next((button for button in self.level_buttons if button.value == value), None)
        if chosen is not None:  # on a small screen the cards scroll: keep the chosen one in view
            self.scroll.ensureWidgetVisible(chosen, 0, 20)
        fields: dict[str, Any] = {"current": value}
        if self.na_check.isChecked() or (self._response is not None and self._response.is_na):
            fields["na_reason"] = ""
            self._untick_na()
        self._request(**fields)

    def _untick_na(self) -> None:
        """Show N/A unticked (without asking to save anything: the caller's change says what is saved)."""
        self._na_pending = False
        self._loading = True
        self.na_check.setChecked(False)
        self.na_reason.setEnabled(False)
        self.na_hint.hide()
        self._loading = False

    def clear_answer(self) -> None:
        """Clear the level (and N/A) of the shown question; notes, evidence, target and flag stay."""
        if self.question is None or self._read_only:
            return
        answered = self._response is not None and (self._response.current is not None or self._response.is_na)
        if not answered and not self._na_pending:
            return
        for button in self.level_buttons:
            button.setChecked(False)
        self._untick_na()
        if answered:
            self._request(current=None, na_reason="")

    def _level_menu(self, button: Any, pos: Any) -> None:
        from PySide6.QtWidgets import QMenu

        menu = QMenu(self)
        choose = menu.addAction(f"Choose “{button.title_label.text()}”")
        choose.triggered.connect(lambda: self.choose_level(button.value))
        clear = menu.addAction("Clear answer\tDelete")
        clear.setEnabled(self._response is not None and (self._response.current is not None or self._response.is_na)
                         and not self._read_only)
        clear.triggered.connect(self.clear_answer)
        menu.exec(button.mapToGlobal(pos))

    def choose_key(self, key: str) -> bool:
        """Pick the level a digit stands for; False when the digit means nothing here."""
        value = self.keys.get(key)
        if value is None:
            return False
        self.choose_level(value)
        return True

    def toggle_flag(self) -> None:
        if self.question is None or self._read_only:
            return
        self.flag_check.setChecked(not self.flag_check.isChecked())
        self._flag_clicked(self.flag_check.isChecked())

    def toggle_na(self) -> None:
        if self.question is None or self._read_only or not self.na_check.isEnabled():
            return
        self.na_check.setChecked(not self.na_check.isChecked())
        self._na_clicked(self.na_check.isChecked())

    def _flag_clicked(self, checked: bool) -> None:
        self._request(flagged=bool(checked))

    def _target_chosen(self, _index: int) -> None:
        value = self.target_combo.currentData()
        self._request(target=value)

    def _na_clicked(self, checked: bool) -> None:
        self.na_reason.setEnabled(checked)
        if checked:
            reason = self.na_reason.text().strip()
            if reason:
                self._request(na_reason=reason)
                self._saved_reason = self.na_reason.text()
            else:
                self._na_pending = True
                self.na_hint.show()
                self.na_reason.setFocus()
        else:
            self._na_pending = False
            self.na_hint.hide()
            if self._response is not None and self._response.is_na:
                self._request(na_reason="")
            self._saved_reason = self.na_reason.text()

    def na_unresolved(self) -> bool:
        """N/A is ticked but has no reason yet: it is not saved, and moving on would lose it."""
        return self.question is not None and self._na_pending and not self.na_reason.text().strip()

    def insist_on_reason(self) -> None:
        """Say at the reason field that N/A needs a reason, and put the cursor there."""
        self.na_hint.setText("A reason is needed to mark this question N/A: type it here, or untick N/A.")
        self.na_hint.show()
        self.na_reason.setFocus()
        self.scroll.ensureWidgetVisible(self.na_reason, 20, 40)

    def _text_changed(self) -> None:
        if not self._loading:
            self._debounce.start()

    def has_unsaved_text(self) -> bool:
        return (self.notes.toPlainText() != self._saved_note or self.evidence.text() != self._saved_evidence
                or self.provenance.has_unsaved_date()
                or (self.na_check.isChecked() and self.na_reason.text() != self._saved_reason))

    def flush(self) -> None:
        """Ask to save notes, evidence and an N/A reason typed since the last save."""
        self._debounce.stop()
        if self.question is None or self._read_only:
            return
        fields: dict[str, Any] = {}
        if self.notes.toPlainText() != self._saved_note:
            fields["note"] = self.notes.toPlainText()
            self._saved_note = fields["note"]
        if self.evidence.text() != self._saved_evidence:
            fields["evidence"] = self.evidence.text()
            self._saved_evidence = fields["evidence"]
        evidence_date = self.provenance.take_typed_date()
        if evidence_date is not None:
            fields["evidence_date"] = evidence_date
        reason = self.na_reason.text()
        if self.na_check.isChecked() and reason != self._saved_reason and reason.strip():
            fields["na_reason"] = reason
            self._saved_reason = reason
            self._na_pending = False
            self.na_hint.hide()
        if fields:
            self._request(**fields)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        from PySide6.QtCore import QEvent
        if isinstance(watched, LevelButton) and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.keyPressEvent(event)
                return True
        notes = getattr(self, "notes", None)  # filters are installed while the panel is being built
        if event.type() == QEvent.Type.FocusIn and watched in (notes, getattr(self, "evidence", None),
                                                               getattr(self, "na_reason", None)):
            self.scroll.ensureWidgetVisible(watched, 20, 20)
        if notes is not None and watched is notes:
            if event.type() == QEvent.Type.FocusOut:
                self.flush()
            elif event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
                self.flush()
                self.setFocus()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: Any) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.previousRequested.emit()
            else:
                self.nextRequested.emit()
            return
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.level_buttons:
            self._move_level(1 if event.key() == Qt.Key.Key_Down else -1)
            return
        super().keyPressEvent(event)

    def _move_level(self, step: int) -> None:
        """Arrow keys walk the level buttons; the focused one is picked with Space."""
        focused = next((i for i, b in enumerate(self.level_buttons) if b.hasFocus()), None)
        if focused is None:
            checked = next((i for i, b in enumerate(self.level_buttons) if b.isChecked()), -1 if step > 0 else 0)
            focused = checked
        target = min(max(focused + step, 0), len(self.level_buttons) - 1)
        self.level_buttons[target].setFocus()
