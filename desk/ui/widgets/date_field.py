"""A date input that takes what people type, in the desk's locale, and a calendar popup.

A ``QDateEdit`` edits a date section by section: typing "30 Jun 2027" into one whose
text is "1 Dec 2026" gave 1 Jun. ``DateField`` is a line edit that reads the whole
text as a date as soon as it is one, in any of the locale's ways of writing it
("30 Jun 2027", "30/06/2027" on a UK desk; "Jun 30, 2027", "06/30/2027" on a US desk;
"2027-06-30" anywhere), and writes it back in the desk's format once you leave it.
Day and month in digits come in the locale's order only, so "06/07/2027" is never
read the other way round. The button beside it (or Alt+Down, F4) opens a calendar.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import date

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk.ui.widgets.formatting import date_edit_format
from desk.ui.widgets.qdate import to_date, to_qdate

EARLIEST = QDate(1900, 1, 1)
LATEST = QDate(9999, 12, 31)
_NAMED_MONTH = ("d MMM yyyy", "d MMMM yyyy", "MMM d yyyy", "MMM d, yyyy", "MMMM d, yyyy")
_INVALID_STYLE = "QLineEdit { border: 1px solid #b42318; }"


def _loosened(pattern: str) -> set[str]:
    """``pattern`` and its lenient forms: one-digit days and months, two- or four-digit
    years, full or short month names, with or without the weekday."""
    forms = {pattern}
    bare = re.sub(r"(?<!d)dddd?(?!d)[,.]?\s*", "", pattern).strip(" ,")
    forms.add(bare)
    for form in list(forms):
        digits = re.sub(r"(?<!d)dd(?!d)", "d", re.sub(r"(?<!M)MM(?!M)", "M", form))
        forms.add(digits)
    for form in list(forms):
        if re.search(r"(?<!y)yy(?!y)", form):
            forms.add(re.sub(r"(?<!y)yy(?!y)", "yyyy", form))
        elif "yyyy" in form:
            forms.add(form.replace("yyyy", "yy"))
        forms.add(re.sub(r"(?<!M)MMMM(?!M)", "MMM", form))
    return forms


def typed_date_patterns() -> list[str]:
    """Every pattern ``parse_typed_date`` tries, for the desk's locale (QLocale())."""
    locale = QLocale()
    patterns: set[str] = {"yyyy-MM-dd", *_NAMED_MONTH}
    for kind in QLocale.FormatType:
        patterns |= _loosened(locale.dateFormat(kind))
    patterns |= _loosened(date_edit_format()) | _loosened(date_edit_format(weekday=True))
    # Four-digit years first: "1/2/2027" must not stop at a two-digit "20".
    return sorted(patterns, key=lambda p: ("yyyy" not in p, -len(p), p))


def parse_typed_date(text: str) -> date | None:
    """The date ``text`` spells in the desk's locale, or None if it spells none (yet)."""
    cleaned = " ".join(text.replace("\u202f", " ").split()).strip(" ,")
    if not cleaned:
        return None
    locale = QLocale()
    for pattern in typed_date_patterns():
        parsed = locale.toDate(cleaned, pattern)
        if not parsed.isValid():
            continue
        if "yyyy" not in pattern and parsed.year() < 2000:
            parsed = parsed.addYears(100)  # "6/30/27" is 2027, not 1927
        if EARLIEST <= parsed <= LATEST:
            return to_date(parsed)
    return None


