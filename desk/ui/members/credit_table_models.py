"""Table models of the Appointment Credits area: balances, lots, history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, tzinfo
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from desk.services.core.read_models import (
    AppointmentView,
    BalanceRow,
    HistoryKind,
    HistoryRow,
    LotView,
)
from desk.services.credits.first_use import first_use_words
from desk.services.selling.sales_views import AccountEntryView
from desk.ui.calendar.unpaid_words import with_unpaid
from desk.ui.members.fee_waive import fee_note
from desk.ui.widgets.formatting import format_date, format_datetime, format_money, label

# Sort keys are ISO strings of UTC moments: they order correctly as text, and
# Qt compares strings reliably where Python datetimes would need conversion.
from desk.ui.widgets.table_model import Column, RowRole, RowTableModel

BAL_TYPE, BAL_OPEN, BAL_BOOKED, BAL_USED, BAL_EXPIRED = range(5)
(LOT_TYPE, LOT_SOURCE, LOT_GRANTED, LOT_REMAINING, LOT_PRICE, LOT_BOUGHT, LOT_EXPIRES,
 LOT_NOTE) = range(8)  # fmt: skip
(HIST_DATE, HIST_KIND, HIST_TYPE, HIST_APPOINTMENT, HIST_STAFF, HIST_EFFECT, HIST_BY,
 HIST_DETAIL) = range(8)  # fmt: skip


def unused_first_use(lot: LotView) -> str:
    """ "Valid 30 days from first use" for a lot no session has used yet, else ""."""
    if lot.expires_on is None and lot.first_use_days is not None:
        return first_use_words(lot.first_use_days).capitalize()
    return ""


def _count(get: Callable[[BalanceRow], int], title: str) -> Column[BalanceRow]:
    return Column[BalanceRow](title, lambda b: str(get(b)), get, numeric=True)


class BalanceModel(RowTableModel[BalanceRow]):
    columns = (
        Column[BalanceRow]("Appointment type", lambda b: b.appointment_type),
        _count(lambda b: b.open, "Open"),
        _count(lambda b: b.booked, "Booked"),
        _count(lambda b: b.used, "Used"),
        _count(lambda b: b.expired, "Expired"),
    )


EXPIRING_DAYS = 14  # open credits this close to expiring are marked in bold words


class LotModel(RowTableModel[LotView]):
    def __init__(
        self,
        tz: tzinfo,
        parent: QObject | None = None,
        today: Callable[[], date] | None = None,
    ) -> None:
        super().__init__(parent)
        self._today = today
        self.columns = (
            Column[LotView]("Type", lambda lot: lot.appointment_type),
            Column[LotView]("Source", lambda lot: label(lot.source.value)),
            Column[LotView](
                "Granted", lambda lot: str(lot.quantity), lambda lot: lot.quantity, numeric=True
            ),
            Column[LotView](
                "Remaining", lambda lot: str(lot.remaining), lambda lot: lot.remaining, numeric=True
            ),
            Column[LotView](
                "Price",
                lambda lot: format_money(lot.price_cents, lot.currency),
                lambda lot: lot.price_cents,
                numeric=True,
            ),
            Column[LotView](
                "Bought on",
                lambda lot: format_date(lot.created_at.astimezone(tz).date()),
                lambda lot: lot.created_at.isoformat(),
            ),
            Column[LotView](
                "Expires on",
                lambda lot: (
                    format_date(lot.expires_on, unused_first_use(lot) or "Never")
                    + (" (expired)" if lot.is_expired else self._expiring_text(lot))
                ),
                # Never-expiring lots sort after every date.
                lambda lot: lot.expires_on.isoformat() if lot.expires_on else "9999-12-31",
            ),
            Column[LotView]("Note", lambda lot: lot.note, tooltip=True),
        )

    def is_dimmed(self, row: LotView) -> bool:
        return row.is_expired or row.is_used_up

    def days_left(self, lot: LotView) -> int | None:
        """Days until open credits of ``lot`` expire, when that is within EXPIRING_DAYS."""
        if self._today is None or lot.expires_on is None or lot.is_expired or lot.is_used_up:
            return None
        days = (lot.expires_on - self._today()).days
        return days if 0 <= days <= EXPIRING_DAYS else None

    def _expiring_text(self, lot: LotView) -> str:
        days = self.days_left(lot)
        if days is None:
            return ""
        return " — expires today" if days == 0 else f" — expires in {days} day{'s' * (days != 1)}"

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if (
            int(role) == int(Qt.ItemDataRole.FontRole)
            and index.isValid()
            and index.column() == LOT_EXPIRES
            and self.days_left(self.row_at(index.row())) is not None
        ):
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)


def _effect(value: int) -> str:
    return f"{value:+d}" if value else "0"


class HistoryModel(RowTableModel[HistoryRow]):
    def __init__(self, tz: tzinfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column[HistoryRow](
                "Date", lambda h: format_datetime(h.at, tz), lambda h: h.at.isoformat()
            ),
            Column[HistoryRow]("What", lambda h: h.kind.label),
            Column[HistoryRow]("Type", lambda h: h.appointment_type),
            Column[HistoryRow](
                "Appointment",
                lambda h: format_datetime(h.appointment_at, tz) if h.appointment_at else "",
                lambda h: h.appointment_at.isoformat() if h.appointment_at else "",
            ),
            Column[HistoryRow]("Staff", lambda h: h.staff or ""),
            Column[HistoryRow](
                "Credits",
                lambda h: _effect(h.credit_effect),
                lambda h: h.credit_effect,
                numeric=True,
            ),
            Column[HistoryRow]("By", lambda h: h.by or "—"),
            Column[HistoryRow]("Detail", lambda h: h.detail, tooltip=True),
        )


class UpcomingModel(RowTableModel[AppointmentView]):
    def __init__(self, tz: tzinfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column[AppointmentView](
                "When",
                lambda a: format_datetime(a.starts_at, tz),
                lambda a: a.starts_at.isoformat(),
            ),
            Column[AppointmentView]("Type", lambda a: with_unpaid(a.appointment_type, a.unpaid)),
            Column[AppointmentView]("With", lambda a: a.staff_name),
            Column[AppointmentView]("Notes", lambda a: a.notes, tooltip=True),
        )


class AccountModel(RowTableModel[AccountEntryView]):
    def __init__(self, tz: tzinfo, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = (
            Column[AccountEntryView](
                "Date", lambda e: format_datetime(e.at, tz), lambda e: e.at.isoformat()
            ),
            Column[AccountEntryView]("What", lambda e: label(e.kind)),
            Column[AccountEntryView](
                "Amount",
                lambda e: format_money(e.amount_cents, e.currency),
                lambda e: e.amount_cents,
                numeric=True,
            ),
            Column[AccountEntryView]("By", lambda e: e.by or "—"),
            Column[AccountEntryView]("Note", lambda e: fee_note(e, tz), tooltip=True),
        )


class HistoryFilter(QSortFilterProxyModel):
    """Shows one kind of history row, or all of them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kind: HistoryKind | None = None

    def set_kind(self, kind: HistoryKind | None) -> None:
        self.beginFilterChange()
        self._kind = kind
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if self._kind is None:
            return True
        row: Any = self.sourceModel().index(source_row, 0, source_parent).data(RowRole)
        return isinstance(row, HistoryRow) and row.kind == self._kind
