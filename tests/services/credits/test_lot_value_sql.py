"""The SQL form of the lot value rule agrees with the Python one, on both backends."""

from __future__ import annotations

from itertools import product

from sqlalchemy import Column, Integer, MetaData, Table, insert, select

from desk.db import Database
from desk.services.credits.lot_value import credits_value_sql, value_of_credits

# Every small case, plus a few big prices and quantities.
CASES = [
    *product(range(61), range(8), range(-1, 10)),
    *product((999_999, 12_345_677, 10**9 + 7), (1, 3, 7, 12, 97), (0, 1, 2, 11, 96, 97, 98)),
]


def test_the_sql_form_agrees_with_value_of_credits(database: Database) -> None:
    cases = Table(
        "value_cases", MetaData(),
        Column("price", Integer), Column("quantity", Integer), Column("held", Integer),
        prefixes=["TEMPORARY"],
    )  # fmt: skip
    with database.engine.begin() as connection:
        cases.create(connection)
        connection.execute(
            insert(cases), [{"price": p, "quantity": q, "held": h} for p, q, h in CASES]
        )
        got = connection.execute(
            select(cases.c.price, cases.c.quantity, cases.c.held,
                   credits_value_sql(cases.c.price, cases.c.quantity, cases.c.held))
        ).all()  # fmt: skip
    assert len(got) == len(CASES)
    wrong = [(p, q, h, v) for p, q, h, v in got if v != value_of_credits(p, q, h)]
    assert wrong == []
    # The rule is not trivial: a lot's held credits add up to its price.
    assert value_of_credits(10, 3, 3) == 10
    assert value_of_credits(10, 3, 1) == 4
