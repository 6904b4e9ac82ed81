"""Staff accounts (argon2 passwords) and roles enforced in the services."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desk.services.core.errors import (
    AuthenticationFailed,
    InvalidState,
    PermissionDenied,
    ValidationError,
)
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from tests.actors import SYSTEM, as_staff


@pytest.fixture
def team(services):
    owner = services.auth.create_owner(name="Dana Owner", username="dana", password="correct horse")
    front = services.staff.create(name="Frankie", role="front_desk", actor=SYSTEM).value
    coach = services.staff.create(name="Kim", role="coach", actor=SYSTEM).value
    other_coach = services.staff.create(name="Sam", role="coach", actor=SYSTEM).value
    kind = services.appointment_types.create(name="PT", duration_minutes=60, actor=SYSTEM).value
    member = services.members.create(first_name="Ann", last_name="Smith", actor=SYSTEM).value
    services.credits.add_credits(
        member_id=MemberId(member.id),
        appointment_type_id=AppointmentTypeId(kind.id),
        quantity=5,
        expires_on=None,
        actor=SYSTEM,
    )
    return {
        "owner": StaffId(owner.value.id),
        "front": StaffId(front.id),
        "coach": StaffId(coach.id),
        "other_coach": StaffId(other_coach.id),
        "type": AppointmentTypeId(kind.id),
        "member": MemberId(member.id),
    }


def test_first_run_creates_exactly_one_owner(services, team):
    assert not services.auth.needs_owner()
    with pytest.raises(InvalidState):
        services.auth.create_owner(name="Eve", username="eve", password="12345678")
    owner = services.staff.get(team["owner"])
    assert owner.role.value == "owner"


def test_sign_in_checks_the_argon2_hash(services, team, database):
    assert services.auth.sign_in("DANA", "correct horse").id == team["owner"]
    for username, password in (("dana", "wrong horse"), ("nobody", "correct horse")):
        with pytest.raises(AuthenticationFailed, match="Wrong username or password"):
            services.auth.sign_in(username, password)
    with database.read() as session:
        from sqlalchemy import text

        stored = session.execute(
            text("SELECT password_hash FROM staff_members WHERE id = :i"), {"i": team["owner"]}
        ).scalar_one()
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored


def test_deactivated_staff_can_not_sign_in(services, team):
    services.auth.set_login(
        team["front"], username="frankie", password="front desk 1", actor=as_staff(team["owner"])
    )
    assert services.auth.sign_in("frankie", "front desk 1").name == "Frankie"
    services.staff.deactivate(team["front"], actor=as_staff(team["owner"]))
    with pytest.raises(AuthenticationFailed):
        services.auth.sign_in("frankie", "front desk 1")


def test_password_and_username_rules(services, team):
    with pytest.raises(ValidationError) as short:
        services.auth.set_login(
            team["front"], username="frankie", password="short", actor=as_staff(team["owner"])
        )
    assert short.value.field == "password"
    with pytest.raises(ValidationError) as taken:
        services.auth.set_login(
            team["front"], username="dana", password="long enough", actor=as_staff(team["owner"])
        )
    assert taken.value.field == "username"
    with pytest.raises(PermissionDenied):
        services.auth.set_login(
            team["coach"], username="kim", password="long enough", actor=as_staff(team["front"])
        )


def test_front_desk_adds_free_credits_with_a_note_only(services, team):
    add = services.credits.add_credits
    base = {
        "member_id": team["member"],
        "appointment_type_id": team["type"],
        "quantity": 2,
        "expires_on": None,
        "actor": as_staff(team["front"]),
    }
    add(**base, note="migrated from the old system")
    with pytest.raises(PermissionDenied, match="Frankie"):
        add(**base, price_cents=12_000, note="10-pack")
    with pytest.raises(PermissionDenied):
        add(**base, note="")
    add(**{**base, "actor": as_staff(team["owner"])}, price_cents=12_000)


def test_admin_only_actions_are_refused_to_the_front_desk(services, team):
    front = team["front"]
    refused = [
        lambda: services.credits.adjust(
            member_id=team["member"],
            appointment_type_id=team["type"],
            delta=-1,
            reason="x",
            actor=as_staff(front),
        ),
        lambda: services.appointment_types.create(
            name="Yoga", duration_minutes=60, actor=as_staff(front)
        ),
        lambda: services.staff.create(name="New", role="coach", actor=as_staff(front)),
        lambda: services.account.add_credit(
            team["member"], 500, note="goodwill", actor=as_staff(front)
        ),
        lambda: services.sales.run_billing(
            through=datetime(2026, 4, 1).date(), actor=as_staff(front)
        ),
        lambda: services.imports.undo("no-such-batch", actor=as_staff(front)),
    ]
    for attempt in refused:
        with pytest.raises(PermissionDenied):
            attempt()
    # What the front desk does all day stays allowed.
    services.members.create(first_name="Bob", last_name="Jones", actor=as_staff(front))
    services.account.record_payment(team["member"], 2_000, note="cash", actor=as_staff(front))
    booked = services.booking.book(
        member_id=team["member"],
        appointment_type_id=team["type"],
        staff_id=team["coach"],
        starts_at=datetime(2026, 3, 5, 15, tzinfo=UTC),
        actor=as_staff(front),
    ).value
    services.booking.cancel(booked.id, actor=as_staff(front))
    assert services.credits.verify_ledger() == []


def test_coaches_check_in_their_own_sessions_only(services, team, clock):
    def book(coach):
        return services.booking.book(
            member_id=team["member"],
            appointment_type_id=team["type"],
            staff_id=coach,
            starts_at=clock.now(),
            actor=SYSTEM,
        ).value

    mine = book(team["coach"])
    theirs = book(team["other_coach"])
    services.booking.check_in(mine.id, actor=as_staff(team["coach"]))
    with pytest.raises(PermissionDenied, match="own sessions"):
        services.booking.check_in(theirs.id, actor=as_staff(team["coach"]))
    with pytest.raises(PermissionDenied):
        services.booking.book(
            member_id=team["member"],
            appointment_type_id=team["type"],
            staff_id=team["coach"],
            starts_at=clock.now(),
            actor=as_staff(team["coach"]),
        )
    assert services.booking.get(theirs.id).status.value == "booked"
