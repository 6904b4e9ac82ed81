"""UTCDateTime: aware UTC values in and out, whatever the backend stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select, text

from desk.models.base import UTCDateTime

metadata = MetaData()
stamps = Table(
    "stamps", metadata, Column("id", Integer, primary_key=True), Column("at", UTCDateTime)
)


@pytest.fixture
def engine():
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    yield engine
    engine.dispose()


def read_back(engine, raw: str | None) -> datetime | None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO stamps (id, at) VALUES (1, :raw)"), {"raw": raw})
        return conn.execute(select(stamps.c.at)).scalar_one()


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("2026-03-08 06:59:59.123456", datetime(2026, 3, 8, 6, 59, 59, 123456, tzinfo=UTC)),
        ("2026-03-08 06:59:59", datetime(2026, 3, 8, 6, 59, 59, tzinfo=UTC)),
        ("2026-03-08T06:59:59", datetime(2026, 3, 8, 6, 59, 59, tzinfo=UTC)),
        # Text some other tool wrote with an offset: the same instant, in UTC.
        ("2026-03-08 01:59:59-05:00", datetime(2026, 3, 8, 6, 59, 59, tzinfo=UTC)),
        ("2026-03-08T06:59:59Z", datetime(2026, 3, 8, 6, 59, 59, tzinfo=UTC)),
        (None, None),
    ],
)
def test_sqlite_text_reads_back_as_aware_utc(engine, stored, expected):
    value = read_back(engine, stored)
    assert value == expected
    if value is not None:
        assert value.tzinfo is UTC
        assert value.utcoffset() == timedelta(0)


def test_written_values_round_trip_as_the_same_instant(engine):
    local = datetime(2026, 11, 1, 1, 30, tzinfo=timezone(timedelta(hours=-4)))
    with engine.begin() as conn:
        conn.execute(insert(stamps).values(id=1, at=local))
        stored = conn.execute(text("SELECT at FROM stamps")).scalar_one()
        value = conn.execute(select(stamps.c.at)).scalar_one()
    assert stored == "2026-11-01 05:30:00.000000"  # naive UTC text on SQLite
    assert value == local
    assert value.tzinfo is UTC


def test_a_naive_value_is_refused(engine):
    with engine.begin() as conn, pytest.raises(Exception, match="naive datetime"):
        conn.execute(insert(stamps).values(id=1, at=datetime(2026, 1, 1)))
