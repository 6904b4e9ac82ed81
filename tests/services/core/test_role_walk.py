"""Every public write of every service, called with each role and with no actor.

The README's roles table is the contract: this test reads it, checks that it is
the code's ROLE_PERMISSIONS, then calls each write method as an owner, an
admin, a front desk and a coach, as a deactivated account and with no actor,
and checks that exactly the roles the table allows get past the check. A new
write method without a line in WRITES below fails the test, so nothing can be
added unchecked.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desk.models import AuditEvent, StaffRole
from desk.services.calendar.recurrence import Repeat
from desk.services.container import Services
from desk.services.core.actor import Actor
from desk.services.core.errors import DeskError, PermissionDenied
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from desk.services.core.permissions import ROLE_LABELS, ROLE_PERMISSIONS, Permission
from desk.services.core.settings import GeneralChange
from desk.services.importing.report import ImportOptions
from tests.actors import SYSTEM, as_staff
from tests.services.core.role_walk_availability import AVAILABILITY_WRITES
from tests.services.core.role_walk_credit_items import CREDIT_ITEM_ALSO, CREDIT_ITEM_WRITES
from tests.services.core.role_walk_credit_life import CREDIT_LIFE_WRITES
from tests.services.core.role_walk_groups import GROUP_WRITES
from tests.services.core.role_walk_imports import IMPORT_WRITES, credits_file
from tests.services.core.role_walk_money import MONEY_WRITES
from tests.services.core.role_walk_plans import PLAN_WRITES
from tests.services.factories import at_local

README = Path(__file__).resolve().parents[3] / "README.md"
ROLES = (StaffRole.OWNER, StaffRole.ADMIN, StaffRole.FRONT_DESK, StaffRole.COACH)
# Reads that take an actor to answer "may they?" (they write nothing).
READS_WITH_ACTOR = {"auth.can", "auth.permissions"} | {
    f"reports.{name}"
    for name in (
        "liability",
        "liability_movement",
        "expiring",
        "attendance",
        "sales",
        "end_of_day",
        "coach_pay",
        "coach_pay_sessions",
        "table",
    )
}  # the reports: checked per role in tests/services/reports/test_report_permissions.py
# The bootstrap: no one exists yet to act; refused once an owner exists (tested elsewhere).
WITHOUT_ACTOR = {"auth.create_owner", "auth.sign_in"}


@dataclass
class Gym:
    services: Services
    staff: dict[StaffRole, StaffId]
    inactive: StaffId
    member: MemberId
    kind: AppointmentTypeId
    package: int
    plan: int
    lot: int
    batch: str
    backup: Path | None
    coach_sessions: list[AppointmentId]
    started_sessions: list[AppointmentId]
    today_sessions: list[AppointmentId]
    no_shows: list[AppointmentId]
    slot: int = 0

    def next_start(self) -> Any:
        """A fresh future hour for each booking, so no call fails on a clash."""
        self.slot += 1
        return at_local(2026, 4, 1, 6) + timedelta(days=self.slot)

    def session_of_coach(self) -> AppointmentId:
        return self.coach_sessions.pop()

    def started_session(self) -> AppointmentId:
        return self.started_sessions.pop()

    def session_today(self) -> AppointmentId:
        """A session of the coach's starting within the hour: check-in is open."""
        return self.today_sessions.pop()

    def no_show(self) -> AppointmentId:
        return self.no_shows.pop()


Call = Callable[[Gym, Actor], Any]


