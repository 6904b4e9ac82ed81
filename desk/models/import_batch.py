from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from desk.models.base import Base, UTCDateTime
from desk.models.enums import ImportKind, ImportStatus, sql_in


class ImportBatch(Base):
    """One imported file: what it brought in, so it can be shown and undone."""

    __tablename__ = "import_batches"
    __table_args__ = (
        CheckConstraint(sql_in("kind", ImportKind), name="kind"),
        CheckConstraint(sql_in("status", ImportStatus), name="status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    file_name: Mapped[str] = mapped_column(String(260))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
    rows_imported: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default=ImportStatus.IMPORTED.value)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_members.id"))
