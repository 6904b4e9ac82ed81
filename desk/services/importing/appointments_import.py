"""Importing booked future appointments: each a booking holding its own credit."""

from __future__ import annotations

import uuid
from dataclasses import replace
from functools import partial
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.db import Database, lock_for_transaction
from desk.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    EntryKind,
    ImportKind,
    LotSource,
    StaffMember,
)
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.errors import ValidationError
from desk.services.core.permissions import Permission, authorized
from desk.services.core.retry import retry_transient
from desk.services.credits import ledger
from desk.services.importing.appointment_rows import AppointmentRow, AppointmentRowReader
from desk.services.importing.date_columns import settle_date_orders
from desk.services.importing.directory import MemberDirectory, text_key
from desk.services.importing.fields import APPOINTMENT_FIELDS, map_columns, parse_overrides, require
from desk.services.importing.import_run import (
    insert_new_members,
    load_source,
    record_batch,
    types_with,
)
from desk.services.importing.keys import split_fresh
from desk.services.importing.report import ImportOptions, ImportReport, RowStatus
from desk.services.importing.row_outcomes import draft_report, left_out_outcomes, row_outcomes
from desk.services.importing.type_maps import (
    by_key,
    detect_system,
    parse_type_map,
    remembered,
    system_key,
)
from desk.services.importing.values import DATE_ORDERS