# method -> (permissions it needs, the call). Several lines for one method when
# its permission depends on the arguments.
WRITES: dict[str, list[tuple[frozenset[Permission], Call]]] = {
    "members.create": [({Permission.MANAGE_MEMBERS}, lambda g, a: g.services.members.create(
        first_name="New", last_name="Person", actor=a))],
    "members.update": [({Permission.MANAGE_MEMBERS}, lambda g, a: g.services.members.update(
        g.member, first_name="Ann", last_name="Walker", notes=f"n{g.next_start()}", actor=a))],
    "members.archive": [({Permission.MANAGE_MEMBERS}, lambda g, a: g.services.members.archive(
        g.services.members.create(first_name="Arch", last_name="Ive", actor=SYSTEM)
        .value.id, actor=a))],
    "members.reactivate": [({Permission.MANAGE_MEMBERS}, lambda g, a: g.services.members
        .reactivate(g.services.members.archive(g.services.members.create(
            first_name="Re", last_name="Turner", actor=SYSTEM).value.id, actor=SYSTEM)
            .value.id, actor=a))],
    "appointment_types.create": [({Permission.SETTINGS}, lambda g, a: g.services
        .appointment_types.create(name=f"Type {g.next_start():%j%H}", duration_minutes=30,
                                  actor=a))],
    "appointment_types.update": [({Permission.SETTINGS}, lambda g, a: g.services
        .appointment_types.update(g.kind, name="Walk PT", duration_minutes=60,
                                  late_cancel_hours=12 + g.slot % 5, actor=a))],
    "appointment_types.deactivate": [({Permission.SETTINGS}, lambda g, a: g.services
        .appointment_types.deactivate(g.services.appointment_types.create(
            name=f"Old {g.next_start():%j%H}", duration_minutes=30, actor=SYSTEM).value.id,
            actor=a))],
    "staff.create": [({Permission.MANAGE_STAFF}, lambda g, a: g.services.staff.create(
        name="Newcomer", role=StaffRole.COACH, actor=a))],
    "staff.update": [({Permission.MANAGE_STAFF}, lambda g, a: g.services.staff.update(
        g.staff[StaffRole.COACH], name=f"Kim {g.next_start():%j}", role=StaffRole.COACH,
        active=True, actor=a))],
    "staff.set_takes_bookings": [({Permission.MANAGE_STAFF}, lambda g, a: g.services.staff
        .set_takes_bookings(g.staff[StaffRole.COACH], g.slot % 2 == 0, actor=a))],
    "staff.set_pay_rule": [({Permission.MANAGE_STAFF}, lambda g, a: g.services.staff
        .set_pay_rule(g.staff[StaffRole.COACH], appointment_type_id=g.kind,
                      rate_cents=1000 + g.next_start().day, actor=a))],
    "staff.deactivate": [({Permission.MANAGE_STAFF}, lambda g, a: g.services.staff.deactivate(
        g.services.staff.create(name="Leaving", actor=SYSTEM).value.id, actor=a))],
    # Recording a lock or an unlock needs only an active account of one's own.
    "auth.record_lock": [(frozenset(), lambda g, a: g.services.auth.record_lock(
        reason="Ctrl+L", actor=a))],
    "auth.record_unlock": [(frozenset(), lambda g, a: g.services.auth.record_unlock(actor=a))],
    "auth.set_login": [({Permission.MANAGE_STAFF}, lambda g, a: g.services.auth.set_login(
        g.inactive, username="leaver", password="long enough", actor=a))],
    "credits.add_credits": [
        ({Permission.ADD_FREE_CREDITS}, lambda g, a: g.services.credits.add_credits(
            member_id=g.member, appointment_type_id=g.kind, quantity=1, expires_on=None,
            note="moved from the old system", actor=a)),
        ({Permission.ADD_FREE_CREDITS, Permission.ADD_PRICED_CREDITS},
         lambda g, a: g.services.credits.add_credits(
            member_id=g.member, appointment_type_id=g.kind, quantity=1, expires_on=None,
            price_cents=5_000, note="paid", actor=a)),
    ],
    "credits.adjust": [({Permission.ADJUST_CREDITS}, lambda g, a: g.services.credits.adjust(
        member_id=g.member, appointment_type_id=g.kind, delta=1, reason="goodwill", actor=a))],
    "credits.expire_due": [({Permission.EXPIRE}, lambda g, a: g.services.credits.expire_due(
        actor=a))],
    "booking.book": [({Permission.BOOK}, lambda g, a: g.services.booking.book(
        member_id=g.member, appointment_type_id=g.kind, staff_id=g.staff[StaffRole.COACH],
        starts_at=g.next_start(), actor=a))],
    "booking.book_series": [({Permission.BOOK}, lambda g, a: g.services.booking.book_series(
        member_id=g.member, appointment_type_id=g.kind, staff_id=g.staff[StaffRole.ADMIN],
        starts_at=g.next_start() + timedelta(hours=3), repeat=Repeat(count=1), actor=a))],
    "booking.reschedule": [({Permission.BOOK}, lambda g, a: g.services.booking.reschedule(
        g.session_of_coach(), starts_at=g.next_start() + timedelta(hours=5), actor=a))],
    "booking.move": [({Permission.BOOK}, lambda g, a: g.services.booking.move(
        g.session_of_coach(), starts_at=g.next_start() + timedelta(hours=6), actor=a))],
    "booking.undo_move": [({Permission.BOOK}, lambda g, a: g.services.booking.undo_move(
        g.services.booking.move(g.session_of_coach(), starts_at=g.next_start() + timedelta(
            hours=7), actor=SYSTEM).value, actor=a))],
    "booking.cancel": [({Permission.BOOK}, lambda g, a: g.services.booking.cancel(
        g.session_of_coach(), actor=a))],
    "booking.check_in": [({Permission.CHECK_IN}, lambda g, a: g.services.booking.check_in(
        g.session_today(), actor=a))],
    "booking.no_show": [({Permission.CHECK_IN}, lambda g, a: g.services.booking.no_show(
        g.started_session(), actor=a))],
    "booking.undo_status": [({Permission.REVERSE_STATUS}, lambda g, a: g.services.booking
        .undo_status(g.no_show(), reason="marked the wrong member", actor=a))],
    "settings.set_check_in_opens_minutes": [({Permission.SETTINGS}, lambda g, a: g.services
        .settings.set_check_in_opens_minutes(30 + g.slot % 7, actor=a))],
    "settings.update_general": [({Permission.SETTINGS}, lambda g, a: g.services.settings
        .update_general(GeneralChange(name=f"Gym {g.slot}"), actor=a))],
    **IMPORT_WRITES,
    **MONEY_WRITES,
    **AVAILABILITY_WRITES,
    **GROUP_WRITES,
}  # fmt: skip
WRITES.update(CREDIT_LIFE_WRITES)  # expiry changes, transfers, merges
WRITES.update(PLAN_WRITES)
# Shared pools, unpaid bookings, fees, holds, undo; and more ways to call some writes.
WRITES.update(CREDIT_ITEM_WRITES | {k: WRITES[k] + v for k, v in CREDIT_ITEM_ALSO.items()})


