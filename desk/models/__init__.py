"""Schema: typed SQLAlchemy models and the invariants the database can hold."""

from desk.models.account_entry import AccountEntry
from desk.models.appointment import Appointment
from desk.models.appointment_type import AppointmentType
from desk.models.audit_event import AuditEvent
from desk.models.base import Base
from desk.models.catalog import Plan, PlanCredit, SessionPackage
from desk.models.change_log import ChangeCounter, ChangeLogEntry
from desk.models.credit_entry import CreditEntry
from desk.models.credit_lot import CreditLot
from desk.models.credit_pool import CreditPool, PoolMember
from desk.models.enums import (
    AccountEntryKind,
    AppointmentStatus,
    EntryKind,
    ImportKind,
    ImportStatus,
    LotSource,
    MemberStatus,
    PaymentMethod,
    StaffRole,
    UnusedCredits,
    WaitlistStatus,
)
from desk.models.gym_setting import GymSetting
from desk.models.import_batch import ImportBatch
from desk.models.member import Member
from desk.models.member_hold import MemberHold, MemberHoldLot
from desk.models.report_cache import (
    ReportCacheDay,
    ReportCacheDirt,
    ReportCacheFill,
    ReportCacheValue,
)
from desk.models.staff_hours import StaffDeliveredType, StaffTimeException, StaffWeeklyHours
from desk.models.staff_member import StaffMember
from desk.models.staff_pay_rule import StaffPayRule
from desk.models.subscription import BillingPeriod, Subscription
from desk.models.waitlist_entry import WaitlistEntry

__all__ = [
    "AccountEntry",
    "AccountEntryKind",
    "Appointment",
    "AppointmentStatus",
    "AppointmentType",
    "AuditEvent",
    "Base",
    "BillingPeriod",
    "ChangeCounter",
    "ChangeLogEntry",
    "CreditEntry",
    "CreditLot",
    "CreditPool",
    "EntryKind",
    "GymSetting",
    "ImportBatch",
    "ImportKind",
    "ImportStatus",
    "LotSource",
    "Member",
    "MemberHold",
    "MemberHoldLot",
    "MemberStatus",
    "PaymentMethod",
    "Plan",
    "PlanCredit",
    "PoolMember",
    "ReportCacheDay",
    "ReportCacheDirt",
    "ReportCacheFill",
    "ReportCacheValue",
    "SessionPackage",
    "StaffDeliveredType",
    "StaffMember",
    "StaffPayRule",
    "StaffRole",
    "StaffTimeException",
    "StaffWeeklyHours",
    "Subscription",
    "UnusedCredits",
    "WaitlistEntry",
    "WaitlistStatus",
]
