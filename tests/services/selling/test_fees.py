"""Fees by policy: a type's late-cancel and no-show fees on the account, waived with a reason."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from desk.models import (
    AccountEntry,
    AccountEntryKind,
    Appointment,
    AppointmentType,
    CreditEntry,
    StaffRole,
)
from desk.services.container import Services
from desk.services.core.errors import InvalidState, PermissionDenied, ValidationError
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId
from desk.services.core.read_models import (
    AppointmentStatus,
    AppointmentTypeView,
    MemberView,
    StaffView,
)
from desk.services.records.audit_text import describe
from desk.services.selling.fees import settle_status
from tests.actors import SYSTEM, as_staff
from tests.services.factories import at_local, book, give_credits, make_member, make_type


@pytest.fixture
def pt(services: Services) -> AppointmentTypeView:
    kind = make_type(services, "PT", late_cancel_hours=24)
    services.appointment_types.set_fees(
        AppointmentTypeId(kind.id), late_cancel_fee_cents=1_500, no_show_fee_cents=2_000,
        actor=SYSTEM,
    )  # fmt: skip
    return kind


@pytest.fixture
def ann(services: Services, pt: AppointmentTypeView) -> MemberView:
    member = make_member(services)
    give_credits(services, member, pt, 5, expires_on=None)
    return member


def _coach(services: Services) -> StaffView:
    return services.staff.create(name="Kim", role=StaffRole.COACH, actor=SYSTEM).value


def _entries(services: Services, member: MemberView) -> list[tuple[str, int]]:
    with services.db.read() as session:
        rows = session.execute(
            select(AccountEntry.kind, AccountEntry.amount_cents)
            .where(AccountEntry.member_id == member.id)
            .order_by(AccountEntry.id)
        ).all()
    return [(kind, cents) for kind, cents in rows]


def _credit_kinds(services: Services, appointment_id: int) -> list[str]:
    with services.db.read() as session:
        return list(
            session.scalars(
                select(CreditEntry.kind)
                .where(CreditEntry.appointment_id == appointment_id)
                .order_by(CreditEntry.id)
            )
        )


def test_a_no_show_charges_the_types_no_show_fee_and_forfeits_the_credit(
    services: Services, pt: AppointmentTypeView, ann: MemberView
) -> None:
    coach = _coach(services)
    appt = book(services, ann, pt, coach, at_local(2026, 3, 4, 9))  # started an hour ago
    services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    assert _entries(services, ann) == [("fee", -2_000)]
    assert services.account.balance(MemberId(ann.id)) == -2_000
    assert _credit_kinds(services, appt.id) == ["book", "forfeit"]
    [fee] = services.fees.fees(MemberId(ann.id))
    assert (fee.name, fee.amount_cents, fee.appointment_id, fee.waived) == (
        "no-show fee", 2_000, appt.id, False,
    )  # fmt: skip
    [entry] = [e for e in services.account.entries(MemberId(ann.id)) if e.kind == "fee"]
    assert entry.amount_cents == -2_000


def test_a_late_cancel_charges_the_late_cancel_fee_an_early_one_nothing(
    services: Services, pt: AppointmentTypeView, ann: MemberView
) -> None:
    coach = _coach(services)
    late = book(services, ann, pt, coach, at_local(2026, 3, 4, 18))
    early = book(services, ann, pt, coach, at_local(2026, 3, 9, 18))
    assert services.fees.fee_for(AppointmentId(late.id), AppointmentStatus.LATE_CANCELLED)
    services.booking.cancel(AppointmentId(late.id), actor=SYSTEM)
    services.booking.cancel(AppointmentId(early.id), actor=SYSTEM)
    assert _entries(services, ann) == [("fee", -1_500)]
    # The staff override at the moment of cancelling returns the credit: no fee.
    third = book(services, ann, pt, coach, at_local(2026, 3, 4, 19))
    services.booking.cancel(
        AppointmentId(third.id), return_credit=True, reason="storm", actor=SYSTEM
    )
    assert _entries(services, ann) == [("fee", -1_500)]


def test_a_fee_instead_of_the_forfeit_gives_the_credit_back(
    services: Services, pt: AppointmentTypeView, ann: MemberView
) -> None:
    services.appointment_types.set_fees(
        AppointmentTypeId(pt.id), late_cancel_fee_cents=1_500, no_show_fee_cents=2_000,
        replaces_forfeit=True, actor=SYSTEM,
    )  # fmt: skip
    coach = _coach(services)
    appt = book(services, ann, pt, coach, at_local(2026, 3, 4, 9))
    services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    assert _credit_kinds(services, appt.id) == ["book", "release"]
    [row] = services.credits.balances(MemberId(ann.id))
    assert (row.open, row.booked, row.used) == (5, 0, 0)
    assert services.account.balance(MemberId(ann.id)) == -2_000
    assert services.credits.verify_ledger() == []


def test_no_fee_set_charges_nothing(services: Services) -> None:
    kind = make_type(services, "Yoga", late_cancel_hours=24)
    member = make_member(services)
    give_credits(services, member, kind, 1, expires_on=None)
    coach = _coach(services)
    appt = book(services, member, kind, coach, at_local(2026, 3, 4, 9))
    services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    assert _entries(services, member) == []
    assert services.appointment_types.fees(AppointmentTypeId(kind.id)).no_show_fee_cents == 0


def test_waiving_gives_the_fee_back_once_with_a_reason_and_only_for_owners_and_admins(
    services: Services, pt: AppointmentTypeView, ann: MemberView
) -> None:
    coach = _coach(services)
    front = services.staff.create(name="Fran", role=StaffRole.FRONT_DESK, actor=SYSTEM).value.id
    admin = services.staff.create(name="Ada", role=StaffRole.ADMIN, actor=SYSTEM).value.id
    appt = book(services, ann, pt, coach, at_local(2026, 3, 4, 9))
    services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    [fee] = services.fees.fees(MemberId(ann.id))
    with pytest.raises(ValidationError):
        services.fees.waive(fee.id, reason="  ", actor=as_staff(admin))
    with pytest.raises(PermissionDenied):
        services.fees.waive(fee.id, reason="first time", actor=as_staff(front))
    waived = services.fees.waive(fee.id, reason="first time", actor=as_staff(admin)).value
    assert (waived.waived, waived.waiver_note) == (True, "first time")
    with pytest.raises(InvalidState, match="waived already"):
        services.fees.waive(fee.id, reason="again", actor=as_staff(admin))
    assert _entries(services, ann) == [("fee", -2_000), ("waiver", 2_000)]
    assert services.account.balance(MemberId(ann.id)) == 0
    events = services.audit.events(member_id=ann.id)
    names = services.audit.names(events)
    sentences = [describe(e, names, services.clock.tz) for e in events]
    assert any(s.startswith("Waived the no-show fee of $20.00 of") for s in sentences), sentences
    assert any(s.startswith("Charged") and "no-show fee" in s for s in sentences), sentences


def test_undoing_the_status_or_forgiving_it_waives_the_fee(
    services: Services, pt: AppointmentTypeView, ann: MemberView
) -> None:
    coach = _coach(services)
    first = book(services, ann, pt, coach, at_local(2026, 3, 4, 8))
    second = book(services, ann, pt, coach, at_local(2026, 3, 4, 9))
    for appt in (first, second):
        services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    services.booking.undo_status(AppointmentId(first.id), reason="wrong member", actor=SYSTEM)
    services.booking.forgive(AppointmentId(second.id), reason="ill", actor=SYSTEM)
    assert services.account.balance(MemberId(ann.id)) == 0
    assert all(f.waived for f in services.fees.fees(MemberId(ann.id)))
    # Undone, the first is booked again; a second no-show charges a second fee, once.
    services.booking.no_show(AppointmentId(first.id), actor=SYSTEM)
    assert services.account.balance(MemberId(ann.id)) == -2_000
    assert [f.waived for f in services.fees.fees(MemberId(ann.id))].count(False) == 1


def test_the_database_refuses_a_second_waiver_of_one_fee(
    services: Services, pt: AppointmentTypeView, ann: MemberView
) -> None:
    """Breaking the rule on purpose: a second waiver written past the service fails."""
    coach = _coach(services)
    appt = book(services, ann, pt, coach, at_local(2026, 3, 4, 9))
    services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    [fee] = services.fees.fees(MemberId(ann.id))
    services.fees.waive(fee.id, reason="first time", actor=SYSTEM)
    with pytest.raises(IntegrityError), services.db.write() as session:
        session.add(
            AccountEntry(
                member_id=ann.id, kind=AccountEntryKind.WAIVER.value, amount_cents=2_000,
                at=services.clock.now(), note="again", appointment_id=appt.id,
                reverses_id=fee.id,
            )
        )  # fmt: skip


def test_the_database_refuses_a_fee_without_its_appointment(
    services: Services, ann: MemberView
) -> None:
    with pytest.raises(IntegrityError), services.db.write() as session:
        session.add(
            AccountEntry(
                member_id=ann.id, kind=AccountEntryKind.FEE.value, amount_cents=-1_500,
                at=services.clock.now(), note="late-cancel fee",
            )
        )  # fmt: skip


def test_type_fees_are_checked(services: Services, pt: AppointmentTypeView) -> None:
    with pytest.raises(ValidationError, match="no show fee"):
        services.appointment_types.set_fees(
            AppointmentTypeId(pt.id), no_show_fee_cents=-1, actor=SYSTEM
        )
    fees = services.appointment_types.fees(AppointmentTypeId(pt.id))
    assert (fees.late_cancel_fee_cents, fees.no_show_fee_cents) == (1_500, 2_000)


def test_a_second_fee_while_one_is_open_is_refused_by_the_database(
    services: Services, pt: AppointmentTypeView, ann: MemberView
) -> None:
    """Breaking the rule on purpose: charging a no-show twice, past the status check."""
    coach = _coach(services)
    appt = book(services, ann, pt, coach, at_local(2026, 3, 4, 9))
    services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    with pytest.raises(IntegrityError):
        _charge_again(services, appt.id, pt.id)
    assert services.account.balance(MemberId(ann.id)) == -2_000


def _charge_again(services: Services, appointment_id: int, type_id: int) -> None:
    with services.db.write() as session:
        row = session.get(Appointment, appointment_id)
        kind = session.get(AppointmentType, type_id)
        assert row is not None
        assert kind is not None
        settle_status(
            session, row, kind, AppointmentStatus.NO_SHOW, at=services.clock.now(),
            actor=SYSTEM, reason="no-show",
        )  # fmt: skip


def test_the_sales_report_counts_fees_less_their_waivers_as_other_charges(
    services: Services, pt: AppointmentTypeView, ann: MemberView
) -> None:
    coach = _coach(services)
    for hour in (8, 9):
        appt = book(services, ann, pt, coach, at_local(2026, 3, 4, hour))
        services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    services.fees.waive(services.fees.fees(MemberId(ann.id))[0].id, reason="ok", actor=SYSTEM)
    day = at_local(2026, 3, 4, 12).date()
    report = services.reports.sales(day, day, actor=SYSTEM)
    assert report.total.other_charge_cents == 2_000
    assert report.total.credit_given_cents == 0
    assert report.owed_cents == 2_000
