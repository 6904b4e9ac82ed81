"""The order a member's lots will pay in, per appointment type (issue 18, item 1).

The profile says it in words ("Next session uses: 3 left of 10 PT, expires ...")
and the booking dialog offers the lots in this order, the first one the default.
The order is ``paying_lot.paying_order``, the rule ``choose_lot`` follows: no copy
of it here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from desk.db import Database
from desk.models import AppointmentType, CreditLot
from desk.services.core.clock import Clock, today
from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.services.credits.paying_lot import can_pay_on, paying_order, usable_choices
from desk.services.credits.pool_lots import payable_by
from desk.services.people.members import load_member


@dataclass(frozen=True)
class PayingLotView:
    """One lot in a member's paying order."""

    lot_id: int
    appointment_type_id: int
    appointment_type: str
    remaining: int
    expires_on: date | None
    first_use_days: int | None
    note: str
    """What the lot is (the package's name, a note); may be empty."""
    shared: bool = False
    """A lot of the member's shared pool (it pays after their own)."""

    @property
    def waits_for_first_use(self) -> bool:
        return self.expires_on is None and self.first_use_days is not None


class PayingOrderReads:
    """Mixed into CreditService."""

    _db: Database
    _clock: Clock

    def paying_order(
        self, member_id: MemberId, appointment_type_id: AppointmentTypeId | None = None
    ) -> list[PayingLotView]:
        """The member's lots that can pay today, type by type (by name), each type's
        in the order they will pay: the first is the one a booking takes unless
        staff pick another. Only ``appointment_type_id``'s when given. Raises
        NotFound for an unknown member."""
        on = today(self._clock)
        kinds = (
            select(AppointmentType.id, AppointmentType.name)
            .join(CreditLot, CreditLot.appointment_type_id == AppointmentType.id)
            .where(payable_by(member_id), can_pay_on(on))  # their own and their pool's
            .distinct()
            .order_by(AppointmentType.name)
        )
        if appointment_type_id is not None:
            kinds = kinds.where(AppointmentType.id == appointment_type_id)
        order: list[PayingLotView] = []
        with self._db.read() as session:
            load_member(session, member_id)
            for type_id, type_name in session.execute(kinds).all():
                lots = paying_order(usable_choices(session, member_id, type_id, on), on)
                notes = dict(
                    session.execute(
                        select(CreditLot.id, CreditLot.note).where(
                            CreditLot.id.in_([lot.id for lot in lots])
                        )
                    ).all()
                )
                order += [
                    PayingLotView(
                        lot.id,
                        type_id,
                        type_name,
                        lot.remaining,
                        lot.expires_on,
                        lot.first_use_days,
                        notes.get(lot.id, ""),
                        shared=lot.pool_id is not None,
                    )
                    for lot in lots
                ]
        return order
