"""The booking dialog's free times: the next slots after a time the coach can't
take, "Find a time", and the reason asked for when a type's notice or horizon is
overridden.

``BookingSlots`` is mixed into ``BookingDialog``, which has the form's widgets.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QInputDialog, QLineEdit

from desk.services.calendar.availability_rules import OFFER_DAYS, OFFERED
from desk.services.core.errors import BookingRuleWarning, FreeSlot
from desk.services.core.ids import AppointmentTypeId, StaffId
from desk.ui.calendar.availability_words import unavailable_sentence
from desk.ui.calendar.booking_form import BookingForm
from desk.ui.calendar.booking_words import clash_sentence
from desk.ui.calendar.free_slots import FindTimeDialog

if TYPE_CHECKING:
    from desk.services.core.read_models import OccurrencePlan
    from desk.ui.shell.context import DeskContext


class BookingSlots(BookingForm):
    """Mixed into BookingDialog (``_ctx``, ``_plans``, ``refresh``)."""

    if TYPE_CHECKING:
        _ctx: DeskContext
        _plans: list[OccurrencePlan]

        def refresh(self) -> None: ...

    def _wire_slots(self) -> None:
        self.free_slots.picked.connect(self._pick_slot)
        self.find_time_button.clicked.connect(self._find_time)

    def _offer_slots(self) -> None:
        """A single session the coach can't take: say why, offer the next free times."""
        plan = self._plans[0] if len(self._plans) == 1 else None
        type_id, staff_id = self.appointment_type.currentData(), self.staff.currentData()
        if plan is None or plan.conflict is None or type_id is None or staff_id is None:
            self.free_slots.clear()
            return
        if plan.clash is not None:
            sentence = clash_sentence(plan.clash, self._tz)
        elif plan.unavailable is not None:
            sentence = unavailable_sentence(plan.unavailable)
        else:
            sentence = plan.conflict
        slots = self._ctx.services.availability.find_free_slots(
            AppointmentTypeId(type_id), plan.starts_at,
            plan.starts_at + timedelta(days=OFFER_DAYS), staff_id=StaffId(staff_id),
            limit=OFFERED,
        )  # fmt: skip
        self.free_slots.show_slots(sentence, slots)

    def _pick_slot(self, slot: FreeSlot) -> None:
        """Fill the form from a free slot (its coach, day and time)."""
        local = slot.starts_at.astimezone(self._tz)
        index = self.staff.findData(slot.staff_id)
        for widget in (self.staff, self.start_date, self.start_time):
            widget.blockSignals(True)
        if index >= 0:
            self.staff.setCurrentIndex(index)
        self.start_date.setDate(local.date())
        self.start_time.setTime(QTime(local.hour, local.minute))
        for widget in (self.staff, self.start_date, self.start_time):
            widget.blockSignals(False)
        self.refresh()

    def _find_time(self) -> None:
        type_id = self.appointment_type.currentData()
        if type_id is None:
            return
        slot = FindTimeDialog.ask(
            self._ctx, self, type_id=type_id, type_name=self.appointment_type.currentText(),
            staff_id=None, first_day=self.start_date.day(),
        )  # fmt: skip
        if slot is not None:
            self._pick_slot(slot)

    def _override_reason(self, warning: BookingRuleWarning) -> str | None:
        """Ask why the type's notice or horizon is overridden; None when not given."""
        reason, ok = QInputDialog.getText(
            self, "Book anyway?", f"{warning.message}\n\nReason:", QLineEdit.EchoMode.Normal, ""
        )
        return reason.strip() if ok and reason.strip() else None
