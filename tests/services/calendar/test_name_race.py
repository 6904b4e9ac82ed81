"""Eight desks rename eight different things to one name at the same moment.

Appointment type names and catalog (package) names are unique ignoring case.
Each round, desk i renames its own type (or package) to the same name, half
of them spelled exactly alike and half in other cases ("Yoga 7", "YOGA 7",
...). Done one after the other, the first wins and the other seven are told
the name is taken. So after every round: exactly one rename succeeded, seven
were refused with a ValidationError (never a duplicate-key IntegrityError),
and one row has the name, ignoring case.

The exact spellings alone were already safe (the unique index, then
@retry_transient's second go reads the winner); the case variants passed the
check together on PostgreSQL until the check took a lock.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desk.models import AppointmentType, SessionPackage
from tests.services import race_harness as race
from tests.services.race_harness import acting

ROUNDS = 50


def spelling(name: str, index: int) -> str:
    """Even desks type the name as it is; each odd one in a case of its own."""
    if index % 2 == 0:
        return name
    first, _, rest = name.partition(" ")
    variants = [name.upper(), name.lower(), name.swapcase(), f"{first.lower()} {rest.upper()}"]
    return variants[index // 2 % len(variants)]


def act(services, index, task):
    what, row_id, name, desk, kind = task
    if what == "type":
        return services.appointment_types.update(row_id, name=name, **acting(desk)).value.name
    return services.catalog.save_package(
        package_id=row_id,
        name=name,
        appointment_type_id=kind,
        credits=5,
        price_cents=10_000,
        validity_days=None,
        **acting(desk),
    ).value.name


@pytest.mark.parametrize("what", ["type", "package"])
def test_eight_desks_renaming_to_one_name_leave_one_winner(services, database, backend, what):
    owner = services.staff.create(name="Owner", role="owner", **acting(None)).value.id
    kind = services.appointment_types.create(
        name="Base", duration_minutes=60, **acting(owner)
    ).value.id
    model = AppointmentType if what == "type" else SessionPackage
    tally = race.Tally(f"rename {what}", backend, describe=lambda worst: f"{worst or 0} rows")
    tally.worse = "up"
    with race.Desks(race.url_of(database), act) as running:
        for n in range(ROUNDS):
            ids = []
            for i in range(race.PROCESSES):
                if what == "type":
                    ids.append(
                        services.appointment_types.create(
                            name=f"T{n}-{i}", duration_minutes=30, **acting(owner)
                        ).value.id
                    )
                else:
                    ids.append(
                        services.catalog.save_package(
                            name=f"P{n}-{i}",
                            appointment_type_id=kind,
                            credits=5,
                            price_cents=10_000,
                            validity_days=None,
                            **acting(owner),
                        ).value.id
                    )
            target = f"Yoga Flow {n}"
            tasks = [
                (what, ids[i], spelling(target, i), owner, kind) for i in range(race.PROCESSES)
            ]
            results = running.race(tasks)
            problems = []
            ok = [r for r in results if r.status == "ok"]
            if len(ok) != 1:
                problems.append(f"{len(ok)} renames succeeded, expected exactly 1")
            for r in results:
                if r.status == "refused" and not r.error.startswith("ValidationError"):
                    problems.append(f"desk {r.worker} refused with {r.error}")
            with database.read() as session:
                names = session.scalars(select(model.name)).all()
            holders = sum(1 for name in names if name.casefold() == target.casefold())
            if holders != 1:
                problems.append(f"{holders} rows named {target!r} ignoring case")
            tally.record(results, problems, measure=holders)
    tally.report()
