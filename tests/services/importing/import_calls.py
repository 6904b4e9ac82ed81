"""Running an import in a test (checking the ledger after each) and reading what it wrote."""

from __future__ import annotations

from sqlalchemy import select

from desk.db import Database
from desk.models import CreditLot
from desk.services.container import Services
from desk.services.core.ids import MemberId
from desk.services.importing.report import ImportOptions, ImportReport, Severity
from tests.actors import SYSTEM
from tests.services.importing.import_gym import DATA


def import_credits(services: Services, source: str | bytes, **options: object) -> ImportReport:
    data = DATA / source if isinstance(source, str) else source
    report = services.imports.import_credits(data, ImportOptions(**options), actor=SYSTEM).value
    assert services.credits.verify_ledger() == []
    return report


def import_members(services: Services, source: str | bytes, **options: object) -> ImportReport:
    data = DATA / source if isinstance(source, str) else source
    report = services.imports.import_members(data, ImportOptions(**options), actor=SYSTEM).value
    assert services.credits.verify_ledger() == []
    return report


def where(report: ImportReport) -> list[tuple[int, str, str, Severity]]:
    return [(p.row, p.column, p.value, p.severity) for p in report.problems]


def lots_of(services: Services, member_id: int) -> list:
    return services.credits.lots(MemberId(member_id), include_expired=True)


def batch_of_lots(database: Database) -> set[str | None]:
    with database.read() as session:
        return set(session.scalars(select(CreditLot.import_batch)))


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()
