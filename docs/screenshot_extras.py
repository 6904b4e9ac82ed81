"""The screenshots of moving in (Types page, preview, File > Imports) and of the
reports and the member statement, for docs/make_screenshots.py."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard

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
    page = window.reports
    window.pages.setCurrentWidget(page)
    for index in range(page.choice.count()):
        page.choice.setCurrentIndex(index)
        camera.shoot(window, f"reports_{page.report.replace('-', '_')}.png")
    busiest = max(services.members.summaries(range(1, 400)), key=lambda m: m.open_credits)
    image = statement_page_image(gather_statement(services, MemberId(busiest.id)),
                                 services.clock.tz)  # fmt: skip
    path = camera.out / "statement_page1.png"
    image.save(str(path))
    print(f"{path} {image.width()}x{image.height()}")
