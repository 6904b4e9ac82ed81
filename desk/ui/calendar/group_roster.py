"""Group sessions on the calendar: one block per session, and its roster in the side panel.

The canvas draws appointments; a group session (a type with a capacity above 1)
is drawn as one of them: its first member's appointment, its text the places
taken ("3/4") and the first names, its tooltip the roster. ``fold_groups`` makes
that block once per load, never while painting. The side panel's ``RosterBox``
lists every member of the selected session (a click picks whose actions the
panel's buttons take) and the session's waitlist, each with a Remove button.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desk.services.core.read_models import AppointmentStatus, AppointmentView, WaitlistEntryView
from desk.ui.calendar.calendar_tracks import initials
from desk.ui.widgets.formatting import label

TAKES_A_PLACE = (AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED, AppointmentStatus.NO_SHOW)


@dataclass(frozen=True)
class GroupSession:
    """The appointments of one coach's session of a group type at one time."""

    staff_id: int
    appointment_type_id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int
    members: tuple[AppointmentView, ...]
    """Everyone booked into it, cancelled ones too, by booking."""
    block_id: int
    """The appointment whose block stands for the session on the canvas."""

    @property
    def taken(self) -> int:
        return sum(1 for a in self.members if a.status in TAKES_A_PLACE)

    @property
    def places(self) -> str:
        return f"{self.taken}/{self.capacity}"

    @property
    def full(self) -> bool:
        return self.taken >= self.capacity


def _key(appt: AppointmentView) -> tuple[int, int, datetime, datetime]:
    return (appt.staff_id, appt.appointment_type_id, appt.starts_at, appt.ends_at)


def fold_groups(
    appointments: Sequence[AppointmentView],
) -> tuple[list[AppointmentView], dict[int, GroupSession]]:
    """The appointments to draw (each group session once) and, for every member's
    appointment id, the session it belongs to."""
    grouped: dict[tuple[int, int, datetime, datetime], list[AppointmentView]] = {}
    for appt in appointments:
        if appt.capacity > 1:
            grouped.setdefault(_key(appt), []).append(appt)
    if not grouped:
        return list(appointments), {}
    sessions: dict[int, GroupSession] = {}
    drawn: dict[tuple[int, int, datetime, datetime], AppointmentView] = {}
    for key, members in grouped.items():
        members.sort(key=lambda a: a.id)
        holding = [a for a in members if a.status in TAKES_A_PLACE]
        first = (holding or members)[0]
        statuses = {a.status for a in holding}
        status = statuses.pop() if len(statuses) == 1 else AppointmentStatus.BOOKED
        session = GroupSession(*key, first.capacity, tuple(members), first.id)
        names = ", ".join(a.member_name.split(" ")[0] for a in holding) or "nobody"
        drawn[key] = replace(
            first,
            member_name=f"{session.places} {names}",
            status=status if holding else first.status,
            notes="\n".join(f"{a.member_name}: {label(a.status.value)}" for a in members),
        )
        for appt in members:
            sessions[appt.id] = session
    shown: list[AppointmentView] = []
    for appt in appointments:
        if appt.capacity <= 1:
            shown.append(appt)
        elif sessions[appt.id].block_id == appt.id:
            shown.append(drawn[_key(appt)])
    return shown, sessions


def short_label(appt: AppointmentView) -> str:
    """What a coach's narrow track shows: a group's places ("3/4"), else initials."""
    if appt.capacity > 1:
        return appt.member_name.split(" ", 1)[0]
    return initials(appt.member_name)


class RosterBox(QWidget):
    """The side panel's roster of a group session and its waitlist."""

    def __init__(
        self,
        pick: Callable[[int], None],
        remove_waiting: Callable[[WaitlistEntryView], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("groupRoster")
        self.setAccessibleName("Members of the group session")
        self._pick = pick
        self._remove = remove_waiting
        self.heading = QLabel(self)
        self.heading.setObjectName("rosterHeading")
        self.heading.setStyleSheet("font-weight: 600;")
        self.rows = QVBoxLayout()
        self.rows.setSpacing(2)
        self.waitlist_heading = QLabel("Waitlist", self)
        self.waitlist_heading.setObjectName("waitlistHeading")
        self.waitlist_heading.setStyleSheet("font-weight: 600;")
        self.waiting_rows = QVBoxLayout()
        self.waiting_rows.setSpacing(2)
        self.add_to_series_button = QPushButton("Add a member to this series…", self)
        self.add_to_series_button.setObjectName("addToSeriesOpenButton")
        self.add_to_series_button.setAccessibleName("Add a member to this repeating group")
        self.add_to_series_button.setToolTip(
            "Book a member into this session and every following one of its series with room"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addLayout(self.rows)
        layout.addWidget(self.add_to_series_button)
        layout.addWidget(self.waitlist_heading)
        layout.addLayout(self.waiting_rows)
        self.member_buttons: list[QPushButton] = []
        self.remove_buttons: list[QPushButton] = []

    def show_session(self, session: GroupSession, selected: int) -> None:
        """List the session's members; ``selected`` is the one the panel's actions take."""
        _clear(self.rows)
        self.member_buttons = []
        self.heading.setText(f"Group session: {session.places} places taken")
        for index, appt in enumerate(session.members):
            mark = "▶ " if appt.id == selected else ""
            button = QPushButton(f"{mark}{appt.member_name} · {label(appt.status.value)}", self)
            button.setObjectName(f"rosterMember{index}")
            button.setAccessibleName(f"Select {appt.member_name}")
            button.setFlat(True)
            button.setStyleSheet("text-align: left; padding: 2px 4px;")
            button.setCheckable(True)
            button.setChecked(appt.id == selected)
            button.setMinimumHeight(button.sizeHint().height())  # never squeezed by the panel
            button.clicked.connect(lambda _=False, appt_id=appt.id: self._pick(appt_id))
            self.rows.addWidget(button)
            self.member_buttons.append(button)
        picked = next((a for a in session.members if a.id == selected), None)
        self.add_to_series_button.setVisible(picked is not None and picked.series_id is not None)
        self.show_waitlist([])

    def show_waitlist(self, entries: list[WaitlistEntryView]) -> None:
        _clear(self.waiting_rows)
        self.remove_buttons = []
        self.waitlist_heading.setText(
            f"Waitlist ({len(entries)})" if entries else "Waitlist: empty"
        )
        for index, entry in enumerate(entries):
            row = QWidget(self)
            line = QHBoxLayout(row)
            line.setContentsMargins(4, 0, 0, 0)
            name = QLabel(f"{index + 1}. {entry.member_name}", row)
            name.setObjectName(f"waitlistMember{index}")
            remove = QPushButton("Remove", row)
            remove.setObjectName(f"waitlistRemove{index}")
            remove.setAccessibleName(f"Take {entry.member_name} off the waitlist")
            remove.clicked.connect(lambda _=False, e=entry: self._remove(e))
            line.addWidget(name, 1)
            line.addWidget(remove)
            row.setMinimumHeight(row.sizeHint().height())
            self.waiting_rows.addWidget(row)
            self.remove_buttons.append(remove)


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()
