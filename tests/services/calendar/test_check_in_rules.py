"""When check-in opens (a gym setting every desk shares), and booking in the past."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from desk.models import StaffRole
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from desk.services.core.errors import (
    InvalidState,
    PermissionDenied,
    StartsInThePast,
    ValidationError,
)
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import AppointmentStatus
from tests.actors import SYSTEM, as_staff
from tests.services.factories import at_local, book, make_staff, make_type, member_with_credits


def _session(services: Services, hour: int, day: int = 4, minute: int = 0):
    """A session of Ann Smith's with Kim (both made on the first call)."""
    kinds = services.appointment_types.list()
    pt = kinds[0] if kinds else make_type(services, "PT")
    staff = services.staff.list()
    kim = staff[0] if staff else make_staff(services, "Kim")
    ann = member_with_credits(services, pt, 1)
    return book(services, ann, pt, kim, at_local(2026, 3, day, hour, minute))


def test_the_setting_defaults_to_an_hour_and_is_shared(services: Services, database) -> None:
    assert services.settings.check_in_opens_minutes() == 60
    services.settings.set_check_in_opens_minutes(15, actor=SYSTEM)
    other_desk = Services.build(database)
    assert other_desk.settings.check_in_opens_minutes() == 15
    services.settings.set_check_in_opens_minutes(90, actor=SYSTEM)
    assert other_desk.settings.check_in_opens_minutes() == 90
    events = services.audit.events()
    assert [e.action for e in events].count("settings.update") == 2


def test_the_setting_is_checked_and_needs_the_settings_permission(services: Services) -> None:
    for bad in (-1, 24 * 60 + 1):
        with pytest.raises(ValidationError, match="between 0 and 1440"):
            services.settings.set_check_in_opens_minutes(bad, actor=SYSTEM)
    front = services.staff.create(name="Lee", role=StaffRole.FRONT_DESK, actor=SYSTEM).value
    with pytest.raises(PermissionDenied, match="may not change settings"):
        services.settings.set_check_in_opens_minutes(30, actor=as_staff(front.id))
    assert services.settings.check_in_opens_minutes() == 60


def test_check_in_opens_before_the_start_and_says_when(
    services: Services, clock: FixedClock
) -> None:
    appt = _session(services, 11, minute=30)  # the clock says 10:00
    with pytest.raises(InvalidState) as refused:
        services.booking.check_in(AppointmentId(appt.id), actor=SYSTEM)
    assert refused.value.message == (
        "Check-in for Ann Smith's 11:30 session with Kim opens at 10:30."
    )
    services.settings.set_check_in_opens_minutes(90, actor=SYSTEM)
    done = services.booking.check_in(AppointmentId(appt.id), actor=SYSTEM).value
    assert done.status == AppointmentStatus.ATTENDED


def test_check_in_is_open_from_the_moment_to_the_end_of_the_day(
    services: Services, clock: FixedClock
) -> None:
    appt = _session(services, 11)
    clock.current = at_local(2026, 3, 4, 10).astimezone(UTC)  # exactly 60 minutes before
    assert services.booking.check_in(AppointmentId(appt.id), actor=SYSTEM).value.status == (
        AppointmentStatus.ATTENDED
    )
    late = _session(services, 7)
    clock.current = at_local(2026, 3, 4, 23, 59).astimezone(UTC)
    assert services.booking.check_in(AppointmentId(late.id), actor=SYSTEM).value.status == (
        AppointmentStatus.ATTENDED
    )


@pytest.mark.parametrize(
    ("day", "said"),
    [(5, "is on Thursday 5 March 2026, not today"), (3, "was on Tuesday 3 March 2026")],
)
def test_a_session_on_another_local_day_cant_be_checked_in(
    services: Services, day: int, said: str
) -> None:
    # 00:30 tomorrow opens 23:30 today in the setting's terms: still another day.
    appt = _session(services, 0 if day == 5 else 18, day=day, minute=30)
    services.settings.set_check_in_opens_minutes(1440, actor=SYSTEM)
    with pytest.raises(InvalidState, match=said):
        services.booking.check_in(AppointmentId(appt.id), actor=SYSTEM)
    assert services.booking.get(AppointmentId(appt.id)).status == AppointmentStatus.BOOKED


def test_the_local_day_counts_not_the_utc_one(services: Services, clock: FixedClock) -> None:
    # 20:30 in New York on 4 March is 01:30 UTC on 5 March.
    appt = _session(services, 20, minute=30)
    clock.current = datetime(2026, 3, 5, 1, 0, tzinfo=UTC)
    assert services.booking.check_in(AppointmentId(appt.id), actor=SYSTEM).value.status == (
        AppointmentStatus.ATTENDED
    )


def test_booking_in_the_past_is_refused_unless_allowed(services: Services) -> None:
    pt = make_type(services, "PT")
    kim = make_staff(services, "Kim")
    ann = member_with_credits(services, pt, 3)
    ids = {
        "member_id": MemberId(ann.id),
        "appointment_type_id": AppointmentTypeId(pt.id),
        "staff_id": StaffId(kim.id),
    }
    with pytest.raises(StartsInThePast) as refused:
        services.booking.book(**ids, starts_at=at_local(2026, 3, 4, 9, 30), actor=SYSTEM)
    assert refused.value.message.startswith("09:30 on Wednesday 4 March 2026 has already passed.")
    with pytest.raises(StartsInThePast):
        services.booking.book_series(**ids, starts_at=at_local(2026, 3, 2, 9), actor=SYSTEM)
    assert services.booking.for_member(MemberId(ann.id)) == []
    assert services.credits.open_credits(MemberId(ann.id), AppointmentTypeId(pt.id)) == 3
    done = services.booking.book(
        **ids, starts_at=at_local(2026, 3, 4, 9, 30), allow_past=True, actor=SYSTEM
    ).value
    assert done.status == AppointmentStatus.BOOKED
    series = services.booking.book_series(
        **ids, starts_at=at_local(2026, 3, 2, 9), allow_past=True, actor=SYSTEM
    ).value
    assert len(series.booked) == 1
    ids["staff_id"] = StaffId(make_staff(services, "Lou").id)
    now = services.booking.book(**ids, starts_at=at_local(2026, 3, 4, 10), actor=SYSTEM).value
    assert now.status == AppointmentStatus.BOOKED
