"""The catalog: session packages (punch cards) and plans with included credits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desk.db import Database, lock_for_transaction
from desk.models import AppointmentType, Plan, PlanCredit, SessionPackage, UnusedCredits
from desk.services.calendar.appointment_types import load_type
from desk.services.core.actor import Actor
from desk.services.core.changes import Changes, Outcome
from desk.services.core.clock import Clock
from desk.services.core.errors import NotFound, ValidationError
from desk.services.core.money import MAX_CENTS
from desk.services.core.permissions import Permission, authorized
from desk.services.core.retry import retry_transient
from desk.services.core.validation import clean_text
from desk.services.records import audit
from desk.services.selling.sales_views import PackageView, PlanCreditView, PlanView

PERIODS = ("week", "month", "year", "once")
UNUSED = tuple(UnusedCredits)


def _whole(value: object, field: str, low: int, high: int, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(field, f"The {label} must be a whole number from {low} to {high:,}.")
    return value


def _name(value: str) -> str:
    text = clean_text(value, "name")
    if not text:
        raise ValidationError("name", "Give it a name.")
    return text


def _unique(session: Session, model: type[Any], name: str, current: int | None) -> None:
    # Case-insensitive rule, case-sensitive index: serialise the check and the
    # write so that "10 PT" and "10 pt" saved at once can't both pass (PostgreSQL).
    lock_for_transaction(session, f"desk.names.{model.__tablename__}")
    wanted = name.casefold()
    for row_id, row_name in session.execute(select(model.id, model.name)):
        if row_name.casefold() == wanted and row_id != current:
            raise ValidationError("name", f"{row_name!r} already exists.")


def check_first_use(first_use_days: int | None, validity_days: int | None) -> None:
    """A validity from first use: 1..3650 days, and not with a validity from the sale."""
    if first_use_days is None:
        return
    _whole(first_use_days, "first_use_days", 1, 3650, "validity from first use in days")
    if validity_days is not None:
        raise ValidationError(
            "first_use_days",
            "A package is valid either for a time from the sale or from first use, not both.",
        )


def package_view(session: Session, row: SessionPackage) -> PackageView:
    kind = load_type(session, row.appointment_type_id)
    return PackageView(
        row.id,
        row.name,
        kind.id,
        kind.name,
        row.credits,
        row.price_cents,
        row.currency,
        row.validity_days,
        row.active,
        row.first_use_days,
    )


def plan_view(session: Session, row: Plan) -> PlanView:
    credits = tuple(
        PlanCreditView(type_id, type_name, n)
        for type_id, type_name, n in session.execute(
            select(AppointmentType.id, AppointmentType.name, PlanCredit.credits_per_period)
            .join(PlanCredit, PlanCredit.appointment_type_id == AppointmentType.id)
            .where(PlanCredit.plan_id == row.id)
            .order_by(AppointmentType.name)
        )
    )
    return PlanView(
        row.id,
        row.name,
        row.period,
        row.billing_day,
        row.term_days,
        row.price_cents,
        row.currency,
        row.unused,
        row.rollover_cap,
        row.active,
        credits,
    )


class CatalogService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # --- packages ---------------------------------------------------------------------------

    @retry_transient
    def save_package(
        self,
        *,
        package_id: int | None = None,
        name: str,
        appointment_type_id: int,
        credits: int,
        price_cents: int,
        validity_days: int | None,
        active: bool = True,
        first_use_days: int | None = None,
        actor: Actor,
    ) -> Outcome[PackageView]:
        """Create (no ``package_id``) or change a session package.

        A package is valid ``validity_days`` from the sale or ``first_use_days``
        from the first session a credit of it pays for (or never expires); lots
        already sold keep the terms they were sold with. Raises ValidationError
        (with the field) for an empty or duplicate name, credits outside 1..1000,
        a negative price, a validity outside 1..3650 days or both kinds of
        validity at once; NotFound for an unknown package or type.
        """
        clean = _name(name)
        _whole(credits, "credits", 1, 1000, "number of credits")
        _whole(price_cents, "price", 0, MAX_CENTS, "price in cents")
        if validity_days is not None:
            _whole(validity_days, "validity_days", 1, 3650, "validity in days")
        check_first_use(first_use_days, validity_days)
        now = self._clock.now()
        with authorized(self._db, actor, Permission.SETTINGS) as session:
            load_type(session, appointment_type_id)
            _unique(session, SessionPackage, clean, package_id)
            if package_id is None:
                row = SessionPackage()
                session.add(row)
            else:
                found = session.get(SessionPackage, package_id)
                if found is None:
                    raise NotFound(f"There is no package #{package_id}.")
                row = found
            row.name, row.appointment_type_id, row.credits = clean, appointment_type_id, credits
            row.price_cents, row.validity_days, row.active = price_cents, validity_days, active
            row.first_use_days = first_use_days
            session.flush()
            view = package_view(session, row)
            audit.record(
                session,
                at=now,
                actor=actor,
                action="catalog.package",
                entity="package",
                entity_id=row.id,
                after={
                    "name": clean,
                    "credits": credits,
                    "price_cents": price_cents,
                    "active": active,
                    "first_use_days": first_use_days,
                },
            )
        return Outcome(view, Changes.of(catalog=True))

    def packages(self, *, include_inactive: bool = False) -> list[PackageView]:
        """Packages by name; inactive ones only when asked."""
        query = select(SessionPackage).order_by(SessionPackage.name)
        if not include_inactive:
            query = query.where(SessionPackage.active.is_(True))
        with self._db.read() as session:
            return [package_view(session, row) for row in session.scalars(query)]

    # --- plans ------------------------------------------------------------------------------

    @retry_transient
    def save_plan(
        self,
        *,
        plan_id: int | None = None,
        name: str,
        period: str,
        price_cents: int,
        credits: Sequence[tuple[int, int]],
        billing_day: int | None = None,
        term_days: int | None = None,
        unused: str = UnusedCredits.EXPIRE,
        rollover_cap: int | None = None,
        active: bool = True,
        actor: Actor,
    ) -> Outcome[PlanView]:
        """Create or change a plan. ``credits`` = (appointment type id, credits per period).

        ``period`` is week, month or year for recurring plans, or once for one
        payment covering ``term_days``. Monthly plans bill on ``billing_day``
        (1-31, clamped to short months). Unused credits at period end expire, or
        roll over up to ``rollover_cap``. Raises ValidationError (with the field),
        NotFound for an unknown plan or type.
        """
        clean = _name(name)
        if period not in PERIODS:
            raise ValidationError("period", "Choose weekly, monthly, yearly or a one-off term.")
        _whole(price_cents, "price", 0, MAX_CENTS, "price in cents")
        if period == "once":
            term_days = _whole(term_days, "term_days", 1, 3650, "term in days")
            billing_day = None
        else:
            term_days = None
            if period == "month":
                billing_day = _whole(billing_day, "billing_day", 1, 31, "billing day")
            else:
                billing_day = None
        if unused not in UNUSED:
            raise ValidationError("unused", "Unused credits either expire or roll over.")
        if unused == UnusedCredits.ROLL_OVER:
            if rollover_cap is not None:
                _whole(rollover_cap, "rollover_cap", 0, 1000, "roll-over cap")
        else:
            rollover_cap = None
        if not credits:
            raise ValidationError("credits", "A plan includes credits of at least one type.")
        type_ids = [type_id for type_id, _n in credits]
        if len(set(type_ids)) != len(type_ids):
            raise ValidationError("credits", "Each appointment type appears once in a plan.")
        for _type_id, n in credits:
            _whole(n, "credits", 1, 1000, "number of credits per period")
        now = self._clock.now()
        with authorized(self._db, actor, Permission.SETTINGS) as session:
            for type_id in type_ids:
                load_type(session, type_id)
            _unique(session, Plan, clean, plan_id)
            if plan_id is None:
                row = Plan()
                session.add(row)
            else:
                found = session.get(Plan, plan_id)
                if found is None:
                    raise NotFound(f"There is no plan #{plan_id}.")
                row = found
            row.name, row.period, row.price_cents = clean, period, price_cents
            row.billing_day, row.term_days = billing_day, term_days
            row.unused, row.rollover_cap = UnusedCredits(unused).value, rollover_cap
            row.active = active
            session.flush()
            session.execute(delete(PlanCredit).where(PlanCredit.plan_id == row.id))
            for type_id, n in credits:
                session.add(
                    PlanCredit(plan_id=row.id, appointment_type_id=type_id, credits_per_period=n)
                )
            session.flush()
            view = plan_view(session, row)
            audit.record(
                session,
                at=now,
                actor=actor,
                action="catalog.plan",
                entity="plan",
                entity_id=row.id,
                after={
                    "name": clean,
                    "period": period,
                    "price_cents": price_cents,
                    "credits": [list(c) for c in credits],
                    "unused": unused,
                    "rollover_cap": rollover_cap,
                    "active": active,
                },
            )
        return Outcome(view, Changes.of(catalog=True))

    def plans(self, *, include_inactive: bool = False) -> list[PlanView]:
        """Plans by name; inactive ones only when asked."""
        query = select(Plan).order_by(Plan.name)
        if not include_inactive:
            query = query.where(Plan.active.is_(True))
        with self._db.read() as session:
            return [plan_view(session, row) for row in session.scalars(query)]
