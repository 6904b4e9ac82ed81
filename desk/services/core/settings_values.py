"""The gym-wide settings: their keys, defaults, checks and how they are read.

Each setting is one text value under its key in ``gym_settings``; a key never
written (or holding a value a newer check would refuse) reads as its default,
so a desk never fails to start over a setting.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.models import GymSetting
from desk.services.core.errors import ValidationError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LOGO_MAX_BYTES = 256 * 1024
GYM_NAME_MAX = 100


@dataclass(frozen=True, slots=True)
class IntSetting:
    """A whole-number setting: its key, default and allowed range, and how to name it."""

    key: str
    default: int
    lowest: int
    highest: int
    label: str

    def check(self, value: object) -> int:
        """``value`` when it is a whole number in range; ValidationError says why not."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(self.key, f"{self.label} must be a whole number.")
        if not self.lowest <= value <= self.highest:
            raise ValidationError(
                self.key, f"{self.label} must be between {self.lowest} and {self.highest}."
            )
        return value

    def stored(self, value: int) -> str:
        return str(value)

    def parse(self, raw: str) -> int:
        try:
            return self.check(int(raw))
        except (ValueError, ValidationError):
            return self.default


CHECK_IN_OPENS_MINUTES = IntSetting(
    "check_in_opens_minutes", 60, 0, 24 * 60, "How many minutes before the start check-in opens"
)


def read_int(session: Session, setting: IntSetting) -> int:
    """The setting's value in the caller's transaction (its default if never set)."""
    raw = read_raw(session, setting.key)
    return setting.default if raw is None else setting.parse(raw)


def read_raw(session: Session, key: str) -> str | None:
    """The stored text under ``key``, None if it was never written."""
    return session.scalar(select(GymSetting.value).where(GymSetting.key == key))


GYM_NAME_KEY = "gym_name"
TIME_ZONE_KEY = "time_zone"
LOGO_KEY = "gym_logo_png"


def check_gym_name(name: object) -> str:
    """The gym's name with outer spaces trimmed ("" means none given)."""
    if not isinstance(name, str):
        raise ValidationError(GYM_NAME_KEY, "The gym's name must be text.")
    name = " ".join(name.split())
    if len(name) > GYM_NAME_MAX:
        raise ValidationError(
            GYM_NAME_KEY, f"The gym's name is {len(name)} characters; at most {GYM_NAME_MAX}."
        )
    return name


def check_time_zone(name: object) -> str:
    """An IANA zone name ("Europe/London"), or "" for the workstation's own zone."""
    if not isinstance(name, str):
        raise ValidationError(TIME_ZONE_KEY, "The time zone must be a name like Europe/London.")
    name = name.strip()
    if not name:
        return ""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            TIME_ZONE_KEY, f"{name!r} is not a time zone name like America/New_York."
        ) from None
    return name


def check_logo(png: object) -> bytes | None:
    """PNG bytes of at most LOGO_MAX_BYTES, or None for no logo."""
    if png is None:
        return None
    if not isinstance(png, bytes) or not png.startswith(PNG_SIGNATURE):
        raise ValidationError(LOGO_KEY, "The logo must be a PNG image.")
    if len(png) > LOGO_MAX_BYTES:
        raise ValidationError(
            LOGO_KEY,
            f"The logo is {len(png) // 1024} KB; at most {LOGO_MAX_BYTES // 1024} KB.",
        )
    return png


def encode_logo(png: bytes | None) -> str:
    return "" if png is None else base64.b64encode(png).decode("ascii")


def decode_logo(raw: str | None) -> bytes | None:
    """The stored logo's bytes; None when there is none or the text is damaged."""
    if not raw:
        return None
    try:
        png = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        return None
    return png if png.startswith(PNG_SIGNATURE) else None


def stored_time_zone(session: Session) -> str:
    """The gym's time zone name, "" when the workstation's own zone is meant."""
    raw = read_raw(session, TIME_ZONE_KEY) or ""
    try:
        return check_time_zone(raw)
    except ValidationError:
        return ""


@dataclass(frozen=True, slots=True)
class GymGeneral:
    """What Settings > General shows and saves for the whole gym."""

    name: str
    logo_png: bytes | None
    time_zone: str
    check_in_opens_minutes: int


def read_general(session: Session) -> GymGeneral:
    """Every general setting in one read (defaults where never set)."""
    raw_name = read_raw(session, GYM_NAME_KEY) or ""
    try:
        name = check_gym_name(raw_name)
    except ValidationError:
        name = raw_name[:GYM_NAME_MAX]
    return GymGeneral(
        name=name,
        logo_png=decode_logo(read_raw(session, LOGO_KEY)),
        time_zone=stored_time_zone(session),
        check_in_opens_minutes=read_int(session, CHECK_IN_OPENS_MINUTES),
    )
