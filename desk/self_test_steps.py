"""The self-test's steps, one method each, and what they use to reach the window,
the member and the booking the earlier steps left."""

from __future__ import annotations

import logging
import os
import platform
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from PySide6.QtCore import (
    QMessageLogContext,
    QSettings,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtGui import QFontDatabase, QFontInfo

from desk.app import create_application
from desk.db import current_revision, head_revision, open_database
from desk.logging_setup import configure_logging, stop_logging
from desk.self_test_support import (
    BOOK_WITHIN_DAYS,
    DEMO_MEMBERS,
    DEMO_SEED,
    WAIT_SECONDS,
    ConsoleFilter,
    SelfTestFailure,
    StepState,
    is_file_handler,
    needs_offscreen,
    root_handlers,
    wait_until,
)
from desk.services.container import Services
from desk.services.core.actor import Actor
from desk.services.core.clock import SystemClock
from desk.services.core.errors import Conflict
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import AppointmentView, BalanceRow, MemberMatch, StaffRole
from desk.services.records.demo import DemoGenerator
from desk.ui.shell.change_hub import ChangeHub
from desk.ui.shell.context import DeskContext
from desk.ui.shell.crash_reporter import CrashReporter
from desk.ui.shell.main_window import MainWindow
from desk.ui.widgets.table_model import RowRole


class SelfTestSteps:
    """The steps SelfTest runs in order; each returns what it saw, in a line."""

    _workdir: Path
    _state: StepState
    _hub: ChangeHub
    _window: MainWindow | None
    _reporter: CrashReporter | None
    _type_id: int
    _qt_message: Callable[[QtMsgType, QMessageLogContext, str], None]

    def environment(self) -> str:
        frozen = getattr(sys, "frozen", False)
        where = f"frozen bundle at {Path(sys.executable).parent}" if frozen else "from source"
        self._state.log_file = configure_logging(self._workdir / "logs")
        self._state.cleanup.append(stop_logging)
        # Qt's messages and the deliberate crash go to the log; the console gets
        # this report, plus any Qt warning worth reading.
        console = ConsoleFilter()
        for handler in logging.getLogger().handlers:
            if not is_file_handler(handler):
                handler.addFilter(console)
                self._state.cleanup.append(partial(handler.removeFilter, console))
        previous = qInstallMessageHandler(self._qt_message)
        self._state.cleanup.append(lambda: qInstallMessageHandler(previous))
        return (
            f"Python {platform.python_version()}, Qt {qVersion()}, {platform.system()} "
            f"{platform.machine()}, {where}; log {self._state.log_file}"
        )

    def database(self) -> str:
        url = f"sqlite:///{self._workdir / 'desk.sqlite3'}"
        db = open_database(url)
        self._state.db = db
        self._state.cleanup.append(db.dispose)
        revision, head = current_revision(db), head_revision()
        if revision != head:
            raise SelfTestFailure(f"schema is at {revision}, expected {head}")
        self._state.services = Services.build(db, SystemClock())
        # Several desks share a PostgreSQL server: the bundle must carry a driver that
        # loads (a bundle without Python's ssl once could not).
        import psycopg

        driver = f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__})"
        return f"new SQLite file migrated to schema {revision}; PostgreSQL driver {driver}"

    def demo(self) -> str:
        services = self._services()
        summary = DemoGenerator(services.db, services.clock).generate(
            members=DEMO_MEMBERS, seed=DEMO_SEED
        )
        count = services.members.count()
        if count != DEMO_MEMBERS:
            raise SelfTestFailure(f"{count} members written, expected {DEMO_MEMBERS}")
        return (
            f"{summary.members} members, {summary.staff} staff, {summary.lots} credit lots, "
            f"{summary.appointments} appointments"
        )

    def main_window(self) -> str:
        if needs_offscreen():
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        app = create_application()
        if app.windowIcon().isNull():
            raise SelfTestFailure("the app icon did not load (desk/resources/icon.png)")
        reporter = CrashReporter(self._state.log_file, app)
        reporter.install()
        self._reporter = reporter
        self._state.cleanup.append(reporter.uninstall)
        self._state.cleanup.append(reporter.deleteLater)
        settings = QSettings(str(self._workdir / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(DeskContext(services=self._services(), hub=self._hub), settings)
        self._window = window
        self._state.cleanup.append(window.deleteLater)
        self._state.cleanup.append(window.close)
        window.show()
        wait_until(window.isVisible, "the main window to show")
        shown = window.member_count.text()
        if str(DEMO_MEMBERS) not in shown:
            raise SelfTestFailure(f"the status bar says {shown!r}, expected {DEMO_MEMBERS} members")
        families = QFontDatabase.families()
        if not families:
            raise SelfTestFailure("Qt found no fonts: every text would be blank or boxes")
        font = QFontInfo(window.font()).family()
        return (
            f"shown on the {app.platformName()!r} platform, font {font!r} "
            f"({len(families)} families), status {shown!r}"
        )

    def startup_checks(self) -> str:
        window = self._main()
        checks = window.run_startup_checks()
        wait_until(lambda: window.last_check_problems is not None, "the start-up checks")
        checks.wait(WAIT_SECONDS)
        if window.last_check_problems:
            raise SelfTestFailure("; ".join(window.last_check_problems))
        return "expiry and ledger check ran off the GUI thread, no problems"

    def search(self) -> str:
        window = self._main()
        member = self._pick_member()
        bar = window.search_panel.search
        bar.setFocus()
        for end in range(1, len(member.full_name) + 1):  # typed one letter at a time
            bar.setText(member.full_name[:end])

        def shown() -> list[MemberMatch]:
            return window.search_panel.model.rows()

        wait_until(
            lambda: bar.text() == member.full_name and any(m.id == member.id for m in shown()),
            f"{member.full_name!r} in the search results",
        )
        results = window.search_panel.results
        proxy = window.search_panel.proxy
        for row in range(proxy.rowCount()):
            match = proxy.index(row, 0).data(RowRole)
            if isinstance(match, MemberMatch) and match.id == member.id:
                results.selectRow(row)
        selected = window.search_panel.selected_member()
        if selected is None or selected.id != member.id:
            raise SelfTestFailure(f"could not select {member.full_name!r} in the results")
        self._state.member = member
        count = len(shown())
        matches = f"{count} match{'es' if count != 1 else ''}"
        return f"typed {member.full_name!r}: {matches}, selected #{member.id}"

    def profile(self) -> str:
        window = self._main()
        member = self._member()
        window.search_panel.open_selected()  # what Enter in the search bar does
        wait_until(
            lambda: member.id in window.profiles and window.profiles[member.id].isVisible(),
            "the member's profile to open",
        )
        profile = window.profiles[member.id]
        wait_until(lambda: profile.member is not None, "the profile to load (read worker)")
        if profile.member is None or profile.member.full_name != member.full_name:
            raise SelfTestFailure("the profile shows somebody else")
        balances = profile.balance_model.rows()
        usable = [b for b in balances if b.appointment_type_id == self._type_id and b.open > 0]
        if not usable:
            raise SelfTestFailure("the profile shows no open credits of the member's lot")
        self._state.kind = usable[0]
        open_credits = sum(b.open for b in balances)
        return (
            f"{member.full_name}: {len(balances)} appointment type(s), {open_credits} open credits"
        )

    def book(self) -> str:
        services = self._services()
        member, kind = self._member(), self._kind()
        appointment = self._book_somewhere(services, member, kind)
        self._state.appointment = appointment
        row = self._profile_balance(kind.appointment_type_id, lambda b: b.booked == kind.booked + 1)
        if row.open != kind.open - 1:
            raise SelfTestFailure(f"open credits went from {kind.open} to {row.open}")
        when = appointment.starts_at.astimezone(services.clock.tz).strftime("%a %Y-%m-%d %H:%M")
        return (
            f"{appointment.appointment_type} with {appointment.staff_name} on {when}; "
            f"profile shows {row.open} open, {row.booked} booked"
        )

    def cancel(self) -> str:
        services = self._services()
        kind, appointment = self._kind(), self._appointment()
        outcome = services.booking.cancel(
            AppointmentId(appointment.id), reason="self-test", actor=Actor.system("self-test")
        )
        self._hub.publish(outcome.changes)
        if not outcome.value.credit_returned:
            raise SelfTestFailure("the credit was not given back")
        row = self._profile_balance(kind.appointment_type_id, lambda b: b.booked == kind.booked)
        if (row.open, row.booked) != (kind.open, kind.booked):
            raise SelfTestFailure(
                f"after the cancel the profile shows {row.open} open, {row.booked} booked; "
                f"expected {kind.open} and {kind.booked}"
            )
        return f"credit returned; profile back to {row.open} open, {row.booked} booked"

    def crash_reporter(self) -> str:
        window = self._main()
        reporter = self._reporter
        if reporter is None:
            raise SelfTestFailure("no crash reporter (the main window step did not run)")

        def fail() -> None:
            raise RuntimeError("self-test: a deliberate error in a slot")

        QTimer.singleShot(0, fail)
        wait_until(
            lambda: reporter.dialog is not None and reporter.dialog.isVisible(),
            "the crash dialog",
        )
        dialog = reporter.dialog
        assert dialog is not None
        text = dialog.text() + dialog.informativeText()
        log_file = self._state.log_file
        if log_file is None or str(log_file) not in text:
            raise SelfTestFailure(f"the crash dialog does not name the log: {text!r}")
        for handler in root_handlers():
            handler.flush()
        if "a deliberate error in a slot" not in log_file.read_text(encoding="utf-8"):
            raise SelfTestFailure(f"the traceback is not in {log_file}")
        dialog.accept()
        wait_until(lambda: reporter.dialog is None, "the crash dialog to close")
        if not window.isVisible():
            raise SelfTestFailure("the main window went away after the error")
        return "dialog named the log, traceback logged, window still up"

    def ledger(self) -> str:
        problems = self._services().credits.verify_ledger()
        if problems:
            raise SelfTestFailure(f"{len(problems)} problem(s): " + "; ".join(problems[:5]))
        return "every lot's remaining equals the sum of its entries"

    # --- helpers ----------------------------------------------------------------------------

    def _pick_member(self) -> MemberMatch:
        """An active demo member with a credit that stays valid for a month.

        The booking step books 3 to 30 days out, and the type it books is the
        one of that lot (kept in ``_type_id``).
        """
        services = self._services()
        valid_until = datetime.now(services.clock.tz).date() + timedelta(days=BOOK_WITHIN_DAYS)
        for letter in "aeiouy":
            for match in services.members.search(letter, 100):
                if match.open_credits == 0 or match.status.value != "active":
                    continue
                for lot in services.credits.lots(MemberId(match.id)):
                    if lot.remaining > 0 and (
                        lot.expires_on is None or lot.expires_on > valid_until
                    ):
                        self._type_id = lot.appointment_type_id
                        return match
        raise SelfTestFailure("the demo gym has no active member with a lasting open credit")

    def _book_somewhere(
        self, services: Services, member: MemberMatch, kind: BalanceRow
    ) -> AppointmentView:
        """Book the first free hour with any coach, 3 days out or later.

        Three days is past every demo type's late-cancel window, so the cancel
        gives the credit back.
        """
        coaches = [s for s in services.staff.list() if s.role == StaffRole.COACH]
        if not coaches:
            raise SelfTestFailure("the demo gym has no coach")
        today = datetime.now(services.clock.tz).replace(minute=0, second=0, microsecond=0)
        for days in range(3, BOOK_WITHIN_DAYS + 1):
            for hour in range(9, 19):
                starts_at = (today + timedelta(days=days)).replace(hour=hour)
                for coach in coaches:
                    try:
                        outcome = services.booking.book(
                            member_id=MemberId(member.id),
                            appointment_type_id=AppointmentTypeId(kind.appointment_type_id),
                            staff_id=StaffId(coach.id),
                            starts_at=starts_at,
                            notes="self-test",
                            actor=Actor.system("self-test"),
                        )
                    except Conflict:
                        continue
                    self._hub.publish(outcome.changes)
                    return outcome.value
        raise SelfTestFailure(
            f"found no free hour with a coach in the next {BOOK_WITHIN_DAYS} days"
        )

    def _profile_balance(self, type_id: int, settled: Callable[[BalanceRow], bool]) -> BalanceRow:
        """The profile's balance row for ``type_id`` once ``settled`` holds for it."""
        profile = self._main().profiles[self._member().id]

        def row() -> BalanceRow | None:
            for b in profile.balance_model.rows():
                if b.appointment_type_id == type_id:
                    return b
            return None

        def ready() -> bool:
            current = row()
            return current is not None and settled(current)

        wait_until(ready, "the profile to show the change")
        current = row()
        assert current is not None
        return current

    def _services(self) -> Services:
        if self._state.services is None:
            raise SelfTestFailure("no services (the database step did not run)")
        return self._state.services

    def _main(self) -> MainWindow:
        if self._window is None:
            raise SelfTestFailure("no main window (its step did not run)")
        return self._window

    def _member(self) -> MemberMatch:
        if self._state.member is None:
            raise SelfTestFailure("no member chosen (the search step did not run)")
        return self._state.member

    def _kind(self) -> BalanceRow:
        if self._state.kind is None:
            raise SelfTestFailure("no appointment type chosen (the profile step did not run)")
        return self._state.kind

    def _appointment(self) -> AppointmentView:
        if self._state.appointment is None:
            raise SelfTestFailure("nothing booked (the booking step did not run)")
        return self._state.appointment