def _write_methods() -> dict[str, inspect.Signature]:
    found = {}
    for name, kind in typing.get_type_hints(Services).items():
        if not inspect.isclass(kind):
            continue
        for method_name, method in inspect.getmembers(kind, inspect.isfunction):
            if method_name.startswith("_"):
                continue
            signature = inspect.signature(method)
            if "actor" in signature.parameters:
                found[f"{name}.{method_name}"] = signature
    return found


def _readme_table() -> dict[str, set[StaffRole]]:
    text = README.read_text(encoding="utf-8")
    header = "| permission | owner | admin | front desk | coach |"
    assert header in text, "README lost its roles table"
    rows: dict[str, set[StaffRole]] = {}
    for line in text[text.index(header) :].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert all(c in ("yes", "—") for c in cells[1:]), line
        rows[cells[0]] = {role for role, c in zip(ROLES, cells[1:], strict=True) if c == "yes"}
    return rows


def test_the_readme_roles_table_is_the_code() -> None:
    table = _readme_table()
    assert set(table) == {p.value for p in Permission}
    for permission in Permission:
        assert table[permission.value] == {
            role for role in ROLES if permission in ROLE_PERMISSIONS[role]
        }, permission


def test_every_write_takes_a_required_actor_and_is_walked() -> None:
    found = _write_methods()
    for name, signature in found.items():
        if name in READS_WITH_ACTOR:
            continue
        parameter = signature.parameters["actor"]
        assert parameter.default is inspect.Parameter.empty, f"{name}: actor has a default"
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}: actor is positional"
    assert set(found) - READS_WITH_ACTOR == set(WRITES)


