"""Make the screenshots of the user guide and the README: docs/screenshots/*.png.

It builds a demo gym in a temporary folder (with a clock standing still on a
Wednesday morning, so that today has sessions: some checked in, some due), opens
the real main window and dialogs over it, and saves one PNG per screen.

    LANG=en_US.UTF-8 QT_QPA_PLATFORM=xcb \\
        xvfb-run -a -s "-screen 0 1920x1080x24" python docs/make_screenshots.py

The defaults are the published set: en_US formats, a 1280x800 main window, into
docs/screenshots/. For a review copy in other formats or at another size:

    ... python docs/make_screenshots.py --locale en_GB --size 1920x1080 --out /tmp/review

docs/screenshots/en_GB/ holds six of those from a UK desk at 1920x1080 (today,
profile, calendar_day, calendar_week, staff, audit_log), copied from such a run.

Nothing of the user's (database, settings, log) is touched.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QLocale, QPointF, QRectF, QSettings, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from screenshot_availability import shoot_availability  # noqa: E402
from screenshot_credit_items import add_first_use_package, shoot_credit_items  # noqa: E402
from screenshot_credit_life import shoot_credit_life  # noqa: E402
from screenshot_extras import shoot_groups, shoot_imports, shoot_plans, shoot_reports  # noqa: E402

from desk.app import create_application, share_the_gil  # noqa: E402
from desk.db import Database, open_database  # noqa: E402
from desk.services.container import Services  # noqa: E402
from desk.services.core.actor import Actor  # noqa: E402
from desk.services.core.clock import FixedClock  # noqa: E402
from desk.services.core.errors import Clash, DeskError, Unavailable  # noqa: E402
from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId, StaffId  # noqa: E402
from desk.services.core.settings import GeneralChange  # noqa: E402
from desk.services.records.demo import DemoGenerator  # noqa: E402

OUT = Path(__file__).resolve().parent / "screenshots"
LOCALES = {
    "en_US": QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
    "en_GB": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom),
}
GYM_NAME = "Riverside Fitness"
ZONE = ZoneInfo("America/New_York")
# A Wednesday, 10:40 in the morning at the gym.
NOW = datetime(2026, 11, 18, 10, 40, tzinfo=ZONE)
MEMBERS = 400
SEED = 3
SYSTEM = Actor.system("screenshots")

# Today's sessions: (hour, minute, coach index, type name, what happened).
TODAY = (
    (7, 0, 0, "Personal Training 60", "attended"),
    (7, 30, 1, "Personal Training 30", "attended"),
    (8, 0, 2, "Sports Massage", "no_show"),
    (9, 0, 0, "Small Group PT", "attended"),
    (9, 0, 1, "Personal Training 60", "attended"),
    (10, 0, 2, "Physio Assessment", "booked"),
    (10, 30, 0, "Personal Training 30", "booked"),
    (11, 0, 1, "Small Group PT", "booked"),
    (11, 30, 3, "Nutrition Consult", "booked"),
    (12, 0, 2, "Personal Training 60", "booked"),
    (16, 0, 3, "Personal Training 60", "booked"),
    (17, 0, 0, "Small Group PT", "booked"),
    (17, 30, 1, "Sports Massage", "booked"),
    (18, 0, 3, "Personal Training 30", "booked"),
)

SAMPLE_CSV = """\
client_id,first_name,last_name,email,service,remaining,expires
C-1001,Grace,Okafor,grace.okafor@example.com,Personal Training 60,6,12/31/2026
C-1002,Tomás,Rivera,tomas.rivera@example.com,Small Group PT,10,01/15/2027
C-1003,Hana,Suzuki,hana.suzuki@example.com,Sports Massage,2,
C-1004,Leo,Brennan,leo.brennan@example.com,Personal Training 30,4,11/30/2026
C-1005,Amara,Mensah,amara.mensah@example.com,Nutrition Consult,1,03/01/2027
"""


@dataclass(frozen=True)
class Options:
    locale: str
    width: int
    height: int
    out: Path


def parse(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--locale", choices=sorted(LOCALES), default="en_US")
    parser.add_argument("--size", default="1280x800", help="the main window, WIDTHxHEIGHT")
    parser.add_argument("--out", type=Path, default=OUT, help="the folder for the PNGs")
    args = parser.parse_args(argv)
    width, _, height = args.size.partition("x")
    return Options(args.locale, int(width), int(height), args.out)


def draw_logo() -> QImage:
    """A round badge with the gym's initials (the demo gym's logo)."""
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#1f6f5c"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QPointF(128, 128), 120, 120)
    painter.setPen(QColor("white"))
    font = QFont()
    font.setPixelSize(96)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(QRectF(0, 0, 256, 256), Qt.AlignmentFlag.AlignCenter, "RF")
    painter.end()
    return image


def build_gym(folder: Path) -> tuple[Database, Services]:
    """The demo gym, a catalog, the gym's name and logo, and today's sessions."""
    from desk.ui.settings.logo_picture import shrink_to_png

    db = open_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    clock = FixedClock(NOW, ZONE)
    DemoGenerator(db, clock).generate(members=MEMBERS, seed=SEED)
    services = Services.build(db, clock)
    staff = {p.role: p for p in services.staff.list()}
    owner, desk = (
        Actor.staff(StaffId(staff["owner"].id)),
        Actor.staff(StaffId(staff["front_desk"].id)),
    )
    for person, username in ((staff["owner"], "dana"), (staff["front_desk"], "robin")):
        services.auth.set_login(
            StaffId(person.id), username=username, password="demo-password-1", actor=SYSTEM
        )
    services.settings.update_general(
        GeneralChange(name=GYM_NAME, logo_png=shrink_to_png(draw_logo())), actor=owner
    )
    types = {t.name: t for t in services.appointment_types.list()}
    catalog = services.catalog
    for name, kind, credits, cents, days in (
        ("PT 60 - 5 sessions", "Personal Training 60", 5, 40000, 90),
        ("PT 60 - 10 sessions", "Personal Training 60", 10, 75000, 180),
        ("PT 30 - 10 sessions", "Personal Training 30", 10, 45000, 180),
        ("Small Group - 12 classes", "Small Group PT", 12, 36000, 120),
        ("Massage - 3 sessions", "Sports Massage", 3, 25500, None),
    ):
        catalog.save_package(
            name=name,
            appointment_type_id=types[kind].id,
            credits=credits,
            price_cents=cents,
            validity_days=days,
            actor=owner,
        )
    add_first_use_package(catalog, types["Personal Training 30"].id, owner)
    catalog.save_plan(
        name="Monthly PT (4 sessions)",
        period="month",
        price_cents=30000,
        credits=[(types["Personal Training 60"].id, 4)],
        billing_day=1,
        actor=owner,
    )
    catalog.save_plan(
        name="Weekly small group",
        period="week",
        price_cents=3000,
        credits=[(types["Small Group PT"].id, 1)],
        actor=owner,
    )
    book_today(services, {name: t.id for name, t in types.items()}, desk)
    return db, services


def book_today(services: Services, types: dict[str, int], actor: Actor) -> None:
    """Book TODAY's sessions on members who have a credit of the type, then check in
    or mark no-show the ones that happened (the demo books nobody on the clock's day)."""
    coaches = [p.id for p in services.staff.list() if p.role == "coach"]
    members = iter(range(1, MEMBERS + 1))
    booking = services.booking
    for hour, minute, coach, kind, outcome in TODAY:
        starts = datetime.combine(NOW.date(), time(hour, minute), ZONE)
        # The demo's coaches keep hours: the first coach from ``coach`` on who works then.
        appt = None
        for working in coaches[coach:] + coaches[:coach]:
            for member in members:
                try:
                    appt = booking.book(
                        member_id=MemberId(member),
                        appointment_type_id=AppointmentTypeId(types[kind]),
                        staff_id=StaffId(working),
                        starts_at=starts,
                        allow_past=True,
                        actor=actor,
                    ).value
                except (Unavailable, Clash):
                    break  # not this coach: the next one
                except DeskError:
                    continue  # not this member: the next one
                break
            if appt is not None:
                break
        if appt is not None:
            if outcome == "attended":
                booking.check_in(AppointmentId(appt.id), actor=actor)
            elif outcome == "no_show":
                booking.no_show(AppointmentId(appt.id), actor=actor)


class Camera:
    """Lets the window settle (workers idle, events done) and saves a widget's picture."""

    def __init__(self, app: QApplication, services: Services, out: Path) -> None:
        from desk.ui.shell.change_hub import ChangeHub
        from desk.ui.shell.context import DeskContext

        self.app = app
        self.out = out
        self.ctx = DeskContext(services=services, hub=ChangeHub())
        owner = next(p for p in services.staff.list() if p.role == "owner")
        self.ctx.staff_id = StaffId(owner.id)

    def settle(self) -> None:
        for _ in range(3):
            self.ctx.runner.wait_idle()
            QTest.qWait(150)
            self.app.processEvents()

    def shoot(self, widget: QWidget, name: str) -> None:
        self.settle()
        path = self.out / name
        widget.grab().save(str(path))
        print(f"{path} {widget.width()}x{widget.height()}")

    def open(self, dialog: QDialog, size: tuple[int, int]) -> QDialog:
        """Show ``dialog`` at ``size``, or at the size it asks for if that is larger."""
        hint = dialog.sizeHint()
        dialog.resize(max(size[0], hint.width()), max(size[1], hint.height()))
        dialog.show()
        self.settle()
        return dialog


def free_slot(services: Services, member: int, kind: int, coach: int, day: date) -> datetime:
    """The first afternoon hour when ``coach`` is free four weeks running from ``day``."""
    from desk.services.calendar.recurrence import Repeat

    for hour in (14, 15, 13, 16, 12, 17, 11, 18, 10, 19, 9, 8, 7, 20):
        starts = datetime.combine(day, time(hour, 0), ZONE)
        plans = services.booking.plan_series(
            member_id=MemberId(member),
            appointment_type_id=AppointmentTypeId(kind),
            staff_id=StaffId(coach),
            starts_at=starts,
            repeat=Repeat(count=4),
        )
        if all(p.conflict is None for p in plans):
            return starts
    return datetime.combine(day, time(14, 0), ZONE)


def shoot_all(camera: Camera, settings: QSettings, options: Options) -> None:
    from desk.ui.calendar.booking_dialog import BookingDialog
    from desk.ui.calendar.booking_form import REPEAT_WEEKLY
    from desk.ui.members.add_credits_dialog import AddCreditsDialog
    from desk.ui.selling.catalog_dialog import CatalogDialog
    from desk.ui.settings.audit_log_dialog import AuditLogDialog
    from desk.ui.settings.general_settings_dialog import GeneralSettingsDialog
    from desk.ui.settings.staff_dialog import StaffDialog
    from desk.ui.shell.main_window import MainWindow

    ctx = camera.ctx
    services = ctx.services
    window = MainWindow(ctx, settings, idle_minutes=0)
    window.resize(options.width, options.height)
    window.show()
    camera.settle()

    window.show_page(window.today)
    window.today.view.table.selectRow(5)
    camera.shoot(window, "today.png")

    window.focus_search()
    QTest.keyClicks(window.search_panel.search, "son")
    camera.shoot(window, "members_search.png")

    busiest = max(services.members.summaries(range(1, MEMBERS + 1)), key=lambda m: m.open_credits)
    profile = window.open_profile(busiest.id)
    profile.resize(min(options.width, 1200), min(options.height, 800))
    camera.shoot(profile, "profile.png")
    profile.close()

    day: date = NOW.date()
    window.show_calendar()
    window.calendar.show_day(day)
    camera.shoot(window, "calendar_day.png")
    window.calendar.show_week(day)
    camera.shoot(window, "calendar_week.png")

    coach = next(p for p in services.staff.list() if p.role == "coach")
    kind = max(services.credits.balances(MemberId(busiest.id)), key=lambda b: b.open)
    booking = BookingDialog(
        ctx,
        member_id=busiest.id,
        member_name=busiest.full_name,
        staff_id=coach.id,
        starts_at=free_slot(
            services, busiest.id, kind.appointment_type_id, coach.id, day + timedelta(days=1)
        ),
        parent=window,
    )
    booking.appointment_type.setCurrentIndex(
        booking.appointment_type.findData(kind.appointment_type_id)
    )
    booking.repeat.setCurrentIndex(REPEAT_WEEKLY)
    booking.count.setValue(4)
    camera.open(booking, (760, 560))
    camera.shoot(booking, "booking_dialog.png")
    booking.reject()

    add = camera.open(AddCreditsDialog(ctx, busiest.id, busiest.full_name, window), (640, 360))
    camera.shoot(add, "add_credits.png")
    add.reject()

    catalog = CatalogDialog(ctx, window)
    catalog.packages.table.selectRow(2)
    camera.open(catalog, (1000, 560))
    camera.shoot(catalog, "catalog.png")
    catalog.reject()

    staff = StaffDialog(ctx, window)
    camera.open(staff, (900, 520))
    staff.select_staff(coach.id)
    camera.shoot(staff, "staff.png")
    staff.reject()

    audit = camera.open(AuditLogDialog(ctx, window), (1100, 600))
    camera.shoot(audit, "audit_log.png")
    audit.reject()

    general = camera.open(GeneralSettingsDialog(ctx, settings, window), (600, 440))
    camera.shoot(general, "general_settings.png")
    general.reject()

    sample = Path(tempfile.mkdtemp()) / "old-system-credits.csv"
    sample.write_text(SAMPLE_CSV, encoding="utf-8")
    wizard = window.import_file()
    wizard.resize(900, 620)
    QTest.keyClicks(wizard.file_page.file, str(sample))
    wizard.next()
    camera.shoot(wizard, "import_wizard.png")
    wizard.reject()

    shoot_imports(camera, window)
    shoot_reports(camera, window)
    shoot_groups(camera, window)
    shoot_availability(camera, window, day, ZONE)
    shoot_credit_life(camera, window)
    shoot_credit_items(camera, window, options.width, options.height, shoot_plans)

    window.lock()
    camera.shoot(window, "lock_screen.png")
    window.close()


def main(argv: list[str] | None = None) -> int:
    options = parse(sys.argv[1:] if argv is None else argv)
    QLocale.setDefault(LOCALES[options.locale])
    options.out.mkdir(parents=True, exist_ok=True)
    share_the_gil()
    app = create_application()
    folder = Path(tempfile.mkdtemp(prefix="desk-screenshots-"))
    db, services = build_gym(folder)
    settings = QSettings(str(folder / "desk.ini"), QSettings.Format.IniFormat)
    try:
        shoot_all(Camera(app, services, options.out), settings, options)
    finally:
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
