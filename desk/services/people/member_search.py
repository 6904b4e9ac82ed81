"""Member search: any part of a name, email or phone (or a whole external id),
best matches first.

On SQLite the candidates come from indexes only, so a keystroke never scans
the members table:

- exact and prefix matches from the expression indexes on lower(first_name),
  lower(last_name), lower(email) and from phone_digits (range scans in index
  order, so the exact match and the shortest prefixes come first);
- substring matches from the trigram FTS5 index ``member_search``, capped at
  ``SUBSTRING_CAP`` rows: a query as broad as "example.com" matches nearly every
  member, and nobody reads past the first screen of those.

The candidates are then ranked in SQL: exact, then prefix, then substring;
active before archived; then by last and first name. PostgreSQL filters with
LIKE on the expressions its pg_trgm indexes cover (migration 0005).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from desk.models import CreditLot, Member, MemberStatus
from desk.services.core.validation import phone_digits
from desk.services.credits.paying_lot import can_pay_on
from desk.services.credits.pool_lots import own_lot

MAX_LIMIT = 500


class MemberRow(NamedTuple):
    id: int
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    status: str
    open_credits: int


SUBSTRING_CAP = 1000
FILTERED_CAP = 5_000
_TRIGRAM = 3


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fts_phrase(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _next_prefix(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _full_name() -> ColumnElement[str]:
    return func.lower(Member.first_name + " " + Member.last_name)


def _is_phone_query(query: str) -> bool:
    return not any(ch.isalpha() for ch in query) and len(phone_digits(query)) >= _TRIGRAM


class _Shape(NamedTuple):
    """What decides the statement's structure; everything else is a bound value.

    A keystroke reuses the statement built for its shape: building SQLAlchemy
    expressions and their cache key took ~1 ms of every search, more than SQLite's
    own work for an email or a phone number.
    """

    sqlite: bool
    phone: bool  # digits only: phone_digits instead of names and email
    tokens: int  # words in the query; each must appear somewhere
    fts: bool  # the trigram index has something to match
    filtered: bool  # short words filter the trigram matches afterwards
    short_only: bool  # several words, none long enough for the trigram index


def _p(name: str) -> BindParameter[str]:
    return bindparam(name, type_=String)


def _rank(shape: _Shape) -> ColumnElement[int]:
    """0 = a field (or the external id) equals the query, 1 = a field starts with
    it, 2 = elsewhere."""
    first = func.lower(Member.first_name)
    last = func.lower(Member.last_name)
    email = func.lower(Member.email)
    exact = [
        first == _p("q"),
        last == _p("q"),
        _full_name() == _p("q"),
        email == _p("q"),
        Member.external_id == _p("raw"),
    ]
    starts = [
        first.like(_p("q_like"), escape="\\"),
        last.like(_p("q_like"), escape="\\"),
        _full_name().like(_p("q_like"), escape="\\"),
        email.like(_p("q_like"), escape="\\"),
    ]
    if shape.phone:
        exact.append(Member.phone_digits == _p("digits"))
        starts.append(Member.phone_digits.like(_p("digits_like"), escape="\\"))
    return case((or_(*exact), 0), (or_(*starts), 1), else_=2)


def _haystack() -> ColumnElement[str]:
    """Name, email and phone digits in one lower-case string.

    Spelled with SQL literals, not bound values: on PostgreSQL this is the very
    expression migration 0005 indexes with pg_trgm, and the planner uses the index
    only for a query written the same way.
    """
    space = literal_column("' '", String)
    empty = literal_column("''", String)
    return (
        func.lower(Member.first_name + space + Member.last_name)
        + space
        + func.lower(func.coalesce(Member.email, empty))
        + space
        + func.coalesce(Member.phone_digits, empty)
    )


def _contains_all(tokens: int) -> ColumnElement[bool]:
    haystack = _haystack()
    return and_(*[haystack.like(_p(f"t{i}"), escape="\\") for i in range(tokens)])


def _anywhere(shape: _Shape) -> ColumnElement[bool]:
    """The query anywhere in the phone digits (a phone query) or every word anywhere in
    name, email and phone: the LIKEs PostgreSQL's pg_trgm indexes answer."""
    if shape.phone:
        return Member.phone_digits.like(_p("digits_anywhere"), escape="\\")
    return _contains_all(shape.tokens)


