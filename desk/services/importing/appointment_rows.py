"""Reading the rows of an appointments file: which bookings come over (nothing is
written here)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from desk.services.core.money import MAX_LOT_CENTS
from desk.services.importing.csv_file import CsvTable
from desk.services.importing.directory import MemberDirectory, text_key
from desk.services.importing.fields import Mapping
from desk.services.importing.row_reader import NewMember, RowReader, cell
from desk.services.importing.values import ValueProblem, parse_amount, parse_date

BOOKED_WORDS = frozenset({"", "booked", "confirmed", "scheduled", "reserved", "upcoming"})
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s*([ap]\.?m\.?)?$", re.I)
MAX_LENGTH = timedelta(hours=12)


@dataclass(frozen=True)
class AppointmentRow:
    line: int
    member_id: int | None
    new_member: NewMember | None
    member_name: str
    type_key: str
    type_name: str
    staff_id: int
    starts_at: datetime
    ends_at: datetime | None
    """None: the type's duration."""
    price_cents: int
    """The value of the credit the booking holds."""
    expires_on: date | None
    """The expiry of that credit."""
    note: str
    idempotency_key: str

    @property
    def quantity(self) -> int:
        return 1


def parse_moment(text: str, order: str | None, tz: tzinfo) -> datetime:
    """ "2026-03-10T09:00-04:00", "2026-03-10 09:00", "03/10/2026 9:00 AM" -> an aware
    datetime (local time when the text has no offset). Raises ValueProblem."""
    raw = text.strip()
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        day_text, _, time_text = raw.partition(" ")
        match = _TIME.match(time_text.strip())
        if not time_text.strip() or match is None:
            raise ValueProblem(
                f"{raw!r} is not a date and time (use e.g. 2026-03-10 09:00)"
            ) from None
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        meridiem = (match.group(3) or "").replace(".", "").casefold()
        if meridiem:
            if not 1 <= hour <= 12:
                raise ValueProblem(f"{raw!r} is not a time of day") from None
            hour = hour % 12 + (12 if meridiem == "pm" else 0)
        if hour > 23 or minute > 59:
            raise ValueProblem(f"{raw!r} is not a time of day") from None
        try:
            day = parse_date(day_text, order)
        except ValueProblem as exc:
            raise ValueProblem(str(exc), exc.remedy) from None
        moment = datetime.combine(day, time(hour, minute))
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


class AppointmentRowReader(RowReader[AppointmentRow]):
    """Turns a mapped appointments table into AppointmentRows and Problems.

    Only appointments still booked and starting after ``now`` come over; the
    others are counted in ``not_booked``.
    """

    KIND = "appointments"

    def __init__(
        self,
        table: CsvTable,
        mapping: Mapping,
        directory: MemberDirectory,
        types: dict[str, str],
        staff: dict[str, tuple[int, str]],
        *,
        date_orders: dict[str, str],
        now: datetime,
        tz: tzinfo,
        create_missing_members: bool,
        create_missing_types: bool,
        type_map: dict[str, str],
        left_out: frozenset[int],
    ) -> None:
        super().__init__(
            table, mapping, directory, types, type_map=type_map,
            create_missing_members=create_missing_members,
            create_missing_types=create_missing_types, left_out=left_out,
        )  # fmt: skip
        self._staff = staff  # text_key(name) -> (id, name)
        self._orders = date_orders
        self._now = now
        self._tz = tz
        self.not_booked: list[int] = []

    def _moment(self, line: int, field: str, raw: str) -> datetime | None:
        try:
            return parse_moment(raw, self._orders.get(field), self._tz)
        except ValueProblem as exc:
            self._problem(line, field, raw, str(exc), remedy=exc.remedy)
            return None

    def _read_row(self, line: int, cells: list[str]) -> AppointmentRow | None:
        def get(field: str) -> str:
            return cell(cells, self._mapping, field)

        errors_before = self._errors
        starts = self._moment(line, "starts_at", get("starts_at")) if get("starts_at") else None
        if get("starts_at") and starts is None:
            return None
        if starts is None:
            self._problem(line, "starts_at", "", "no start time")
            return None
        if text_key(get("status")) not in BOOKED_WORDS or starts <= self._now:
            self.not_booked.append(line)  # history stays in the old system's export
            return None
        ends = self._moment(line, "ends_at", get("ends_at")) if get("ends_at") else None
        if ends is not None and not timedelta(0) < ends - starts <= MAX_LENGTH:
            self._problem(line, "ends_at", get("ends_at"), "ends before it starts or after 12 h")
        whose = self._member(line, get)
        type_key, type_name = self._type(line, get("appointment_type"))
        staff_id = self._staff.get(text_key(get("staff")), (0, ""))[0]
        if not staff_id:
            known = ", ".join(sorted(name for _id, name in self._staff.values())) or "none yet"
            self._problem(
                line, "staff", get("staff"),
                f"no active staff member of this name (add them first; known: {known})",
            )  # fmt: skip
        price = 0
        if get("credit_value"):
            try:
                price = parse_amount(get("credit_value"))
                if price > MAX_LOT_CENTS:
                    raise ValueProblem(f"more than a credit can be worth ({MAX_LOT_CENTS:,} cents)")
            except ValueProblem as exc:
                self._problem(line, "credit_value", get("credit_value"), str(exc))
        expires: date | None = None
        if get("credit_expires"):
            try:
                expires = parse_date(get("credit_expires"), self._orders.get("credit_expires"))
            except ValueProblem as exc:
                self._problem(line, "credit_expires", get("credit_expires"), str(exc))
        note = self._note(line, get)
        if self._errors > errors_before:
            return None
        fingerprint = "|".join((whose.identity, type_key, starts.isoformat(), str(staff_id)))
        digest = hashlib.sha256(fingerprint.encode()).hexdigest()[:40]
        return AppointmentRow(
            line, whose.member_id, whose.new_member, whose.shown, type_key, type_name, staff_id,
            starts, ends, price, expires, note, digest,
        )  # fmt: skip
