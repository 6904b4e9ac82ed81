"""The invariant the unpaid-booking race tests check after each round."""

from __future__ import annotations

from typing import Any

from desk.services.core.ids import MemberId


def no_unpaid_next_to_a_credit(
    services: Any, results: list[Any], member: int, booked: int
) -> tuple[list[str], int]:
    """Problems after a round, and how many unpaid bookings sat next to open credits:
    every desk went through, no booking is left unpaid, no credit open, ``booked``
    sessions booked, and the ledger verifies."""
    problems = [f"desk {r.worker}: {r.status} {r.error}" for r in results if r.status != "ok"]
    owing = len(services.unpaid.owing(MemberId(member)))
    [row] = services.credits.balances(MemberId(member))
    if owing and row.open:
        problems.append(f"{owing} unpaid bookings next to {row.open} open credits")
    if (owing, row.open, row.booked) != (0, 0, booked):
        problems.append(
            f"unpaid/open/booked {owing}/{row.open}/{row.booked} (expected 0/0/{booked})"
        )
    broken = services.credits.verify_ledger()
    if broken:
        problems.append(f"ledger: {broken[:2]}")
    return problems, min(owing, row.open)
