"""Every row that goes in or stays out is accounted for: nothing remaining, left out, errors."""

from __future__ import annotations

from datetime import date

from desk.services.importing.report import ImportOptions, RowStatus
from tests.services.importing.import_calls import import_credits
from tests.services.importing.import_gym import open_credits

FILE = (
    b"Email,Service,Remaining,Expires,Value\n"
    b"liam@example.com,Small Group PT,3,2026-12-31,90.00\n"  # line 2
    b"ben.okafor@example.com,Sports Massage,0,2026-12-31,0\n"  # 3: nothing left
    b"zoe.muller@example.com,PT 60 min,2,,100.00\n"  # 4: a type Desk doesn't know
    b"liam@example.com,Small Group PT,0.00,,\n"  # 5: nothing left
)


def test_rows_with_nothing_remaining_are_skipped_and_counted(services, gym):
    report = import_credits(services, FILE.replace(b"PT 60 min", b"Sports Massage"))

    assert report.errors == []
    assert report.written
    assert report.count(RowStatus.NOTHING_REMAINING) == 2
    assert [(o.line, o.status) for o in report.outcomes] == [
        (2, RowStatus.IMPORTED),
        (3, RowStatus.NOTHING_REMAINING),
        (4, RowStatus.IMPORTED),
        (5, RowStatus.NOTHING_REMAINING),
    ]
    o = report.outcomes[0]
    assert (o.member, o.appointment_type, o.credits, o.expires_on, o.value_cents) == (
        "liam@example.com", "Small Group PT", 3, date(2026, 12, 31), 90_00,
    )  # fmt: skip
    assert open_credits(services, gym.liam, gym.types["Small Group PT"]) == 3


def test_a_row_left_out_by_choice_stays_out_and_says_why(services, gym):
    blocked = import_credits(services, FILE)
    assert [(p.row, p.value) for p in blocked.errors] == [(4, "PT 60 min")]
    assert not blocked.written

    report = import_credits(services, FILE, leave_out=((4, "Zoë's PT is sold again in Desk"),))

    assert report.errors == []
    assert report.written
    assert [(o.line, o.status, o.detail) for o in report.left_out] == [
        (4, RowStatus.LEFT_OUT, "Zoë's PT is sold again in Desk")
    ]
    assert len(report.outcomes) == report.rows == 4
    assert open_credits(services, gym.zoe, gym.types["Sports Massage"]) == 0


def test_a_file_with_errors_accounts_for_each_row_too(services, gym):
    report = import_credits(services, FILE)

    assert [(o.line, o.status) for o in report.outcomes] == [
        (2, RowStatus.TO_IMPORT),
        (3, RowStatus.NOTHING_REMAINING),
        (4, RowStatus.ERROR),
        (5, RowStatus.NOTHING_REMAINING),
    ]
    assert "unknown appointment type" in report.outcomes[2].detail
    (total,) = report.totals_by_type()
    assert (total.appointment_type, total.rows, total.credits, total.value_cents) == (
        "Small Group PT", 1, 3, 90_00,
    )  # fmt: skip


def test_the_types_page_lists_each_name_with_its_rows_credits_and_desk_type(services, gym):
    looked = services.imports.file_types(FILE)

    assert looked.source_system == "other"
    assert [(t.name, t.rows, t.credits, t.desk_type, t.mapped) for t in looked.types] == [
        ("PT 60 min", 1, 2, None, False),  # Desk has no such type: to map or create
        ("Small Group PT", 1, 3, "Small Group PT", False),  # the zero rows carry nothing
    ]
    assert looked.desk_types == ["Personal Training 60", "Small Group PT", "Sports Massage"]

    mapped = services.imports.file_types(
        FILE, ImportOptions(type_map=("pt 60 MIN=Personal Training 60",))
    )
    assert (mapped.types[0].desk_type, mapped.types[0].mapped) == ("Personal Training 60", True)
