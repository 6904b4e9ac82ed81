"""The main window: the search bar, the menus, and the member profiles it opens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from html import escape
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk import __version__
from desk.logging_setup import log_folder
from desk.services.core.changes import Changes
from desk.services.core.ids import StaffId
from desk.services.core.permissions import ROLE_LABELS
from desk.services.core.read_models import StaffView
from desk.services.core.settings import GymGeneral
from desk.ui.calendar.booking_dialog import BookingDialog
from desk.ui.calendar.calendar_view import CalendarView
from desk.ui.files.backup_restore import BackupRestore
from desk.ui.files.export_task import start_export
from desk.ui.files.import_wizard import ImportWizard
from desk.ui.members.add_credits_dialog import AddCreditsDialog
from desk.ui.members.member_dialog import MemberDialog
from desk.ui.members.member_profile import MemberProfile
from desk.ui.members.member_search_panel import MemberSearchPanel
from desk.ui.reports.reports_page import ReportsPage
from desk.ui.selling.catalog_dialog import CatalogDialog
from desk.ui.settings.general_settings_dialog import GeneralSettingsDialog, SavedGeneral
from desk.ui.shell.background import BackgroundTask
from desk.ui.shell.context import DeskContext
from desk.ui.shell.lock_screen import LockPanel, freeze
from desk.ui.shell.main_window_bars import MainWindowBars
from desk.ui.shell.operations import Write
from desk.ui.shell.startup_checks import StartupChecks
from desk.ui.shell.workstation_settings import lock_minutes
from desk.ui.today.today_screen import TodayScreen

RECENT_LIMIT = 15
RECENT_KEY = "members/recent"
_ACTIVITY = (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel)


class MainWindow(MainWindowBars, QMainWindow):
    def __init__(
        self,
        ctx: DeskContext,
        settings: QSettings | None = None,
        *,
        idle_minutes: int | None = None,
    ) -> None:
        super().__init__()
        self.idle_minutes = idle_minutes if idle_minutes is not None else lock_minutes(settings)
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(lambda: self.lock("idle"))
        self._ctx = ctx
        self._settings = settings
        self.profiles: dict[int, MemberProfile] = {}
        self.last_check_problems: list[str] | None = None
        self.restored = False
        self._backups = BackupRestore(ctx, self)
        self._backups.restored.connect(self._after_restore)
        self.setObjectName("MainWindow")
        self.resize(1100, 720)

        self.search_panel = MemberSearchPanel(ctx, self)
        self.today = TodayScreen(ctx, self)
        members_page = self.members_page = QWidget(self)
        members_page.setObjectName("MembersPage")
        layout = QVBoxLayout(members_page)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(self.search_panel)
        self.calendar = CalendarView(ctx, self)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("mainPages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.today, "Today")
        self.pages.addTab(members_page, "Members")
        self.pages.addTab(self.calendar, "Calendar")
        self.reports = ReportsPage(ctx, self)
        self.pages.addTab(self.reports, "Reports")
        self.pages.setTabVisible(self.pages.indexOf(self.reports), self.reports.choice.count() > 0)
        self.lock_panel = LockPanel(ctx, self)
        self.lock_panel.unlocked.connect(self._unlock)
        self.lock_panel.quit_requested.connect(self.close)
        self.show_gym(ctx.services.settings.general())
        self._thaw: Callable[[], None] = lambda: None
        self.screens = QStackedWidget(self)
        self.screens.addWidget(self.pages)
        self.screens.addWidget(self.lock_panel)
        self.setCentralWidget(self.screens)

        self._build_actions()
        self._build_status_bar()

        self.search_panel.member_activated.connect(self.open_profile)
        self.calendar.profile_requested.connect(self.open_profile)
        self.today.profile_requested.connect(self.open_profile)
        self.reports.profile_requested.connect(self.open_profile)
        self.calendar.booking_requested.connect(self._book_from_calendar)
        ctx.hub.changed.connect(self._on_changes)
        for keys in ("Ctrl+F", "Ctrl+K"):
            QShortcut(QKeySequence(keys), self, self.focus_search)
        pages = (self.today, members_page, self.calendar, self.reports)
        for number, page in enumerate(pages, start=1):
            QShortcut(QKeySequence(f"Ctrl+{number}"), self, lambda p=page: self.show_page(p))

        self.search_panel.set_recent(self._load_recent())
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._restart_idle_timer()
        self.today.focus_table()

    # (the menus, toolbar and status bar are built in main_window_bars.MainWindowBars)

    # --- actions ----------------------------------------------------------------------------

    def open_profile(self, member_id: int) -> MemberProfile:
        """Show the member's profile, reusing the window if it is already open."""
        profile = self.profiles.get(member_id)
        if profile is None:
            profile = MemberProfile(self._ctx, member_id, self)
            profile.closed.connect(self._profile_closed)
            self.profiles[member_id] = profile
        profile.show()
        profile.raise_()
        profile.activateWindow()
        self._remember(member_id)
        return profile

    def focus_search(self) -> None:
        self.pages.setCurrentWidget(self.members_page)
        self.search_panel.focus_search()

    def show_page(self, page: QWidget) -> None:
        """Ctrl+1 Today, Ctrl+2 Members (the search bar), Ctrl+3 Calendar, Ctrl+4 Reports."""
        if page is self.members_page:
            self.focus_search()
            return
        if not self.pages.isTabVisible(self.pages.indexOf(page)):
            return
        self.pages.setCurrentWidget(page)
        if page is self.today:
            self.today.focus_table()

    def show_calendar(self) -> None:
        self.pages.setCurrentWidget(self.calendar)

    def _book_from_calendar(self, staff_id: object, starts_at: object) -> None:
        BookingDialog.ask(
            self._ctx,
            self,
            staff_id=staff_id if isinstance(staff_id, int) else None,
            starts_at=starts_at if isinstance(starts_at, datetime) else None,
        )

    def new_member(self) -> None:
        member = MemberDialog.ask(self._ctx, self)
        if member is not None:
            self.open_profile(member.id)

    def add_credits(self) -> None:
        """Add credits for a member picked in the form: never preset from the search
        results' selection, which gave whoever happened to be selected the credits."""
        AddCreditsDialog.ask(self._ctx, self, report=self.statusBar().showMessage)

    def book_session(self, staff_id: int | None = None, starts_at: datetime | None = None) -> None:
        selected = self.search_panel.selected_member()
        BookingDialog.ask(
            self._ctx,
            self,
            member_id=selected.id if selected else None,
            member_name=selected.full_name if selected else "",
            staff_id=staff_id,
            starts_at=starts_at,
        )

    def import_file(self) -> ImportWizard:
        wizard = ImportWizard(self._ctx, self)
        wizard.member_requested.connect(self.open_profile)
        wizard.open()
        return wizard

    def export_file(self, what: str, path: Path | None = None) -> BackgroundTask | None:
        """Write members, credits or appointments to a CSV file, off the GUI thread, with
        progress and Cancel (see export_task)."""
        if path is None:
            name, _ = QFileDialog.getSaveFileName(
                self, f"Export {what}", f"desk-{what}.csv", "CSV files (*.csv)"
            )
            if not name:
                return None
            path = Path(name)
        return start_export(self, what, getattr(self._ctx.services.exports, what), path)

    def edit_appointment_types(self) -> None:
        from desk.ui.settings.appointment_types_dialog import AppointmentTypesDialog

        AppointmentTypesDialog.ask(self._ctx, self)

    def back_up(self) -> BackgroundTask:
        """Copy the database now, off the GUI thread (see BackupRestore)."""
        return self._backups.back_up()

    def restore(self, file: Path | None = None) -> BackgroundTask | None:
        """Replace the database with a backup (owners and admins); the app then closes."""
        return self._backups.restore(file)

    def _after_restore(self, _result: object) -> None:
        self.restored = True
        self.close()

    def edit_catalog(self) -> None:
        CatalogDialog.ask(self._ctx, self)

    def edit_general(self) -> GeneralSettingsDialog | None:
        """Settings > General (needs this desk's QSettings: none in some tests)."""
        if self._settings is None:
            return None
        dialog = GeneralSettingsDialog(self._ctx, self._settings, self)
        dialog.saved.connect(self._general_saved)
        dialog.open()
        return dialog

    def _general_saved(self, saved: SavedGeneral) -> None:
        self.show_gym(saved.general)
        self.idle_minutes = saved.lock_minutes
        self.idle_timer.stop()
        self._restart_idle_timer()

    def show_gym(self, general: GymGeneral) -> None:
        """The gym's name in the title bar, its name and logo on the lock screen."""
        self.setWindowTitle(f"{general.name} \N{EM DASH} Desk" if general.name else "Desk")
        self.lock_panel.show_gym(general.name, general.logo_png)

    def edit_staff(self) -> None:
        from desk.ui.settings.staff_dialog import StaffDialog

        StaffDialog.ask(self._ctx, self)

    def show_about(self) -> QMessageBox:
        """Help > About: the version, and where the database and the logs are (for support)."""
        box = QMessageBox(self)
        box.setObjectName("aboutDialog")
        box.setWindowTitle("About Desk")
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            f"<b>Desk</b> {escape(__version__)}<br>The front desk of your gym.<br><br>"
            f"<b>Database:</b> {escape(self._ctx.services.backups.describe_database())}<br>"
            f"<b>Log folder:</b> {escape(str(log_folder()))}"
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # --- state ------------------------------------------------------------------------------

    def _show_signed_in(self) -> None:
        staff_id = self._ctx.staff_id
        if staff_id is None:
            self.signed_in.setText("Not signed in  ")
            return
        person = self._ctx.services.staff.get(staff_id)
        role = ROLE_LABELS[person.role]
        self.signed_in.setText(f"Signed in: {person.name} ({role})  ")

    def set_signed_in(self, staff: StaffView) -> None:
        """The person at the desk now; every change from here on is theirs."""
        self._ctx.staff_id = StaffId(staff.id)
        self._show_signed_in()
        self.show_reports_tab()

    def show_reports_tab(self) -> None:
        """Show the Reports tab only to someone who may open a report there."""
        offered = self.reports.refresh_access()
        self.pages.setTabVisible(self.pages.indexOf(self.reports), offered)
        if not offered and self.pages.currentWidget() is self.reports:
            self.pages.setCurrentWidget(self.today)

    @property
    def locked(self) -> bool:
        return self.screens.currentWidget() is self.lock_panel

    def lock(self, how: str = "Ctrl+L") -> None:
        """Lock at once: a "Locked by <name>" panel replaces the pages, profiles hide
        and every action but Quit is off until someone signs in on the panel."""
        if self.locked:
            return
        self.idle_timer.stop()
        staff_id = self._ctx.staff_id
        name = self._ctx.services.staff.get(staff_id).name if staff_id else "Someone"
        if staff_id is not None:
            actor = self._ctx.actor
            auth = self._ctx.services.auth
            self._ctx.runner.run(Write(lambda: auth.record_lock(reason=how, actor=actor)))
        # Nothing of members shows, nor who was signed in or where the data lives.
        hide = [*self.profiles.values(), self.member_count, self.database_label]
        self.signed_in.clear()  # unlocking shows whoever signs in
        self._thaw = freeze(self, hide, keep=(self.quit_action,))
        self.screens.setCurrentWidget(self.lock_panel)
        self.lock_panel.start(name)

    def _unlock(self, staff: StaffView) -> None:
        self.set_signed_in(staff)
        actor = self._ctx.actor
        auth = self._ctx.services.auth
        self._ctx.runner.run(Write(lambda: auth.record_unlock(actor=actor)))
        self.screens.setCurrentWidget(self.pages)
        self._thaw()
        self._restart_idle_timer()
        self.search_panel.focus_search()

    def _restart_idle_timer(self) -> None:
        if self.idle_minutes > 0 and self._ctx.staff_id is not None:
            self.idle_timer.start(self.idle_minutes * 60_000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Any key or click anywhere in the app counts as the desk being in use.
        if event.type() in _ACTIVITY and self.idle_timer.isActive():
            self.idle_timer.start()
        return super().eventFilter(watched, event)

    def _load_recent(self) -> list[int]:
        if self._settings is None:
            return []
        raw = self._settings.value(RECENT_KEY, "")
        return [int(x) for x in str(raw).split(",") if x.strip().isdigit()][:RECENT_LIMIT]

    def _remember(self, member_id: int) -> None:
        recent = [member_id, *[m for m in self._recent_ids() if m != member_id]][:RECENT_LIMIT]
        if self._settings is not None:
            self._settings.setValue(RECENT_KEY, ",".join(str(m) for m in recent))
        self.search_panel.set_recent(recent)

    def _recent_ids(self) -> list[int]:
        return self.search_panel.recent()

    def _profile_closed(self, member_id: int) -> None:
        self.profiles.pop(member_id, None)

    def _update_count(self) -> None:
        count = self._ctx.services.members.count()
        self.member_count.setText(f"{count:,} member{'s' if count != 1 else ''}")

    def _on_changes(self, changes: Changes) -> None:
        if changes.members or changes.credits or changes.everything:
            self.search_panel.refresh()
        if changes.members or changes.everything:
            self._update_count()
        if changes.catalog or changes.everything:
            self._show_signed_in()

    def run_startup_checks(self) -> StartupChecks:
        """Bill the plan periods due by today, expire overdue credits and reconcile the
        ledger, in the background."""
        self.last_check_problems = None
        checks = StartupChecks(self._ctx.services, self)
        checks.expired.connect(self._ctx.hub.publish)
        checks.finished.connect(self._show_check_result)
        checks.start()
        return checks

    def _show_check_result(self, problems: list[str]) -> None:
        self.last_check_problems = problems
        if problems:
            self.ledger_warning.setText(
                f"⚠ The credit ledger check found {len(problems)} problem(s): "
                "run `desk check` and contact support."
            )
            self.ledger_warning.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        for profile in list(self.profiles.values()):
            profile.close()
        super().closeEvent(event)
