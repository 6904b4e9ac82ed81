"""Taking back an import of booked sessions: its bookings are cancelled, their credits
written off, and the history keeps the import, the cancels and the write-offs."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desk.models import AppointmentStatus, AuditEvent, CreditEntry
from desk.services.core.errors import InvalidState
from desk.services.core.ids import MemberId
from desk.services.importing.report import ImportOptions
from tests.actors import SYSTEM
from tests.services.factories import at_local, make_member, make_staff, make_type, open_credits


@pytest.fixture
def imported(services):
    massage = make_type(services, "Sports Massage")
    coach = make_staff(services, "Kim Alvarez")
    ann = make_member(services, "Ann", "Smith", email="ann@example.com")
    starts = [at_local(2026, 3, 4, 10, 30), at_local(2026, 3, 17, 9)]  # one today
    rows = "".join(
        f"ann@example.com,Sports Massage,{coach.name},{s.isoformat()},booked,90.00,2026-06-30\n"
        for s in starts
    )
    csv = ("Email,Service,Staff,Starts,Status,Credit Value,Credit Expires\n" + rows).encode()
    report = services.imports.import_appointments(csv, ImportOptions(), actor=SYSTEM).value
    assert report.written
    assert report.batch_id is not None
    return report.batch_id, ann, massage


def _entries(database, member_id):
    with database.read() as session:
        return [
            (e.kind, e.delta)
            for e in session.scalars(select(CreditEntry).order_by(CreditEntry.id))
            if e.lot_id is not None
        ]


def test_undo_cancels_the_bookings_and_writes_their_credits_off(services, database, imported):
    batch_id, ann, massage = imported
    booked = services.booking.for_member(MemberId(ann.id))
    assert [a.status for a in booked] == ["booked", "booked"]

    undone = services.imports.undo(batch_id, actor=SYSTEM)

    assert undone.value.status == "undone"
    assert {a.id for a in booked} <= set(undone.changes.appointments)
    after = services.booking.for_member(MemberId(ann.id))
    assert [a.status for a in after] == [AppointmentStatus.CANCELLED.value] * 2
    assert open_credits(services, ann, massage) == 0
    kinds = _entries(database, ann.id)
    # Per lot: the import's grant and booking, the undo's release and write-off.
    assert sorted(kinds) == sorted([("grant", 1), ("book", -1), ("release", 1), ("adjust", -1)] * 2)
    assert services.credits.verify_ledger() == []
    with database.read() as session:
        cancels = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "appointment.cancel")
        ).all()
    assert len(cancels) == 2
    assert all(batch_id in (c.after or {}).get("reason", "") for c in cancels)


def test_undo_is_refused_once_a_session_was_checked_in(services, database, imported):
    batch_id, ann, _massage = imported
    first = min(services.booking.for_member(MemberId(ann.id)), key=lambda a: a.starts_at)
    services.booking.check_in(first.id, actor=SYSTEM)
    before = _entries(database, ann.id)

    with pytest.raises(InvalidState, match="checked in, marked no-show or cancelled since"):
        services.imports.undo(batch_id, actor=SYSTEM)

    assert _entries(database, ann.id) == before  # nothing written
    statuses = sorted(a.status for a in services.booking.for_member(MemberId(ann.id)))
    assert statuses == ["attended", "booked"]


def test_undo_is_refused_once_a_session_was_cancelled_and_its_credit_rebooked(services, imported):
    batch_id, ann, massage = imported
    first = services.booking.for_member(MemberId(ann.id))[0]
    services.booking.cancel(first.id, actor=SYSTEM)

    with pytest.raises(InvalidState, match="Ann Smith"):
        services.imports.undo(batch_id, actor=SYSTEM)
    assert open_credits(services, ann, massage) == 1  # the cancel's credit is still hers
