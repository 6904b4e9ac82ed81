"""All services over one database, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from desk.db import Database
from desk.services.account import AccountService
from desk.services.appointment_types import AppointmentTypeService
from desk.services.audit import AuditService
from desk.services.auth import AuthService
from desk.services.booking import BookingService
from desk.services.catalog import CatalogService
from desk.services.clock import Clock, SystemClock
from desk.services.credits import CreditService
from desk.services.exports import ExportService
from desk.services.imports import ImportService
from desk.services.members import MemberService
from desk.services.sales import SalesService
from desk.services.staff import StaffService


@dataclass(frozen=True)
class Services:
    db: Database
    clock: Clock
    members: MemberService
    appointment_types: AppointmentTypeService
    staff: StaffService
    credits: CreditService
    booking: BookingService
    audit: AuditService
    imports: ImportService
    exports: ExportService
    catalog: CatalogService
    sales: SalesService
    account: AccountService
    auth: AuthService

    @classmethod
    def build(cls, db: Database, clock: Clock | None = None) -> Services:
        clock = clock or SystemClock()
        return cls(
            db=db,
            clock=clock,
            members=MemberService(db, clock),
            appointment_types=AppointmentTypeService(db, clock),
            staff=StaffService(db, clock),
            credits=CreditService(db, clock),
            booking=BookingService(db, clock),
            audit=AuditService(db),
            imports=ImportService(db, clock),
            exports=ExportService(db, clock),
            catalog=CatalogService(db, clock),
            sales=SalesService(db, clock),
            account=AccountService(db, clock),
            auth=AuthService(db, clock),
        )
