"""What imported credits are worth: every shape a file can say it in, and contradictions."""

from __future__ import annotations

import pytest

from desk.services.importing.report import Severity
from tests.services.importing.import_calls import import_credits, lots_of


def _file(header: str, *rows: str) -> bytes:
    return ("\n".join((header, *rows)) + "\n").encode()


@pytest.mark.parametrize(
    ("columns", "cells", "remaining", "value"),
    [
        # Desk's own export: the value of what is left, and the unit price.
        ("Remaining,Value,Unit Price", "7,476.00,68.00", 7, 476_00),
        # Only a unit price: that many credits at that price.
        ("Remaining,Price per session", "7,$68.00", 7, 476_00),
        # The lot's price with the number it bought: the remaining share of it.
        ("Remaining,Price,Purchased", "7,680,10", 7, 476_00),
        ("Remaining,Amount Paid,Total Sessions", "2,100.00,3", 2, 66_66),
        # Only a price: the price of these credits (as files without a count always were).
        ("Remaining,Price", "7,476", 7, 476_00),
        ("Remaining", "7", 7, 0),
    ],
)
def test_each_shape_of_price_gives_the_value_of_what_is_left(
    services, gym, columns, cells, remaining, value
):
    report = import_credits(
        services, _file(f"Email,Service,{columns}", f"liam@example.com,Small Group PT,{cells}")
    )

    assert report.errors == []
    (lot,) = lots_of(services, gym.liam)
    assert (lot.quantity, lot.price_cents) == (remaining, value)


def test_a_value_that_disagrees_with_the_unit_price_is_an_error(services, gym):
    report = import_credits(
        services,
        _file(
            "Email,Service,Remaining,Value,Unit Price",
            "liam@example.com,Small Group PT,7,680.00,68.00",
            "liam@example.com,Small Group PT,3,100.00,33.33",  # rounded: agrees
        ),
    )

    assert [(p.row, p.column, p.severity) for p in report.problems] == [
        (2, "Value", Severity.ERROR)
    ]
    assert "disagree" in report.problems[0].message
    assert not report.written


def test_more_remaining_than_purchased_is_an_error(services, gym):
    report = import_credits(
        services,
        _file(
            "Email,Service,Remaining,Price,Purchased", "liam@example.com,Small Group PT,12,680,10"
        ),
    )

    assert [(p.row, p.column) for p in report.errors] == [(2, "Purchased")]
    assert "more are left than were bought" in report.errors[0].message


def test_a_value_beyond_what_a_lot_holds_is_an_error_not_a_database_failure(services, gym):
    report = import_credits(
        services,
        _file(
            "Email,Service,Remaining,Price per session",
            "liam@example.com,Small Group PT,900,9999999",
        ),
    )

    assert [(p.row, p.column) for p in report.errors] == [(2, "Price per session")]
    assert "more than a lot can hold" in report.errors[0].message
