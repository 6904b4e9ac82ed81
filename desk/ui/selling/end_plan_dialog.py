"""End a member's plan: the end date, what happens to its credits and to its bookings
after the end, previewed before anything is written (SalesService.preview_end_plan)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from desk.services.core.clock import today
from desk.services.core.errors import DeskError
from desk.services.selling.plan_end import BookingsAtEnd, CreditsAtEnd, PlanEnd
from desk.services.selling.sales_views import SubscriptionView
from desk.ui.shell.context import DeskContext
from desk.ui.shell.submit import ErrorFields, submit
from desk.ui.widgets.date_field import DateField
from desk.ui.widgets.dialog_buttons import action_buttons
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.formatting import format_date, format_datetime, format_money

CREDIT_CHOICES = {
    CreditsAtEnd.KEEP: "Keep them until they expire",
    CreditsAtEnd.EXPIRE: "Expire them now",
    CreditsAtEnd.REFUND: "Refund their unused share to the account",
}
BOOKING_CHOICES = {
    BookingsAtEnd.KEEP: "Keep them (paid by the plan's credits already)",
    BookingsAtEnd.CANCEL: "Cancel them (their credits come back, then as above)",
}


def open_plans(plans: list[SubscriptionView], on: date) -> list[SubscriptionView]:
    """The plans that can still be ended: no end date, or one after ``on``."""
    return [sub for sub in plans if sub.ends_on is None or sub.ends_on > on]


def describe_end(end: PlanEnd, ctx: DeskContext) -> str:
    """The preview in words: what ending would do to the credits and the bookings."""
    open_credits = sum(lot.open_credits for lot in end.lots)
    lines = [f"{end.plan_name} is not billed from {format_date(end.ends_on)} on."]
    if end.credits == CreditsAtEnd.KEEP:
        lines.append(f"{open_credits} open credit(s) stay until their expiry.")
    elif end.credits == CreditsAtEnd.EXPIRE:
        lines.append(f"{end.credits_removed} open credit(s) expire now.")
    else:
        lines.append(
            f"{end.credits_removed} open credit(s) are refunded: "
            f"{format_money(end.refund_cents)} to the account."
        )
    tz = ctx.services.clock.tz
    if not end.bookings_after_end:
        lines.append("No bookings of the plan's credits on or after the end.")
    for booking in end.bookings_after_end:
        verb = "cancelled" if end.bookings_cancelled else "kept"
        lines.append(
            f"{booking.appointment_type} {format_datetime(booking.starts_at, tz)}: {verb}."
        )
    return "\n".join(lines)


class EndPlanDialog(QDialog):
    def __init__(
        self,
        ctx: DeskContext,
        plans: list[SubscriptionView],
        member_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._plans = plans
        self.result_end: PlanEnd | None = None
        self.setObjectName("EndPlanDialog")
        self.setWindowTitle(f"End a plan of {member_name}")
        self.setMinimumWidth(520)
        on = today(ctx.services.clock)
        self.plan = QComboBox(self)
        self.plan.setObjectName("endPlanField")
        self.plan.setAccessibleName("Plan")
        for sub in plans:
            self.plan.addItem(f"{sub.plan_name} from {format_date(sub.starts_on)}", sub.id)
        self.ends = DateField("endPlanOnField", "Plan ends on", on + timedelta(days=1), self)
        self.credits = QComboBox(self)
        self.credits.setObjectName("endPlanCreditsField")
        self.credits.setAccessibleName("Its open credits")
        for credit_choice, text in CREDIT_CHOICES.items():
            self.credits.addItem(text, credit_choice.value)
        self.bookings = QComboBox(self)
        self.bookings.setObjectName("endPlanBookingsField")
        self.bookings.setAccessibleName("Its bookings after the end")
        for booking_choice, text in BOOKING_CHOICES.items():
            self.bookings.addItem(text, booking_choice.value)
        self.preview = QLabel(self)
        self.preview.setObjectName("endPlanPreview")
        self.preview.setWordWrap(True)
        self.error = FieldError("endPlanError", self)
        form = QFormLayout()
        form.addRow("Plan", self.plan)
        form.addRow("Ends on (first day without it)", self.ends)
        form.addRow("Its open credits", self.credits)
        form.addRow("Its bookings after the end", self.bookings)
        form.addRow("", self.error)
        buttons, self.end_button = action_buttons(self, "End plan", "endPlanButton", self._save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>What happens</b>", self))
        layout.addWidget(self.preview)
        layout.addStretch(1)
        layout.addWidget(buttons)
        for signal in (
            self.plan.currentIndexChanged, self.ends.dateChanged,
            self.credits.currentIndexChanged, self.bookings.currentIndexChanged,
        ):  # fmt: skip
            signal.connect(self._show_preview)
        self._show_preview()

    @classmethod
    def ask(
        cls,
        ctx: DeskContext,
        parent: QWidget | None,
        plans: list[SubscriptionView],
        member_name: str,
    ) -> PlanEnd | None:
        dialog = cls(ctx, plans, member_name, parent)
        dialog.exec()
        return dialog.result_end

    def _choices(self) -> tuple[int, CreditsAtEnd, BookingsAtEnd] | None:
        sub = self.plan.currentData()
        if sub is None:
            return None
        return (
            int(sub),
            CreditsAtEnd(self.credits.currentData()),
            BookingsAtEnd(self.bookings.currentData()),
        )

    def _show_preview(self) -> None:
        """Ask the service what ending would do (a read); its refusal shows as the error."""
        choices = self._choices()
        if choices is None:
            self.end_button.setEnabled(False)
            return
        sub, credits, bookings = choices
        try:
            end = self._ctx.services.sales.preview_end_plan(
                sub, ends_on=self.ends.day(), credits=credits, bookings=bookings
            )
        except DeskError as exc:
            self.preview.setText("")
            self.error.show_message(exc.message)
            self.end_button.setEnabled(False)
            return
        self.error.clear_message()
        self.preview.setText(describe_end(end, self._ctx))
        self.end_button.setEnabled(True)

    def _save(self) -> None:
        choices = self._choices()
        if choices is None:
            return
        sub, credits, bookings = choices
        ends_on = self.ends.day()
        sales = self._ctx.services.sales
        submit(
            self,
            self._ctx.runner,
            lambda: sales.end_plan(
                sub, ends_on=ends_on, credits=credits, bookings=bookings, actor=self._ctx.actor
            ),
            ErrorFields(otherwise=self.error),
            button=self.end_button,
            on_saved=self._saved,
        )

    def _saved(self, end: PlanEnd) -> None:
        self.result_end = end
