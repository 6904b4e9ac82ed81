"""Whose export a file is, and the type names of that system mapped to Desk's.

A mapping ("PT 60 min" -> "Personal Training 60") given once is remembered per
source system in the gym's settings (key ``import.types.<system>``), so the next
file from the same system maps the same way without being asked.
"""

from __future__ import annotations

import json
import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.models import GymSetting
from desk.services.core.actor import Actor
from desk.services.core.errors import ValidationError
from desk.services.importing.directory import text_key
from desk.services.importing.fields import normalize

UNKNOWN_SYSTEM = "other"

# Header columns only one system's export has (compared as fields.normalize does).
SIGNATURES: tuple[tuple[str, frozenset[str]], ...] = (
    ("desk", frozenset({"deskid", "unitprice", "source"})),
    ("mindbody", frozenset({"clientid", "pricingoption", "remaining"})),
    ("pushpress", frozenset({"emailaddress", "sessionsremaining"})),
    ("pike13", frozenset({"personid", "visitsremaining"})),
    ("glofox", frozenset({"memberid", "creditpack"})),
    ("glofox", frozenset({"memberid", "service", "credits"})),
    ("wellnessliving", frozenset({"purchaseoption", "sessionsleft"})),
    ("vagaro", frozenset({"packagename", "servicesremaining"})),
    ("teamup", frozenset({"customername", "pass", "remaining"})),
    ("teamup", frozenset({"customername", "package", "remaining"})),
)


def detect_system(header: list[str]) -> str:
    """The system whose export has this header, or "other"."""
    keys = {normalize(h) for h in header}
    for system, needed in SIGNATURES:
        if needed <= keys:
            return system
    return UNKNOWN_SYSTEM


def system_key(system: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", system.casefold()).strip("-")[:40]
    if not slug:
        raise ValidationError("source_system", "Name the system the file comes from.")
    return slug


def parse_type_map(pairs: tuple[str, ...]) -> dict[str, str]:
    """``("PT 60 min=Personal Training 60",)`` -> {name in the file: Desk type}.

    Raises ValidationError for a pair without "=" or with an empty side.
    """
    result: dict[str, str] = {}
    for pair in pairs:
        source, sep, target = pair.rpartition("=")
        if not sep or not source.strip() or not target.strip():
            raise ValidationError(
                "map_type", f"--map-type takes NAME_IN_FILE=DESK_TYPE, not {pair!r}."
            )
        result[" ".join(source.split())] = " ".join(target.split())
    return result


def _setting_key(system: str) -> str:
    return f"import.types.{system_key(system)}"


def remembered(session: Session, system: str) -> dict[str, str]:
    """The mapping remembered for ``system`` (name in the file -> Desk type)."""
    value = session.scalar(select(GymSetting.value).where(GymSetting.key == _setting_key(system)))
    if not value:
        return {}
    loaded = json.loads(value)
    return {str(k): str(v) for k, v in loaded.items()} if isinstance(loaded, dict) else {}


def by_key(mapping: dict[str, str]) -> dict[str, str]:
    """The mapping as the row readers look names up (text_key of the file's name)."""
    return {text_key(source): target for source, target in mapping.items()}


def remember(
    session: Session, system: str, mapping: dict[str, str], *, at: datetime, actor: Actor
) -> None:
    """Store ``mapping`` as ``system``'s (inside the caller's write transaction)."""
    key = _setting_key(system)
    text = json.dumps(dict(sorted(mapping.items())), ensure_ascii=False)
    row = session.scalar(select(GymSetting).where(GymSetting.key == key).with_for_update())
    if row is None:
        session.add(GymSetting(key=key, value=text, updated_at=at, updated_by_id=actor.staff_id))
    elif row.value != text:
        row.value = text
        row.updated_at = at
        row.updated_by_id = actor.staff_id
