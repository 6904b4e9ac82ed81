"""Every report as one plain table: what the command line prints and what Export CSV writes.

Cells keep their kind: text, whole numbers, money (``Cents``), dates and
moments. ``text_rows`` writes them for files and terminals: money as "1234.56"
(what a spreadsheet reads as a number), dates in ISO form, times in the gym's
local time; the Reports page formats the same cells in the desk's locale. Each
table also names the figures its chart draws, taken from its own rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from desk.services.reports.attendance import Attendance, AttendanceRow
from desk.services.reports.coach_pay import CoachPay, PaidSession
from desk.services.reports.end_of_day import EndOfDay
from desk.services.reports.expiring import Expiring
from desk.services.reports.liability import Liability, LiabilityMovement
from desk.services.reports.sales import Sales, SalesRow


class Cents(int):
    """A money cell, in cents."""


class Month(date):
    """A month cell (its first day): "2026-11" in files, "Nov 2026" on the desk."""

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month, 1)


Cell = str | int | Cents | date | datetime | None


def period_cell(label: str) -> Cell:
    """A report's period label ("2026-03-02", or "2026-03" for a month) as its cell."""
    if len(label) == 7:
        return Month.of(date.fromisoformat(f"{label}-01"))
    return date.fromisoformat(label)


@dataclass(frozen=True, slots=True)
class ReportTable:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric: frozenset[int] = frozenset()
    """Columns that hold numbers (right-aligned)."""
    chart: tuple[tuple[Cell, int], ...] = ()
    """(label, value) bars of the report's chart: figures of ``rows``."""
    chart_money: bool = True
    """Whether the chart's values are cents (else counts)."""


