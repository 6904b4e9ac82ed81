"""UI fixtures: a DeskContext over a real database with a small gym in it."""

from __future__ import annotations

import gc
from datetime import date

import pytest

from desk.services.container import Services
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.ui.shell.change_hub import ChangeHub
from desk.ui.shell.context import DeskContext
from tests.actors import SYSTEM


@pytest.fixture(autouse=True)
def desk_locale(qapp):
    """UI tests read dates and times as a UK desk writes them ("Wed 4 Mar 2026 10:00"),
    whatever the machine's locale; the default comes back afterwards."""
    from PySide6.QtCore import QLocale

    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    yield
    QLocale.setDefault(before)


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch) -> list[str]:
    """Message boxes never block a test: their text is recorded here instead."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def record(box: QMessageBox) -> int:
        shown.append(box.text())
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", record)
    return shown


@pytest.fixture(autouse=True)
def destroy_closed_widgets(qapp):
    """Destroy the widgets a test leaves, before the next test starts.

    pytest-qt closes every widget given to ``qtbot.addWidget`` and calls its
    ``deleteLater()``, but a deferred delete runs only in an event loop, and none
    runs between tests: every MainWindow (and dialog, menu, view) of the earlier
    tests stayed a top-level widget until some later test's ``exec()``. That is what
    made tests/test_app.py see a MainWindow it never made. This runs after pytest-qt
    has closed them (its teardown runs before fixture finalizers; this autouse
    fixture is set up first, so it is finalized last).
    """
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from desk.ui.shell.gui_gc import GuiThreadCollector

    yield
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    # Here, on the GUI thread (see no_collection_in_worker_threads), and only the
    # generation that is due, as Python would: a full pass after every test cost
    # seconds each once the suite's objects piled up.
    GuiThreadCollector().collect_if_due()


@pytest.fixture(autouse=True, scope="session")
def no_collection_in_worker_threads():
    """No automatic garbage collection during the UI tests, as in the app
    (desk/ui/shell/gui_gc.py): a collection in the runner's worker thread that
    destroys Qt objects deadlocks with the GUI thread. Each test's teardown
    collects on the GUI thread instead."""
    enabled = gc.isenabled()
    gc.disable()
    yield
    if enabled:
        gc.enable()


@pytest.fixture
def ctx(services: Services, qapp) -> DeskContext:
    return DeskContext(services=services, hub=ChangeHub())


@pytest.fixture
def gym(services: Services) -> dict[str, int]:
    """Two types, a coach, a front-desk person and three members, one with credits."""
    pt = services.appointment_types.create(
        name="Personal Training",
        duration_minutes=60,
        default_price_cents=8500,
        late_cancel_hours=24,
        color="#3b82f6",
        actor=SYSTEM,
    ).value
    massage = services.appointment_types.create(
        name="Sports Massage",
        duration_minutes=45,
        default_price_cents=9000,
        color="#a855f7",
        actor=SYSTEM,
    ).value
    coach = services.staff.create(name="Kim Alvarez", role="coach", actor=SYSTEM).value
    # The person at the desk in most UI tests is an admin, so that every screen's
    # actions are allowed; front-desk limits have tests of their own.
    desk = services.staff.create(name="Robin Ames", role="admin", actor=SYSTEM).value
    ann = services.members.create(
        first_name="Ann",
        last_name="Smith",
        email="ann@example.com",
        phone="(555) 0142-77",
        actor=SYSTEM,
    ).value
    bob = services.members.create(
        first_name="Bob", last_name="Jones", email="bob@example.com", actor=SYSTEM
    ).value
    zoe = services.members.create(
        first_name="Zoë", last_name="Müller", phone="+49 30 1234567", actor=SYSTEM
    ).value
    services.credits.add_credits(
        member_id=MemberId(ann.id),
        appointment_type_id=AppointmentTypeId(pt.id),
        quantity=10,
        expires_on=date(2026, 12, 31),
        price_cents=80000,
        note="10-pack",
        actor=SYSTEM,
    )
    return {
        "pt": pt.id,
        "massage": massage.id,
        "coach": coach.id,
        "desk": desk.id,
        "ann": ann.id,
        "bob": bob.id,
        "zoe": zoe.id,
    }


@pytest.fixture
def desk_staff(ctx: DeskContext, gym: dict[str, int]) -> DeskContext:
    ctx.staff_id = StaffId(gym["desk"])
    return ctx


@pytest.fixture
def shown_window(qtbot, desk_staff: DeskContext):
    """The main window, shown, with the admin at the desk and no idle lock."""
    from desk.ui.shell.main_window import MainWindow

    window = MainWindow(desk_staff, None, idle_minutes=0)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window
