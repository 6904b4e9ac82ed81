"""Who may read which report: owners and admins all of them, the front desk the
desk's (end of day, expiring soon, attendance), a coach their own coach pay only.
The service checks it on every read (the Reports page only offers what it allows)."""

from __future__ import annotations

from datetime import date

import pytest

from desk.models import StaffRole
from desk.services.container import Services
from desk.services.core.errors import PermissionDenied
from desk.services.core.ids import StaffId
from desk.services.core.permissions import Permission
from desk.services.reports.filters import ReportFilter
from desk.services.reports.service import REPORTS, reports_for
from tests.actors import SYSTEM, as_staff
from tests.services.reports.small_gym import SmallGym

MARCH_1, MARCH_4 = date(2026, 3, 1), date(2026, 3, 4)
EXPECTED = {
    StaffRole.OWNER: set(REPORTS),
    StaffRole.ADMIN: set(REPORTS),
    StaffRole.FRONT_DESK: {"expiring", "attendance", "end-of-day", "coach-pay"},
    StaffRole.COACH: {"coach-pay"},
}


def _staff(services: Services, role: StaffRole) -> StaffId:
    return StaffId(services.staff.create(name=f"A {role.value}", role=role, actor=SYSTEM).value.id)


@pytest.mark.parametrize("role", list(StaffRole))
def test_each_role_reads_exactly_its_reports(services: Services, gym: SmallGym, role: StaffRole):
    actor = as_staff(_staff(services, role))
    assert set(reports_for(services.auth.permissions(actor))) == EXPECTED[role]
    for name in REPORTS:
        if name in EXPECTED[role]:
            services.reports.table(name, first=MARCH_1, last=MARCH_4, actor=actor)
        else:
            with pytest.raises(PermissionDenied):
                services.reports.table(name, first=MARCH_1, last=MARCH_4, actor=actor)


def test_a_coach_sees_only_their_own_pay(services: Services, gym: SmallGym):
    kim = as_staff(StaffId(gym.kim))  # the small gym's coaches have the coach role
    everyone = services.reports.coach_pay(MARCH_1, MARCH_4, actor=SYSTEM)
    assert [c.coach for c in everyone.coaches] == ["Kim Coach", "Lee Coach"]
    own = services.reports.coach_pay(MARCH_1, MARCH_4, actor=kim)
    assert [c.coach for c in own.coaches] == ["Kim Coach"]
    # Asking for someone else's still gives their own.
    asked = services.reports.coach_pay(
        MARCH_1, MARCH_4, filters=ReportFilter(coach_id=gym.lee), actor=kim
    )
    assert [c.coach for c in asked.coaches] == ["Kim Coach"]
    # The full stream of sessions (the CSV export) is narrowed the same way.
    streamed = services.reports.coach_pay_sessions(MARCH_1, MARCH_4, actor=kim)
    assert [coach for _id, coach, _s in streamed] == ["Kim Coach"]
    with pytest.raises(PermissionDenied):
        services.reports.liability(MARCH_4, actor=kim)


def test_a_deactivated_account_reads_nothing(services: Services, gym: SmallGym):
    gone = _staff(services, StaffRole.OWNER)
    services.staff.deactivate(gone, actor=SYSTEM)
    with pytest.raises(PermissionDenied):
        services.reports.end_of_day(MARCH_4, actor=as_staff(gone))
    assert Permission.DESK_REPORTS not in services.auth.permissions(as_staff(gone))