def money(cents: int) -> str:
    """12345 -> "123.45", -5 -> "-0.05"."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def text_of(cell: Cell, tz: tzinfo) -> str:
    """A cell as a file or a terminal shows it."""
    if cell is None:
        return ""
    if isinstance(cell, Cents):
        return money(cell)
    if isinstance(cell, datetime):
        return cell.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    if isinstance(cell, Month):
        return f"{cell:%Y-%m}"
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def text_rows(table: ReportTable, tz: tzinfo) -> list[list[str]]:
    """Every row as text (CSV files, the command line)."""
    return [[text_of(c, tz) for c in row] for row in table.rows]


def liability_table(report: Liability) -> ReportTable:
    rows: list[tuple[Cell, ...]] = []
    for group, items in (("type", report.by_type), ("source", report.by_source)):
        rows += [(group, g.label, g.credits, Cents(g.value_cents)) for g in items]
    rows += [
        ("expiry month", g.label if g.label == "never" else period_cell(g.label), g.credits,
         Cents(g.value_cents))
        for g in report.by_expiry_month
    ]  # fmt: skip
    rows.append(("total", "", report.credits, Cents(report.value_cents)))
    return ReportTable(
        f"Credit liability as of {report.as_of.isoformat()}",
        ("Group", "Label", "Credits", "Value"), tuple(rows), frozenset({2, 3}),
        tuple((g.label, g.value_cents) for g in report.by_type),
    )  # fmt: skip


def movement_table(report: LiabilityMovement) -> ReportTable:
    lines = (
        ("Opening value", report.opening_cents), ("Sold", report.sold_cents),
        ("Adjusted", report.adjusted_cents), ("Used", report.used_cents),
        ("Forfeited", report.forfeited_cents), ("Expired", report.expired_cents),
        ("Voided", report.voided_cents), ("Closing value", report.closing_cents),
    )  # fmt: skip
    return ReportTable(
        f"Liability movement {report.first.isoformat()} to {report.last.isoformat()}",
        ("Line", "Amount"), tuple((label, Cents(c)) for label, c in lines), frozenset({1}),
        tuple(lines),
    )  # fmt: skip


def expiring_table(report: Expiring) -> ReportTable:
    rows: list[tuple[Cell, ...]] = [
        (r.member_id, r.name, r.email, r.phone, r.credits, Cents(r.value_cents),
         r.first_expiry, r.types, r.next_booking)
        for r in report.rows
    ]  # fmt: skip
    rows.append((None, "Total", "", "", report.credits, Cents(report.value_cents), None, "",
                 None))  # fmt: skip
    return ReportTable(
        f"Credits expiring {report.first.isoformat()} to {report.last.isoformat()}",
        ("Member ID", "Name", "Email", "Phone", "Credits", "Value", "Expires", "Types",
         "Next booking"),
        tuple(rows), frozenset({0, 4, 5}),
        tuple((r.name, r.value_cents) for r in report.rows),
    )  # fmt: skip


def attendance_table(report: Attendance) -> ReportTable:
    def line(group: str, r: AttendanceRow) -> tuple[Cell, ...]:
        label: Cell = period_cell(r.label) if group == "week" else r.label
        return (group, label, r.booked, r.attended, r.no_show, r.late_cancelled,
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
        tuple((period_cell(r.label), r.attended) for r in report.by_week), chart_money=False,
    )  # fmt: skip


def _sales_line(r: SalesRow, label: Cell) -> tuple[Cell, ...]:
    return (label, r.packages_sold, Cents(r.package_cents), Cents(r.plan_cents),
            Cents(r.other_charge_cents), Cents(r.payment_cents), Cents(r.credit_given_cents),
            Cents(r.refund_cents), r.voids, Cents(r.void_credit_cents))  # fmt: skip


def sales_table(report: Sales) -> ReportTable:
    rows = [_sales_line(r, period_cell(r.label)) for r in report.rows]
    rows.append(_sales_line(report.total, report.total.label))
    rows += [
        (f"Paid by {method.value}", "", "", "", "", Cents(cents), *[""] * 4)
        for method, cents in report.total.payments_by_method()
    ]
    rows.append(("Account credit carried", "", Cents(report.credit_carried_cents),
                 *[""] * 7))  # fmt: skip
    rows.append(("Owed", "", Cents(report.owed_cents), *[""] * 7))
    return ReportTable(
        f"Sales and account {report.first.isoformat()} to {report.last.isoformat()} "
        f"by {report.by}",
        ("Period", "Packages sold", "Packages", "Plans", "Other charges", "Payments",
         "Account credit given", "Refunds", "Voids", "Credit from voids"),
        tuple(rows), frozenset(range(1, 10)),
        tuple((period_cell(r.label), r.payment_cents) for r in report.rows),
    )  # fmt: skip


def end_of_day_table(report: EndOfDay) -> ReportTable:
    rows: list[tuple[Cell, ...]] = []
    for section, sessions in (("check-in", report.check_ins), ("no-show", report.no_shows)):
        rows += [(section, s.at, s.member, s.appointment_type, s.coach, "")
                 for s in sessions]  # fmt: skip
    m = report.money
    for label, value in (
        ("packages sold", m.package_cents), ("plans billed", m.plan_cents),
        ("other charges", m.other_charge_cents), ("payments", m.payment_cents),
        ("account credit given", m.credit_given_cents), ("refunds", m.refund_cents),
        ("credit from voids", m.void_credit_cents),
    ):  # fmt: skip
        rows.append(("money", None, "", "", label, Cents(value)))
    rows += [
        ("money", None, "", "", f"paid by {method.value}", Cents(cents))
        for method, cents in m.payments_by_method()
    ]
    rows += [
        ("void or adjustment", c.at, c.member, c.appointment_type, c.by,
         f"{c.credits:+d}: {c.reason}")
        for c in report.changes
    ]  # fmt: skip
    return ReportTable(
        f"End of day {report.day.isoformat()}",
        ("Section", "Time", "Member", "Type", "Coach / who", "Detail"), tuple(rows),
        chart=(("check-ins", len(report.check_ins)), ("no-shows", len(report.no_shows))),
        chart_money=False,
    )  # fmt: skip


COACH_PAY_HEADER = ("Coach", "Session", "Starts", "Member", "Type", "Credit value", "Rule", "Pay")


def paid_session_row(coach: str, s: PaidSession) -> tuple[Cell, ...]:
    """One attended session as a coach-pay row (the table and the full CSV)."""
    return (coach, s.appointment_id, s.starts_at, s.member, s.appointment_type,
            Cents(s.credit_value_cents), s.rule, Cents(s.pay_cents))  # fmt: skip


def coach_total_row(coach: str, sessions: int, pay_cents: int) -> tuple[Cell, ...]:
    """A coach's (or "All coaches") total line of coach pay."""
    return (coach, None, None, f"{sessions} sessions", "", None, "total", Cents(pay_cents))


def coach_pay_table(report: CoachPay) -> ReportTable:
    """Each coach's total; the listed coach's sessions above their total, and how
    many more there are when the list stops (the CSV export has them all)."""
    rows: list[tuple[Cell, ...]] = []
    for coach in report.coaches:
        if coach.staff_id == report.listed_coach:
            rows += [paid_session_row(coach.coach, s) for s in report.listed]
            if report.unlisted:
                rows.append(
                    (
                        coach.coach,
                        None,
                        None,
                        f"{report.unlisted} more sessions "
                        "(export CSV from the command line for all)",
                        "",
                        None,
                        "",
                        None,
                    )
                )
        rows.append(coach_total_row(coach.coach, coach.sessions, coach.pay_cents))
    rows.append(coach_total_row("All coaches", report.sessions, report.pay_cents))
    return ReportTable(
        f"Coach pay {report.first.isoformat()} to {report.last.isoformat()}",
        COACH_PAY_HEADER, tuple(rows), frozenset({1, 5, 7}),
        tuple((c.coach, c.pay_cents) for c in report.coaches),
    )  # fmt: skip
