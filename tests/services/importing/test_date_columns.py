"""Date order is settled per column: one cell only one order can read settles it;
cells of both kinds in one column are an error naming a row of each."""

from __future__ import annotations

from datetime import date

from desk.services.importing.report import Remedy, RowStatus
from tests.services.importing.import_calls import import_credits, lots_of
from tests.services.importing.import_gym import counts

HEADER = "Email,Service,Credits,Expires"


def _file(*expiries: str) -> bytes:
    rows = [f"liam@example.com,Small Group PT,{n + 1},{d}" for n, d in enumerate(expiries)]
    return ("\n".join((HEADER, *rows)) + "\n").encode()


def test_month_first_and_day_first_dates_in_one_column_are_an_error(services, gym, database):
    before = counts(database)

    report = import_credits(services, _file("06/30/2027", "01/02/2027", "13/05/2027"))

    # The contradiction, then row 3, which no order settles now.
    assert [(p.row, p.column, p.value, p.remedy) for p in report.errors] == [
        (2, "Expires", "06/30/2027", None),
        (4, "Expires", "13/05/2027", None),
        (3, "Expires", "01/02/2027", Remedy.DATE_ORDER),
    ]
    message = report.errors[0].message
    assert "row 2: '06/30/2027'" in message
    assert "row 4: '13/05/2027'" in message
    assert not report.written
    assert report.count(RowStatus.ERROR) == 3
    assert counts(database) == before


def test_one_day_first_date_settles_the_whole_column(services, gym):
    report = import_credits(services, _file("03/04/2027", "13/05/2027", "01/02/2027"))

    assert report.errors == []
    expiries = sorted((lot.quantity, lot.expires_on) for lot in lots_of(services, gym.liam))
    assert expiries == [
        (1, date(2027, 4, 3)),
        (2, date(2027, 5, 13)),
        (3, date(2027, 2, 1)),
    ]


def test_one_month_first_date_settles_the_whole_column(services, gym):
    report = import_credits(services, _file("03/04/2027", "06/30/2027"))

    assert report.errors == []
    expiries = sorted((lot.quantity, lot.expires_on) for lot in lots_of(services, gym.liam))
    assert expiries == [(1, date(2027, 3, 4)), (2, date(2027, 6, 30))]


def test_no_evidence_in_the_column_asks(services, gym):
    report = import_credits(services, _file("03/04/2027", "2027-06-30"))

    assert [(p.row, p.remedy) for p in report.errors] == [(2, Remedy.DATE_ORDER)]
    again = import_credits(services, _file("03/04/2027", "2027-06-30"), date_order="dmy")
    assert again.written
    assert sorted(lot.expires_on for lot in lots_of(services, gym.liam)) == [
        date(2027, 4, 3),
        date(2027, 6, 30),
    ]


def test_a_chosen_order_reads_a_date_it_cannot_as_an_error(services, gym):
    report = import_credits(services, _file("06/30/2027"), date_order="dmy")

    assert [(p.row, p.column) for p in report.errors] == [(2, "Expires")]
    assert "not a real date" in report.errors[0].message
