"""Settings > General for the whole gym: name, logo, time zone, check-in window."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from desk.models import AuditEvent, GymSetting
from desk.services.container import Services
from desk.services.core.clock import TIMEZONE_ENV, SystemClock
from desk.services.core.errors import ValidationError
from desk.services.core.settings import GeneralChange
from desk.services.core.settings_values import LOGO_KEY, LOGO_MAX_BYTES, PNG_SIGNATURE
from tests.actors import SYSTEM

LOGO = PNG_SIGNATURE + b"\x00" * 3000


def _events(services: Services) -> list[AuditEvent]:
    with services.db.read() as session:
        return list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "settings.update")
                .order_by(AuditEvent.id)
            )
        )


def test_a_new_gym_reads_the_defaults(services: Services) -> None:
    general = services.settings.general()
    assert (general.name, general.logo_png, general.time_zone) == ("", None, "")
    assert general.check_in_opens_minutes == 60


def test_changed_fields_are_saved_and_audited_once_with_the_logo_in_words(
    services: Services,
) -> None:
    done = services.settings.update_general(
        GeneralChange(name="  Northside   Strength ", logo_png=LOGO, time_zone="Europe/London"),
        actor=SYSTEM,
    )
    assert done.value.name == "Northside Strength"
    assert done.value.logo_png == LOGO
    assert services.settings.general() == done.value
    [event] = _events(services)
    assert event.before == {"gym_logo_png": "no logo", "gym_name": "", "time_zone": ""}
    assert event.after == {
        "gym_logo_png": "a PNG of 2 KB", "gym_name": "Northside Strength",
        "time_zone": "Europe/London",
    }  # fmt: skip


def test_a_change_that_changes_nothing_writes_no_event(services: Services) -> None:
    services.settings.update_general(GeneralChange(name="Northside"), actor=SYSTEM)
    services.settings.update_general(GeneralChange(name="Northside"), actor=SYSTEM)
    assert len(_events(services)) == 1


def test_fields_left_alone_keep_what_another_desk_saved(services: Services) -> None:
    services.settings.update_general(GeneralChange(name="Northside"), actor=SYSTEM)
    services.settings.update_general(GeneralChange(check_in_opens_minutes=15), actor=SYSTEM)
    general = services.settings.general()
    assert (general.name, general.check_in_opens_minutes) == ("Northside", 15)


def test_removing_the_logo(services: Services) -> None:
    services.settings.update_general(GeneralChange(logo_png=LOGO), actor=SYSTEM)
    services.settings.update_general(GeneralChange(logo_png=None), actor=SYSTEM)
    assert services.settings.general().logo_png is None
    assert _events(services)[-1].after == {"gym_logo_png": "no logo"}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (GeneralChange(name="x" * 101), "gym_name", "at most 100"),
        (GeneralChange(time_zone="Mars/Olympus"), "time_zone", "'Mars/Olympus' is not a time"),
        (GeneralChange(logo_png=b"GIF89a..."), "gym_logo_png", "must be a PNG"),
        (
            GeneralChange(logo_png=PNG_SIGNATURE + bytes(LOGO_MAX_BYTES)),
            "gym_logo_png",
            "at most 256 KB",
        ),
        (GeneralChange(check_in_opens_minutes=1441), "check_in_opens_minutes", "between 0"),
        (GeneralChange(check_in_opens_minutes="15"), "check_in_opens_minutes", "whole number"),  # type: ignore[arg-type]
    ],
)
def test_one_wrong_field_writes_nothing_and_says_which(
    services: Services, change: GeneralChange, field: str, words: str
) -> None:
    with_good_name = GeneralChange(
        name="Good name" if field != "gym_name" else change.name,
        logo_png=change.logo_png,
        time_zone=change.time_zone,
        check_in_opens_minutes=change.check_in_opens_minutes,
    )
    with pytest.raises(ValidationError) as raised:
        services.settings.update_general(with_good_name, actor=SYSTEM)
    assert raised.value.field == field
    assert words in raised.value.message
    assert services.settings.general().name == ""
    assert _events(services) == []


def test_damaged_stored_values_read_as_defaults(services: Services) -> None:
    with services.db.write() as session:
        now = datetime(2026, 12, 1, tzinfo=UTC)
        for key, value in [
            (LOGO_KEY, "not base64 !!"),
            ("time_zone", "Nowhere/Atlantis"),
            ("check_in_opens_minutes", "soon"),
        ]:
            session.add(GymSetting(key=key, value=value, updated_at=now))
    general = services.settings.general()
    assert (general.logo_png, general.time_zone, general.check_in_opens_minutes) == (
        None, "", 60,
    )  # fmt: skip


def test_the_desk_clock_follows_a_new_time_zone_at_once(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(TIMEZONE_ENV, raising=False)
    desk = Services.build(services.db)
    assert isinstance(desk.clock, SystemClock)
    desk.settings.update_general(GeneralChange(time_zone="Asia/Tokyo"), actor=SYSTEM)
    assert desk.clock.tz == ZoneInfo("Asia/Tokyo")
    # The next desk to start takes the gym's zone from the database.
    assert Services.build(services.db).clock.tz == ZoneInfo("Asia/Tokyo")


def test_desk_timezone_in_the_environment_pins_the_zone(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.settings.update_general(GeneralChange(time_zone="Asia/Tokyo"), actor=SYSTEM)
    monkeypatch.setenv(TIMEZONE_ENV, "America/Chicago")
    desk = Services.build(services.db)
    assert desk.clock.tz == ZoneInfo("America/Chicago")
    desk.settings.update_general(GeneralChange(time_zone="Europe/Paris"), actor=SYSTEM)
    assert desk.clock.tz == ZoneInfo("America/Chicago")
