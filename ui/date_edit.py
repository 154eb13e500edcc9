"""A date field that never stores a date other than the one typed.

It takes ISO dates (2027-01-15), dates as the app shows them (15 Jan 2027) and a pick from a calendar
pop-up. Anything else is refused where it is typed: the field says why, Enter does not accept it, and
the value it had is kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtWidgets import (QCalendarWidget, QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget,
                               QWidgetAction)

from vciso.numbers import parse_date, short_date


class DateEdit(QWidget):
    """A line edit for one date with a calendar button; `date()` is an invalid QDate while the text is not a
    date (or is empty, when `allow_empty`)."""

    dateChanged = Signal(QDate)
    datePicked = Signal(QDate)  # a day was picked from the calendar (after the text shows it)

    def __init__(self, parent: QWidget | None = None, allow_empty: bool = False,
                 not_after_today: bool = False) -> None:
        super().__init__(parent)
        self.allow_empty = allow_empty
        self.not_after_today = not_after_today  # a date something happened (evidence), never a plan
        self.line = QLineEdit(self)
        self.line.setPlaceholderText("2027-01-15")
        self.line.setToolTip("Type a date as 2027-01-15 or 15 Jan 2027, or pick it from the calendar")
        self.line.textChanged.connect(self._edited)
        self.line.installEventFilter(self)
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setToolTip("Pick the date from a calendar")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.show_calendar)
        self._menu: QMenu | None = None  # the calendar pop-up, made on first use (it costs start-up)
        self._calendar: QCalendarWidget | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.line)
        self.error = "" if allow_empty else "a date is needed"

    # ------------------------------------------------------------------ value

    def calendarPopup(self) -> bool:  # noqa: N802 - the QDateEdit name, so callers need not care which
        return True

    def setDate(self, value: QDate | dt.date | None) -> None:  # noqa: N802
        """Show a date (None or an invalid QDate: empty)."""
        day = _to_date(value)
        self.line.setText(day.isoformat() if day else "")

    def date(self) -> QDate:
        """The date typed or picked, or an invalid QDate while the text is not one."""
        try:
            day = parse_date(self.line.text()) if self.line.text().strip() else None
        except ValueError:
            return QDate()
        return QDate(day.year, day.month, day.day) if day else QDate()

    def is_valid(self) -> bool:
        """Whether the text is a date (or empty, when allowed)."""
        return not self.error

    # ------------------------------------------------------------------ checking

    def _edited(self, text: str) -> None:
        if not text.strip():
            self.error = "" if self.allow_empty else "a date is needed"
        else:
            try:
                day = parse_date(text)
                self.error = ""
                if self.not_after_today and day > dt.date.today():
                    self.error = f"{short_date(day)} is in the future"
                self.line.setToolTip(f"{short_date(day)}")
            except ValueError as exc:
                self.error = str(exc)
        self.line.setProperty("invalid", bool(self.error))
        self.line.setStyleSheet("QLineEdit { border: 1px solid #c0392b; }" if self.error else "")
        if self.error:
            self.line.setToolTip(self.error)
        else:
            self.dateChanged.emit(self.date())

    def eventFilter(self, watched: Any, event: Any) -> bool:
        enter = event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) \
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if watched is self.line and enter and self.error and event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # Enter is this field's while its text is refused: no window shortcut takes it
            return True
        if watched is self.line and enter and self.error:
            self.explain()
            return True  # refused: the editor stays open with the text as typed
        if watched is self.line and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_F4:
            self.show_calendar()
            return True
        return super().eventFilter(watched, event)

    def explain(self) -> None:
        """Say at the field why its text is refused."""
        from PySide6.QtWidgets import QToolTip
        QToolTip.showText(self.line.mapToGlobal(self.line.rect().bottomLeft()), self.error, self.line)

    # ------------------------------------------------------------------ calendar

    @property
    def calendar(self) -> QCalendarWidget:
        self._calendar_menu()
        assert self._calendar is not None
        return self._calendar

    def _calendar_menu(self) -> QMenu:
        if self._menu is None:
            calendar = QCalendarWidget()
            calendar.setGridVisible(True)
            calendar.clicked.connect(self._picked)
            self._menu = QMenu(self)
            holder = QWidgetAction(self._menu)
            holder.setDefaultWidget(calendar)
            self._menu.addAction(holder)
            self._calendar = calendar
        return self._menu

    def show_calendar(self) -> None:
        current = self.date()
        self.calendar.setSelectedDate(current if current.isValid() else QDate.currentDate())
        self._calendar_menu().popup(self.mapToGlobal(self.rect().bottomLeft()))

    def _picked(self, day: QDate) -> None:
        self._calendar_menu().hide()
        self.setDate(day)
        self.line.setFocus()
        self.datePicked.emit(day)


def _to_date(value: QDate | dt.date | None) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, QDate):
        return dt.date(value.year(), value.month(), value.day()) if value.isValid() else None
    return value
