"""The main window's menu bar, toolbar and status bar, and the actions they hold."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolBar, QWidget

from desk.ui.files.imports_dialog import ImportsDialog
from desk.ui.members.bulk_expiry_dialog import BulkExpiryDialog
from desk.ui.selling.billing_run_dialog import BillingRunDialog
from desk.ui.settings.audit_log_dialog import AuditLogDialog
from desk.ui.shell.context import DeskContext

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow, QMessageBox

    from desk.ui.files.import_wizard import ImportWizard
    from desk.ui.settings.general_settings_dialog import GeneralSettingsDialog
    from desk.ui.shell.background import BackgroundTask

    _Base = QMainWindow
else:
    _Base = object


class MainWindowBars(_Base):
    """Mixed into MainWindow, a QMainWindow with ``_ctx`` and the slots the actions call."""

    _ctx: DeskContext

    if TYPE_CHECKING:

        def new_member(self) -> None: ...
        def add_credits(self) -> None: ...
        def book_session(
            self, staff_id: int | None = None, starts_at: datetime | None = None
        ) -> None: ...
        def import_file(self) -> ImportWizard: ...
        def export_file(self, what: str, path: Path | None = None) -> BackgroundTask | None: ...
        def edit_appointment_types(self) -> None: ...
        def back_up(self) -> BackgroundTask: ...
        def restore(self, file: Path | None = None) -> BackgroundTask | None: ...
        def edit_catalog(self) -> None: ...
        def edit_staff(self) -> None: ...
        def edit_general(self) -> GeneralSettingsDialog | None: ...
        def show_about(self) -> QMessageBox: ...
        def lock(self, how: str = "Ctrl+L") -> None: ...
        def _show_signed_in(self) -> None: ...
        def _update_count(self) -> None: ...

    def _action(self, text: str, name: str, shortcut: str | None, slot: object) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.new_member_action = self._action(
            "New member…", "newMemberAction", "Ctrl+N", self.new_member
        )
        self.add_credits_action = self._action(
            "Add credits…", "addCreditsAction", "Ctrl+Shift+A", self.add_credits
        )
        self.book_action = self._action(
            "Book a session…", "bookAction", "Ctrl+B", lambda: self.book_session()
        )
        self.types_action = self._action(
            "Appointment types…", "appointmentTypesAction", None, self.edit_appointment_types
        )
        self.staff_action = self._action("Staff…", "staffAction", None, self.edit_staff)
        self.general_action = self._action(
            "General…", "generalSettingsAction", None, lambda: self.edit_general()
        )
        self.catalog_action = self._action(
            "Catalog (packages and plans)…", "catalogAction", None, self.edit_catalog
        )
        self.billing_action = self._action(
            "Run billing…", "billingAction", None, lambda: BillingRunDialog.ask(self._ctx, self)
        )
        self.quit_action = self._action("Quit", "quitAction", "Ctrl+Q", self.close)
        self.switch_user_action = self._action(
            "Lock / switch user", "switchUserAction", "Ctrl+L", lambda: self.lock()
        )
        # From any of the desk's windows (a profile is a window of its own), not only
        # while the main window is the active one; a modal dialog still blocks it.
        self.switch_user_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.expiry_action = self._action(
            "Change expiry dates…", "bulkExpiryAction", None,
            lambda: BulkExpiryDialog.ask(self._ctx, self),
        )  # fmt: skip
        self.audit_action = self._action(
            "Audit log…", "auditLogAction", None, lambda: AuditLogDialog.ask(self._ctx, self)
        )
        self.backup_action = self._action("Back up now…", "backupAction", None, self.back_up)
        self.restore_action = self._action(
            "Restore a backup…", "restoreAction", None, lambda: self.restore()
        )
        self.import_action = self._action("Import…", "importAction", "Ctrl+I", self.import_file)
        self.imports_action = self._action(
            "Imports…", "importsAction", None, lambda: ImportsDialog.ask(self._ctx, self)
        )
        self.export_actions = [
            self._action(
                f"Export {what}…", f"export{what.capitalize()}Action", None,
                lambda _=False, w=what: self.export_file(w),
            )
            for what in ("members", "credits", "appointments")
        ]  # fmt: skip
        self.about_action = self._action("About Desk", "aboutAction", None, self.show_about)

        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_member_action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.imports_action)
        for action in self.export_actions:
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.switch_user_action)
        file_menu.addAction(self.quit_action)
        members_menu = bar.addMenu("&Members")
        members_menu.addAction(self.new_member_action)
        members_menu.addAction(self.add_credits_action)
        members_menu.addAction(self.book_action)
        settings_menu = bar.addMenu("&Settings")
        settings_menu.addAction(self.general_action)
        settings_menu.addAction(self.types_action)
        settings_menu.addAction(self.staff_action)
        settings_menu.addAction(self.catalog_action)
        settings_menu.addAction(self.expiry_action)
        settings_menu.addSeparator()
        settings_menu.addAction(self.audit_action)
        billing_menu = bar.addMenu("&Billing")
        billing_menu.addAction(self.billing_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.about_action)

        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.new_member_action, self.add_credits_action, self.book_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        for action in (self.types_action, self.staff_action):
            toolbar.addAction(action)
        spacer = QWidget(toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        self.signed_in = QLabel(toolbar)
        self.signed_in.setObjectName("signedInLabel")
        toolbar.addWidget(self.signed_in)
        toolbar.addAction(self.switch_user_action)
        self.addToolBar(toolbar)
        self._show_signed_in()

    def _build_status_bar(self) -> None:
        self.database_label = QLabel(
            f"Database: {self._ctx.services.backups.describe_database()}", self
        )
        self.database_label.setObjectName("databaseLabel")
        self.member_count = QLabel(self)
        self.member_count.setObjectName("memberCount")
        self.ledger_warning = QLabel(self)
        self.ledger_warning.setObjectName("ledgerWarning")
        self.ledger_warning.setStyleSheet("color: #b42318; font-weight: bold;")
        self.ledger_warning.hide()
        self.statusBar().addWidget(self.database_label, 1)
        self.statusBar().addWidget(self.ledger_warning)
        self.statusBar().addPermanentWidget(self.member_count)
        self._update_count()
