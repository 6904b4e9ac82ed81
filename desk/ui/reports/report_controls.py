"""The Reports page's bar: which report, its period or day, and its filters.

Each report shows only the fields it takes (``REPORTS``): a period (From, To),
an "as of" day, days ahead, a grouping, and the filters every report shares
(type, coach, plan, package, member status; ``filters.ReportFilter``). Dates
are DateFields, typed in the desk's locale. ``request()`` is what is chosen;
``changed`` fires whenever that changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from desk.services.reports.filters import FILTER_OPTIONS, MEMBER_STATUSES, ReportFilter
from desk.services.reports.service import REPORT_TITLES, REPORTS, default_first
from desk.ui.reports.report_pdf import report_title
from desk.ui.shell.context import DeskContext
from desk.ui.widgets.date_field import DateField

Choices = list[tuple[str, int]]


@dataclass(frozen=True, slots=True)
class ReportRequest:
    name: str
    first: date
    last: date
    as_of: date
    days: int
    by: str
    filters: ReportFilter
    filter_words: str
    """What the filters narrow it to, in words ("" for everything)."""

    @property
    def title(self) -> str:
        return report_title(
            self.name, first=self.first, last=self.last, as_of=self.as_of, days=self.days
        )


def _combo(parent: QWidget, name: str, accessible: str, everything: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    combo.addItem(everything, None)
    return combo


class ReportControls(QWidget):
    changed = Signal()

    def __init__(self, ctx: DeskContext, on: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportControls")
        self._ctx = ctx
        self.choice = QComboBox(self)
        self.choice.setObjectName("reportChoice")
        self.choice.setAccessibleName("Report")
        self.first = DateField("fromDate", "From", default_first(on), self)
        self.last = DateField("toDate", "To", on, self)
        self.as_of = DateField("asOfDate", "As of", on, self)
        self.days = QSpinBox(self)
        self.days.setObjectName("daysField")
        self.days.setAccessibleName("Days ahead")
        self.days.setRange(0, 366)
        self.days.setValue(30)
        self.days.setSuffix(" days")
        self.by = QComboBox(self)
        self.by.setObjectName("byChoice")
        self.by.setAccessibleName("Group by")
        for key in ("day", "week", "month"):
            self.by.addItem(f"by {key}", key)
        self.kind = _combo(self, "typeChoice", "Appointment type", "All types")
        self.coach = _combo(self, "coachChoice", "Coach", "All coaches")
        self.plan = _combo(self, "planChoice", "Plan", "All plans")
        self.package = _combo(self, "packageChoice", "Package", "All packages")
        self.status = _combo(self, "statusChoice", "Member status", "All members")
        for status in MEMBER_STATUSES:
            self.status.addItem(f"{status.capitalize()} members", status)
        self._filters_loaded = False
        self._labels: dict[str, QLabel] = {}
        # Two rows, so that every field fits a 1280-pixel screen: what and when, then
        # the filters ("Only:"). The page puts its buttons at the end of the first.
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        self.top_row, filter_row = QHBoxLayout(), QHBoxLayout()
        rows.addLayout(self.top_row)
        rows.addLayout(filter_row)
        self.top_row.addWidget(self.choice)
        self.filters_label = QLabel("Only:", self)
        self.filters_label.setBuddy(self.kind)
        filter_row.addWidget(self.filters_label)
        for row, text, widget in (
            (self.top_row, "From", self.first), (self.top_row, "to", self.last),
            (self.top_row, "As of", self.as_of), (self.top_row, "", self.days),
            (self.top_row, "", self.by), (filter_row, "", self.kind), (filter_row, "", self.coach),
            (filter_row, "", self.plan), (filter_row, "", self.package),
            (filter_row, "", self.status),
        ):  # fmt: skip
            if text:
                label = QLabel(text, self)
                label.setBuddy(widget)
                self._labels[widget.objectName()] = label
                row.addWidget(label)
            row.addWidget(widget)
        self.top_row.addStretch(1)
        filter_row.addStretch(1)
        self._widgets: dict[str, tuple[QWidget, ...]] = {
            "range": (self.first, self.last), "as_of": (self.as_of,), "days": (self.days,),
            "by": (self.by,), "type": (self.kind,), "coach": (self.coach,),
            "plan": (self.plan,), "package": (self.package,), "status": (self.status,),
        }  # fmt: skip
        self.choice.currentIndexChanged.connect(self._choice_changed)
        for edit in (self.first, self.last, self.as_of):
            edit.dateChanged.connect(lambda _d: self.changed.emit())
        self.days.valueChanged.connect(lambda _v: self.changed.emit())
        for combo in (self.by, self.kind, self.coach, self.plan, self.package, self.status):
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())

    @property
    def report(self) -> str:
        return str(self.choice.currentData())

    def set_reports(self, names: list[str]) -> None:
        """Offer these reports (those the person at the desk may open), keeping the
        chosen one if it is still offered."""
        keep = self.choice.currentData()
        self.choice.blockSignals(True)
        self.choice.clear()
        for name in names:
            self.choice.addItem(REPORT_TITLES[name], name)
        at = self.choice.findData(keep)
        self.choice.setCurrentIndex(max(at, 0))
        self.choice.blockSignals(False)
        self._show_fields()

    def _choice_changed(self) -> None:
        self._show_fields()
        self.changed.emit()

    def _show_fields(self) -> None:
        takes = REPORTS.get(self.report, frozenset())
        for option, widgets in self._widgets.items():
            for widget in widgets:
                widget.setVisible(option in takes)
                label = self._labels.get(widget.objectName())
                if label is not None:
                    label.setVisible(option in takes)
        self.filters_label.setVisible(any(o in takes for o in FILTER_OPTIONS))

    def request(self) -> ReportRequest:
        """What is chosen now; filters the report doesn't take are left out."""
        takes = REPORTS[self.report]
        combos = {"type": self.kind, "coach": self.coach, "plan": self.plan,
                  "package": self.package, "status": self.status}  # fmt: skip
        chosen = {k: c.currentData() if k in takes else None for k, c in combos.items()}
        words = [combos[k].currentText() for k, v in chosen.items() if v is not None]
        filters = ReportFilter(
            type_id=chosen["type"], coach_id=chosen["coach"], plan_id=chosen["plan"],
            package_id=chosen["package"], status=chosen["status"],
        )  # fmt: skip
        return ReportRequest(
            self.report, self.first.day(), self.last.day(), self.as_of.day(),
            self.days.value(), str(self.by.currentData()), filters, "; ".join(words),
        )  # fmt: skip

    def load_filters(self) -> None:
        """Fill the type, coach, plan and package filters once, on the read worker."""
        if self._filters_loaded:
            return
        self._filters_loaded = True
        services = self._ctx.services

        def fetch() -> tuple[Choices, Choices, Choices, Choices]:
            kinds = services.appointment_types.list(include_inactive=True)
            staff = services.staff.list(include_inactive=True)
            plans = services.catalog.plans(include_inactive=True)
            packages = services.catalog.packages(include_inactive=True)
            return (
                [(k.name, k.id) for k in kinds], [(p.name, p.id) for p in staff],
                [(p.name, p.id) for p in plans], [(p.name, p.id) for p in packages],
            )  # fmt: skip

        def fill(found: tuple[Choices, Choices, Choices, Choices]) -> None:
            combos = (self.kind, self.coach, self.plan, self.package)
            for combo, items in zip(combos, found, strict=True):
                combo.blockSignals(True)
                for text, key in items:
                    combo.addItem(text, key)
                combo.blockSignals(False)

        self._ctx.runner.read((self, "filters"), fetch, fill, origin=self)
