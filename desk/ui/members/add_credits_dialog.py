"""Add Credits: the help center's form for granting credits to a member."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.clock import today
from desk.services.core.errors import ValidationError
from desk.services.core.ids import AppointmentTypeId, MemberId
from desk.services.core.money import parse_money
from desk.services.core.permissions import Permission
from desk.services.core.read_models import AppointmentTypeView, LotSource, LotView
from desk.ui.calendar.unpaid_words import with_paid
from desk.ui.members.member_field import member_field, member_problem
from desk.ui.members.pool_choice import PoolChoice
from desk.ui.shell.context import DeskContext
from desk.ui.shell.submit import ErrorFields, submit
from desk.ui.widgets.date_field import DateField
from desk.ui.widgets.dialog_buttons import action_buttons
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.formatting import format_date, format_money
from desk.ui.widgets.qdate import to_date, to_qdate
from desk.ui.widgets.tab_chain import tab_chain

QUICK_EXPIRY_DAYS = (30, 90, 365)
SOURCES = (
    (LotSource.MANUAL, "Manual / complimentary"),
    (LotSource.MIGRATION, "Moved from another system"),
    (LotSource.PACKAGE, "Package sale"),
)


def added_text(lot: LotView, member_name: str) -> str:
    """What the desk says once credits are added: "Added 5 Personal Training credits to
    Alex Kim, expiring 30 Jun 2027"."""
    credits = "credit" if lot.quantity == 1 else "credits"
    until = f"expiring {format_date(lot.expires_on)}" if lot.expires_on else "never expiring"
    return f"Added {lot.quantity} {lot.appointment_type} {credits} to {member_name}, {until}"


