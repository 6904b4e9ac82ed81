"""Started as a child process by test_cold_start.py; not a test.

``python tests/benchmarks/start_app.py desk URL``: ``desk --database URL`` exactly as the
console script runs it, with two test-only changes made here (desk itself is untouched):
the sign-in dialog returns the benchmark's owner at once (nobody types a password),
and the app quits as soon as the main window is shown (start-up checks skipped).

``... desk-rss URL``: the same start, but the start-up checks run (they read the
whole ledger) and a search is typed before quitting: the peak memory of a working desk.

``... bare``: a bare PySide6 window shown and closed, the floor of any Qt start.
"""

from __future__ import annotations

import sys


def bare() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    QTimer.singleShot(0, app.quit)
    return app.exec()


def desk(url: str, *, working: bool) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desk.cli import main
    from desk.ui.shell.login_dialog import LoginDialog
    from desk.ui.shell.main_window import MainWindow

    def sign_in(cls, ctx, parent=None, *, locked=None):
        return next(s for s in ctx.services.staff.list() if s.name == "Bench Owner")

    LoginDialog.ask = classmethod(sign_in)  # type: ignore[method-assign,assignment]
    show = MainWindow.show

    def show_then_quit(window: MainWindow) -> None:
        show(window)
        if not working:
            QTimer.singleShot(0, QApplication.quit)

    def checks_then_search(window: MainWindow):
        checks = run_checks(window)

        def when_done() -> None:
            window.search_panel.search.setText("smith")
            QApplication.processEvents()
            QTimer.singleShot(0, QApplication.quit)

        checks.finished.connect(when_done)
        return checks

    MainWindow.show = show_then_quit  # type: ignore[method-assign]
    run_checks = MainWindow.run_startup_checks
    if working:
        MainWindow.run_startup_checks = checks_then_search  # type: ignore[method-assign]
    else:
        MainWindow.run_startup_checks = lambda window: None  # type: ignore[method-assign,assignment,return-value]
    return main(["--database", url])


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "bare":
        raise SystemExit(bare())
    raise SystemExit(desk(sys.argv[2], working=mode == "desk-rss"))
