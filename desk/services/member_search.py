"""Member search: any part of a name, email or phone, best matches first.

On SQLite the candidates come from the trigram FTS5 index (``member_search``),
so a keystroke never scans the members table; queries shorter than a trigram
use the expression indexes on lower(name) as prefix ranges. Other backends fall
back to LIKE (PostgreSQL gets its own trigram index in a later migration).
"""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    false,
    func,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from desk.models import Member, MemberStatus
from desk.services.validation import phone_digits

MAX_LIMIT = 500
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


def _rank(query: str, digits: str) -> ColumnElement[int]:
    """0 = exact field match, 1 = a field starts with the query, 2 = elsewhere."""
    first = func.lower(Member.first_name)
    last = func.lower(Member.last_name)
    email = func.lower(Member.email)
    prefix = _escape_like(query) + "%"
    exact = [first == query, last == query, _full_name() == query, email == query]
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
    haystack = _full_name() + " " + func.lower(func.coalesce(Member.email, ""))
    return and_(*[haystack.like("%" + _escape_like(t) + "%", escape="\\") for t in tokens])


def _sqlite_candidates(query: str, digits: str) -> Select[int]:
    if digits and _is_phone_query(query):
        match = "phone : " + _fts_phrase(digits)
        return (
            select(literal_column("rowid"))
            .select_from(text("member_search"))
            .where(text("member_search MATCH :match").bindparams(match=match))
        )
    tokens = query.split()
    long_tokens = [t for t in tokens if len(t) >= _TRIGRAM]
    if long_tokens:
        match = " AND ".join(_fts_phrase(t) for t in long_tokens)
        return (
            select(literal_column("rowid"))
            .select_from(text("member_search"))
            .where(text("member_search MATCH :match").bindparams(match=match))
        )
    # Every token is shorter than a trigram: prefix ranges on the expression indexes.
    prefix = tokens[0]
    upper = _next_prefix(prefix)
    ranges = [
        and_(func.lower(col) >= prefix, func.lower(col) < upper)
        for col in (Member.first_name, Member.last_name, Member.email)
    ]
    return select(Member.id).where(or_(*ranges))


def search_members(session: Session, raw_query: str, limit: int) -> list[Member]:
    """Members matching ``raw_query`` best first; an empty query matches nobody."""
    query = " ".join(raw_query.lower().split())
    if not query:
        return []
    limit = max(1, min(limit, MAX_LIMIT))
    digits = phone_digits(query) if _is_phone_query(query) else ""
    tokens = query.split()
    if session.get_bind().dialect.name == "sqlite":
        candidates = _sqlite_candidates(query, digits)
        condition: ColumnElement[bool] = Member.id.in_(candidates)
        short = [t for t in tokens if len(t) < _TRIGRAM]
        if not digits and short and len(tokens) > 1:
            # The index found the long tokens (or the first short one as a prefix);
            # the short ones must still appear somewhere in the name or email.
            condition = and_(condition, _contains_all(short))
    elif digits:
        condition = Member.phone_digits.like("%" + _escape_like(digits) + "%", escape="\\")
    elif tokens:
        condition = _contains_all(tokens)
    else:  # pragma: no cover - an empty query returned above
        condition = false()
    status_order = case((Member.status == MemberStatus.ACTIVE.value, 0), else_=1)
    statement = (
        select(Member)
        .where(condition)
        .order_by(
            _rank(query, digits),
            status_order,
            func.lower(Member.last_name),
            func.lower(Member.first_name),
            Member.id,
        )
        .limit(limit)
    )
    return list(session.scalars(statement))
