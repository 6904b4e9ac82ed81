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
active before archived; then by last and first name. Other backends use LIKE
(PostgreSQL gets a trigram index of its own with the multi-desk work).
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal_column,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session

from desk.models import CreditLot, Member, MemberStatus
from desk.services.validation import phone_digits

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


def _rank(query: str, digits: str, raw: str) -> ColumnElement[int]:
    """0 = a field (or the external id) equals the query, 1 = a field starts with
    it, 2 = elsewhere."""
    first = func.lower(Member.first_name)
    last = func.lower(Member.last_name)
    email = func.lower(Member.email)
    prefix = _escape_like(query) + "%"
    exact = [
        first == query,
        last == query,
        _full_name() == query,
        email == query,
        Member.external_id == raw,
    ]
    starts = [
        first.like(prefix, escape="\\"),
        last.like(prefix, escape="\\"),
        _full_name().like(prefix, escape="\\"),
        email.like(prefix, escape="\\"),
    ]
    if digits:
        exact.append(Member.phone_digits == digits)
        starts.append(Member.phone_digits.like(_escape_like(digits) + "%", escape="\\"))
    return case((or_(*exact), 0), (or_(*starts), 1), else_=2)


def _contains_all(tokens: list[str]) -> ColumnElement[bool]:
    haystack = (
        _full_name()
        + " "
        + func.lower(func.coalesce(Member.email, ""))
        + " "
        + func.coalesce(Member.phone_digits, "")
    )
    return and_(*[haystack.like("%" + _escape_like(t) + "%", escape="\\") for t in tokens])


def _prefix_ids(prefix: str) -> Select[int]:
    """Members whose first name, last name or email starts with ``prefix``."""
    upper = _next_prefix(prefix)
    return select(Member.id).where(
        or_(
            *[
                and_(func.lower(column) >= prefix, func.lower(column) < upper)
                for column in (Member.first_name, Member.last_name, Member.email)
            ]
        )
    )


def _limited(statement: Select[int]) -> Select[int]:
    """``statement`` as a part of a UNION: SQLite allows LIMIT there only in a subquery."""
    inner = statement.subquery()
    return select(inner.c[0])


def _sqlite_candidates(query: str, digits: str, raw: str, limit: int) -> Select[int]:
    """One statement that yields every candidate id (index lookups only)."""
    # An id from the previous system is typed whole, exactly as it was exported.
    parts: list[Select[int]] = [select(Member.id).where(Member.external_id == raw)]
    if digits:
        parts.append(
            _limited(
                select(Member.id)
                .where(Member.phone_digits >= digits, Member.phone_digits < _next_prefix(digits))
                .order_by(Member.phone_digits)
                .limit(limit)
            )
        )
        match = "phone : " + _fts_phrase(digits)
        filtered = False
    else:
        upper = _next_prefix(query)
        for column in (Member.first_name, Member.last_name, Member.email):
            lowered = func.lower(column)
            parts.append(
                _limited(
                    select(Member.id)
                    .where(lowered >= query, lowered < upper)
                    .order_by(lowered)
                    .limit(limit)
                )
            )
        long_tokens = [t for t in query.split() if len(t) >= _TRIGRAM]
        match = " AND ".join(_fts_phrase(t) for t in long_tokens)
        # Short tokens ("ann s") filter the candidates afterwards, so a tight cap
        # could drop the very member they point at; the wider cap still bounds it.
        filtered = len(long_tokens) < len(query.split())
    if match:
        parts.append(
            _limited(
                select(literal_column("rowid").label("id"))
                .select_from(text("member_search"))
                .where(text("member_search MATCH :m").bindparams(m=match))
                .limit(FILTERED_CAP if filtered else SUBSTRING_CAP)
            )
        )
    return union_all(*parts)  # type: ignore[return-value]


def search_members(session: Session, raw_query: str, limit: int, on: date) -> list[MemberRow]:
    """Members matching ``raw_query`` best first; an empty query matches nobody.

    Plain rows, not ORM objects: building objects cost more than the query. Each
    row carries the member's open credits (lots still valid ``on`` that day),
    counted in the same statement.
    """
    # Control characters can't be typed into a search bar, and a NUL cuts an
    # FTS5 phrase short ("unterminated string"): drop them before anything else.
    raw = "".join(ch for ch in raw_query if ch.isprintable() or ch.isspace()).strip()
    query = " ".join(raw.lower().split())
    if not query:
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    digits = phone_digits(query) if _is_phone_query(query) else ""
    tokens = query.split()
    conditions: list[ColumnElement[bool]] = []
    if session.get_bind().dialect.name == "sqlite":
        # Gathering the candidates inside the ranking statement keeps a keystroke to
        # one round trip: no id list travels to Python and back as parameters.
        candidates = _sqlite_candidates(query, digits, raw, limit)
        found: ColumnElement[bool] = Member.id.in_(candidates)
        if not digits and len(tokens) > 1 and all(len(t) < _TRIGRAM for t in tokens):
            # "jo sm": no token is long enough for the trigram index, so the first
            # token's prefix ranges (an index search) give the candidates, uncapped
            # because the other tokens filter them below.
            found = or_(found, Member.id.in_(_prefix_ids(tokens[0])))
        conditions.append(found)
        if not digits and len(tokens) > 1:
            # The trigram index matched the long tokens; every token must still
            # appear somewhere (short ones can't be looked up by trigram).
            conditions.append(_contains_all(tokens))
    elif digits:
        conditions.append(Member.phone_digits.like("%" + _escape_like(digits) + "%", escape="\\"))
    else:
        conditions.append(or_(_contains_all(tokens), Member.external_id == raw))
    status_order = case((Member.status == MemberStatus.ACTIVE.value, 0), else_=1)
    statement = (
        select(
            Member.id,
            Member.first_name,
            Member.last_name,
            Member.email,
            Member.phone,
            Member.status,
            select(func.coalesce(func.sum(CreditLot.remaining), 0))
            .where(
                CreditLot.member_id == Member.id,
                (CreditLot.expires_on.is_(None)) | (CreditLot.expires_on >= on),
            )
            .scalar_subquery(),
        )
        .where(*conditions)
        .order_by(
            _rank(query, digits, raw),
            status_order,
            func.lower(Member.last_name),
            func.lower(Member.first_name),
            Member.id,
        )
        .limit(limit)
    )
    return [MemberRow(*row) for row in session.execute(statement)]
