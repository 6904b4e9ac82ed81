"""Staff members as a table: name, role, active, takes bookings, sign-in."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt

from desk.services.core.read_models import StaffRole, StaffView
from desk.ui.settings.record_table_model import RecordProxyModel, RecordTableModel
from desk.ui.widgets.formatting import label


def role_label(role: StaffRole) -> str:
    """StaffRole.FRONT_DESK -> "Front desk"."""
    return label(role.value)


class StaffTableModel(RecordTableModel[StaffView]):
    """Every staff member the dialog knows, inactive ones included (a proxy hides them)."""

    COL_NAME = 0
    COL_ROLE = 1
    COL_ACTIVE = 2
    COL_BOOKINGS = 3
    COL_SIGN_IN = 4
    HEADERS = ("Name", "Role", "Active", "Takes bookings", "Sign-in")
    INACTIVE_TIP = "{name} is no longer on the calendar."
    NO_LOGIN = "no login"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.logins: dict[int, str] = {}
        """Staff id -> username, for those who can sign in (StaffService.sign_in_names)."""

    def _text(self, row: StaffView, column: int) -> str | None:
        if column == self.COL_SIGN_IN:
            return self.logins.get(row.id, self.NO_LOGIN)
        if column == self.COL_BOOKINGS:
            return "Yes" if row.takes_bookings else "No"
        return role_label(row.role) if column == self.COL_ROLE else None

    def _sort_value(self, row: StaffView, column: int) -> str | int | None:
        """Roles sort by the label the table shows, not by their stored value."""
        if column == self.COL_BOOKINGS:
            return 0 if row.takes_bookings else 1
        return role_label(row.role).casefold() if column == self.COL_ROLE else None

    def _alignment(self, column: int) -> Qt.AlignmentFlag:
        if column == self.COL_BOOKINGS:
            return Qt.AlignmentFlag.AlignCenter
        return super()._alignment(column)


class StaffProxyModel(RecordProxyModel):
    """Sorts by ``SortRole`` and hides inactive staff unless asked to show them."""
