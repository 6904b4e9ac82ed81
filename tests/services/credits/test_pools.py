"""Shared pools: a family books from one set of credits, kept apart from each member's
own; the history says who used which shared credit; leaving, sharing a lot in,
dissolving and merging move only what the rules say."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from desk.models import CreditEntry, CreditLot
from desk.services.container import Services
from desk.services.core.errors import InsufficientCredits, InvalidState, ValidationError
from desk.services.core.ids import AppointmentTypeId, MemberId, StaffId
from desk.services.core.read_models import HistoryKind
from desk.services.records.audit_text import describe
from tests.actors import SYSTEM
from tests.services.credits.credit_checks import assert_balances_add_up, balance
from tests.services.factories import (
    GYM_TZ,
    at_local,
    book,
    give_credits,
    make_member,
    make_staff,
    make_type,
)

START = at_local(2026, 3, 10, 9)


def _family(services: Services, *names: str):
    members = [make_member(services, name, "Smith") for name in names]
    pool = services.pools.create(
        "Smith family", [MemberId(m.id) for m in members], actor=SYSTEM
    ).value
    return pool, members


def _into_pool(services: Services, member, kind, quantity: int, pool_id: int, **kw):
    return services.credits.add_credits(
        member_id=MemberId(member.id),
        appointment_type_id=AppointmentTypeId(kind.id),
        quantity=quantity,
        expires_on=kw.get("expires_on"),
        price_cents=kw.get("price_cents", 0),
        pool_id=pool_id,
        actor=SYSTEM,
    ).value


def _pool_balance(services: Services, pool_id: int, type_id: int):
    [row] = [r for r in services.pools.pool(pool_id).balances if r.appointment_type_id == type_id]
    return row


def test_any_member_books_from_the_pool_and_the_history_says_who(services: Services) -> None:
    pt, coach = make_type(services, "PT"), make_staff(services)
    pool, (mum, dad, kid) = _family(services, "Mum", "Dad", "Kid")
    lot = _into_pool(services, mum, pt, 3, pool.id, expires_on=date(2026, 6, 30))
    assert lot.member_id == mum.id  # the buyer
    book(services, dad, pt, coach, START)
    book(services, kid, pt, coach, START + timedelta(hours=1))
    row = _pool_balance(services, pool.id, pt.id)
    assert (row.granted, row.open, row.booked) == (3, 1, 2)
    assert row.open + row.booked + row.used + row.expired == row.granted + row.adjusted
    # Each member's own balances leave the pool out: the buyer's too.
    for member in (mum, dad, kid):
        assert services.credits.balances(MemberId(member.id)) == []
        assert services.credits.lots(MemberId(member.id)) == []
    history = services.pools.pool_history(pool.id)
    booked = [(h.row.kind, h.member_name) for h in history if h.row.kind == HistoryKind.BOOKED]
    assert sorted(booked) == [(HistoryKind.BOOKED, "Dad Smith"), (HistoryKind.BOOKED, "Kid Smith")]
    sold = [h.member_name for h in history if h.row.kind == HistoryKind.SOLD]
    assert sold == ["Mum Smith"]
    # Dad's own history shows the shared credit he used, Mum's doesn't.
    assert [h.kind for h in services.credits.history(MemberId(dad.id))] == [HistoryKind.BOOKED]
    assert services.credits.history(MemberId(mum.id)) == []
    view = services.pools.pool_of(MemberId(kid.id))
    assert view is not None
    assert view.name == "Smith family"
    assert [m.name for m in view.members] == ["Mum Smith", "Dad Smith", "Kid Smith"]
    assert view.next_expiry(pt.id) == date(2026, 6, 30)


def test_own_credits_pay_before_the_pools(services: Services, database) -> None:
    pt, coach = make_type(services, "PT"), make_staff(services)
    pool, (mum, dad) = _family(services, "Mum", "Dad")
    shared = _into_pool(services, mum, pt, 2, pool.id, expires_on=date(2026, 3, 20))
    own = give_credits(services, dad, pt, 1, expires_on=date(2026, 9, 1))
    first = book(services, dad, pt, coach, START)
    second = book(services, dad, pt, coach, START + timedelta(hours=1))
    with database.read() as session:
        paid = dict(session.execute(select(CreditEntry.appointment_id, CreditEntry.lot_id)
                                    .where(CreditEntry.kind == "book")).all())  # fmt: skip
    assert paid == {first.id: own.id, second.id: shared.id}
    assert balance(services, dad, pt.id).booked == 1  # the own one only
    assert_balances_add_up(services, dad)


def test_someone_outside_the_pool_can_never_book_from_it(services: Services) -> None:
    pt, coach = make_type(services, "PT"), make_staff(services)
    pool, (mum,) = _family(services, "Mum")
    _into_pool(services, mum, pt, 5, pool.id)
    stranger = make_member(services, "Stranger", "Jones")
    with pytest.raises(InsufficientCredits):
        book(services, stranger, pt, coach, START)
    with pytest.raises(ValidationError, match="not in that shared pool"):
        _into_pool(services, stranger, pt, 1, pool.id)


def test_a_member_who_leaves_keeps_what_was_paid_and_books_no_more(services: Services) -> None:
    pt, coach = make_type(services, "PT"), make_staff(services)
    pool, (mum, dad) = _family(services, "Mum", "Dad")
    _into_pool(services, mum, pt, 4, pool.id)
    kept = book(services, dad, pt, coach, START)
    left = services.pools.remove_member(pool.id, MemberId(dad.id), actor=SYSTEM).value
    assert left.bookings_kept == 1
    assert [m.member_id for m in left.pool.members] == [mum.id]
    with pytest.raises(InsufficientCredits):
        book(services, dad, pt, coach, START + timedelta(hours=2))
    # The kept booking is still paid by the pool; cancelling returns it there.
    services.booking.cancel(kept.id, return_credit=True, reason="ill", actor=SYSTEM)
    assert _pool_balance(services, pool.id, pt.id).open == 4
    assert services.pools.pool_of(MemberId(dad.id)) is None
    with pytest.raises(InvalidState):
        services.pools.remove_member(pool.id, MemberId(dad.id), actor=SYSTEM)


def test_a_member_is_in_one_pool_at_a_time(services: Services) -> None:
    _pool, (mum,) = _family(services, "Mum")
    with pytest.raises(ValidationError, match="already shares"):
        services.pools.create("Other", [MemberId(mum.id)], actor=SYSTEM)
    with pytest.raises(ValidationError):
        services.pools.create("  ", [MemberId(mum.id)], actor=SYSTEM)


def test_sharing_a_lot_moves_its_open_credits_by_entries(services: Services, database) -> None:
    pt, coach = make_type(services, "PT"), make_staff(services)
    pool, (mum, _dad) = _family(services, "Mum", "Dad")
    own = give_credits(services, mum, pt, 5, price_cents=5_000, expires_on=date(2026, 8, 1))
    book(services, mum, pt, coach, START)
    shared = services.pools.share_lot(own.id, quantity=3, actor=SYSTEM).value
    assert (shared.remaining, shared.price_cents, shared.expires_on) == (3, 3_000, date(2026, 8, 1))
    with database.read() as session:
        entries = session.execute(select(CreditEntry.kind, CreditEntry.delta)
                                  .where(CreditEntry.lot_id == own.id)
                                  .order_by(CreditEntry.id)).all()  # fmt: skip
        assert session.scalar(select(CreditLot.pool_id).where(CreditLot.id == own.id)) is None
    assert [tuple(e) for e in entries] == [("grant", 5), ("book", -1), ("adjust", -3)]
    assert balance(services, mum, pt.id).open == 1
    assert _pool_balance(services, pool.id, pt.id).open == 3
    assert_balances_add_up(services, mum)
    with pytest.raises(ValidationError, match="already"):
        services.pools.share_lot(shared.id, actor=SYSTEM)


def test_dissolving_gives_open_pool_credits_back_to_their_buyers(services: Services) -> None:
    pt, coach = make_type(services, "PT"), make_staff(services)
    pool, (mum, dad) = _family(services, "Mum", "Dad")
    _into_pool(services, mum, pt, 3, pool.id, expires_on=date(2026, 5, 1))
    kept = book(services, dad, pt, coach, START)
    done = services.pools.dissolve(pool.id, actor=SYSTEM).value
    assert (done.lots_returned, done.credits_returned, done.pool.dissolved) == (1, 2, True)
    assert services.pools.pool_of(MemberId(mum.id)) is None
    [back] = services.credits.lots(MemberId(mum.id))
    assert (back.remaining, back.expires_on) == (2, date(2026, 5, 1))
    assert services.booking.get(kept.id).status == "booked"
    assert_balances_add_up(services, mum)
    row = _pool_balance(services, pool.id, pt.id)
    assert (row.open, row.booked, row.adjusted) == (0, 1, -2)
    with pytest.raises(InvalidState):
        services.pools.add_member(pool.id, MemberId(make_member(services).id), actor=SYSTEM)


def test_a_package_sold_into_the_pool_is_the_pools(services: Services) -> None:
    pt = make_type(services, "PT")
    pool, (mum, _dad) = _family(services, "Mum", "Dad")
    package = services.catalog.save_package(
        name="Family 10", appointment_type_id=AppointmentTypeId(pt.id), credits=10,
        price_cents=50_000, validity_days=90, actor=SYSTEM,
    ).value  # fmt: skip
    services.sales.sell_package(member_id=MemberId(mum.id), package_id=package.id,
                                pool_id=pool.id, actor=SYSTEM)  # fmt: skip
    assert _pool_balance(services, pool.id, pt.id).open == 10
    assert services.credits.balances(MemberId(mum.id)) == []


def test_merging_moves_pool_membership_to_the_survivor(services: Services) -> None:
    pt, coach = make_type(services, "PT"), make_staff(services)
    pool, (dup,) = _family(services, "Dup")
    _into_pool(services, dup, pt, 2, pool.id)
    keep = make_member(services, "Keep", "Smith")
    services.merges.merge(MemberId(dup.id), into_member_id=MemberId(keep.id),
                          reason="twice", actor=SYSTEM)  # fmt: skip
    view = services.pools.pool_of(MemberId(keep.id))
    assert view is not None
    assert [m.member_id for m in view.members] == [keep.id]
    book(services, keep, pt, coach, START)
    assert _pool_balance(services, pool.id, pt.id).booked == 1


def test_an_adjustment_never_takes_the_pools_credits(services: Services) -> None:
    pt = make_type(services, "PT")
    pool, (mum,) = _family(services, "Mum")
    _into_pool(services, mum, pt, 3, pool.id)
    with pytest.raises(InsufficientCredits):
        services.credits.adjust(member_id=MemberId(mum.id), appointment_type_id=AppointmentTypeId(
            pt.id), delta=-1, reason="typo", actor=SYSTEM)  # fmt: skip
    services.credits.adjust(member_id=MemberId(mum.id), appointment_type_id=AppointmentTypeId(
        pt.id), delta=2, reason="gift", actor=SYSTEM)  # fmt: skip
    assert balance(services, mum, pt.id).open == 2
    assert _pool_balance(services, pool.id, pt.id).open == 3


def test_the_credit_export_and_the_liability_count_each_pool_credit_once(
    services: Services, database, tmp_path
) -> None:
    pt = make_type(services, "PT")
    pool, (mum, dad, _kid) = _family(services, "Mum", "Dad", "Kid")
    _into_pool(services, mum, pt, 7, pool.id, price_cents=7_000)
    give_credits(services, dad, pt, 2, price_cents=2_000)
    path = tmp_path / "credits.csv"
    services.exports.credits(path)
    lines = path.read_text(encoding="utf-8").strip().splitlines()[1:]
    assert len(lines) == 2  # one row per lot: the pool's once, not once per member
    assert sum(int(line.split(",")[5]) for line in lines) == 9
    report = services.reports.liability(actor=SYSTEM)
    assert (report.credits, report.value_cents) == (9, 9_000)
    with database.read() as session:
        assert session.scalar(select(func.sum(CreditLot.remaining))) == 9


def test_pool_changes_read_as_sentences(services: Services) -> None:
    pt = make_type(services, "PT")
    pool, (mum, dad) = _family(services, "Mum", "Dad")
    lot = give_credits(services, mum, pt, 2)
    services.pools.share_lot(lot.id, actor=SYSTEM)
    services.pools.remove_member(pool.id, MemberId(dad.id), actor=SYSTEM)
    services.pools.dissolve(pool.id, actor=SYSTEM)
    events = [e for e in services.audit.events() if e.action.startswith("pool.")]
    names = services.audit.names(events)
    text = [describe(e, names, GYM_TZ) for e in reversed(events)]
    assert text[0] == "Set up the shared pool Smith family for 2 members"
    assert "Put Mum Smith in the shared pool Smith family" in text
    assert "Moved 2 credits of Mum Smith into the shared pool Smith family" in " ".join(text)
    assert "Took Dad Smith out of the shared pool Smith family" in text
    assert text[-1] == "Dissolved the shared pool Smith family: 2 open credits back to their buyers"


def test_a_member_may_pick_their_pools_lot_and_the_paying_order_lists_it_after_their_own(
    services: Services,
) -> None:
    pt, coach = make_type(services, "PT"), make_staff(services)
    pool, (mum, dad) = _family(services, "Mum", "Dad")
    shared = _into_pool(services, mum, pt, 2, pool.id, expires_on=date(2026, 3, 20))
    own = give_credits(services, dad, pt, 1, expires_on=date(2026, 9, 1))
    order = services.credits.paying_order(MemberId(dad.id), AppointmentTypeId(pt.id))
    assert [(lot.lot_id, lot.shared) for lot in order] == [(own.id, False), (shared.id, True)]
    # Mum has no own PT credits: her order is the pool's lot alone (she bought it).
    mums = services.credits.paying_order(MemberId(mum.id))
    assert [(lot.lot_id, lot.shared) for lot in mums] == [(shared.id, True)]
    picked = services.booking.book(
        member_id=MemberId(dad.id), appointment_type_id=AppointmentTypeId(pt.id),
        staff_id=StaffId(coach.id), starts_at=START, lot_id=shared.id, actor=SYSTEM,
    ).value  # fmt: skip
    assert picked.lot_id == shared.id
    assert _pool_balance(services, pool.id, pt.id).booked == 1
    assert balance(services, dad, pt.id).open == 1  # his own lot untouched
    # Someone outside the pool can't pick it.
    stranger = make_member(services, "Sam", "Jones")
    give_credits(services, stranger, pt, 1)
    with pytest.raises(ValidationError, match=f"lot #{shared.id}.*a shared pool they are not in"):
        services.booking.book(
            member_id=MemberId(stranger.id), appointment_type_id=AppointmentTypeId(pt.id),
            staff_id=StaffId(coach.id), starts_at=START, lot_id=shared.id, actor=SYSTEM,
        )  # fmt: skip