def _range(
    column: ColumnElement[Any] | InstrumentedAttribute[Any], low: str, high: str
) -> ColumnElement[bool]:
    return and_(column >= _p(low), column < _p(high))


def _limited(statement: Select[Any]) -> Select[Any]:
    """``statement`` as a part of a UNION: SQLite allows LIMIT there only in a subquery."""
    inner = statement.subquery()
    return select(inner.c[0])


def _candidates(shape: _Shape) -> CompoundSelect[Any]:
    """One statement that yields every candidate id, from indexes, each part capped."""
    limit = bindparam("limit", type_=Integer)
    # An id from the previous system is typed whole, exactly as it was exported.
    parts: list[Select[Any]] = [select(Member.id).where(Member.external_id == _p("raw"))]
    if shape.phone:
        parts.append(
            _limited(
                select(Member.id)
                .where(_range(Member.phone_digits, "digits", "digits_upper"))
                .order_by(Member.phone_digits)
                .limit(limit)
            )
        )
    else:
        for column in (Member.first_name, Member.last_name, Member.email):
            lowered = func.lower(column)
            parts.append(
                _limited(
                    select(Member.id)
                    .where(_range(lowered, "q", "q_upper"))
                    .order_by(lowered)
                    .limit(limit)
                )
            )
    if not shape.sqlite:
        # pg_trgm's indexes answer these LIKEs (migration 0005); where they are missing
        # the scan still stops at the cap.
        parts.append(_limited(select(Member.id).where(_anywhere(shape)).limit(SUBSTRING_CAP)))
    elif shape.fts:
        # Short words ("ann s") filter the trigram matches afterwards, so a tight cap
        # could drop the very member they point at; the wider cap still bounds it.
        parts.append(
            _limited(
                select(literal_column("rowid").label("id"))
                .select_from(text("member_search"))
                .where(text("member_search MATCH :match"))
                .limit(FILTERED_CAP if shape.filtered else SUBSTRING_CAP)
            )
        )
    return union_all(*parts)


def _conditions(shape: _Shape) -> list[ColumnElement[bool]]:
    # Gathering the candidates inside the ranking statement keeps a keystroke to one
    # round trip: no id list travels to Python and back as parameters.
    found: ColumnElement[bool] = Member.id.in_(_candidates(shape))
    if not shape.sqlite:
        # Under a linguistic collation a range such as ["ros", "rot") can hold names
        # that don't start with "ros" (punctuation is ignored at first): keep only
        # the members that really contain the query.
        return [found, or_(_anywhere(shape), Member.external_id == _p("raw"))]
    if shape.short_only:
        # "jo sm": no word is long enough for the trigram index, so the first word's
        # prefix ranges (index searches) give the candidates, uncapped because the
        # other words filter them below.
        first_word = or_(
            *[
                _range(func.lower(column), "w0", "w0_upper")
                for column in (Member.first_name, Member.last_name, Member.email)
            ]
        )
        found = or_(found, Member.id.in_(select(Member.id).where(first_word)))
    conditions = [found]
    if not shape.phone and shape.tokens > 1:
        # The trigram index matched the long words; every word must still appear
        # somewhere (short ones can't be looked up by trigram).
        conditions.append(_contains_all(shape.tokens))
    return conditions


@lru_cache(maxsize=64)
def _statement(shape: _Shape) -> Select[Any]:
    """The whole search for one shape: rank the candidates, keep the best ``limit``,
    then count open credits for those rows only (SQLite computes every selected
    column of every candidate before it sorts, ~1,300 lot sums for "ros")."""
    status_order = case((Member.status == MemberStatus.ACTIVE.value, 0), else_=1)
    top = (
        select(
            Member.id,
            Member.first_name,
            Member.last_name,
            Member.email,
            Member.phone,
            Member.status,
            Member.merged_into_id,
            _rank(shape).label("rank"),
            status_order.label("archived"),
            func.lower(Member.last_name).label("last_key"),
            func.lower(Member.first_name).label("first_key"),
        )
        .where(*_conditions(shape))
        .order_by("rank", "archived", "last_key", "first_key", Member.id)
        .limit(bindparam("limit", type_=Integer))
        .subquery("top")
    )
    open_credits = (
        select(func.coalesce(func.sum(CreditLot.remaining), 0))
        .where(
            CreditLot.member_id == top.c.id,
            own_lot(),  # their own credits; a shared pool's show on the profile
            can_pay_on(bindparam("on")),
        )
        .scalar_subquery()
    )
    return select(
        top.c.id,
        top.c.first_name,
        top.c.last_name,
        top.c.email,
        top.c.phone,
        top.c.status,
        open_credits,
        top.c.merged_into_id,
    ).order_by(top.c.rank, top.c.archived, top.c.last_key, top.c.first_key, top.c.id)


