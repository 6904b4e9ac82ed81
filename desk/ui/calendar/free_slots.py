"""Free times to pick: the next slots after a refused time, and "Find a time".

``SlotButtons`` shows why a time can't be booked and a button for each of the
next free slots; ``FindTimeDialog`` lists the free slots of a type over a range
of days, across the coaches who deliver it or with one coach. Both hand back a
``FreeSlot`` that the booking form fills itself from.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.errors import FreeSlot
from desk.services.core.ids import AppointmentTypeId, StaffId
from desk.ui.calendar.availability_words import slot_words
from desk.ui.shell.context import DeskContext
from desk.ui.widgets.date_field import DateField
from desk.ui.widgets.dialog_buttons import action_buttons
from desk.ui.widgets.table_model import Column, RowRole, RowTableModel

FIND_LIMIT = 60


class SlotButtons(QWidget):
    """A sentence saying why, and one button per free slot; ``picked`` says which."""

    picked = Signal(object)

    def __init__(self, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("freeSlots")
        self._tz = tz
        self.reason = QLabel(self)
        self.reason.setObjectName("unavailableReason")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("color: #b42318;")
        self._row = QHBoxLayout()
        self._row.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.reason)
        layout.addLayout(self._row)
        self.buttons: list[QPushButton] = []
        self.hide()

    def show_slots(self, sentence: str, slots: Sequence[FreeSlot]) -> None:
        for button in self.buttons:
            self._row.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        tail = " Next free:" if slots else " No free time in the next four weeks."
        self.reason.setText(sentence + tail)
        for n, slot in enumerate(slots):
            # The next free times are the same coach's: the day and time say it all.
            button = QPushButton(slot_words(slot, self._tz, with_staff=False), self)
            button.setObjectName(f"freeSlot{n}")
            button.setAccessibleName(f"Book at {slot_words(slot, self._tz)}")
            button.clicked.connect(lambda _checked=False, s=slot: self.picked.emit(s))
            self._row.addWidget(button)
            self.buttons.append(button)
        self._row.addStretch(1)
        self.show()

    def clear(self) -> None:
        self.reason.clear()
        self.hide()


class SlotModel(RowTableModel[FreeSlot]):
    def __init__(self, tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = (Column[FreeSlot]("Free time", lambda s: slot_words(s, tz)),)


class FindTimeDialog(QDialog):
    """Free slots of one type from a first to a last day, with any coach or one."""

    def __init__(
        self,
        ctx: DeskContext,
        *,
        type_id: int,
        type_name: str,
        staff_id: int | None,
        first_day: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._tz = ctx.services.clock.tz
        self._type_id = type_id
        self.chosen: FreeSlot | None = None
        self.setObjectName("FindTimeDialog")
        self.setWindowTitle(f"Find a time for {type_name}")
        self.setMinimumSize(460, 420)
        self.first_day = DateField("findFromField", "From", first_day, self)
        self.last_day = DateField("findToField", "To", first_day + timedelta(days=6), self)
        self.coach = QComboBox(self)
        self.coach.setObjectName("findCoachField")
        self.coach.setAccessibleName("Coach")
        self.coach.addItem("Any coach", None)
        for person in ctx.services.staff.list():
            if person.takes_bookings:
                self.coach.addItem(person.name, person.id)
        if staff_id is not None and self.coach.findData(staff_id) >= 0:
            self.coach.setCurrentIndex(self.coach.findData(staff_id))
        self.find_button = QPushButton("Find", self)
        self.find_button.setObjectName("findButton")
        self.find_button.setAccessibleName("Find free times")
        self.find_button.clicked.connect(self.look)
        self.model = SlotModel(self._tz, self)
        self.slots = QListView(self)
        self.slots.setObjectName("freeSlotList")
        self.slots.setAccessibleName("Free times")
        self.slots.setModel(self.model)
        self.slots.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.slots.doubleClicked.connect(self._picked)
        self.status = QLabel(self)
        self.status.setObjectName("findStatus")
        form = QFormLayout()
        form.addRow("From", self.first_day)
        form.addRow("To", self.last_day)
        row = QHBoxLayout()
        row.addWidget(self.coach, 1)
        row.addWidget(self.find_button)
        form.addRow("Coach", row)
        buttons, self.use_button = action_buttons(self, "Use this time", "useSlotButton",
                                                  self._use)  # fmt: skip
        self.slots.selectionModel().currentChanged.connect(
            lambda *_: self.use_button.setEnabled(self.slots.currentIndex().isValid())
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.slots, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.look()

    def look(self) -> None:
        first, last = self.first_day.day(), self.last_day.day()
        start = datetime.combine(first, time()).replace(tzinfo=self._tz)
        end = datetime.combine(last + timedelta(days=1), time()).replace(tzinfo=self._tz)
        staff = self.coach.currentData()
        found = self._ctx.services.availability.find_free_slots(
            AppointmentTypeId(self._type_id), start, end,
            staff_id=StaffId(staff) if staff is not None else None, limit=FIND_LIMIT,
        )  # fmt: skip
        self.model.set_rows(found)
        self.use_button.setEnabled(False)
        if found:
            self.slots.setCurrentIndex(self.model.index(0, 0))
        self.status.setText(
            f"{len(found)} free time{'s' if len(found) != 1 else ''}"
            + (" (the first ones)" if len(found) == FIND_LIMIT else "")
            if found
            else "No free time in those days."
        )

    def _picked(self, index: QModelIndex) -> None:
        self.slots.setCurrentIndex(index)
        self._use()

    def _use(self) -> None:
        index = self.slots.currentIndex()
        if not index.isValid():
            return
        self.chosen = index.data(RowRole)
        self.accept()

    @classmethod
    def ask(cls, ctx: DeskContext, parent: QWidget | None, **kwargs: object) -> FreeSlot | None:
        dialog = cls(ctx, parent=parent, **kwargs)  # type: ignore[arg-type]
        dialog.exec()
        return dialog.chosen
