"""Member and login edits raced by eight desks at once, round after round.

External id: eight desks add a member with the same external id (the id a
gym's old system gave them, unique). One member is created; seven desks are
told the id is taken (ValidationError, never an IntegrityError traceback).

Archive: eight desks archive the same member. One archives; seven are told
the member is already archived (InvalidState); one audit event says so. The
member row is locked before its status is read.

Username: eight desks give eight staff members the same username. One gets
it, seven are told it is taken. Owner: on a first run eight desks each create
"the" owner account; one does, seven are told an owner exists. Both checks
run under one advisory lock on PostgreSQL (the unique index alone turned the
first into an IntegrityError and let the second create eight owners).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from sqlalchemy import func, select, update

from desk.models import AuditEvent, Member, StaffMember
from desk.services.core.ids import MemberId, StaffId
from desk.services.people import auth
from tests.services import race_harness as race
from tests.services.race_harness import acting

ROUNDS = 50
PASSWORD = "correct horse battery"


# argon2 at its defaults takes ~64 MiB and most of a second per hash with eight desks
# on two cores; the races are about the database, so the desks hash cheaply.
_CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def act(services, index, task):
    action, target, desk = task
    auth._hasher = _CHEAP_HASHER
    if action == "create":
        return services.members.create(
            first_name="Ann", last_name=f"Desk {index}", external_id=target, **acting(desk)
        ).value.id
    if action == "archive":
        return services.members.archive(MemberId(target), **acting(desk)).value.status
    if action == "login":
        staff, username = target
        return services.auth.set_login(
            StaffId(staff), username=username, password=PASSWORD, **acting(desk)
        ).value.id
    if action == "owner":
        return services.auth.create_owner(
            name=f"Owner {index}", username=f"{target}-{index}", password=PASSWORD
        ).value.id
    raise AssertionError(action)


def _one_winner(results, expected):
    problems = []
    ok = [r for r in results if r.status == "ok"]
    if len(ok) != 1:
        problems.append(f"{len(ok)} desks succeeded, expected exactly 1")
    for r in results:
        if r.status != "ok" and not r.error.startswith(expected):
            problems.append(f"desk {r.worker}: {race.short_error(r.error)}")
    return problems


def _count(database, *where):
    with database.read() as session:
        return int(session.scalar(select(func.count()).where(*where)) or 0)


def _run(services, database, backend, race_name, make_tasks, expected, count):
    tally = race.Tally(race_name, backend, describe=lambda worst: f"{worst or 0} rows at worst")
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            tasks, check = make_tasks(n)
            results = running.race(tasks)
            problems = _one_winner(results, expected)
            rows = count(check)
            if rows != 1:
                problems.append(f"{rows} rows where there must be 1")
            tally.record(results, problems, measure=rows)
    tally.report()


def _desks(services):
    owner = services.staff.create(name="Owner", role="owner", **acting(None)).value.id
    return [owner] * race.PROCESSES


def test_eight_desks_adding_one_external_id_create_one_member(services, database, backend):
    desks = _desks(services)

    def tasks(n):
        external = f"EXT-{n}"
        return [("create", external, desk) for desk in desks], external

    _run(
        services,
        database,
        backend,
        "external id",
        tasks,
        "ValidationError",
        lambda external: _count(database, Member.external_id == external),
    )


def test_eight_desks_archiving_one_member_archive_it_once(services, database, backend):
    desks = _desks(services)

    def tasks(n):
        member = services.members.create(
            first_name="Ann", last_name=f"R{n}", **acting(desks[0])
        ).value.id
        return [("archive", member, desk) for desk in desks], member

    _run(
        services,
        database,
        backend,
        "archive",
        tasks,
        "InvalidState",
        lambda member: _count(
            database, AuditEvent.member_id == member, AuditEvent.action == "member.archive"
        ),
    )


def test_eight_desks_giving_out_one_username_give_it_once(services, database, backend):
    desks = _desks(services)

    def tasks(n):
        staff = [
            services.staff.create(name=f"S{n}-{i}", **acting(desks[0])).value.id
            for i in range(race.PROCESSES)
        ]
        username = f"desk{n}"
        return [("login", (s, username), desk) for s, desk in zip(staff, desks, strict=True)], (
            username
        )

    _run(
        services,
        database,
        backend,
        "username",
        tasks,
        "ValidationError",
        lambda username: _count(database, StaffMember.username == username),
    )


def test_eight_desks_on_a_first_run_create_one_owner(services, database, backend):
    def tasks(n):
        # Back to a first run: nobody can sign in.
        with database.write() as session:
            session.execute(update(StaffMember).values(username=None, password_hash=None))
        return [("owner", f"owner{n}", None) for _ in range(race.PROCESSES)], None

    _run(
        services,
        database,
        backend,
        "first owner",
        tasks,
        "InvalidState",
        lambda _: _count(database, StaffMember.password_hash.is_not(None)),
    )
