"""The calendar screen: day and week views, the selected appointment, its actions.

``CalendarWidgets`` (``calendar_widgets``) builds the widgets; ``CalendarView`` owns
the behaviour (STYLE.md convention 8): navigation and loading here, the selected
appointment's panel and menu in ``calendar_selection``, the writes in
``calendar_actions``. The view loads only the visible range from the
booking service, and reloads when the change hub reports that appointments,
bookings or the catalog (staff, types) changed, whoever changed them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo
from html import escape
from typing import Literal

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.changes import Changes
from desk.services.core.clock import today
from desk.services.core.read_models import (
    AppointmentStatus,
    AppointmentTypeView,
    AppointmentView,
    StaffView,
)
from desk.services.people.availability_views import StaffCalendarDays
from desk.ui.calendar.calendar_actions import BUSY, CalendarActions
from desk.ui.calendar.calendar_layout import (
    Column,
    day_bounds,
    day_columns,
    hours_to_show,
    week_columns,
)
from desk.ui.calendar.calendar_selection import CalendarSelection
from desk.ui.calendar.calendar_tracks import Track, on_the_calendar, tracks_for
from desk.ui.calendar.calendar_widgets import CalendarWidgets
from desk.ui.calendar.group_roster import fold_groups
from desk.ui.shell.context import DeskContext
from desk.ui.widgets.formatting import format_date_range, format_long_date, week_start

Mode = Literal["day", "week"]

FIRST_VISIBLE_HOUR = 7
"""Where the grid scrolls to when first shown: the early sessions, not midnight."""


EVERYONE = 0
"""Item data of "All staff" / "All types". Not None: PySide6 6.12 on Python 3.11
drops a reference to None each time ``currentData()`` returns it."""


def _choice(combo: QComboBox) -> int | None:
    """The id chosen in a filter, None for everyone."""
    value = combo.currentData()
    return value if isinstance(value, int) and value != EVERYONE else None


def _zone_names(first: date, last: date, tz: tzinfo) -> str:
    """ "EST", or "EST/EDT" for a week in which the clocks change."""
    names: list[str] = []
    for day in (first, last):
        name = datetime(day.year, day.month, day.day, 12, tzinfo=tz).tzname() or ""
        if name and name not in names:
            names.append(name)
    return "/".join(names)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class CalendarView(CalendarSelection, CalendarActions, QWidget):
    """The calendar screen. The main window wires its two requests:

    ``booking_requested(staff_id or None, starts_at UTC)`` when an empty slot is
    clicked or dragged across (staff is None in the week view without a staff
    filter), and ``profile_requested(member_id)``.
    """

    booking_requested = Signal(object, object)
    profile_requested = Signal(int)
    loaded = Signal()
    """The visible range was fetched (on the runner's read worker) and drawn."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._tz = ctx.services.clock.tz
        self.setObjectName("CalendarView")
        self.setAccessibleName("Calendar")
        self._mode: Mode = "day"
        self._day = today(ctx.services.clock)
        self._loaded: list[AppointmentView] = []
        self._shown: list[AppointmentView] = []
        self._selected: AppointmentView | None = None
        self._stale = self._stale_catalog = False
        self.reloads = 0
        """How many times the visible range was fetched (tests count the reloads)."""
        self._staff: list[StaffView] = []
        self._types: list[AppointmentTypeView] = []
        self._scrolled = False
        self.widgets = CalendarWidgets(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addWidget(self.widgets)
        self.canvas = self.widgets.canvas
        self._now_timer = QTimer(self)
        self._now_timer.setInterval(60_000)

        w = self.widgets
        w.day_button.clicked.connect(lambda: self.show_day(self._day))
        w.week_button.clicked.connect(lambda: self.show_week(self._day))
        w.today_button.clicked.connect(self.go_today)
        w.previous_button.clicked.connect(lambda: self._step(-1))
        w.next_button.clicked.connect(lambda: self._step(1))
        w.date_edit.dateChanged.connect(self._on_date_picked)
        w.staff_filter.currentIndexChanged.connect(self._apply)
        w.type_filter.currentIndexChanged.connect(self._apply)
        w.show_cancelled.toggled.connect(self._apply)
        w.check_in_button.clicked.connect(self.check_in_selected)
        w.no_show_button.clicked.connect(self.no_show_selected)
        w.cancel_button.clicked.connect(self.cancel_selected)
        w.undo_status_button.clicked.connect(self.undo_status_selected)
        w.forgive_button.clicked.connect(self.forgive_selected)
        w.profile_button.clicked.connect(self.open_profile_selected)
        w.scroll_area.horizontalScrollBar().valueChanged.connect(w.header.update)
        self.canvas.appointment_selected.connect(self.select_appointment)
        self.canvas.booking_requested.connect(self.booking_requested)
        self.canvas.move_requested.connect(self.move_appointment)
        self.canvas.context_menu_requested.connect(self._show_context_menu)
        self._now_timer.timeout.connect(self._tick)
        ctx.hub.changed.connect(self._on_changes)

        self._wire_moves()
        self._wire_member_panel()
        self._wire_groups()
        self._load_catalog()
        self.show_day(self._day)
        self._now_timer.start()

    # --- navigation -------------------------------------------------------------------------

    def show_day(self, day: date) -> None:
        """One column per active staff member who takes bookings (and anyone else
        booked that day)."""
        self._show("day", day)

    def show_week(self, day: date) -> None:
        """Monday to Sunday of ``day``'s week, filtered by staff member and type; with
        every staff member, each day has a track per coach (as the day view's columns)."""
        self._show("week", day)

    def go_today(self) -> None:
        self._show(self._mode, today(self._ctx.services.clock))

    @property
    def mode(self) -> Mode:
        return self._mode

    @property
    def day(self) -> date:
        """The day shown, or the day the week was chosen from."""
        return self._day

    def visible_days(self) -> tuple[date, date]:
        if self._mode == "day":
            return self._day, self._day
        first = week_start(self._day)
        return first, first + timedelta(days=6)

    def visible_range(self) -> tuple[datetime, datetime]:
        """UTC start and end of what is on screen: local midnight to local midnight."""
        first, last = self.visible_days()
        return day_bounds(first, last, self._tz)

    def _show(self, mode: Mode, day: date) -> None:
        self._mode = mode
        self._day = day
        w = self.widgets
        (w.day_button if mode == "day" else w.week_button).setChecked(True)
        w.week_filters.setVisible(mode == "week")
        w.date_edit.blockSignals(True)
        w.date_edit.setDate(_qdate(day))
        w.date_edit.blockSignals(False)
        first, last = self.visible_days()
        now = today(self._ctx.services.clock)
        if mode == "day":
            text = format_long_date(day)
            is_today = day == now
        else:
            text = format_date_range(first, last)
            is_today = first <= now <= last
        if is_today:
            label_today = "Today" if mode == "day" else "This week"
            text += f'&nbsp;&nbsp;<span style="color:#1570ef;">{label_today}</span>'
        w.title.setText(text)
        self.reload()

    def _step(self, direction: int) -> None:
        days = 1 if self._mode == "day" else 7
        self._show(self._mode, self._day + timedelta(days=days * direction))

    def _on_date_picked(self, value: QDate) -> None:
        self._show(self._mode, _pydate(value))

    # --- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Fetch the visible range only, then redraw."""
        self.reloads += 1
        start, end = self.visible_range()
        booking, hours = self._ctx.services.booking, self._ctx.services.availability
        first, last = self.visible_days()
        staff = [s.id for s in self._staff]
        self._ctx.runner.read(
            (self, "range"),
            # ~40 ms for a busy week: off the GUI thread; the coaches' hours with it.
            lambda: (booking.in_range(start, end), hours.for_calendar(first, last, staff)),
            self._loaded_range,
            origin=self,
        )

    def _loaded_range(self, loaded: tuple[list[AppointmentView], list[StaffCalendarDays]]) -> None:
        self._loaded, availability = loaded
        self.canvas.availability = {days.staff_id: days for days in availability}
        self._apply()
        self.loaded.emit()

    def _load_catalog(self) -> None:
        services = self._ctx.services
        self._staff = services.staff.list()
        self._types = services.appointment_types.list()
        w = self.widgets
        for combo, everyone, items in (
            # The coaches: those who take bookings (the tracks of "All staff").
            (w.staff_filter, "All staff", on_the_calendar(self._staff, [])),
            (w.type_filter, "All types", [(t.id, t.name) for t in self._types]),
        ):
            current = _choice(combo)
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everyone, EVERYONE)
            for item_id, name in items:
                combo.addItem(name, item_id)
            index = combo.findData(current) if current is not None else 0
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)

    def _matches_filters(self) -> Callable[[AppointmentView], bool]:
        """The week view's staff and type filters (read once, not per appointment)."""
        if self._mode != "week":
            return lambda appt: True
        staff_id = _choice(self.widgets.staff_filter)
        type_id = _choice(self.widgets.type_filter)
        return lambda appt: (
            (staff_id is None or appt.staff_id == staff_id)
            and (type_id is None or appt.appointment_type_id == type_id)
        )

    def _apply(self) -> None:
        """Filter what was loaded and hand it to the canvas (no database work)."""
        w = self.widgets
        matches = self._matches_filters()
        candidates = [a for a in self._loaded if matches(a)]
        if w.show_cancelled.isChecked():
            self._shown = candidates
        else:
            self._shown = [a for a in candidates if a.status != AppointmentStatus.CANCELLED]
        first, last = self.visible_days()
        columns = self._columns()
        hours = hours_to_show(
            self._shown,
            [first + timedelta(days=i) for i in range((last - first).days + 1)],
            self._tz,
        )
        keep_hour = self.canvas.hour_at(w.scroll_area.verticalScrollBar().value())
        old_hours = self.canvas.hours
        booking_staff = _choice(w.staff_filter) if self._mode == "week" else None
        drawn = fold_groups(self._shown)[0]
        self._groups = fold_groups(candidates)[1]  # cancelled members stay on the roster
        self.canvas.set_data(
            columns,
            drawn,
            hours=hours,
            tz=self._tz,
            now=self._ctx.services.clock.now(),
            booking_staff_id=booking_staff,
        )
        if hours != old_hours and self._scrolled:
            self._scroll_to_hour(keep_hour)
        w.header.zone_label = _zone_names(first, last, self._tz)
        w.header.setFixedHeight(self.canvas.header_height())
        w.header.update()
        self._show_legend(columns[0].tracks if columns else ())
        self._update_summary(hidden=len(candidates) - len(self._shown))
        selected = self._selected.id if self._selected is not None else None
        self._selected = next((a for a in self._loaded if a.id == selected), None)
        self.canvas.set_selected(
            self._block_of(self._selected.id) if self._selected is not None else None
        )
        self._show_selected()

    def _columns(self) -> list[Column]:
        # Someone who takes no bookings, or was taken off the calendar, may still
        # have sessions: they get a column (a track) too.
        staff = on_the_calendar(self._staff, self._shown)
        if self._mode == "week":
            everyone = _choice(self.widgets.staff_filter) is None
            return week_columns(self._day, tracks_for(staff) if everyone else ())
        columns = day_columns(self._day, staff)
        counts: dict[int, int] = {}
        for appt in self._shown:
            if appt.status in BUSY:
                counts[appt.staff_id] = counts.get(appt.staff_id, 0) + 1
        return [
            Column(
                c.day,
                c.staff_id,
                c.title,
                f"{counts.get(c.staff_id or 0, 0)} session"
                f"{'s' if counts.get(c.staff_id or 0, 0) != 1 else ''}",
            )
            for c in columns
        ]

    def _show_legend(self, tracks: tuple[Track, ...]) -> None:
        """Who each track of the week is: their label in their colour, and their name."""
        legend = self.widgets.legend
        legend.setVisible(bool(tracks))
        legend.setText(
            " &nbsp; ".join(
                f'<span style="color:{t.color};">\N{BLACK SQUARE}</span>&nbsp;<b>{t.label}</b>'
                f"&nbsp;{escape(t.name)}"
                for t in tracks
            )
        )

    def _update_summary(self, *, hidden: int) -> None:
        busy = sum(1 for a in self._shown if a.status != AppointmentStatus.CANCELLED)
        text = f"{busy} appointment{'s' if busy != 1 else ''}"
        if hidden:
            text += f" · {hidden} cancelled hidden"
        if not self.canvas.columns:
            text = "No staff on the calendar: add staff members under Settings."
        self.widgets.summary.setText(text)

    def _on_changes(self, changes: Changes, _origin: object = None) -> None:
        """Reload for a change to appointments or the catalog (the calendar's own
        writes too: they reload only here); while hidden (another page is current),
        only note it and reload when shown."""
        if not (changes.appointments or changes.bookings or changes.catalog or changes.everything):
            return
        self._stale_catalog = self._stale_catalog or changes.catalog or changes.everything
        if not self.isVisible():
            self._stale = True
            return
        self._refresh_stale()

    def _refresh_stale(self) -> None:
        if self._stale_catalog:
            self._load_catalog()
        self._stale = self._stale_catalog = False
        self.reload()

    def _tick(self) -> None:
        self.canvas.set_now(self._ctx.services.clock.now())
        self._show_selected()

    # --- scrolling --------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._refresh_stale()
        if not self._scrolled:
            self._scrolled = True
            self._scroll_to_hour(FIRST_VISIBLE_HOUR)

    def _scroll_to_hour(self, hour: float) -> None:
        """Put ``hour`` at the top of the visible grid (clamped to the hours shown)."""
        hours = self.canvas.hours
        hour = min(max(hour, hours.first), hours.last)
        y = self.canvas.y_of_hour(hour) - self.canvas.grid.pad_top
        self.widgets.scroll_area.verticalScrollBar().setValue(round(y))
