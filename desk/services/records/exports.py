"""Everything back out: members, open credits and appointments as CSV files.

Files are UTF-8 with a byte-order mark (so Excel reads accents right) and are
written to a temporary file first, then moved into place: a failure never
leaves half a file where the person expects a whole one.

A text cell that a spreadsheet would run as a formula (it starts with "=", "@",
a tab or a carriage return, or "+"/"-" followed by more than a number or a phone
number) is written with a leading apostrophe, the usual defence against formula
injection: a member named "=HYPERLINK(...)" stays text when the file is opened.
Desk's importer takes that apostrophe off again.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from desk.db import Database
from desk.models import Appointment, AppointmentType, CreditLot, Member, StaffMember
from desk.services.core.clock import Clock, today
from desk.services.core.errors import DeskError, ValidationError
from desk.services.core.progress import Cancelled, Progress
from desk.services.credits.lot_value import credit_share, value_of_credits
from desk.services.credits.paying_lot import can_pay_on
from desk.services.importing.report import ImportReport

# "Desk ID", not "Member ID": importers (Desk's own too) read "Member ID" as the
# member's id in the previous system, and that is the External ID column here.
MEMBER_COLUMNS = (
    "Desk ID",
    "External ID",
    "First Name",
    "Last Name",
    "Email",
    "Phone",
    "Status",
    "Notes",
    "Member Since",
)
CREDIT_COLUMNS = (
    "Desk ID",
    "External ID",
    "Name",
    "Email",
    "Appointment Type",
    "Remaining",
    "Expires",
    "Value",
    "Unit Price",
    "Source",
)
# A booked appointment carries the credit it holds (its value and expiry), so
# importing the file elsewhere books it again holding a credit worth the same.
APPOINTMENT_COLUMNS = (
    "Appointment ID",
    "Desk ID",
    "External ID",
    "Name",
    "Email",
    "Appointment Type",
    "Staff",
    "Starts",
    "Ends",
    "Status",
    "Paid By Lot",
    "Credit Value",
    "Credit Expires",
    "Notes",
)


IMPORT_REPORT_COLUMNS = (
    "Row",
    "Outcome",
    "Member",
    "Appointment Type",
    "Credits",
    "Expires",
    "Value",
    "Detail",
)


_FORMULA_START = ("=", "@", "\t", "\r")
_PLAIN_SIGNED = re.compile(r"[+-][0-9 ().,/+-]*")


def defuse_formula(value: object) -> object:
    """``value`` as it is safe to put in a CSV cell (see the module's docstring)."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(_FORMULA_START) or (
        value[0] in "+-" and _PLAIN_SIGNED.fullmatch(value) is None
    ):
        return "'" + value
    return value


# How often a long export reports progress and looks for a cancel.
PROGRESS_EVERY = 1_000


class ExportCancelled(DeskError):
    """The person cancelled the export; no file was written or replaced."""


