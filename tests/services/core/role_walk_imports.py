"""The role walk's lines for imports (test_role_walk.py merges them into its WRITES)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desk.models import StaffRole
from desk.services.core.actor import Actor
from desk.services.core.permissions import Permission
from desk.services.importing.report import ImportOptions

Call = Callable[[Any, Actor], Any]


def credits_file(member_email: str, n: int) -> bytes:
    return f"Email,Service,Credits\n{member_email},Walk PT,{n}\n".encode()


def _appointments_file(g: Any) -> bytes:
    coach = g.services.staff.get(g.staff[StaffRole.COACH]).name
    starts = g.next_start().isoformat(timespec="minutes")
    return f"Email,Service,Staff,Starts\nann@example.com,Walk PT,{coach},{starts}\n".encode()


# fmt: off
IMPORT_WRITES: dict[str, list[tuple[set[Permission] | frozenset[Permission], Call]]] = {
    "imports.import_credits": [({Permission.IMPORT}, lambda g, a: g.services.imports
        .import_credits(credits_file("ann@example.com", 1 + g.slot), ImportOptions(),
                        actor=a))],
    "imports.import_members": [({Permission.IMPORT}, lambda g, a: g.services.imports
        .import_members(f"Name,Email\nMo Dell,mo{g.next_start():%j}@example.com\n".encode(),
                        ImportOptions(), actor=a))],
    "imports.undo": [({Permission.IMPORT}, lambda g, a: g.services.imports.undo(
        g.batch, actor=a))],
    "imports.import_appointments": [({Permission.IMPORT}, lambda g, a: g.services.imports
        .import_appointments(_appointments_file(g), ImportOptions(), actor=a))],
}
# fmt: on
