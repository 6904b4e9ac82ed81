"""An appointment type's fees: a late-cancel fee, a no-show fee (cents, 0: none) and
whether a fee replaces forfeiting the credit. The rule that charges them is
``desk/services/selling/fees.py``."""

from __future__ import annotations

from dataclasses import dataclass

from desk.db import Database
from desk.models import AppointmentType
from desk.services.calendar.type_rules import _load  # the type's row, locked for a change
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.errors import ValidationError
from desk.services.core.ids import AppointmentTypeId
from desk.services.core.money import MAX_CENTS
from desk.services.core.permissions import Permission, authorized
from desk.services.core.retry import retry_transient
from desk.services.records import audit


@dataclass(frozen=True, slots=True)
class TypeFees:
    appointment_type_id: int
    late_cancel_fee_cents: int
    no_show_fee_cents: int
    replaces_forfeit: bool
    """With a fee, the credit goes back to its lot instead of being forfeited."""
    currency: str = "USD"


def fees_view(row: AppointmentType) -> TypeFees:
    return TypeFees(
        row.id,
        row.late_cancel_fee_cents,
        row.no_show_fee_cents,
        bool(row.fee_replaces_forfeit),
        row.currency,
    )


class TypeFeeRules:
    """The fee side of AppointmentTypeService (which mixes this in)."""

    _db: Database
    _clock: Clock

    @retry_transient
    def set_fees(
        self,
        type_id: AppointmentTypeId,
        *,
        late_cancel_fee_cents: int = 0,
        no_show_fee_cents: int = 0,
        replaces_forfeit: bool = False,
        actor: Actor,
    ) -> Outcome[TypeFees]:
        """Set the fee a late cancel and a no-show of this type charge to the member's
        account (cents, 0: none) and whether a fee replaces forfeiting the credit (then
        the credit goes back to its lot). Applies to status changes from now on.
        Raises ValidationError for a negative or too large fee, NotFound for an
        unknown type."""
        values = {
            "late_cancel_fee_cents": late_cancel_fee_cents,
            "no_show_fee_cents": no_show_fee_cents,
        }
        for field, value in values.items():
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_CENTS:
                what = field.removesuffix("_cents").replace("_", " ").replace("cancel ", "cancel-")
                raise ValidationError(field, f"The {what} must be $0.00 or more.")
        with authorized(self._db, actor, Permission.SETTINGS) as session:
            row = _load(session, type_id, lock=True)
            before = {**{f: getattr(row, f) for f in values},
                      "fee_replaces_forfeit": bool(row.fee_replaces_forfeit)}  # fmt: skip
            for field, value in values.items():
                setattr(row, field, value)
            row.fee_replaces_forfeit = bool(replaces_forfeit)
            audit.record_update(
                session,
                at=self._clock.now(),
                actor=actor,
                action="appointment_type.fees",
                entity="appointment_type",
                entity_id=row.id,
                before=before,
                after={**values, "fee_replaces_forfeit": bool(replaces_forfeit)},
            )
            view = fees_view(row)
        return Outcome(view, Changes.of(catalog=True))

    def fees(self, type_id: AppointmentTypeId) -> TypeFees:
        """A type's late-cancel and no-show fees. Raises NotFound."""
        with self._db.read() as session:
            return fees_view(_load(session, type_id))
