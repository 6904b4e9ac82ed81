"""Book a member's credit onto a time, once or on a weekly pattern."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from desk.services.calendar.recurrence import Repeat
from desk.services.core.changes import Changes
from desk.services.core.errors import (
    BookingRuleWarning,
    DeskError,
    StartsInThePast,
    ValidationError,
)
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import OccurrencePlan, SeriesResult, WaitlistEntryView
from desk.ui.calendar.booking_form import (
    REPEAT_EVERY_N,
    REPEAT_NONE,
    REPEAT_WEEKDAYS,
    REPEAT_WEEKLY,
)
from desk.ui.calendar.booking_slots import BookingSlots
from desk.ui.calendar.booking_words import first_session_words, fit_words
from desk.ui.calendar.unpaid_offer import UnpaidOffer
from desk.ui.members.add_credits_dialog import AddCreditsDialog
from desk.ui.members.member_field import member_problem
from desk.ui.shell.context import DeskContext
from desk.ui.shell.messages import show_error, show_failure
from desk.ui.widgets.qdate import to_date

__all__ = ["REPEAT_EVERY_N", "REPEAT_NONE", "REPEAT_WEEKDAYS", "REPEAT_WEEKLY", "BookingDialog"]


TAKEN_MEANWHILE = (
    "Someone just booked a time or a credit this form showed free: see the sessions below."
)


class BookingDialog(BookingSlots, QDialog):
    def __init__(
        self,
        ctx: DeskContext,
        *,
        member_id: int | None = None,
        member_name: str = "",
        staff_id: int | None = None,
        starts_at: datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._tz = ctx.services.clock.tz
        self._plans: list[OccurrencePlan] = []
        self._allow_past = False
        self.result_series: SeriesResult | None = None
        self.setObjectName("BookingDialog")
        self.setWindowTitle("Book a session")
        self.setMinimumWidth(620)

        local = (starts_at or self._next_slot()).astimezone(self._tz)
        # Sessions start on the quarter hour.
        local = local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)
        self._build_form(
            ctx, local, member_id=member_id, member_name=member_name, staff_id=staff_id
        )

        self.unpaid_offer = UnpaidOffer(self, ctx, self.book_button, self._save, self.credit_error)
        # Wired last: every widget exists before the first refresh runs.
        if member_id is not None:
            self._pick_type_with_credits(member_id)
        self.appointment_type.currentIndexChanged.connect(self._type_changed)
        self.add_credits.clicked.connect(self._add_credits)
        self.waitlist_button.clicked.connect(self._join_waitlist)
        self.result_waitlist: WaitlistEntryView | None = None
        self.member.member_changed.connect(self._member_changed)
        # Typing a name nobody has picked yet changes no member, so no refresh runs:
        # say at once that a member must be picked from the suggestions.
        self.member.textChanged.connect(
            lambda _text: self.member_error.show_message(member_problem(self.member))
        )
        for signal in (
            self.lot_picker.currentIndexChanged,
            self.staff.currentIndexChanged,
            self.start_date.dateChanged,
            self.start_time.timeChanged,
            self.duration.valueChanged,
            self.repeat.currentIndexChanged,
            self.interval.valueChanged,
            self.count.valueChanged,
            self.until.dateChanged,
            self.end_after.toggled,
        ):
            signal.connect(self.refresh)
        for box in self.weekdays:
            box.toggled.connect(self.refresh)
        self._wire_slots()
        self.refresh()
        ctx.hub.changed.connect(self._elsewhere_changed)

    def _elsewhere_changed(self, changes: Changes, origin: object = None) -> None:
        """Another desk (or screen) booked or changed credits while this form is open:
        check the form's sessions again, keep what was typed, and say if a time it
        showed free was taken meanwhile."""
        if origin is self or not (
            changes.appointments or changes.bookings or changes.credits or changes.everything
        ):
            return
        free_before = sum(1 for p in self._plans if p.bookable)
        self.refresh()
        if sum(1 for p in self._plans if p.bookable) < free_before:
            self.member_error.show_message(TAKEN_MEANWHILE)

    @classmethod
    def ask(
        cls,
        ctx: DeskContext,
        parent: QWidget | None,
        *,
        member_id: int | None = None,
        member_name: str = "",
        staff_id: int | None = None,
        starts_at: datetime | None = None,
    ) -> SeriesResult | None:
        dialog = cls(
            ctx,
            member_id=member_id,
            member_name=member_name,
            staff_id=staff_id,
            starts_at=starts_at,
            parent=parent,
        )
        dialog.exec()
        return dialog.result_series

    # --- form state -----------------------------------------------------------------------

    def _next_slot(self) -> datetime:
        now = self._ctx.services.clock.now().astimezone(self._tz)
        return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)

    def starts_at(self) -> datetime:
        day = to_date(self.start_date.date())
        clock = self.start_time.time()
        wall = datetime.combine(day, time(clock.hour(), clock.minute()))
        return wall.replace(tzinfo=self._tz)

    def repeat_rule(self) -> Repeat | None:
        mode = self.repeat.currentIndex()
        if mode == REPEAT_NONE:
            return None
        interval = self.interval.value() if mode == REPEAT_EVERY_N else 1
        weekdays = (
            tuple(n for n, box in enumerate(self.weekdays) if box.isChecked())
            if mode == REPEAT_WEEKDAYS
            else ()
        )
        if self.end_after.isChecked():
            return Repeat(interval_weeks=interval, weekdays=weekdays, count=self.count.value())
        return Repeat(interval_weeks=interval, weekdays=weekdays, until=to_date(self.until.date()))

    def _member_changed(self) -> None:
        member_id = self.member.member_id()
        if member_id is not None:
            self._pick_type_with_credits(member_id)
        self.refresh()

    def _pick_type_with_credits(self, member_id: int) -> None:
        """Start on the type this member has the most open credits of."""
        balances = self._ctx.services.credits.balances(MemberId(member_id))
        best = max(balances, key=lambda b: b.open, default=None)
        if best is None or best.open == 0:
            return
        index = self.appointment_type.findData(best.appointment_type_id)
        if index >= 0:
            self.appointment_type.blockSignals(True)
            self.appointment_type.setCurrentIndex(index)
            self.appointment_type.blockSignals(False)
            self._apply_type_duration()

    def _type_changed(self) -> None:
        self._apply_type_duration()
        self.refresh()

    def refresh(self) -> None:
        """Recompute the preview: conflicts and which credit pays each session."""
        mode = self.repeat.currentIndex()
        self.interval.setVisible(mode == REPEAT_EVERY_N)
        self._form.setRowVisible(self.weekday_widget, mode == REPEAT_WEEKDAYS)
        self._form.setRowVisible(self.end_widget, mode != REPEAT_NONE)
        self.count.setEnabled(self.end_after.isChecked())
        self.until.setEnabled(not self.end_after.isChecked())
        self.repeat_error.clear_message()
        self.credit_error.clear_message()
        self._plans = []
        member_id = self.member.member_id()
        type_id = self.appointment_type.currentData()
        staff_id = self.staff.currentData()
        self.member_error.show_message(member_problem(self.member))
        if member_id is None:
            self.credits_info.setText("Choose a member to see their credits.")
            self.add_credits.hide()
            self.lot_picker.set_lots([])
        elif type_id is None or staff_id is None:
            self.credits_info.setText("Set up an appointment type and a staff member first.")
        else:
            self._show_credits(member_id, type_id)
            try:
                self._plans = self._ctx.services.booking.plan_series(
                    member_id=MemberId(member_id),
                    appointment_type_id=AppointmentTypeId(type_id),
                    staff_id=StaffId(staff_id),
                    starts_at=self.starts_at(),
                    duration=timedelta(minutes=self.duration.value()),
                    repeat=self.repeat_rule(),
                    lot_id=self.lot_picker.picked_lot(),
                )
            except ValidationError as exc:
                (self.repeat_error if exc.field == "repeat" else self.member_error).show_message(
                    exc.message
                )
            except DeskError as exc:
                self.member_error.show_message(exc.message)
        self.preview_model.set_plans(self._plans, self.appointment_type.currentText())
        bookable = sum(1 for p in self._plans if p.bookable)
        full = sum(1 for p in self._plans if p.full)
        busy = sum(1 for p in self._plans if p.conflict) - full
        uncovered = sum(1 for p in self._plans if not p.conflict and p.lot_id is None)
        self.book_button.setEnabled(bookable > 0)
        self.unpaid_offer.update(self._plans)
        self.waitlist_button.setVisible(len(self._plans) == 1 and self._plans[0].full)
        self.book_button.setText("Book" if bookable <= 1 else f"Book {bookable} sessions")
        if not self._plans:
            self.summary.setText("")
        elif busy or uncovered or full:
            reasons = [
                text
                for n, text in (
                    (busy, f"{busy} {fit_words(busy)} the coach's calendar or hours"),
                    (full, f"{full} {'is' if full == 1 else 'are'} full"),
                    (uncovered, f"{uncovered} have no credit to pay for them"),
                )
                if n
            ]
            left_out = busy + full + uncovered
            self.summary.setText(
                f"{bookable} of {len(self._plans)} will be booked; {' and '.join(reasons)} "
                f"and {'is' if left_out == 1 else 'are'} left out."
            )
        else:
            self.summary.setText(f"All {bookable} will be booked.")
        self._offer_slots()

    def _show_credits(self, member_id: int, type_id: int) -> None:
        credits = self._ctx.services.credits
        kind = self.appointment_type.currentText()
        open_now = credits.open_credits(MemberId(member_id), AppointmentTypeId(type_id))
        if open_now == 0:
            self.credits_info.setText(f"No open {kind} credits.")
            self.credit_error.show_message(
                "This member has no credit to pay for the session. Add credits first."
            )
            self.add_credits.show()
            return
        self.add_credits.setVisible(False)
        order = credits.paying_order(MemberId(member_id), AppointmentTypeId(type_id))
        self.lot_picker.set_lots(order)  # in paying order: the first pays unless picked
        first = next((lot for lot in order if lot.lot_id == self.lot_picker.currentData()), None)
        paying = first_session_words(kind, first)
        self.credits_info.setText(
            f"{open_now} open {kind} credit{'s' if open_now != 1 else ''}.{paying}"
        )

    # --- actions ----------------------------------------------------------------------------

    def _add_credits(self) -> None:
        member_id = self.member.member_id()
        if member_id is None:
            return
        name = self.member.text().split(" · ")[0]
        AddCreditsDialog.ask(self._ctx, self, member_id, name)
        # Back to the booking with the new credits counted.
        self.refresh()

    def _save(self) -> None:
        self._book(allow_past=False)

    def _book(self, *, allow_past: bool, override_reason: str | None = None) -> None:
        member_id = self.member.member_id()
        type_id = self.appointment_type.currentData()
        staff_id = self.staff.currentData()
        if member_id is None or type_id is None or staff_id is None:
            return
        if not self.book_button.isEnabled():
            return  # already booking
        self._allow_past = allow_past
        booking = self._ctx.services.booking
        starts_at, notes, unpaid = self.starts_at(), self.notes.text(), self.unpaid_offer.wanted
        duration, repeat = timedelta(minutes=self.duration.value()), self.repeat_rule()
        lot_id = self.lot_picker.picked_lot()
        self.book_button.setEnabled(False)
        self._ctx.runner.run(
            lambda: booking.book_series(
                member_id=MemberId(member_id),
                appointment_type_id=AppointmentTypeId(type_id),
                staff_id=StaffId(staff_id),
                starts_at=starts_at,
                duration=duration,
                repeat=repeat,
                notes=notes,
                allow_past=allow_past,
                override_reason=override_reason,
                lot_id=lot_id,
                unpaid=unpaid,
                actor=self._ctx.actor,
            ),
            origin=self,
            on_done=self._booked,
            on_refused=self._refused,
            on_failed=self._refused,
        )

    def _join_waitlist(self) -> None:
        """The one session asked for is full: wait for a place in it."""
        member_id = self.member.member_id()
        type_id = self.appointment_type.currentData()
        staff_id = self.staff.currentData()
        if member_id is None or type_id is None or staff_id is None or len(self._plans) != 1:
            return
        plan = self._plans[0]
        booking = self._ctx.services.booking
        self.waitlist_button.setEnabled(False)

        def joined(entry: WaitlistEntryView) -> None:
            self.result_waitlist = entry
            self.accept()

        def refused(exc: BaseException) -> None:
            self.waitlist_button.setEnabled(True)
            self._refused(exc)

        self._ctx.runner.run(
            lambda: booking.join_waitlist(
                member_id=MemberId(member_id),
                appointment_type_id=AppointmentTypeId(type_id),
                staff_id=StaffId(staff_id),
                starts_at=plan.starts_at,
                ends_at=plan.ends_at,
                actor=self._ctx.actor,
            ),
            origin=self,
            on_done=joined,
            on_refused=refused,
            on_failed=refused,
        )

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, StartsInThePast):
            self.refresh()
            self._confirm_past()
            return
        if isinstance(exc, BookingRuleWarning) and exc.may_override:
            self.refresh()
            reason = self._override_reason(exc)
            if reason is not None:
                self._book(allow_past=self._allow_past, override_reason=reason)
            return
        if isinstance(exc, DeskError):
            show_error(self, exc)
        else:
            show_failure(self, exc)
        self.refresh()

    def _confirm_past(self) -> None:
        """The start has passed: book it only to record a session that happened."""
        answer = QMessageBox.question(
            self,
            "Book a past session?",
            "That time has passed. Book it anyway, to record a session that happened?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._book(allow_past=True)

    def _booked(self, series: SeriesResult) -> None:
        if not series.booked:
            self.refresh()
            self.credit_error.show_message("Nothing could be booked: see the sessions below.")
            return
        self.result_series = series
        self.accept()