def _write(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    total: int = 0,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    target = Path(path)
    if target.is_dir():
        raise ValidationError("file", f"{target} is a folder; give a file name.")
    if not target.parent.exists():
        raise ValidationError("file", f"The folder {target.parent} doesn't exist.")
    count = 0
    fd, temp = tempfile.mkstemp(prefix=".desk-export-", suffix=".csv", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow([defuse_formula(cell) for cell in row])
                count += 1
                if count % PROGRESS_EVERY == 0:
                    if cancelled is not None and cancelled():
                        raise ExportCancelled("Export cancelled: no file was written.")
                    if progress is not None:
                        progress(count, max(total, count))
        os.replace(temp, target)
        if progress is not None:
            progress(count, count)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise ValidationError("file", f"Can't write {target}: {exc.strerror or exc}.") from exc
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return count


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write a CSV file the safe way (temporary file, then moved into place)."""
    return _write(path, header, rows)


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def write_import_report(path: Path, report: ImportReport) -> int:
    """What became of every row of an imported (or checked) file, one CSV row each:
    imported or to import (with member, type, credits, expiry and value), already
    imported, skipped with nothing remaining, left out (and why), or in error (and
    which). Returns the number of rows. Raises ValidationError when the file
    can't be written."""
    rows = (
        (
            o.line,
            o.status.value,
            o.member,
            o.appointment_type,
            o.credits or "",
            o.expires_on.isoformat() if o.expires_on else "",
            _money(o.value_cents) if o.credits else "",
            o.detail,
        )
        for o in report.outcomes
    )
    return _write(path, IMPORT_REPORT_COLUMNS, rows, len(report.outcomes))


class ExportService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def members(
        self, path: Path, progress: Progress | None = None, cancelled: Cancelled | None = None
    ) -> int:
        """Every member, archived ones included. Returns the number of rows.

        As in the credits export, the external id column carries the member's id
        from a previous system or "desk-<id>", so that a credits export imported
        after this one finds each member by id. ``progress(done, total)`` is called
        every thousand rows, and ``cancelled()`` is checked as often. Raises
        ValidationError when the file can't be written, ExportCancelled when
        cancelled (an existing file at ``path`` is then left as it was).
        """
        tz = self._clock.tz
        with self._db.read() as session:
            total = session.scalar(select(func.count()).select_from(Member)) or 0
            rows = (
                (
                    m.id,
                    m.external_id or f"desk-{m.id}",
                    m.first_name,
                    m.last_name,
                    m.email or "",
                    m.phone or "",
                    m.status,
                    m.notes,
                    m.created_at.astimezone(tz).date().isoformat(),
                )
                for m in session.scalars(select(Member).order_by(Member.id)).yield_per(2000)
            )
            return _write(path, MEMBER_COLUMNS, rows, total, progress, cancelled)

    def credits(
        self, path: Path, progress: Progress | None = None, cancelled: Cancelled | None = None
    ) -> int:
        """One row per lot with open credits (expired ones left out).

        "Value" is what the open credits are worth (their share of the lot's
        price, ``value_of_credits``) and "Unit Price" the price of one, so a lot
        of 10 bought for $680 with 7 left goes out as 7 worth $476.00 at $68.00.
        Booked credits travel with the appointments export instead.

        The external id column carries the member's id from a previous system,
        or "desk-<id>" when they have none, so every row names one member even
        in a system that has never seen Desk. Importing the file into an empty
        Desk (creating missing members and types) gives the same balances.
        Progress and cancelling as for ``members``. Raises ValidationError when
        the file can't be written, ExportCancelled when cancelled.
        """
        on = today(self._clock)
        still_open = can_pay_on(on)
        with self._db.read() as session:
            total = session.scalar(select(func.count()).select_from(CreditLot).where(still_open))
            query = (
                select(CreditLot, Member, AppointmentType.name)
                .join(Member, Member.id == CreditLot.member_id)
                .join(AppointmentType, AppointmentType.id == CreditLot.appointment_type_id)
                .where(still_open)
                .order_by(Member.id, CreditLot.id)
            )
            rows = (
                (
                    member.id,
                    member.external_id or f"desk-{member.id}",
                    f"{member.first_name} {member.last_name}".strip(),
                    member.email or "",
                    type_name,
                    lot.remaining,
                    lot.expires_on.isoformat() if lot.expires_on else "",
                    _money(value_of_credits(lot.price_cents, lot.quantity, lot.remaining)),
                    _money(_unit_price(lot.price_cents, lot.quantity, lot.remaining)),
                    lot.source,
                )
                for lot, member, type_name in session.execute(query).yield_per(2000)
            )
            return _write(path, CREDIT_COLUMNS, rows, total or 0, progress, cancelled)

    def appointments(
        self, path: Path, progress: Progress | None = None, cancelled: Cancelled | None = None
    ) -> int:
        """Every appointment, in local time. A booked one that holds a credit names
        the credit's value (one credit's share of its lot's price) and expiry.
        Progress and cancelling as for ``members``. Raises ValidationError when the
        file can't be written, ExportCancelled when cancelled."""
        tz = self._clock.tz
        coach = aliased(StaffMember)
        paid = aliased(CreditLot)
        with self._db.read() as session:
            total = session.scalar(select(func.count()).select_from(Appointment)) or 0
            query = (
                select(Appointment, Member, AppointmentType.name, coach.name, paid)
                .join(Member, Member.id == Appointment.member_id)
                .join(AppointmentType, AppointmentType.id == Appointment.appointment_type_id)
                .join(coach, coach.id == Appointment.staff_id)
                .outerjoin(paid, paid.id == Appointment.lot_id)
                .order_by(Appointment.starts_at, Appointment.id)
            )
            rows = (
                (
                    a.id,
                    m.id,
                    m.external_id or f"desk-{m.id}",
                    f"{m.first_name} {m.last_name}".strip(),
                    m.email or "",
                    type_name,
                    staff,
                    a.starts_at.astimezone(tz).isoformat(timespec="minutes"),
                    a.ends_at.astimezone(tz).isoformat(timespec="minutes"),
                    a.status,
                    a.lot_id or "",
                    _money(credit_share(lot.price_cents, lot.quantity)) if lot else "",
                    lot.expires_on.isoformat() if lot and lot.expires_on else "",
                    a.notes,
                )
                for a, m, type_name, staff, lot in session.execute(query).yield_per(2000)
            )
            return _write(path, APPOINTMENT_COLUMNS, rows, total, progress, cancelled)


def _unit_price(price_cents: int, quantity: int, remaining: int) -> int:
    """What one of the ``remaining`` credits is worth, to the nearest cent: the value
    of what is left shared over them (the last credit carries the lot's remainder,
    so this can be a cent above one credit's share)."""
    if remaining < 1:
        return credit_share(price_cents, quantity)
    value = value_of_credits(price_cents, quantity, remaining)
    return (2 * value + remaining) // (2 * remaining)