@pytest.fixture
def gym(services: Services, backend: str, tmp_path: Path) -> Gym:
    staff = {
        role: StaffId(services.staff.create(name=ROLE_LABELS[role], role=role, actor=SYSTEM)
                      .value.id)
        for role in ROLES
    }  # fmt: skip
    inactive = StaffId(services.staff.create(name="Gone", role="owner", actor=SYSTEM).value.id)
    services.staff.deactivate(inactive, actor=SYSTEM)
    member = services.members.create(
        first_name="Ann", last_name="Walker", email="ann@example.com", actor=SYSTEM
    ).value
    kind = services.appointment_types.create(
        name="Walk PT", duration_minutes=60, late_cancel_hours=1, actor=SYSTEM
    ).value
    member_id, kind_id = MemberId(member.id), AppointmentTypeId(kind.id)
    lot = services.credits.add_credits(
        member_id=member_id, appointment_type_id=kind_id, quantity=200, expires_on=None,
        actor=SYSTEM,
    ).value  # fmt: skip
    package = services.catalog.save_package(
        name="Ten", appointment_type_id=kind_id, credits=10, price_cents=50_000,
        validity_days=180, actor=SYSTEM,
    ).value  # fmt: skip
    plan = services.catalog.save_plan(
        name="Monthly", period="month", price_cents=9_900, credits=[(kind_id, 4)],
        billing_day=1, actor=SYSTEM,
    ).value  # fmt: skip
    batch = services.imports.import_credits(
        credits_file("ann@example.com", 2), ImportOptions(), actor=SYSTEM
    ).value.batch_id
    assert batch is not None
    coach = staff[StaffRole.COACH]
    sessions = []
    for day in range(20):
        sessions.append(
            AppointmentId(services.booking.book(
                member_id=member_id, appointment_type_id=kind_id, staff_id=coach,
                starts_at=at_local(2026, 6, 1, 9) + timedelta(days=day), actor=SYSTEM,
            ).value.id)
        )  # fmt: skip
    started = []
    for day in range(20):
        started.append(
            AppointmentId(services.booking.book(
                member_id=member_id, appointment_type_id=kind_id, staff_id=coach,
                starts_at=at_local(2026, 3, 4, 6) - timedelta(days=day), allow_past=True,
                actor=SYSTEM,
            ).value.id)
        )  # fmt: skip
    today = []
    for minutes in range(5, 60, 5):  # 10:05 to 10:55; the clock says 10:00
        start = at_local(2026, 3, 4, 10) + timedelta(minutes=minutes)
        today.append(
            AppointmentId(services.booking.book(
                member_id=member_id, appointment_type_id=kind_id, staff_id=coach,
                starts_at=start, ends_at=start + timedelta(minutes=5), actor=SYSTEM,
            ).value.id)
        )  # fmt: skip
    no_shows = []
    for day in range(1, 13):  # each walk line takes 9 (4 roles, 3 nobodies, gone, system)
        appt = AppointmentId(services.booking.book(
            member_id=member_id, appointment_type_id=kind_id, staff_id=staff[StaffRole.ADMIN],
            starts_at=at_local(2026, 3, 4, 7) - timedelta(days=day), allow_past=True,
            actor=SYSTEM,
        ).value.id)  # fmt: skip
        services.booking.no_show(appt, actor=SYSTEM)
        no_shows.append(appt)
    backup = None
    if backend == "sqlite":
        backup = services.backups.back_up_now(tmp_path / "walk-backup.sqlite3", actor=SYSTEM)
    return Gym(
        services, staff, inactive, member_id, kind_id, package.id, plan.id, lot.id, batch,
        backup, sessions, started, today, no_shows,
    )  # fmt: skip


