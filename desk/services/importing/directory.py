"""Finding the member a row means: external id, then email, then exact full name."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.models import Member


def text_key(text: str) -> str:
    """How names are compared: Unicode-normalised (a Mac's "Zoë" is two code points),
    case and runs of spaces ignored."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def name_key(first: str, last: str) -> str:
    return text_key(f"{first} {last}")


@dataclass
class MemberDirectory:
    """All members, indexed the three ways an import row can point at one.

    Loaded once per import (about 0.3 s at 100,000 members) so that matching
    100,000 rows doesn't run 300,000 queries.
    """

    by_external_id: dict[str, int] = field(default_factory=dict)
    by_email: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_name: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    names_with_phone: set[tuple[str, str]] = field(default_factory=set)
    """(name key, phone digits) of every member with a phone."""

    def indexes(self) -> tuple[dict[str, int], dict[str, list[int]], dict[str, list[int]],
                               set[tuple[str, str]]]:  # fmt: skip
        """The four lookups, for emptying a slice at a time (core.memory.let_go)."""
        return self.by_external_id, self.by_email, self.by_name, self.names_with_phone

    @classmethod
    def load(cls, session: Session) -> MemberDirectory:
        directory = cls()
        rows = session.execute(
            select(
                Member.id,
                Member.external_id,
                Member.email,
                Member.first_name,
                Member.last_name,
                Member.phone_digits,
            )
        )
        for member_id, external_id, email, first, last, digits in rows:
            directory.add(member_id, external_id, email, first, last, digits)
        return directory

    def add(
        self,
        member_id: int,
        external_id: str | None,
        email: str | None,
        first: str,
        last: str,
        phone_digits: str | None = None,
    ) -> None:
        if external_id:
            self.by_external_id[external_id] = member_id
        if email:
            self.by_email[email.casefold()].append(member_id)
        key = name_key(first, last)
        self.by_name[key].append(member_id)
        if phone_digits:
            self.names_with_phone.add((key, phone_digits))
