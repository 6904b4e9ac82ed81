"""Settings > Appointment types > Booking rules…: a type's buffers before and after a
session (they count for clashes), its minimum notice and how far ahead it may be
booked. Notice and horizon warn the desk; an owner or admin may book through them
with a reason."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from desk.services.calendar.type_rules import (
    MAX_BUFFER_MINUTES,
    MAX_HORIZON_DAYS,
    MAX_NOTICE_MINUTES,
)
from desk.services.core.ids import AppointmentTypeId
from desk.ui.shell.context import DeskContext
from desk.ui.shell.submit import ErrorFields, submit
from desk.ui.widgets.dialog_buttons import action_buttons
from desk.ui.widgets.field_error import FieldError


def _spin(parent: QWidget, name: str, accessible: str, most: int, suffix: str,
          none: str) -> QSpinBox:  # fmt: skip
    spin = QSpinBox(parent)
    spin.setObjectName(name)
    spin.setAccessibleName(accessible)
    spin.setRange(0, most)
    spin.setSuffix(suffix)
    spin.setSpecialValueText(none)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    spin.setMinimumWidth(140)
    return spin


class TypeRulesDialog(QDialog):
    def __init__(
        self, ctx: DeskContext, type_id: int, type_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._type_id = AppointmentTypeId(type_id)
        rules = ctx.services.appointment_types.booking_rules(self._type_id)
        self.setObjectName("TypeRulesDialog")
        self.setWindowTitle(f"Booking rules for {type_name}")
        self.before = _spin(self, "bufferBeforeField", "Buffer before in minutes",
                            MAX_BUFFER_MINUTES, " min", "None")  # fmt: skip
        self.after = _spin(self, "bufferAfterField", "Buffer after in minutes",
                           MAX_BUFFER_MINUTES, " min", "None")  # fmt: skip
        self.notice = _spin(self, "minNoticeField", "Minimum notice in hours",
                            MAX_NOTICE_MINUTES // 60, " h", "None")  # fmt: skip
        self.horizon = _spin(self, "horizonField", "Bookable days ahead",
                             MAX_HORIZON_DAYS, " days ahead", "No limit")  # fmt: skip
        for spin in (self.before, self.after):
            spin.setSingleStep(5)
        self.before.setValue(rules.buffer_before_minutes)
        self.after.setValue(rules.buffer_after_minutes)
        self.notice.setValue(rules.min_notice_minutes // 60)
        self.horizon.setValue(rules.horizon_days)
        self.errors = {
            name: FieldError(f"{name}Error", self)
            for name in ("buffer_before_minutes", "buffer_after_minutes",
                         "min_notice_minutes", "horizon_days")
        }  # fmt: skip
        self.error = FieldError("typeRulesError", self)
        explain = QLabel(
            "Buffers keep the coach free before and after each session. Booking inside the "
            "notice or beyond the days ahead asks for a reason; only an owner or admin may.",
            self,
        )
        explain.setWordWrap(True)
        form = QFormLayout()
        for label, spin, key in (
            ("Buffer &before:", self.before, "buffer_before_minutes"),
            ("Buffer &after:", self.after, "buffer_after_minutes"),
            ("Minimum &notice:", self.notice, "min_notice_minutes"),
            ("Book &ahead:", self.horizon, "horizon_days"),
        ):
            form.addRow(label, spin)
            form.addRow("", self.errors[key])
        buttons, self.save_button = action_buttons(self, "Save", "saveRulesButton", self._save)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _save(self) -> None:
        before, after = self.before.value(), self.after.value()
        notice, horizon = self.notice.value() * 60, self.horizon.value()
        types, type_id, actor = self._ctx.services.appointment_types, self._type_id, self._ctx.actor
        submit(
            self,
            self._ctx.runner,
            lambda: types.set_booking_rules(
                type_id,
                buffer_before_minutes=before,
                buffer_after_minutes=after,
                min_notice_minutes=notice,
                horizon_days=horizon,
                actor=actor,
            ),
            ErrorFields(otherwise=self.error, by_field=self.errors),
            button=self.save_button,
        )
