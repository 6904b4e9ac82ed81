"""Eight desks import the same file at the same moment: it goes in once.

Each round half the desks import a credits file with a type mapping (which is
remembered in the gym's settings) and half an appointments file (each booking
holding a credit of its own). Both importers read which rows are already in
(idempotency keys, including those of undone imports) before they write; the
import lock (`desk.imports`) makes the second desk see the first one's rows.
What must hold after each round: one batch per file, each row's credits and
bookings once, one remembered mapping, and a ledger whose cache equals its
entries.
"""

from __future__ import annotations

from sqlalchemy import func, select

from desk.models import Appointment, GymSetting, ImportBatch
from desk.services.importing.report import ImportOptions
from tests.services import race_harness as race
from tests.services.race_harness import acting

ROUNDS = race.rounds(50)


def credits_file(n: int) -> bytes:
    return (
        "Email,Pricing Option,Remaining,Value\n"
        f"race{n}@example.com,PT 60 min,3,150.00\n"
        f"race{n}@example.com,Sports Massage,2,180.00\n"
    ).encode()


def appointments_file(n: int, coach: str) -> bytes:
    return (
        "Email,Appointment Type,Staff,Starts,Credit Value\n"
        f"race{n}@example.com,PT 60 min,{coach},2026-04-{1 + n % 28:02d}T09:00-04:00,50.00\n"
    ).encode()


def act(services, index, task):
    what, n, coach, owner = task
    options = ImportOptions(type_map=("PT 60 min=Personal Training 60",), source_system="race")
    if what == "credits":
        report = services.imports.import_credits(credits_file(n), options, **acting(owner))
    else:
        report = services.imports.import_appointments(
            appointments_file(n, coach), options, **acting(owner)
        )
    return report.value.written


def test_eight_desks_importing_one_file_bring_it_in_once(services, database, backend):
    owner = services.staff.create(name="Owner", role="owner", **acting(None)).value.id
    coach = services.staff.create(name="Kim Alvarez", role="coach", **acting(None)).value.name
    for name in ("Personal Training 60", "Sports Massage"):
        services.appointment_types.create(name=name, duration_minutes=60, **acting(None))
    tally = race.Tally("same file", backend, describe=lambda worst: f"{worst or 0} extra")
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            services.members.create(
                first_name="Race", last_name=f"R{n}", email=f"race{n}@example.com",
                **acting(None),
            )  # fmt: skip
            tasks = [("credits" if i % 2 else "appointments", n, coach, owner)
                     for i in range(race.PROCESSES)]  # fmt: skip
            results = running.race(tasks)
            problems = []
            if any(r.status != "ok" for r in results):
                problems.append(f"{sum(r.status != 'ok' for r in results)} imports failed")
            written = sum(1 for r in results if r.value)
            with database.read() as session:
                batches = session.scalar(select(func.count(ImportBatch.id))) or 0
                bookings = session.scalar(select(func.count(Appointment.id))) or 0
                mappings = session.scalar(
                    select(func.count()).select_from(GymSetting)
                    .where(GymSetting.key == "import.types.race")
                )  # fmt: skip
            extra = (written - 2) + (batches - 2 * (n + 1)) + (bookings - (n + 1))
            if written != 2:
                problems.append(f"{written} desks wrote, expected 2 (one per file)")
            if batches != 2 * (n + 1):
                problems.append(f"{batches} batches after {n + 1} rounds")
            if bookings != n + 1:
                problems.append(f"{bookings} bookings after {n + 1} rounds")
            if mappings != 1:
                problems.append(f"{mappings} remembered mappings")
            if services.credits.verify_ledger():
                problems.append("the ledger's cache disagrees with its entries")
            tally.record(results, problems, measure=abs(extra))
    tally.report()
