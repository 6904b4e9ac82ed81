"""The composition root wires the log, the crash reporter and the icon, and undoes them."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from desk import app as desk_app
from desk.logging_setup import log_file
from desk.ui.shell.crash_reporter import CrashReporter
from desk.ui.shell.login_dialog import LoginDialog
from desk.ui.shell.main_window import MainWindow
from desk.ui.shell.owner_setup_dialog import OwnerSetupDialog


@pytest.fixture
def user_dirs(tmp_path, monkeypatch):
    """Logs and QSettings in tmp_path, never the real user's folders."""
    monkeypatch.setattr("desk.logging_setup.log_dir", lambda: tmp_path / "logs")
    monkeypatch.setattr(
        desk_app,
        "QSettings",
        lambda *_: QSettings(str(tmp_path / "desk.ini"), QSettings.Format.IniFormat),
    )
    return tmp_path


def create_owner(ctx, parent=None):
    """What a person does in the first-run dialog."""
    return ctx.services.auth.create_owner(
        name="Dana Owner", username="dana", password="a long password"
    ).value


def test_first_run_asks_for_the_owner_and_cancelling_quits(qapp, user_dirs, db_url, monkeypatch):
    asked = []
    monkeypatch.setattr(OwnerSetupDialog, "ask", staticmethod(lambda ctx: asked.append(1)))
    # Only windows this run made count: tests outside tests/ui (benchmarks) may leave
    # theirs awaiting a deferred delete (tests/ui/conftest.py destroys the UI tests').
    earlier = set(qapp.topLevelWidgets())
    assert desk_app.run(db_url) == 0
    assert asked == [1]
    made = [w for w in qapp.topLevelWidgets() if w not in earlier]
    assert not any(isinstance(w, MainWindow) for w in made)


def test_later_starts_sign_in_first(qapp, qtbot, user_dirs, db_url, monkeypatch):
    from desk.db import open_database
    from desk.services.container import Services

    db = open_database(db_url)
    Services.build(db).auth.create_owner(name="Dana", username="dana", password="a long password")
    db.dispose()
    monkeypatch.setattr(OwnerSetupDialog, "ask", staticmethod(lambda ctx: pytest.fail("no setup")))
    signed: list[str] = []

    def sign_in(ctx, parent=None, *, locked=None):
        staff = ctx.services.auth.sign_in("dana", "a long password")
        signed.append(staff.name)
        return staff

    def event_loop(self) -> int:
        window = next(
            w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        )
        signed.append(window.signed_in.text().strip())
        window.close()
        window.deleteLater()
        return 0

    monkeypatch.setattr(LoginDialog, "ask", staticmethod(sign_in))
    monkeypatch.setattr(QApplication, "exec", event_loop)
    assert desk_app.run(db_url) == 0
    assert signed == ["Dana", "Signed in: Dana (owner)"]


def test_run_logs_reports_crashes_and_shows_the_icon_while_the_app_runs(
    qapp, qtbot, user_dirs, db_url, monkeypatch
):
    hook_before = sys.excepthook
    seen: dict[str, object] = {}

    def event_loop(self) -> int:
        window = next(
            w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        )
        qtbot.waitUntil(lambda: window.last_check_problems is not None)
        seen["hook"] = isinstance(getattr(sys.excepthook, "__self__", None), CrashReporter)
        seen["icon"] = not qapp.windowIcon().isNull()
        seen["log"] = log_file()
        window.close()
        window.deleteLater()
        return 0

    monkeypatch.setattr(QApplication, "exec", event_loop)
    monkeypatch.setattr(OwnerSetupDialog, "ask", staticmethod(create_owner))

    assert desk_app.run(db_url) == 0

    assert seen == {
        "hook": True,
        "icon": True,
        "log": user_dirs / "logs" / "desk.log",
    }
    text = (user_dirs / "logs" / "desk.log").read_text(encoding="utf-8")
    assert "Desk 0.1.0 starting" in text
    assert "Desk closed" in text
    # Everything is given back when the app ends.
    assert sys.excepthook is hook_before
    assert log_file() is None


def test_a_database_that_cannot_open_is_said_and_logged(qapp, user_dirs, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args[2]))
    (tmp_path / "not-a-database.sqlite3").write_bytes(b"this is not SQLite" * 100)

    assert desk_app.run(f"sqlite:///{tmp_path / 'not-a-database.sqlite3'}") == 1

    assert shown
    assert "not-a-database.sqlite3" in shown[0]
    assert "Can't open the database" in (user_dirs / "logs" / "desk.log").read_text("utf-8")
    assert log_file() is None