class DateField(QWidget):
    """``date()``/``setDate()`` and ``dateChanged`` as a QDateEdit has them (QDate);
    ``day()`` gives the Python date. Text that is no date (yet) keeps the last date and
    shows a red frame; leaving the field puts that last date back."""

    dateChanged = Signal(QDate)  # noqa: N815 (QDateEdit's name, so the field swaps in)

    def __init__(
        self,
        object_name: str,
        accessible_name: str,
        day: dt.date | QDate | None = None,
        parent: QWidget | None = None,
        *,
        weekday: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self._weekday = weekday
        self._date = QDate.currentDate()
        self._minimum = EARLIEST
        self._maximum = LATEST
        self.edit = QLineEdit(self)
        self.edit.setObjectName(f"{object_name}Text")
        self.edit.setAccessibleName(accessible_name)
        self.popup_button = QToolButton(self)
        self.popup_button.setObjectName(f"{object_name}Calendar")
        self.popup_button.setText("▾")
        self.popup_button.setAccessibleName(f"Pick {accessible_name.lower()} on a calendar")
        self.popup_button.setToolTip("Pick on a calendar (Alt+Down)")
        self.popup_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.popup_button.clicked.connect(lambda: self.show_calendar())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.popup_button)
        self.setFocusProxy(self.edit)
        self.popup = QFrame(self, Qt.WindowType.Popup)
        self.popup.setObjectName(f"{object_name}Popup")
        self.popup.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self.popup)
        self.calendar.setObjectName(f"{object_name}CalendarWidget")
        self.calendar.setAccessibleName(accessible_name)
        self.calendar.setGridVisible(False)
        popup_layout = QVBoxLayout(self.popup)
        popup_layout.setContentsMargins(0, 0, 0, 0)
        popup_layout.addWidget(self.calendar)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.edit.textEdited.connect(self._typed)
        self.edit.editingFinished.connect(self._show_date)
        self.edit.installEventFilter(self)
        self.setDate(to_qdate(day) if isinstance(day, dt.date) else day or self._date)

    # --- what QDateEdit offers --------------------------------------------------------------

    def date(self) -> QDate:
        return QDate(self._date)

    def day(self) -> dt.date:
        return to_date(self._date)

    def setDate(self, value: QDate | dt.date) -> None:
        qdate = to_qdate(value) if isinstance(value, dt.date) else QDate(value)
        self._set(self._bounded(qdate))
        self._show_date()

    def setMinimumDate(self, value: QDate) -> None:
        self._minimum = QDate(value)
        self.calendar.setMinimumDate(value)
        if self._date < value:
            self.setDate(value)

    def setMaximumDate(self, value: QDate) -> None:
        self._maximum = QDate(value)
        self.calendar.setMaximumDate(value)
        if self._date > value:
            self.setDate(value)

    def text(self) -> str:
        return self.edit.text()

    def is_valid_text(self) -> bool:
        """Whether the text on screen is a date (the field is not mid-edit or wrong)."""
        return parse_typed_date(self.edit.text()) is not None

    # --- the calendar -----------------------------------------------------------------------

    def show_calendar(self) -> None:
        """Open the calendar under the field on the current date."""
        self.calendar.setSelectedDate(self._date)
        self.popup.adjustSize()
        self.popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        self.popup.show()
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _picked(self, value: QDate) -> None:
        self.popup.hide()
        self.setDate(value)
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)

    # --- behaviour --------------------------------------------------------------------------

    def _bounded(self, value: QDate) -> QDate:
        return max(self._minimum, min(self._maximum, value))

    def _set(self, value: QDate) -> None:
        if value != self._date:
            self._date = value
            self.dateChanged.emit(QDate(value))

    def _typed(self, text: str) -> None:
        typed = parse_typed_date(text)
        fits = typed is not None and self._minimum <= to_qdate(typed) <= self._maximum
        self.edit.setStyleSheet("" if fits or not text.strip() else _INVALID_STYLE)
        if typed is not None and fits:
            self._set(to_qdate(typed))

    def _show_date(self) -> None:
        self.edit.setStyleSheet("")
        self.edit.setText(QLocale().toString(self._date, date_edit_format(weekday=self._weekday)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            alt_down = event.key() == Qt.Key.Key_Down and (
                event.modifiers() & Qt.KeyboardModifier.AltModifier
            )
            if alt_down or event.key() == Qt.Key.Key_F4:
                self.show_calendar()
                return True
        return super().eventFilter(watched, event)