class AppointmentsImport:
    """The appointments import of ImportService."""

    _db: Database
    _clock: Clock

    @retry_transient
    def import_appointments(
        self,
        source: Path | bytes,
        options: ImportOptions = ImportOptions(),  # noqa: B008 - frozen, never mutated
        *,
        actor: Actor,
    ) -> Outcome[ImportReport]:
        """Book the file's future appointments again, each holding a credit.

        Every row still booked and starting after now becomes a booking paid by
        a one-credit migration lot of the row's credit value and expiry (an
        appointments export of Desk names both), so a cancel in time gives back
        a credit worth what it was worth before the move. Past, attended and
        cancelled rows are skipped and counted. Members and types (through the
        type mapping) must exist or be created (``options.create_missing_members``,
        ``create_missing_types``), staff must exist; the staff member's other
        bookings are not checked for clashes (the old system booked them). Rows already
        imported are skipped; with any error or ``options.dry_run`` nothing is
        written. The batch is listed with the credit imports; undoing it cancels its bookings
        (refused once one was checked in, marked no-show or cancelled since). Raises ValidationError
        when the file can't be read or its columns can't be mapped.
        """
        if options.date_order is not None and options.date_order not in DATE_ORDERS:
            raise ValidationError("date_order", "--date-order is mdy or dmy.")
        table, file_name = load_source(source, options)
        mapping = map_columns(
            table.header,
            APPOINTMENT_FIELDS,
            parse_overrides(list(options.mappings), APPOINTMENT_FIELDS),
        )
        require(
            mapping,
            [
                ("external_id", "email", "name", "first_name", "last_name"),
                ("appointment_type",),
                ("staff",),
                ("starts_at",),
            ],
            "member, appointment type, staff member and start",
        )
        date_orders, date_problems = settle_date_orders(
            table, mapping, ("starts_at", "ends_at", "credit_expires"), options.date_order
        )
        given_map = parse_type_map(options.type_map)
        system = system_key(options.source_system or detect_system(table.header))
        left_out = dict(options.leave_out)
        now = self._clock.now()
        with authorized(self._db, actor, Permission.IMPORT) as session:
            lock_for_transaction(session, "desk.imports")  # one import at a time
            types = {text_key(name): name for name in session.scalars(select(AppointmentType.name))}
            staff = {
                text_key(name): (staff_id, name)
                for staff_id, name in session.execute(
                    select(StaffMember.id, StaffMember.name).where(StaffMember.active)
                )
            }
            type_map = {**remembered(session, system), **given_map}
            reader = AppointmentRowReader(
                table, mapping, MemberDirectory.load(session), types, staff,
                date_orders=date_orders, now=now, tz=self._clock.tz,
                create_missing_members=options.create_missing_members,
                create_missing_types=options.create_missing_types,
                type_map=by_key(type_map), left_out=frozenset(left_out),
            )  # fmt: skip
            reader.read()
            fresh, already = split_fresh(session, reader.rows)
            problems = date_problems + reader.problems
            skipped = left_out_outcomes(left_out)
            skipped.update(
                (line, (RowStatus.NOT_BOOKED, "past, attended or cancelled"))
                for line in reader.not_booked
            )
            outcomes = partial(
                row_outcomes, table, fresh=fresh, already=already, problems=problems,
                skipped=skipped,
            )  # fmt: skip
            report = draft_report(
                "appointments", file_name, table, mapping, read=reader.rows, fresh=fresh,
                problems=problems, new_types=reader.new_types, source_system=system,
                type_map=type_map,
            )  # fmt: skip
            if not report.ok or options.dry_run or not fresh:
                return Outcome(replace(report, outcomes=outcomes(written=False)), Changes())
            batch_id = str(uuid.uuid4())
            member_ids, appointment_ids = self._write_bookings(
                session, fresh, reader.new_types, batch_id, file_name, table.sha256, actor
            )
        report = replace(
            report,
            batch_id=batch_id,
            written=True,
            member_ids=sorted(member_ids),
            outcomes=outcomes(written=True),
        )
        return Outcome(
            report,
            Changes.of(
                credits=member_ids,
                members=member_ids,
                appointments=appointment_ids,
                bookings=member_ids,
                catalog=bool(reader.new_types),
            ),
        )

    def _write_bookings(
        self,
        session: Session,
        rows: list[AppointmentRow],
        new_types: dict[str, str],
        batch_id: str,
        file_name: str,
        sha256: str,
        actor: Actor,
    ) -> tuple[set[int], list[int]]:
        now = self._clock.now()
        kinds = types_with(session, new_types)
        new_members = {r.new_member.key: r.new_member for r in rows if r.new_member}
        created = insert_new_members(session, list(new_members.values()), batch_id, now)
        touched: set[int] = set()
        appointment_ids: list[int] = []
        for row in rows:
            member_id = created[row.new_member.key] if row.new_member else row.member_id
            assert member_id is not None  # every row has a member or a new member
            kind = kinds[row.type_key]
            lot = ledger.open_lot(
                session,
                member_id=member_id,
                appointment_type_id=kind.id,
                quantity=1,
                source=LotSource.MIGRATION,
                currency=kind.currency,
                at=now,
                actor=actor,
                reason=f"imported from {file_name} with its booking",
                price_cents=row.price_cents,
                expires_on=row.expires_on,
                idempotency_key=row.idempotency_key,
                import_batch=batch_id,
                settles=False,  # this lot pays the imported booking below
            )
            appt = Appointment(
                member_id=member_id,
                appointment_type_id=kind.id,
                staff_id=row.staff_id,
                starts_at=row.starts_at,
                ends_at=row.ends_at or row.starts_at + kind.duration,
                status=AppointmentStatus.BOOKED.value,
                lot_id=lot.id,
                notes=row.note,
                created_at=now,
                created_by_id=actor.staff_id,
                import_batch=batch_id,
            )
            session.add(appt)
            session.flush()
            ledger.take_or_raise(session, lot.id, 1, "importing bookings")
            ledger.post(
                session, lot_id=lot.id, kind=EntryKind.BOOK, delta=-1, at=now, actor=actor,
                appointment_id=appt.id,
            )  # fmt: skip
            touched.add(member_id)
            appointment_ids.append(appt.id)
        record_batch(  # listed with the credit imports: these are the credits the bookings hold
            session, batch_id=batch_id, kind=ImportKind.CREDITS, action="import.appointments",
            file_name=file_name, sha256=sha256, rows=len(rows), at=now, actor=actor,
            details={"rows": len(rows), "members_created": len(new_members)},
        )  # fmt: skip
        return touched, appointment_ids
