"""Started as a child process by test_first_start.py; not a test.

``python tests/benchmarks/first_start_app.py desk URL``: ``desk --database URL`` as the
console script runs it, with test-only changes made here (desk itself is untouched):
the sign-in dialog returns the benchmark's owner at once, the ledger start-up checks
are skipped (test_cold_start.py skips them too), and the moment the main window is
shown is printed, with the CPU the GUI thread had used by then. The app quits once the
day's background housekeeping (backup, file check) has finished, so the next start
finds them done, as a real second start of the day does.

``... bare``: a bare PySide6 window shown and closed, the floor of any Qt start.

Each figure is one line on stdout: ``first-start <name> <value>``, times on the
system-wide monotonic clock (the parent compares them with its own).
"""

from __future__ import annotations

import sys
import time


def say(name: str, value: float) -> None:
    print(f"first-start {name} {value!r}", flush=True)


def shown() -> None:
    say("shown", time.monotonic())
    say("gui_cpu", time.thread_time())  # the main thread is the GUI thread


def bare() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    shown()
    QTimer.singleShot(0, app.quit)
    return app.exec()


def desk(url: str) -> int:
    from PySide6.QtWidgets import QApplication

    from desk.cli import main
    from desk.ui.shell.daily_housekeeping import DailyHousekeeping
    from desk.ui.shell.login_dialog import LoginDialog
    from desk.ui.shell.main_window import MainWindow

    def sign_in(cls, ctx, parent=None, *, locked=None):
        return next(s for s in ctx.services.staff.list() if s.name == "Bench Owner")

    LoginDialog.ask = classmethod(sign_in)  # type: ignore[method-assign,assignment]
    show = MainWindow.show
    start = DailyHousekeeping.start

    def show_and_say(window: MainWindow) -> None:
        show(window)
        shown()

    def start_then_quit_when_done(job: DailyHousekeeping) -> DailyHousekeeping:
        def done() -> None:
            say("housekeeping_done", time.monotonic())
            QApplication.quit()

        job.finished.connect(done)
        return start(job)

    MainWindow.show = show_and_say  # type: ignore[method-assign]
    MainWindow.run_startup_checks = lambda window: None  # type: ignore[method-assign,assignment,return-value]
    DailyHousekeeping.start = start_then_quit_when_done  # type: ignore[method-assign]
    return main(["--database", url])


if __name__ == "__main__":
    mode = sys.argv[1]
    raise SystemExit(bare() if mode == "bare" else desk(sys.argv[2]))
