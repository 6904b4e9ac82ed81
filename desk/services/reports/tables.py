"""Every report as one plain table: what the command line prints and what Export CSV writes.

Money is in "1234.56" form (what a spreadsheet reads as a number), dates in ISO
form, times in the gym's local time. The screen formats the read models itself
in the desk's locale; these tables are for files and terminals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from desk.services.reports.attendance import Attendance, AttendanceRow
from desk.services.reports.coach_pay import CoachPay
from desk.services.reports.end_of_day import EndOfDay
from desk.services.reports.expiring import Expiring
from desk.services.reports.liability import Liability, LiabilityMovement
from desk.services.reports.sales import Sales, SalesRow

Cell = str | int


@dataclass(frozen=True, slots=True)
class ReportTable:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric: frozenset[int] = frozenset()
    """Columns that hold numbers (right-aligned in a terminal)."""


def money(cents: int) -> str:
    """12345 -> "123.45", -5 -> "-0.05"."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def _when(moment: datetime | None, tz: tzinfo) -> str:
    return "" if moment is None else moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def liability_table(report: Liability) -> ReportTable:
    rows: list[tuple[Cell, ...]] = []
    for group, items in (("type", report.by_type), ("source", report.by_source),
                         ("expiry month", report.by_expiry_month)):  # fmt: skip
        rows += [(group, g.label, g.credits, money(g.value_cents)) for g in items]
    rows.append(("total", "", report.credits, money(report.value_cents)))
    return ReportTable(
        f"Credit liability as of {report.as_of.isoformat()}",
        ("Group", "Label", "Credits", "Value"), tuple(rows), frozenset({2, 3}),
    )  # fmt: skip


def movement_table(report: LiabilityMovement) -> ReportTable:
    lines = (
        ("Opening value", report.opening_cents), ("+ sold", report.sold_cents),
        ("+ adjusted", report.adjusted_cents), ("- used", report.used_cents),
        ("- forfeited", report.forfeited_cents), ("- expired", report.expired_cents),
        ("- voided", report.voided_cents), ("= closing value", report.closing_cents),
    )  # fmt: skip
    return ReportTable(
        f"Liability movement {report.first.isoformat()} to {report.last.isoformat()}",
        ("Line", "Amount"), tuple((label, money(c)) for label, c in lines), frozenset({1}),
    )  # fmt: skip


def expiring_table(report: Expiring, tz: tzinfo) -> ReportTable:
    rows: list[tuple[Cell, ...]] = [
        (r.member_id, r.name, r.email, r.phone, r.credits, money(r.value_cents),
         r.first_expiry.isoformat(), r.types, _when(r.next_booking, tz))
        for r in report.rows
    ]  # fmt: skip
    rows.append(("", "Total", "", "", report.credits, money(report.value_cents), "", "", ""))
    return ReportTable(
        f"Credits expiring {report.first.isoformat()} to {report.last.isoformat()}",
        ("Member ID", "Name", "Email", "Phone", "Credits", "Value", "Expires", "Types",
         "Next booking"),
        tuple(rows), frozenset({0, 4, 5}),
    )  # fmt: skip


def attendance_table(report: Attendance) -> ReportTable:
    def line(group: str, r: AttendanceRow) -> tuple[Cell, ...]:
        return (group, r.label, r.booked, r.attended, r.no_show, r.late_cancelled,
                r.cancelled, r.still_open, "")  # fmt: skip

    rows = [line("total", report.total)]
    for group, items in (("type", report.by_type), ("coach", report.by_coach),
                         ("week", report.by_week)):  # fmt: skip
        rows += [line(group, r) for r in items]
    rows += [
        ("member", r.name, r.sessions, "", r.no_shows, "", "", "",
         r.rate_percent)
        for r in report.no_shows
    ]  # fmt: skip
    return ReportTable(
        f"Attendance {report.first.isoformat()} to {report.last.isoformat()}",
        ("Group", "Label", "Booked", "Attended", "No-show", "Late cancel",
         "Cancelled", "Still booked", "No-show %"),
        tuple(rows), frozenset(range(2, 9)),
    )  # fmt: skip


def _sales_line(r: SalesRow) -> tuple[Cell, ...]:
    return (r.label, r.packages_sold, money(r.package_cents), money(r.plan_cents),
            money(r.other_charge_cents), money(r.payment_cents), money(r.credit_given_cents),
            money(r.refund_cents), r.voids, money(r.void_credit_cents))  # fmt: skip


def sales_table(report: Sales) -> ReportTable:
    rows = [_sales_line(r) for r in report.rows] + [_sales_line(report.total)]
    rows.append(("Account credit carried", "", money(report.credit_carried_cents),
                 *[""] * 7))  # fmt: skip
    rows.append(("Owed", "", money(report.owed_cents), *[""] * 7))
    return ReportTable(
        f"Sales and account {report.first.isoformat()} to {report.last.isoformat()} "
        f"by {report.by}",
        ("Period", "Packages sold", "Packages", "Plans", "Other charges", "Payments",
         "Account credit given", "Refunds", "Voids", "Credit from voids"),
        tuple(rows), frozenset(range(1, 10)),
    )  # fmt: skip


def end_of_day_table(report: EndOfDay, tz: tzinfo) -> ReportTable:
    rows: list[tuple[Cell, ...]] = []
    for section, sessions in (("check-in", report.check_ins), ("no-show", report.no_shows)):
        rows += [(section, _when(s.at, tz), s.member, s.appointment_type, s.coach, "")
                 for s in sessions]  # fmt: skip
    m = report.money
    for label, value in (
        ("packages sold", m.package_cents), ("plans billed", m.plan_cents),
        ("other charges", m.other_charge_cents), ("payments", m.payment_cents),
        ("account credit given", m.credit_given_cents), ("refunds", m.refund_cents),
        ("credit from voids", m.void_credit_cents),
    ):  # fmt: skip
        rows.append(("money", "", "", "", label, money(value)))
    rows += [
        ("void or adjustment", _when(c.at, tz), c.member, c.appointment_type, c.by,
         f"{c.credits:+d}: {c.reason}")
        for c in report.changes
    ]  # fmt: skip
    return ReportTable(
        f"End of day {report.day.isoformat()}",
        ("Section", "Time", "Member", "Type", "Coach / who", "Detail"), tuple(rows),
    )  # fmt: skip


def coach_pay_table(report: CoachPay, tz: tzinfo) -> ReportTable:
    rows: list[tuple[Cell, ...]] = []
    for coach in report.coaches:
        rows += [
            (coach.coach, s.appointment_id, _when(s.starts_at, tz), s.member, s.appointment_type,
             money(s.credit_value_cents), s.rule, money(s.pay_cents))
            for s in coach.sessions
        ]  # fmt: skip
        rows.append((coach.coach, "", "", f"{len(coach.sessions)} sessions", "", "", "total",
                     money(coach.pay_cents)))  # fmt: skip
    rows.append(("All coaches", "", "", f"{report.sessions} sessions", "", "", "total",
                 money(report.pay_cents)))  # fmt: skip
    return ReportTable(
        f"Coach pay {report.first.isoformat()} to {report.last.isoformat()}",
        ("Coach", "Session", "Starts", "Member", "Type", "Credit value", "Rule", "Pay"),
        tuple(rows), frozenset({1, 5, 7}),
    )  # fmt: skip


def cells(table: ReportTable) -> Sequence[Sequence[str]]:
    """The rows as text, for a terminal."""
    return [[str(c) for c in row] for row in table.rows]
