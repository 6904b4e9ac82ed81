"""What a mutation changed, so each screen can decide whether to refresh."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Changes:
    """Ids touched by one service call (STYLE.md: Anki's OpChanges)."""

    members: frozenset[int] = field(default_factory=frozenset)
    """Members whose own record (name, contact, status) changed."""
    credits: frozenset[int] = field(default_factory=frozenset)
    """Members whose credit lots or ledger changed."""
    appointments: frozenset[int] = field(default_factory=frozenset)
    catalog: bool = False
    """Appointment types or staff changed."""
    bookings: frozenset[int] = field(default_factory=frozenset)
    """Members whose appointments were booked, moved or changed status."""
    everything: bool = False
    """Anything may have changed (another desk's import, a restore, or more changes
    than the change log still holds): every screen reloads."""

    @classmethod
    def of(
        cls,
        *,
        members: Iterable[int] = (),
        credits: Iterable[int] = (),
        appointments: Iterable[int] = (),
        catalog: bool = False,
        bookings: Iterable[int] = (),
        everything: bool = False,
    ) -> Changes:
        return cls(
            frozenset(members),
            frozenset(credits),
            frozenset(appointments),
            catalog,
            frozenset(bookings),
            everything,
        )

    def merge(self, other: Changes) -> Changes:
        return Changes(
            self.members | other.members,
            self.credits | other.credits,
            self.appointments | other.appointments,
            self.catalog or other.catalog,
            self.bookings | other.bookings,
            self.everything or other.everything,
        )

    def touches_member(self, member_id: int) -> bool:
        if self.everything:
            return True
        return member_id in self.members or member_id in self.credits or member_id in self.bookings

    @property
    def empty(self) -> bool:
        return not (
            self.members
            or self.credits
            or self.appointments
            or self.catalog
            or self.bookings
            or self.everything
        )


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """A mutation's result together with what it changed."""

    value: T
    changes: Changes