class AddCreditsDialog(QDialog):
    """Grant credits to a member. Opened without one, it starts with nobody picked and
    can't be saved until a member is: nobody gets credits by accident."""

    def __init__(
        self,
        ctx: DeskContext,
        member_id: int | None = None,
        member_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._types: list[AppointmentTypeView] = []
        # One key per opened form: a double click or a retry after a timeout
        # can't add the same credits twice.
        self._idempotency_key = f"add-credits:{uuid.uuid4()}"
        self.result_lot: LotView | None = None
        self.added_message = ""
        """What was added, once saved (``added_text``)."""
        self.setObjectName("AddCreditsDialog")
        self.setWindowTitle("Add credits")
        self.setMinimumWidth(520)

        # Created first: the fields below validate as soon as they get a value.
        self.client_error = FieldError("clientError", self)
        self.type_error = FieldError("typeError", self)
        self.quantity_error = FieldError("quantityError", self)
        self.expiry_error = FieldError("expiryError", self)
        self.price_error = FieldError("priceError", self)
        self.note_error = FieldError("noteError", self)
        self.client = member_field(
            ctx,
            self,
            object_name="clientField",
            accessible_name="Client",
            member_id=member_id,
            member_name=member_name,
        )

        self.appointment_type = QComboBox(self)
        self.appointment_type.setObjectName("appointmentTypeField")
        self.appointment_type.setAccessibleName("Appointment type")
        self.no_types = QLabel("There are no appointment types yet: create one first.", self)
        self.no_types.setObjectName("noTypesMessage")
        self.create_type = QPushButton("Create appointment type…", self)
        self.create_type.setObjectName("createTypeButton")
        self.create_type.clicked.connect(self._create_type)

        self.quantity = QSpinBox(self)
        self.quantity.setObjectName("quantityField")
        self.quantity.setAccessibleName("Number of credits")
        self.quantity.setRange(1, 1000)

        self.expiry = DateField("expiryField", "Expiry date", parent=self)
        self._today = today(ctx.services.clock)
        self.expiry.setMinimumDate(to_qdate(self._today))
        self._set_expiry(self._today + timedelta(days=90))
        self.never_expires = QCheckBox("Never expires", self)
        self.never_expires.setObjectName("neverExpires")
        self.never_expires.setAccessibleName("Never expires")
        self.never_expires.setChecked(True)
        expiry_row = QHBoxLayout()
        expiry_row.addWidget(self.never_expires)
        expiry_row.addWidget(self.expiry, 1)
        quick: list[QWidget] = []
        for days in QUICK_EXPIRY_DAYS:
            button = QPushButton(f"{days} days", self)
            button.setObjectName(f"expiry{days}")
            button.setAccessibleName(f"Expires in {days} days")
            button.clicked.connect(lambda _=False, d=days: self._quick_expiry(d))
            expiry_row.addWidget(button)
            quick.append(button)

        self.price = QLineEdit("0.00", self)
        self.price.setObjectName("priceField")
        self.price.setAccessibleName("Price paid")
        self.price_hint = QLabel(self)
        self.price_hint.setObjectName("priceHint")
        self.price_hint.setStyleSheet("color: #5b6170;")
        self.list_price = QPushButton(self)
        self.list_price.setObjectName("useListPrice")
        self.list_price.clicked.connect(self._use_list_price)
        price_row = QHBoxLayout()
        price_row.addWidget(QLabel("$", self))
        price_row.addWidget(self.price, 1)
        price_row.addWidget(self.list_price)

        self.source = QComboBox(self)
        self.source.setObjectName("sourceField")
        self.source.setAccessibleName("Where the credits come from")
        for value, text in SOURCES:
            self.source.addItem(text, value.value)

        self.note = QLineEdit(self)
        self.note.setObjectName("noteField")
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("e.g. 10-pack bought in the old system")

        form = QFormLayout()
        form.addRow("Client", self.client)
        form.addRow("", self.client_error)
        type_row = QHBoxLayout()
        type_row.addWidget(self.appointment_type, 1)
        type_row.addWidget(self.no_types, 1)
        type_row.addWidget(self.create_type)
        form.addRow("Appointment type", type_row)
        form.addRow("", self.type_error)
        form.addRow("Credits", self.quantity)
        form.addRow("", self.quantity_error)
        form.addRow("Expiry", expiry_row)
        form.addRow("", self.expiry_error)
        form.addRow("Price", price_row)
        form.addRow("", self.price_hint)
        form.addRow("", self.price_error)
        form.addRow("Source", self.source)
        form.addRow("Note", self.note)
        self.for_pool = PoolChoice(ctx, self.client, self)  # shared pools (pool_choice.py)
        form.addRow("", self.for_pool)
        form.addRow("", self.note_error)

        buttons, self.add_button = action_buttons(self, "Add", "addButton", self._save)
        # The expiry row reads "Never expires", the date, the quick buttons.
        tab_chain(self.quantity, self.never_expires, self.expiry, *quick, self.price)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        # A front desk adds $0 credits with a note (the migration case); paid credits
        # are sold as packages. The service enforces it; the form says so up front.
        self.free_only = ctx.staff_id is not None and not ctx.can(Permission.ADD_PRICED_CREDITS)
        if self.free_only:
            self.price.setText("0.00")
            self.price.setEnabled(False)
            self.list_price.setEnabled(False)
            self.note.setPlaceholderText("Required: e.g. 10-pack bought in the old system")

        # Wired last: every field exists before the first validation runs.
        self.client.member_changed.connect(self._validate)
        self.client.textChanged.connect(self._validate)
        self.appointment_type.currentIndexChanged.connect(self._validate)
        self.quantity.valueChanged.connect(self._validate)
        self.expiry.dateChanged.connect(self._validate)
        self.never_expires.toggled.connect(self._validate)
        self.price.textChanged.connect(self._validate)
        self.note.textChanged.connect(self._validate)
        self._load_types()
        if member_id is None:
            self.client.setFocus()
        else:
            self.appointment_type.setFocus()

    @classmethod
    def ask(
        cls,
        ctx: DeskContext,
        parent: QWidget | None,
        member_id: int | None = None,
        member_name: str = "",
        *,
        report: Callable[[str], None] | None = None,
    ) -> LotView | None:
        """The lot added, or None if cancelled; ``report`` gets ``added_message``."""
        dialog = cls(ctx, member_id, member_name, parent)
        dialog.exec()
        if dialog.result_lot is not None and report is not None:
            report(dialog.added_message)
        return dialog.result_lot

    # --- form state -----------------------------------------------------------------------

    def _load_types(self, select_id: int | None = None) -> None:
        current = select_id if select_id is not None else self.appointment_type.currentData()
        self._types = self._ctx.services.appointment_types.list()
        self.appointment_type.blockSignals(True)
        self.appointment_type.clear()
        for kind in self._types:
            self.appointment_type.addItem(kind.name, kind.id)
        if current is not None:
            index = self.appointment_type.findData(current)
            if index >= 0:
                self.appointment_type.setCurrentIndex(index)
        self.appointment_type.blockSignals(False)
        has_types = bool(self._types)
        self.appointment_type.setVisible(has_types)
        self.no_types.setVisible(not has_types)
        self.create_type.setVisible(not has_types)
        self._validate()

    def _selected_type(self) -> AppointmentTypeView | None:
        type_id = self.appointment_type.currentData()
        return next((t for t in self._types if t.id == type_id), None)

    def _set_expiry(self, day: date) -> None:
        self.expiry.setDate(to_qdate(day))

    def _quick_expiry(self, days: int) -> None:
        self.never_expires.setChecked(False)
        self._set_expiry(self._today + timedelta(days=days))

    def _expiry_date(self) -> date | None:
        if self.never_expires.isChecked():
            return None
        return to_date(self.expiry.date())

    def _use_list_price(self) -> None:
        kind = self._selected_type()
        if kind is not None:
            self.price.setText(f"{kind.default_price_cents * self.quantity.value() / 100:.2f}")

    def _validate(self) -> bool:
        self.client_error.show_message(member_problem(self.client))
        ok = self.client.member_id() is not None
        kind = self._selected_type()
        if kind is None:
            ok = False
        self.expiry.setEnabled(not self.never_expires.isChecked())
        expiry = self._expiry_date()
        if expiry is not None and expiry < self._today:
            self.expiry_error.show_message("The expiry date is already past.")
            ok = False
        else:
            self.expiry_error.clear_message()
        try:
            cents = parse_money(self.price.text(), "price")
            self.price_error.clear_message()
            self.price_hint.setText(
                "Free: the member pays nothing (migrated or complimentary credits)."
                if cents == 0
                else f"{format_money(cents)} for {self.quantity.value()} credits"
            )
        except ValidationError as exc:
            self.price_error.show_message(exc.message)
            self.price_hint.setText("")
            ok = False
        if kind is not None:
            list_cents = kind.default_price_cents * self.quantity.value()
            self.list_price.setText(f"List price {format_money(list_cents)}")
            self.list_price.setVisible(list_cents > 0)
        else:
            self.list_price.hide()
        if self.free_only:
            self.price_hint.setText(
                "Free credits only at the front desk; sell a package for paid ones."
            )
            if not self.note.text().strip():
                self.note_error.show_message("Say where these credits come from (required).")
                ok = False
            else:
                self.note_error.clear_message()
        self.add_button.setEnabled(ok)
        return ok

    # --- actions ----------------------------------------------------------------------------

    def _create_type(self) -> None:
        from desk.ui.settings.appointment_types_dialog import AppointmentTypesDialog

        before = {t.id for t in self._types}
        AppointmentTypesDialog.ask(self._ctx, self, start_new=True)
        fresh = [t.id for t in self._ctx.services.appointment_types.list() if t.id not in before]
        self._load_types(select_id=fresh[-1] if fresh else None)

    def _save(self) -> None:
        member_id = self.client.member_id()
        kind = self._selected_type()
        if not self._validate() or member_id is None or kind is None:
            return
        # Read the form here, on the GUI thread: the save runs on the runner's worker.
        quantity = self.quantity.value()
        expires_on = self._expiry_date()
        price_text = self.price.text()
        source = LotSource(self.source.currentData())
        note = self.note.text()
        key = self._idempotency_key
        pool_id = self.for_pool.pool_id()
        credits = self._ctx.services.credits
        submit(
            self,
            self._ctx.runner,
            lambda: credits.add_credits(
                member_id=MemberId(member_id),
                appointment_type_id=AppointmentTypeId(kind.id),
                quantity=quantity,
                expires_on=expires_on,
                price_cents=parse_money(price_text, "price"),
                source=source,
                note=note,
                actor=self._ctx.actor,
                idempotency_key=key,
                pool_id=pool_id,
            ),
            ErrorFields(
                otherwise=self.note_error,
                by_field={
                    "quantity": self.quantity_error,
                    "price": self.price_error,
                    "expires_on": self.expiry_error,
                    "appointment_type": self.type_error,
                },
            ),
            button=self.add_button,
            on_saved=self._saved,
        )

    def _saved(self, lot: LotView) -> None:
        self.result_lot = lot
        said = added_text(lot, self.client.member_name())
        self.added_message = with_paid(said, lot.paid_unpaid, self._ctx.services.clock.tz)
