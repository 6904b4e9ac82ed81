"""The calendar screen: day and week views, the selected appointment, its actions.

``CalendarWidgets`` builds the widgets; ``CalendarView`` owns the behaviour
(STYLE.md convention 8). The view loads only the visible range from the
booking service, and reloads when the change hub reports that appointments,
bookings or the catalog (staff, types) changed, whoever changed them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal

from PySide6.QtCore import QDate, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.changes import Changes
from desk.services.core.clock import today
from desk.services.core.errors import DeskError
from desk.services.core.ids import AppointmentId
from desk.services.core.read_models import (
    AppointmentStatus,
    AppointmentTypeView,
    AppointmentView,
    StaffView,
)
from desk.ui.calendar.calendar_actions import BUSY, CalendarActions
from desk.ui.calendar.calendar_canvas import CalendarCanvas
from desk.ui.calendar.calendar_canvas_paint import CalendarHeader
from desk.ui.calendar.calendar_layout import (
    Column,
    day_bounds,
    day_columns,
    hours_to_show,
    week_columns,
    week_start,
)
from desk.ui.shell.context import DeskContext
from desk.ui.shell.messages import show_error
from desk.ui.widgets.formatting import label

Mode = Literal["day", "week"]

FIRST_VISIBLE_HOUR = 7
"""Where the grid scrolls to when first shown: the early sessions, not midnight."""


STATUS_STYLE = {
    AppointmentStatus.BOOKED: ("#eff8ff", "#175cd3"),
    AppointmentStatus.ATTENDED: ("#ecfdf3", "#067647"),
    AppointmentStatus.NO_SHOW: ("#fef3f2", "#b42318"),
    AppointmentStatus.CANCELLED: ("#f2f4f7", "#475467"),
    AppointmentStatus.LATE_CANCELLED: ("#fffaeb", "#b54708"),
}


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


def _button(text: str, name: str, parent: QWidget, accessible: str | None = None) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(accessible or text.replace("…", ""))
    return button


def _label(name: str, parent: QWidget, *, wrap: bool = False) -> QLabel:
    widget = QLabel(parent)
    widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


def _span(first: date, last: date) -> str:
    """The week in the title, e.g. 2-8 Mar 2026 or 30 Mar - 5 Apr 2026, with an en dash."""
    if first.year != last.year:
        return f"{first.day} {first:%b %Y} \N{EN DASH} {last.day} {last:%b %Y}"
    if first.month != last.month:
        return f"{first.day} {first:%b} \N{EN DASH} {last.day} {last:%b %Y}"
    return f"{first.day} \N{EN DASH} {last.day} {last:%b %Y}"


class CalendarWidgets(QWidget):
    """The calendar's widgets and their arrangement; no behaviour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Toolbar
        self.day_button = _button("Day", "dayViewButton", self, "Day view")
        self.week_button = _button("Week", "weekViewButton", self, "Week view")
        self.mode_group = QButtonGroup(self)
        for button in (self.day_button, self.week_button):
            button.setCheckable(True)
            self.mode_group.addButton(button)
        self.mode_group.setExclusive(True)
        self.today_button = _button("Today", "todayButton", self)
        self.today_button.setShortcut(QKeySequence("Ctrl+T"))
        self.today_button.setToolTip("Go to today (Ctrl+T)")
        self.previous_button = _button(
            "\N{SINGLE LEFT-POINTING ANGLE QUOTATION MARK}", "previousButton", self, "Previous"
        )
        self.previous_button.setShortcut(QKeySequence("Alt+Left"))
        self.previous_button.setToolTip("Previous day or week (Alt+Left)")
        self.next_button = _button(
            "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}", "nextButton", self, "Next"
        )
        self.next_button.setShortcut(QKeySequence("Alt+Right"))
        self.next_button.setToolTip("Next day or week (Alt+Right)")
        for button in (self.previous_button, self.next_button):
            button.setFixedWidth(36)
        self.title = QLabel(self)
        self.title.setObjectName("calendarTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.date_edit = QDateEdit(self)
        self.date_edit.setObjectName("calendarDate")
        self.date_edit.setAccessibleName("Date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.staff_filter = QComboBox(self)
        self.staff_filter.setObjectName("staffFilter")
        self.staff_filter.setAccessibleName("Show staff member")
        self.type_filter = QComboBox(self)
        self.type_filter.setObjectName("typeFilter")
        self.type_filter.setAccessibleName("Show appointment type")
        self.week_filters = QWidget(self)
        filters = QHBoxLayout(self.week_filters)
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.staff_filter)
        filters.addWidget(self.type_filter)
        self.show_cancelled = QCheckBox("Show cancelled", self)
        self.show_cancelled.setObjectName("showCancelled")
        self.show_cancelled.setAccessibleName("Show cancelled appointments")

        toolbar = QHBoxLayout()
        toolbar.setSpacing(6)
        toolbar.addWidget(self.day_button)
        toolbar.addWidget(self.week_button)
        toolbar.addSpacing(12)
        toolbar.addWidget(self.today_button)
        toolbar.addWidget(self.previous_button)
        toolbar.addWidget(self.next_button)
        toolbar.addSpacing(12)
        toolbar.addWidget(self.title)
        toolbar.addStretch(1)
        toolbar.addWidget(self.week_filters)
        toolbar.addWidget(self.show_cancelled)
        toolbar.addSpacing(8)
        toolbar.addWidget(self.date_edit)

        # Grid: fixed column titles above a scrolling canvas.
        self.canvas = CalendarCanvas(self)
        self.header = CalendarHeader(self.canvas, self)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName("calendarScroll")
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.scroll_area.setWidget(self.canvas)
        grid_frame = QFrame(self)
        grid_frame.setObjectName("calendarFrame")
        grid_frame.setFrameShape(QFrame.Shape.StyledPanel)
        grid_layout = QVBoxLayout(grid_frame)
        grid_layout.setContentsMargins(1, 1, 1, 1)
        grid_layout.setSpacing(0)
        self.header_row = QHBoxLayout()
        self.header_row.setContentsMargins(0, 0, 0, 0)
        self.header_row.addWidget(self.header, 1)
        self.header_spacer = QWidget(self)
        self.header_spacer.setFixedWidth(self.scroll_area.verticalScrollBar().sizeHint().width())
        self.header_row.addWidget(self.header_spacer)
        grid_layout.addLayout(self.header_row)
        grid_layout.addWidget(self.scroll_area, 1)

        # Side panel: the selected appointment and what can be done with it.
        self.panel = QFrame(self)
        self.panel.setObjectName("appointmentPanel")
        self.panel.setAccessibleName("Selected appointment")
        self.panel.setFixedWidth(270)
        self.panel.setFrameShape(QFrame.Shape.StyledPanel)
        self.panel_hint = QLabel(
            "Select an appointment to see it here.\n\n"
            "Click an empty time to book a session; drag a session to move it.",
            self.panel,
        )
        self.panel_hint.setObjectName("panelHint")
        self.panel_hint.setWordWrap(True)
        self.panel_hint.setStyleSheet("color: #667085;")
        self.member = _label("panelMember", self.panel, wrap=True)
        member_font = self.member.font()
        member_font.setPointSizeF(member_font.pointSizeF() * 1.3)
        member_font.setBold(True)
        self.member.setFont(member_font)
        self.kind = _label("panelType", self.panel, wrap=True)
        self.staff = _label("panelStaff", self.panel, wrap=True)
        self.when = _label("panelTime", self.panel, wrap=True)
        self.status = _label("panelStatus", self.panel)
        self.status.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.notes = _label("panelNotes", self.panel, wrap=True)
        self.notes.setStyleSheet("color: #475467; font-style: italic;")
        self.series = _label("panelSeries", self.panel, wrap=True)
        self.series.setStyleSheet("color: #667085;")
        self.check_in_button = _button("Check in", "checkInButton", self.panel)
        self.no_show_button = _button("No-show", "noShowButton", self.panel)
        self.cancel_button = _button("Cancel…", "cancelAppointmentButton", self.panel)
        self.profile_button = _button("Open profile", "openProfileButton", self.panel)
        self.details = QWidget(self.panel)
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.setSpacing(6)
        for widget in (self.member, self.kind, self.staff, self.when, self.status):
            details.addWidget(widget)
        details.addWidget(self.notes)
        details.addWidget(self.series)
        details.addSpacing(10)
        for button in (
            self.check_in_button,
            self.no_show_button,
            self.cancel_button,
            self.profile_button,
        ):
            details.addWidget(button)
        panel_layout = QVBoxLayout(self.panel)
        panel_layout.setContentsMargins(14, 14, 14, 14)
        panel_layout.addWidget(self.panel_hint)
        panel_layout.addWidget(self.details)
        panel_layout.addStretch(1)

        # Footer: what the last action did, and what is on screen.
        self.status_line = QLabel(self)
        self.status_line.setObjectName("calendarStatus")
        self.status_line.setAccessibleName("Calendar status")
        self.summary = QLabel(self)
        self.summary.setObjectName("calendarSummary")
        self.summary.setStyleSheet("color: #667085;")
        footer = QHBoxLayout()
        footer.addWidget(self.status_line, 1)
        footer.addWidget(self.summary)

        body = QHBoxLayout()
        body.setSpacing(10)
        body.addWidget(grid_frame, 1)
        body.addWidget(self.panel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(toolbar)
        layout.addLayout(body, 1)
        layout.addLayout(footer)


class CalendarView(CalendarActions, QWidget):
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
        w.profile_button.clicked.connect(self.open_profile_selected)
        w.scroll_area.horizontalScrollBar().valueChanged.connect(w.header.update)
        self.canvas.appointment_selected.connect(self.select_appointment)
        self.canvas.booking_requested.connect(self.booking_requested)
        self.canvas.move_requested.connect(self.move_appointment)
        self.canvas.context_menu_requested.connect(self._show_context_menu)
        self._now_timer.timeout.connect(self._tick)
        ctx.hub.changed.connect(self._on_changes)

        self._load_catalog()
        self.show_day(self._day)
        self._now_timer.start()

    # --- navigation -------------------------------------------------------------------------

    def show_day(self, day: date) -> None:
        """One column per active staff member (and anyone else booked that day)."""
        self._show("day", day)

    def show_week(self, day: date) -> None:
        """Monday to Sunday of ``day``'s week, filtered by staff member and type."""
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
        monday = week_start(self._day)
        return monday, monday + timedelta(days=6)

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
            text = f"{day:%A} {day.day} {day:%B %Y}"
            is_today = day == now
        else:
            text = _span(first, last)
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
        booking = self._ctx.services.booking
        self._ctx.runner.read(
            (self, "range"),
            lambda: booking.in_range(start, end),  # ~40 ms for a busy week: off the GUI thread
            self._loaded_range,
            origin=self,
        )

    def _loaded_range(self, appointments: list[AppointmentView]) -> None:
        self._loaded = appointments
        self._apply()
        self.loaded.emit()

    def _load_catalog(self) -> None:
        services = self._ctx.services
        self._staff = services.staff.list()
        self._types = services.appointment_types.list()
        w = self.widgets
        for combo, everyone, items in (
            (w.staff_filter, "All staff", [(s.id, s.name) for s in self._staff]),
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
        self.canvas.set_data(
            columns,
            self._shown,
            hours=hours,
            tz=self._tz,
            now=self._ctx.services.clock.now(),
            booking_staff_id=booking_staff,
        )
        if hours != old_hours and self._scrolled:
            self._scroll_to_hour(keep_hour)
        w.header.zone_label = _zone_names(first, last, self._tz)
        w.header.update()
        self._update_summary(hidden=len(candidates) - len(self._shown))
        selected = self._selected.id if self._selected is not None else None
        self._selected = next((a for a in self._loaded if a.id == selected), None)
        self.canvas.set_selected(self._selected.id if self._selected is not None else None)
        self._show_selected()

    def _columns(self) -> list[Column]:
        if self._mode == "week":
            return week_columns(self._day)
        staff = [(s.id, s.name) for s in self._staff]
        known = {s.id for s in self._staff}
        # Someone taken off the calendar may still have sessions that day: show them.
        for appt in self._shown:
            if appt.staff_id not in known:
                known.add(appt.staff_id)
                staff.append((appt.staff_id, appt.staff_name))
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
        if not (changes.appointments or changes.bookings or changes.catalog):
            return
        self._stale_catalog = self._stale_catalog or changes.catalog
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

    # --- selection --------------------------------------------------------------------------

    @property
    def selected(self) -> AppointmentView | None:
        return self._selected

    def select_appointment(self, appointment_id: int) -> None:
        """Show an appointment in the panel; goes to its day if it isn't on screen."""
        appt = next((a for a in self._loaded if a.id == appointment_id), None)
        if appt is None:
            try:
                appt = self._ctx.services.booking.get(AppointmentId(appointment_id))
            except DeskError as exc:
                show_error(self, exc)
                return
            self._selected = appt
            self._show(self._mode, appt.starts_at.astimezone(self._tz).date())
            return
        self._selected = appt
        self.canvas.set_selected(appt.id)
        rect = self.canvas.block_rect(appt.id)
        if rect is not None:
            # Keyboard steps and the main window may pick one that is scrolled away.
            self.widgets.scroll_area.ensureVisible(rect.center().x(), rect.top(), 20, 20)
        self._show_selected()

    def _can(self, appt: AppointmentView | None) -> tuple[bool, bool, bool]:
        """(check in, no-show, cancel) allowed for ``appt`` right now."""
        if appt is None or appt.status != AppointmentStatus.BOOKED:
            return False, False, False
        started = self._ctx.services.clock.now() >= appt.starts_at
        return True, started, True

    def _show_selected(self) -> None:
        w = self.widgets
        appt = self._selected
        w.panel_hint.setVisible(appt is None)
        w.details.setVisible(appt is not None)
        check_in, no_show, cancel = self._can(appt)
        w.check_in_button.setEnabled(check_in)
        w.no_show_button.setEnabled(no_show)
        w.no_show_button.setToolTip(
            "" if no_show or appt is None or not check_in else "Possible once the session starts."
        )
        w.cancel_button.setEnabled(cancel)
        w.profile_button.setEnabled(appt is not None)
        if appt is None:
            return
        start = appt.starts_at.astimezone(self._tz)
        end = appt.ends_at.astimezone(self._tz)
        w.member.setText(appt.member_name)
        w.kind.setText(
            f'<span style="color:{appt.color}; font-size:14pt;">■</span> {appt.appointment_type}'
        )
        w.staff.setText(f"with {appt.staff_name}")
        w.when.setText(
            f"{start:%a} {start.day} {start:%b %Y}<br><b>{start:%H:%M}\N{EN DASH}{end:%H:%M}</b>"
        )
        background, color = STATUS_STYLE[appt.status]
        w.status.setText(label(appt.status.value))
        w.status.setStyleSheet(
            f"background: {background}; color: {color}; padding: 2px 10px; border-radius: 9px;"
        )
        w.notes.setText(appt.notes)
        w.notes.setVisible(bool(appt.notes))
        w.series.setText("Part of a repeating booking")
        w.series.setVisible(appt.series_id is not None)

    # --- actions ----------------------------------------------------------------------------

    def open_profile_selected(self) -> None:
        if self._selected is not None:
            self.profile_requested.emit(self._selected.member_id)

    # --- context menu -----------------------------------------------------------------------

    def context_menu(self, appointment_id: int) -> QMenu:
        """The block's menu: the panel's actions, enabled by the same rules."""
        self.select_appointment(appointment_id)
        check_in, no_show, cancel = self._can(self._selected)
        menu = QMenu(self)
        menu.setObjectName("appointmentMenu")
        for text, name, enabled, slot in (
            ("Check in", "checkInAction", check_in, self.check_in_selected),
            ("No-show", "noShowAction", no_show, self.no_show_selected),
            ("Cancel…", "cancelAppointmentAction", cancel, self.cancel_selected),
            ("Open member profile", "openProfileAction", True, self.open_profile_selected),
        ):
            action = QAction(text, menu)
            action.setObjectName(name)
            action.setEnabled(enabled)
            action.triggered.connect(slot)
            menu.addAction(action)
        return menu

    def _show_context_menu(self, appointment_id: int, pos: QPoint) -> None:
        menu = self.context_menu(appointment_id)
        menu.exec(pos)
        menu.deleteLater()