def _survivors(session: Session, ids: set[int], on: date) -> dict[int, tuple[Any, ...]]:
    """Rows of the members merged-away records were merged into, by the merged id
    (following a chain of merges to its end)."""
    found: dict[int, tuple[Any, ...]] = {}
    pending = {i: i for i in ids}  # merged id -> the id it points at now
    while pending:
        rows = {
            row[0]: tuple(row)
            for row in session.execute(
                select(Member.id, Member.first_name, Member.last_name, Member.email,
                       Member.phone, Member.status,
                       select(func.coalesce(func.sum(CreditLot.remaining), 0))
                       .where(CreditLot.member_id == Member.id, own_lot(), can_pay_on(on))
                       .scalar_subquery(),
                       Member.merged_into_id)
                .where(Member.id.in_(set(pending.values())))
            )
        }  # fmt: skip
        next_round = {}
        for merged, target in pending.items():
            row = rows.get(target)
            if row is not None and row[-1] is not None:
                next_round[merged] = row[-1]
            elif row is not None:
                found[merged] = row
        pending = next_round if next_round != pending else {}
    return found


def search_members(session: Session, raw_query: str, limit: int, on: date) -> list[MemberRow]:
    """Members matching ``raw_query`` best first; an empty query matches nobody.

    Plain rows, not ORM objects: building objects cost more than the query. Each
    row carries the member's open credits (lots still valid ``on`` that day).
    """
    # Control characters can't be typed into a search bar, and a NUL cuts an
    # FTS5 phrase short ("unterminated string"): drop them before anything else.
    raw = "".join(ch for ch in raw_query if ch.isprintable() or ch.isspace()).strip()
    query = " ".join(raw.lower().split())
    if not query:
        return []
    digits = phone_digits(query) if _is_phone_query(query) else ""
    words = query.split()
    long_words = [w for w in words if len(w) >= _TRIGRAM]
    match = (
        ("phone : " + _fts_phrase(digits))
        if digits
        else " AND ".join(_fts_phrase(w) for w in long_words)
    )
    shape = _Shape(
        sqlite=session.get_bind().dialect.name == "sqlite",
        phone=bool(digits),
        tokens=len(words),
        fts=bool(match),
        filtered=not digits and len(long_words) < len(words),
        short_only=not digits and len(words) > 1 and not long_words,
    )
    params: dict[str, Any] = {
        "q": query,
        "q_upper": _next_prefix(query),
        "q_like": _escape_like(query) + "%",
        "raw": raw,
        "limit": max(1, min(limit, MAX_LIMIT)),
        "on": on,
        "match": match,
        "w0": words[0],
        "w0_upper": _next_prefix(words[0]),
    }
    for i, word in enumerate(words):
        params[f"t{i}"] = "%" + _escape_like(word) + "%"
    if digits:
        params.update(
            digits=digits,
            digits_upper=_next_prefix(digits),
            digits_like=_escape_like(digits) + "%",
            digits_anywhere="%" + _escape_like(digits) + "%",
        )
    statement = _statement(shape)
    # Core, not the ORM: these are plain columns, and the ORM's execution path
    # added per-call work for nothing.
    rows = [tuple(row) for row in session.connection().execute(statement, params)]
    # A record merged into another stands for the survivor: its old email finds them.
    survivors = _survivors(session, {row[0] for row in rows if row[-1] is not None}, on)
    shown: dict[int, MemberRow] = {}
    for row in rows:
        real = survivors.get(row[0], row) if row[-1] is not None else row
        shown.setdefault(real[0], MemberRow(*real[:-1]))
    return list(shown.values())
