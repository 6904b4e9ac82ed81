"""Add a member to a repeating group session's standing roster: they are booked into
this session and every following one of its series that has room, each paid by a
credit of their own; the full ones are listed as left out."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from desk.services.core.errors import DeskError
from desk.services.core.ids import AppointmentId, MemberId
from desk.services.core.read_models import AppointmentView, SeriesResult
from desk.ui.members.member_field import member_field, member_problem
from desk.ui.shell.context import DeskContext
from desk.ui.shell.messages import show_failure
from desk.ui.widgets.dialog_buttons import action_buttons
from desk.ui.widgets.field_error import FieldError


def series_words(result: SeriesResult, name: str) -> str:
    """What adding to a series did, for the status line."""
    booked, skipped = len(result.booked), len(result.skipped)
    text = f"Added {name} to {booked} session{'s' if booked != 1 else ''} of the series"
    return text + (f"; {skipped} full or not covered by a credit, left out." if skipped else ".")


class AddToSeriesDialog(QDialog):
    def __init__(self, ctx: DeskContext, appt: AppointmentView, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._appt = appt
        self.result_series: SeriesResult | None = None
        self.setObjectName("AddToSeriesDialog")
        self.setWindowTitle("Add a member to this series")
        self.member = member_field(
            ctx, self, object_name="seriesMemberField", accessible_name="Member to add",
            member_id=None, member_name="",
        )  # fmt: skip
        self.member_error = FieldError("seriesMemberError", self)
        intro = QLabel(
            f"Book a member into this {appt.appointment_type} session with {appt.staff_name} "
            "and every following one of the series that has room.",
            self,
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Member", self.member)
        form.addRow("", self.member_error)
        buttons, self.add_button = action_buttons(
            self, "Add to series", "addToSeriesButton", self._add
        )
        self.add_button.setEnabled(False)
        self.member.member_changed.connect(self._member_changed)
        self.member.textChanged.connect(
            lambda _t: self.member_error.show_message(member_problem(self.member))
        )
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _member_changed(self, member_id: object) -> None:
        self.add_button.setEnabled(member_id is not None)

    def _add(self) -> None:
        member_id = self.member.member_id()
        if member_id is None or not self.add_button.isEnabled():
            return
        booking, appt = self._ctx.services.booking, self._appt
        self.add_button.setEnabled(False)

        def done(result: SeriesResult) -> None:
            self.result_series = result
            self.accept()

        def refused(exc: DeskError) -> None:
            self.add_button.setEnabled(True)
            self.member_error.show_message(exc.message)

        def failed(exc: BaseException) -> None:
            self.add_button.setEnabled(True)
            show_failure(self, exc)

        self._ctx.runner.run(
            lambda: booking.add_to_series(
                AppointmentId(appt.id), member_id=MemberId(member_id), actor=self._ctx.actor
            ),
            origin=self,
            on_done=done,
            on_refused=refused,
            on_failed=failed,
        )