UNSEEN_BY_OTHER_DESKS = {
    "auth.record_lock", "auth.record_unlock",  # audited; no screen shows them
    "backups.back_up_now", "backups.restore",  # copy or replace the file: no row changes
}  # fmt: skip


def _last_audit_id(gym: Gym) -> int:
    with gym.services.db.read() as session:
        return int(session.scalar(select(func.max(AuditEvent.id))) or 0)


def _allowed(call: Call, gym: Gym, actor: Actor) -> tuple[bool, str]:
    """Whether the call got past the permission check, and how it ended."""
    try:
        call(gym, actor)
    except PermissionDenied as exc:
        return False, f"refused: {exc.message}"
    except DeskError as exc:  # past the check; refused for another reason
        return True, f"{type(exc).__name__}: {exc.message}"
    return True, "done"


# Restore last: it replaces the database with the backup made at set-up.
@pytest.mark.parametrize("method", sorted(WRITES, key=lambda m: m == "backups.restore"))
def test_each_write_is_allowed_to_exactly_the_roles_the_table_gives(
    gym: Gym, method: str, backend: str
) -> None:
    table = _readme_table()
    for needs, call in WRITES[method]:
        outcomes = {}
        for role in ROLES:
            expected = all(role in table[p.value] for p in needs)
            logged, audited = gym.services.changes.latest_id(), _last_audit_id(gym)
            allowed, how = _allowed(call, gym, as_staff(gym.staff[role]))
            outcomes[role] = how
            assert allowed == expected, f"{method} as {role}: {how}"
            # Every write that changed something tells the other desks (the change log).
            if _last_audit_id(gym) > audited and method not in UNSEEN_BY_OTHER_DESKS:
                assert gym.services.changes.latest_id() > logged, f"{method}: no change logged"
        # Proof that the arguments are good: the owner's call really ran.
        server_backup = method.startswith("backups.") and backend != "sqlite"
        assert outcomes[StaffRole.OWNER] == "done" or server_backup, outcomes
        for nobody in (None, "the system", 1):
            allowed, how = _allowed(call, gym, nobody)  # type: ignore[arg-type]
            assert not allowed, f"{method} with actor={nobody!r}: {how}"
        allowed, how = _allowed(call, gym, as_staff(gym.inactive))
        assert not allowed, f"{method} as a deactivated owner: {how}"
        assert "deactivated" in how, how
        allowed, how = _allowed(call, gym, SYSTEM)
        assert allowed, f"{method} as the system: {how}"


def test_a_coach_checks_in_only_their_own_sessions(gym: Gym) -> None:
    other = gym.services.booking.book(
        member_id=gym.member, appointment_type_id=gym.kind, staff_id=gym.staff[StaffRole.ADMIN],
        starts_at=gym.next_start(), actor=SYSTEM,
    ).value  # fmt: skip
    coach = as_staff(gym.staff[StaffRole.COACH])
    with pytest.raises(PermissionDenied, match="their own sessions"):
        gym.services.booking.check_in(AppointmentId(other.id), actor=coach)
    assert gym.services.booking.get(AppointmentId(other.id)).status.value == "booked"


def test_the_check_runs_inside_the_write(gym: Gym) -> None:
    """A role taken away commits before the write's transaction reads it: refused."""
    front = gym.staff[StaffRole.FRONT_DESK]
    gym.services.staff.update(front, name="front desk", role=StaffRole.COACH, active=True,
                              actor=SYSTEM)  # fmt: skip
    with pytest.raises(PermissionDenied, match="coach"):
        gym.services.members.create(first_name="X", last_name="Y", actor=as_staff(front))


def test_the_audit_log_names_the_system_actor(gym: Gym) -> None:
    actor = Actor.system("command line")
    created = gym.services.members.create(first_name="Cli", last_name="User", actor=actor)
    event = gym.services.audit.events(member_id=created.value.id)[0]
    assert event.actor is not None
    assert re.fullmatch(r"command line \(os user .+\)", event.actor), event.actor
