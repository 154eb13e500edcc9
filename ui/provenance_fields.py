"""How an answer was established and the date of its evidence, under the evidence line of the question
panel: the confidence the reports show beside the level, and the date they flag when it is more than a
year before the assessment (`vciso.provenance`)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui import theme
from ui.date_edit import DateEdit
from vciso.provenance import METHODS, Provenance, evidence_age_months


class ProvenanceFields(QWidget):
    """A choice of how the answer was established, an evidence date field, and a warning line when the
    saved date is over a year before the assessment. The panel saves what `establishedChosen` and
    `dateEdited` report; `show_saved` shows what is stored without losing a date being typed."""

    establishedChosen = Signal(str)  # a method key, "" for "not said"
    dateEdited = Signal()            # a date was typed (Enter, leaving the field) or picked: see take_typed_date

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.assessment_date = ""  # the open assessment's date, to flag old evidence
        self._saved_date = ""
        self.combo = QComboBox()
        self.combo.setAccessibleName("How established")
        self.combo.setToolTip("How the level was established: the reports show the confidence it gives "
                              "(tested or observed high, a document medium, an interview low)")
        self.combo.addItem("How established?", "")
        for key, (label, confidence) in METHODS.items():
            self.combo.addItem(f"{label} · {confidence.lower()}", key)
        self.combo.activated.connect(lambda index: self.establishedChosen.emit(self.combo.itemData(index) or ""))
        # the longest choice must not widen the panel past a small window: it is elided instead
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(14)
        self.date = DateEdit(allow_empty=True, not_after_today=True)
        self.date.setAccessibleName("Evidence date")
        self.date.line.setPlaceholderText("Evidence date")
        self.date.line.setToolTip("The date of the evidence (e.g. when the policy was last reviewed); reports "
                                  "flag evidence over a year older than the assessment")
        self.date.line.editingFinished.connect(self.dateEdited)
        self.date.datePicked.connect(lambda _day: self.dateEdited.emit())
        self.stale_label = QLabel("")
        self.stale_label.setObjectName("muted")
        self.stale_label.setWordWrap(True)
        self.stale_label.setTextFormat(Qt.TextFormat.PlainText)
        self.stale_label.setStyleSheet(f"color: {theme.WARN};")
        self.stale_label.hide()
        row = QHBoxLayout()
        row.addWidget(self.combo, 3)
        row.addWidget(self.date, 2)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.stale_label)

    def clear(self) -> None:
        """Empty, for a question about to be shown."""
        self._saved_date = ""
        self.date.setDate(None)

    def show_saved(self, established: str, evidence_date: str) -> None:
        """Show the stored answer's method and date; a date being typed is kept."""
        self.combo.setCurrentIndex(max(self.combo.findData(established), 0))
        if self.date.line.text() == self._saved_date:  # not being edited
            self.date.line.setText(evidence_date)
        self._saved_date = evidence_date
        stale = Provenance("", evidence_date).is_stale(self.assessment_date)
        months = evidence_age_months(evidence_date, self.assessment_date)
        self.stale_label.setText(f"Evidence dated {months} months before the assessment: the reports flag it as "
                                 "over a year old" if stale else "")
        self.stale_label.setVisible(stale)

    def take_typed_date(self) -> str | None:
        """The evidence date typed since the last save, as ISO ("" when cleared), now counted as saved; None
        when there is none, or while the text is not a date or is a future date (the field says so)."""
        if not self.date.is_valid():
            return None
        day = self.date.date()
        text = day.toString("yyyy-MM-dd") if day.isValid() else ""
        if text == self._saved_date:
            return None
        self._saved_date = text
        return text

    def has_unsaved_date(self) -> bool:
        return self.date.line.text() != self._saved_date
