"""Rows of a member search: name, email, phone, status, open credits."""

from __future__ import annotations

from desk.services.core.read_models import MemberMatch, MemberStatus
from desk.ui.widgets.formatting import label
from desk.ui.widgets.table_model import Column, RowTableModel

COL_NAME, COL_EMAIL, COL_PHONE, COL_STATUS, COL_OPEN = range(5)


class MemberResultsModel(RowTableModel[MemberMatch]):
    columns = (
        Column[MemberMatch]("Name", lambda m: m.full_name),
        Column[MemberMatch]("Email", lambda m: m.email or ""),
        Column[MemberMatch]("Phone", lambda m: m.phone or ""),
        Column[MemberMatch]("Status", lambda m: label(m.status.value)),
        Column[MemberMatch](
            "Open credits", lambda m: str(m.open_credits), lambda m: m.open_credits, numeric=True
        ),
    )

    def is_dimmed(self, row: MemberMatch) -> bool:
        return row.status == MemberStatus.ARCHIVED
