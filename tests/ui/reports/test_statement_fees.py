"""The member statement PDF lists the member's late-cancel and no-show fees."""

from __future__ import annotations

from datetime import timedelta

from pypdf import PdfReader

from desk.services.core.ids import AppointmentId, AppointmentTypeId, MemberId
from desk.services.reports.statement import gather_statement
from desk.ui.reports.statement_pdf import write_statement_pdf
from tests.actors import SYSTEM
from tests.services.factories import book, give_credits, make_member, make_staff, make_type


def test_the_statement_lists_fees_charged_and_waived(services, clock, tmp_path):
    pt = make_type(services, "PT", late_cancel_hours=24)
    services.appointment_types.set_fees(
        AppointmentTypeId(pt.id), no_show_fee_cents=2_000, actor=SYSTEM
    )
    ann = make_member(services)
    give_credits(services, ann, pt, 3, expires_on=None)
    coach = make_staff(services, "Kim")
    for hours in (3, 2):
        appt = book(services, ann, pt, coach, clock.current - timedelta(hours=hours))
        services.booking.no_show(AppointmentId(appt.id), actor=SYSTEM)
    first = services.fees.fees(MemberId(ann.id))[-1]
    services.fees.waive(first.id, reason="first time", actor=SYSTEM)
    statement = gather_statement(services, MemberId(ann.id))
    assert [f.waived for f in statement.fees] == [False, True]
    target = tmp_path / "ann.pdf"
    write_statement_pdf(statement, target, services.clock.tz)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(target).pages)
    assert "Account balance: $20.00 owed" in text
    assert "Fees When Fee Session Amount" in text
    assert text.count("No-show fee PT") == 2
    assert "$20.00 charged" in text
    assert "$20.00 waived" in text
