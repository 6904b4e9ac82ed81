"""All services over one database, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from desk.db import Database
from desk.services.calendar.appointment_types import AppointmentTypeService
from desk.services.calendar.booking import BookingService
from desk.services.calendar.unpaid import UnpaidService
from desk.services.core.change_feed import ChangeFeed
from desk.services.core.clock import Clock, SystemClock
from desk.services.core.settings import SettingsService
from desk.services.core.settings_values import stored_time_zone
from desk.services.credits.credit_undo import CreditUndoService
from desk.services.credits.credits import CreditService
from desk.services.credits.lot_changes import LotChangeService
from desk.services.credits.pools import PoolService
from desk.services.importing.service import ImportService
from desk.services.people.auth import AuthService
from desk.services.people.availability import AvailabilityService
from desk.services.people.holds import HoldService
from desk.services.people.members import MemberService
from desk.services.people.merging import MergeService
from desk.services.people.staff import StaffService
from desk.services.records.audit import AuditService
from desk.services.records.backup_service import BackupService
from desk.services.records.exports import ExportService
from desk.services.reports.service import ReportService
from desk.services.selling.account import AccountService
from desk.services.selling.catalog import CatalogService
from desk.services.selling.fees import FeeService
from desk.services.selling.sales import SalesService


@dataclass(frozen=True)
class Services:
    db: Database
    clock: Clock
    members: MemberService
    appointment_types: AppointmentTypeService
    staff: StaffService
    availability: AvailabilityService
    credits: CreditService
    booking: BookingService
    audit: AuditService
    imports: ImportService
    exports: ExportService
    catalog: CatalogService
    sales: SalesService
    account: AccountService
    auth: AuthService
    backups: BackupService
    settings: SettingsService
    changes: ChangeFeed
    reports: ReportService
    lot_changes: LotChangeService
    merges: MergeService
    unpaid: UnpaidService
    fees: FeeService
    holds: HoldService
    pools: PoolService
    credit_undo: CreditUndoService

    @classmethod
    def build(cls, db: Database, clock: Clock | None = None) -> Services:
        if clock is None:
            with db.read() as session:
                clock = SystemClock.for_gym(stored_time_zone(session))
        db.local_zone = clock.tz  # ledger rules that need the local date use the same zone
        return cls(
            db=db,
            clock=clock,
            members=MemberService(db, clock),
            appointment_types=AppointmentTypeService(db, clock),
            staff=StaffService(db, clock),
            availability=AvailabilityService(db, clock),
            credits=CreditService(db, clock),
            booking=BookingService(db, clock),
            audit=AuditService(db),
            imports=ImportService(db, clock),
            exports=ExportService(db, clock),
            catalog=CatalogService(db, clock),
            sales=SalesService(db, clock),
            account=AccountService(db, clock),
            auth=AuthService(db, clock),
            backups=BackupService(db),
            settings=SettingsService(db, clock),
            changes=ChangeFeed(db),
            reports=ReportService(db, clock),
            lot_changes=LotChangeService(db, clock),
            merges=MergeService(db, clock),
            unpaid=UnpaidService(db, clock),
            fees=FeeService(db, clock),
            holds=HoldService(db, clock),
            pools=PoolService(db, clock),
            credit_undo=CreditUndoService(db, clock),
        )
