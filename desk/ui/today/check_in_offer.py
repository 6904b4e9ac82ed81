"""The search bar's check-in: Enter on a member with a session today offers to check in.

"Check in Ann Smith for 10:00 Personal Training with Kim?" — Check in / Open profile
(Esc does neither). A member without a session to check in today opens their profile
as Enter always did.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desk.services.calendar.today import TodayRow
from desk.services.core.ids import MemberId
from desk.ui.shell.context import DeskContext
from desk.ui.today.appointment_actions import AppointmentActions
from desk.ui.widgets.formatting import format_time


class CheckInOffer(QObject):
    open_profile = Signal(int)
    done = Signal(str)

    def __init__(self, ctx: DeskContext, parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._parent = parent
        self.actions = AppointmentActions(ctx, parent)
        self.actions.done.connect(self.done)

    def member_chosen(self, member_id: int) -> None:
        # One indexed query of the member's day (as the search itself, on the GUI thread).
        offer = self._ctx.services.booking.check_in_offer(MemberId(member_id))
        if offer is None:
            self.open_profile.emit(member_id)
            return
        choice = self.ask(offer)
        if choice == "check_in":
            self.actions.check_in(offer.appointment)
        elif choice == "profile":
            self.open_profile.emit(member_id)

    def ask(self, offer: TodayRow) -> str | None:
        """ "check_in", "profile", or None (Esc)."""
        appt = offer.appointment
        tz = self._ctx.services.clock.tz
        box = QMessageBox(self._parent)
        box.setObjectName("checkInOffer")
        box.setWindowTitle("Check in")
        box.setIcon(QMessageBox.Icon.Question)
        box.setText(
            f"Check in {appt.member_name} for {format_time(appt.starts_at, tz)} "
            f"{appt.appointment_type} with {appt.staff_name}?"
        )
        if offer.out_of_credits:
            box.setInformativeText(f"No {appt.appointment_type} credits left after this one.")
        check_in = box.addButton("Check in", QMessageBox.ButtonRole.AcceptRole)
        check_in.setObjectName("offerCheckInButton")
        profile = box.addButton("Open profile", QMessageBox.ButtonRole.ActionRole)
        profile.setObjectName("offerOpenProfileButton")
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(check_in)
        box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is check_in:
            return "check_in"
        if clicked is profile:
            return "profile"
        return None
