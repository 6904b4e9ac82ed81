"""Who the calendar shows, and the week view's coach tracks: pure rules, no Qt.

The day view has a column per person ``on_the_calendar`` returns; the week view
with every staff member divides each day into one track per such person, in the
same order, so a coach sits at the same place on every day. A track is labelled
with the coach's initials (unique among the tracks) and has a colour of its own,
shown on its label and in the legend.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from desk.services.core.read_models import AppointmentView, StaffView

TRACK_COLORS = (
    "#1570ef",
    "#dd2590",
    "#079455",
    "#dc6803",
    "#6938ef",
    "#0e9384",
    "#d92d20",
    "#4e5ba6",
    "#ca8504",
    "#667085",
)
"""One colour per track, in track order (wrapping round after ten coaches)."""


@dataclass(frozen=True)
class Track:
    """One coach's share of a week-view day column."""

    staff_id: int
    name: str
    label: str
    """Short, unique among the tracks: "KA" for Kim Alvarez."""
    color: str


def on_the_calendar(
    staff: Iterable[StaffView], appointments: Iterable[AppointmentView]
) -> list[tuple[int, str]]:
    """(staff id, name) of everyone the calendar gives room to: the active staff who
    take bookings, in the order given, then anyone else booked in ``appointments``
    (someone who takes no bookings, or left, may still have sessions: nothing is
    hidden), in the order of their first appointment."""
    shown = [(s.id, s.name) for s in staff if s.active and s.takes_bookings]
    known = {staff_id for staff_id, _ in shown}
    for appt in appointments:
        if appt.staff_id not in known:
            known.add(appt.staff_id)
            shown.append((appt.staff_id, appt.staff_name))
    return shown


def initials(name: str, letters: int = 1) -> str:
    """ "Kim Alvarez" -> "KA"; with ``letters=2`` "KiAl". A single word gives its
    first letters ("Sam" -> "S", "Sa")."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()] or [name or "?"]
    picked = [words[0], words[-1]] if len(words) > 1 else [words[0]]
    return "".join(w[:letters].capitalize() if letters > 1 else w[0].upper() for w in picked)


def tracks_for(people: Sequence[tuple[int, str]]) -> tuple[Track, ...]:
    """A track for each (staff id, name), labels made unique: initials, two letters
    of each name where initials clash ("KiAl", "KaAd"), then a number."""
    labels = [initials(name) for _, name in people]
    clashing = {label for label in labels if labels.count(label) > 1}
    labels = [
        initials(name, 2) if label in clashing else label
        for label, (_, name) in zip(labels, people, strict=True)
    ]
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if labels.count(label) == 1 else f"{label}{seen[label]}")
    return tuple(
        Track(staff_id, name, label, TRACK_COLORS[index % len(TRACK_COLORS)])
        for index, ((staff_id, name), label) in enumerate(zip(people, unique, strict=True))
    )
