"""The screenshots of moving in (Types page, preview, File > Imports) and of the
reports and the member statement, for docs/make_screenshots.py."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard

from desk.services.core.errors import DeskError
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId

OLD_NAMES = ["PT 60 min", "Sports Massage 60 Min", "Small Group PT", "Physio Assessment"]


def _old_system_file(services: Any) -> Path:
    """A package export shaped like Vagaro's, of the demo's members with an email."""
    people = [
        services.members.get(MemberId(m.id)) for m in services.members.summaries(range(1, 60))
    ]
    people = [p for p in people if p.email][:14]
    lines = [
        "Customer ID,Customer First Name,Customer Last Name,Email,Mobile Phone,Package Name,"
        "Services Remaining,Services Included,Expiration Date,Package Price"
    ]
    for n, p in enumerate(people):
        left, bought = 1 + n % 5, 5 + n % 6
        lines.append(
            f"V-{100 + n},{p.first_name},{p.last_name},{p.email},(555) 201-{3300 + n},"
            f"{OLD_NAMES[n % 4]},{left if n % 7 else 0},{bought},{1 + n % 12}/28/2027,"
            f"${bought * 85}.00"
        )
    path = Path(tempfile.mkdtemp()) / "vagaro-packages.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def shoot_imports(camera: Any, window: Any) -> None:
    from desk.ui.files.imports_dialog import ImportsDialog

    ctx = camera.ctx
    services = ctx.services
    kinds = [t.name for t in services.appointment_types.list()]
    file = _old_system_file(services)
    # An earlier members import, taken back, for the list to show more than one.
    earlier = services.imports.import_members(
        b"Name,Email\nAmara Mensah,amara.m@example.com\nHiro Sato,hiro.s@example.com\n",
        actor=ctx.actor,
    ).value
    if earlier.batch_id is not None:
        services.imports.undo(earlier.batch_id, actor=ctx.actor)
    wizard = window.import_file()
    wizard.resize(900, 640)
    QTest.keyClicks(wizard.file_page.file, str(file))
    wizard.button(QWizard.WizardButton.NextButton).click()
    wizard.button(QWizard.WizardButton.NextButton).click()
    camera.settle()
    page = wizard.types_page
    combos = {t.name: c for t, c in zip(page.types, page.combos, strict=True)}
    wanted = {"PT 60 min": "Personal Training 60", "Sports Massage 60 Min": "Massage"}
    for name, like in wanted.items():
        kind = next((k for k in kinds if like in k), None)
        if name in combos and kind is not None:
            combos[name].setCurrentIndex(combos[name].findData(kind))
    camera.shoot(wizard, "import_types.png")
    wizard.button(QWizard.WizardButton.NextButton).click()
    for _ in range(50):
        camera.settle()
        if wizard.state.preview is not None:
            break
    camera.shoot(wizard, "import_preview.png")
    wizard.button(QWizard.WizardButton.CommitButton).click()
    for _ in range(50):
        camera.settle()
        if wizard.currentPage() is wizard.summary_page:
            break
    wizard.close()
    imports = camera.open(ImportsDialog(ctx, window), (1000, 420))
    imports.table.selectRow(0)
    camera.shoot(imports, "imports_list.png")
    imports.reject()


def shoot_reports(camera: Any, window: Any) -> None:
    from desk.services.reports.statement import gather_statement
    from desk.ui.reports.report_pdf import report_page_image
    from desk.ui.reports.statement_pdf import statement_page_image

    ctx = camera.ctx
    services = ctx.services
    for i, coach in enumerate(p for p in services.staff.list() if p.role == "coach"):
        for kind in services.appointment_types.list():
            rule = {"percent": 40} if i % 2 else {"rate_cents": 2500}
            services.staff.set_pay_rule(
                StaffId(coach.id), appointment_type_id=AppointmentTypeId(kind.id),
                actor=ctx.actor, **rule,
            )  # fmt: skip
    # Today's sales at the desk, paid in each way, for Sales and End of day.
    packages = services.catalog.packages()
    methods = ("cash", "card", "card", "transfer", "cash", "other")
    active = [m for m in services.members.summaries(range(2, 40)) if m.status == "active"]
    for i, member in enumerate(active[:12]):
        services.sales.sell_package(
            member_id=MemberId(member.id), package_id=packages[i % len(packages)].id,
            method=methods[i % len(methods)], actor=ctx.actor,
        )  # fmt: skip
    page = window.reports
    window.pages.setCurrentWidget(page)
    for index in range(page.choice.count()):
        page.choice.setCurrentIndex(index)
        if page.report == "coach-pay":  # one coach chosen: their sessions are listed
            first_coach = next(p for p in services.staff.list() if p.role == "coach")
            page.coach.setCurrentIndex(page.coach.findText(first_coach.name))
        camera.shoot(window, f"reports_{page.report.replace('-', '_')}.png")
        if page.report == "liability":  # the printed report, page 1
            ctx.runner.wait_idle()
            printed = report_page_image(page.model.table, services.clock.tz, page._page())
            path = camera.out / "reports_printed_liability.png"
            printed.save(str(path))
            print(f"{path} {printed.width()}x{printed.height()}")
    busiest = max(services.members.summaries(range(1, 400)), key=lambda m: m.open_credits)
    image = statement_page_image(gather_statement(services, MemberId(busiest.id)),
                                 services.clock.tz)  # fmt: skip
    path = camera.out / "statement_page1.png"
    image.save(str(path))
    print(f"{path} {image.width()}x{image.height()}")


def shoot_groups(camera: Any, window: Any) -> None:
    """A full Small Group PT session selected on the calendar (its roster and waitlist),
    and the booking dialog offering a member its waitlist."""
    from datetime import timedelta

    from desk.ui.calendar.booking_dialog import BookingDialog

    services = camera.ctx.services
    now = services.clock.now()
    sessions = [
        a for a in services.booking.in_range(now, now + timedelta(days=7))
        if a.capacity > 1 and a.status == "booked"
    ]  # fmt: skip
    counts: dict[tuple[Any, ...], list[Any]] = {}
    for appt in sessions:
        counts.setdefault((appt.staff_id, appt.starts_at, appt.ends_at), []).append(appt)
    waiting = {
        key: services.booking.waitlist(
            staff_id=key[0], appointment_type_id=group[0].appointment_type_id,
            starts_at=key[1], ends_at=key[2],
        )
        for key, group in counts.items()
    }  # fmt: skip
    key = max(counts, key=lambda k: (len(counts[k]), len(waiting[k]), -k[1].timestamp()))
    first = counts[key][0]
    calendar = window.calendar
    window.show_calendar()
    calendar.show_day(first.starts_at.astimezone(services.clock.tz).date())
    camera.settle()
    calendar.select_appointment(first.id)
    camera.shoot(window, "calendar_group_roster.png")
    inside = {a.member_id for a in counts[key]} | {e.member_id for e in waiting[key]}
    kind = first.appointment_type_id
    outsider = next(
        m for m in services.members.summaries(range(1, 400))
        if m.id not in inside and m.status == "active"
        and services.credits.open_credits(MemberId(m.id), AppointmentTypeId(kind)) > 0
    )  # fmt: skip
    dialog = BookingDialog(
        camera.ctx, member_id=outsider.id, member_name=outsider.full_name,
        staff_id=first.staff_id, starts_at=first.starts_at, parent=window,
    )  # fmt: skip
    dialog.appointment_type.setCurrentIndex(
        dialog.appointment_type.findData(first.appointment_type_id)
    )
    camera.open(dialog, (760, 560))
    camera.shoot(dialog, "booking_waitlist.png")
    dialog.reject()


def shoot_plans(camera: Any, window: Any) -> None:
    """The End plan dialog's preview: a member on a monthly plan with a session booked
    after the end, ending with a refund and the session cancelled."""
    from datetime import timedelta

    from desk.services.core.clock import today
    from desk.ui.selling.end_plan_dialog import EndPlanDialog

    services, actor = camera.ctx.services, camera.ctx.actor
    on = today(services.clock)
    kind = next(t for t in services.appointment_types.list() if t.capacity == 1)
    plan = services.catalog.save_plan(
        name="Monthly PT (4)", period="month", billing_day=1, price_cents=24_000,
        credits=[(kind.id, 4)], actor=actor,
    ).value  # fmt: skip
    member = services.members.create(first_name="Dana", last_name="Okafor", actor=actor).value
    sub = services.sales.assign_plan(member_id=MemberId(member.id), plan_id=plan.id,
                                     starts_on=on.replace(day=1), actor=actor).value  # fmt: skip
    coach = next(p for p in services.staff.list() if p.role == "coach" and p.takes_bookings)
    start = services.clock.now() + timedelta(days=9)
    for hours in range(8, 200):
        try:
            services.booking.book(
                member_id=MemberId(member.id), appointment_type_id=AppointmentTypeId(kind.id),
                staff_id=coach.id, starts_at=start + timedelta(hours=hours), actor=actor,
            )  # fmt: skip
            break
        except DeskError:  # a taken hour: try the next
            continue
    dialog = EndPlanDialog(camera.ctx, [sub], member.full_name, window)
    dialog.ends.setDate(on + timedelta(days=7))
    dialog.credits.setCurrentIndex(dialog.credits.findData("refund"))
    dialog.bookings.setCurrentIndex(dialog.bookings.findData("cancel"))
    camera.open(dialog, (620, 380))
    camera.shoot(dialog, "end_plan.png")
    dialog.reject()
