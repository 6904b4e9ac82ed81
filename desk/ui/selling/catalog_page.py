"""What the packages page and the plans page of the catalog share: a table beside a form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Generic

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from desk.services.core.errors import DeskError, ValidationError
from desk.services.core.read_models import AppointmentTypeView
from desk.ui.settings.record_table_model import R
from desk.ui.shell.context import DeskContext
from desk.ui.shell.messages import show_error, show_failure
from desk.ui.shell.operations import Write
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.money_field import MoneyField
from desk.ui.widgets.table_model import RowTableModel


@dataclass(frozen=True)
class CatalogPageSpec:
    """A page's words and the object names tests find its widgets by."""

    table_name: str
    table_title: str
    """The table's accessible name ("Session packages")."""
    name_field_name: str
    active: str
    """The text of the box that puts an item on offer."""
    active_name: str
    error_name: str
    new_button: str
    new_button_name: str
    save_button: str
    save_button_name: str
    name_missing: str
    """The error while the name is empty."""


def _table(name: str, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class CatalogPage(QWidget, Generic[R]):
    """Every item of one kind, active or not, beside a form for the selected (or a new) one.

    The form has a name, the subclass's fields (a price among them) and a box that
    puts the item on offer. It validates as you type; Save writes through the
    subclass's service call, which creates an item unless one is selected.
    """

    SPEC: ClassVar[CatalogPageSpec]
    price: MoneyField
    """Created by ``_build_fields``: where it sits in the tab order differs by page."""

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        spec = self.SPEC
        self._ctx = ctx
        self._editing: int | None = None
        self._types: list[AppointmentTypeView] = ctx.services.appointment_types.list()
        self.model = self._new_model()
        self.table = _table(spec.table_name, self)
        self.table.setAccessibleName(spec.table_title)
        self.table.setModel(self.model)
        # Widgets are created in tab order: Qt chains focus in order of creation.
        self.name = QLineEdit(self)
        self.name.setObjectName(spec.name_field_name)
        rows = self._build_fields()
        self.active = QCheckBox(spec.active, self)
        self.active.setObjectName(spec.active_name)
        self.active.setChecked(True)
        self.error = FieldError(spec.error_name, self)
        self.new_button = QPushButton(spec.new_button, self)
        self.new_button.setObjectName(spec.new_button_name)
        # Enter saves the form (showEvent makes Save the dialog's default); it never
        # starts a new item, which wiped what had been typed.
        self.new_button.setAutoDefault(False)
        self.save_button = QPushButton(spec.save_button, self)
        self.save_button.setObjectName(spec.save_button_name)
        form = QFormLayout()
        form.addRow("Name", self.name)
        for label, field in rows:
            form.addRow(label, field)
        form.addRow("", self.active)
        form.addRow("", self.error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        self._form = form
        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addLayout(form, 2)
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.name.textChanged.connect(self._validate)
        self.price.changed.connect(self._validate)
        self._connect_fields()
        self.reload()
        self._validate()

    def showEvent(self, event: QShowEvent) -> None:
        # One default button per dialog: the shown page's Save.
        super().showEvent(event)
        self.save_button.setDefault(True)

    # --- what a subclass fills in ----------------------------------------------------------

    def _new_model(self) -> RowTableModel[R]:
        raise NotImplementedError

    def _build_fields(self) -> list[tuple[str, QWidget]]:
        """Create the fields between the name and the active box in tab order; the form's rows."""
        raise NotImplementedError

    def _connect_fields(self) -> None:
        """Revalidate when the subclass's fields change; the name and price already do."""

    def _load(self) -> list[R]:
        """Every item, inactive ones included."""
        raise NotImplementedError

    def _clear_fields(self) -> None:
        """What a new item starts from, besides an empty name and a zero price."""
        raise NotImplementedError

    def _show_fields(self, item: R) -> None:
        """Put ``item`` in the fields between the name and the active box, price included."""
        raise NotImplementedError

    def _fields_problem(self) -> str:
        """What stops a named item from being saved, price aside ("" when nothing)."""
        raise NotImplementedError

    def _write(self, price_cents: int) -> Write[R]:
        """The service call saving the form (a new item unless one is being edited), for
        the runner: it reads the form's values now, not on the runner's worker."""
        raise NotImplementedError

    # --- what callers and tests use --------------------------------------------------------

    def reload(self) -> None:
        self.model.set_rows(self._load())

    def start_new(self) -> None:
        self.table.clearSelection()
        self._editing = None
        self.name.clear()
        self.price.set_cents(0)
        self._clear_fields()
        self.name.setFocus()

    def save(self) -> None:
        cents = self.price.cents()
        if not self._validate() or cents is None:
            return
        if not self.save_button.isEnabled():
            return  # a save is already running
        self.save_button.setEnabled(False)
        self._ctx.runner.run(
            self._write(cents),
            origin=self,
            on_done=self._saved,
            on_refused=self._refused,
            on_failed=self._failed,
        )

    def _refused(self, exc: DeskError) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.error.show_message(exc.message)
        else:
            show_error(self, exc)

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        show_failure(self, exc)

    def _saved(self, item: R) -> None:
        self.save_button.setEnabled(True)
        self._editing = item.id
        self.reload()
        # Keep the saved item selected: the form beside the list shows it.
        for row, item in enumerate(self.model.rows()):
            if item.id == self._editing:
                self.table.selectRow(row)
                break

    # --- behaviour -------------------------------------------------------------------------

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        item = self.model.row_at(rows[0].row())
        self._editing = item.id
        self.name.setText(item.name)
        self._show_fields(item)
        self.active.setChecked(item.active)

    def _validate(self) -> bool:
        if not self.name.text().strip():
            problem = self.SPEC.name_missing
        else:
            problem = self._fields_problem() or self.price.problem()
        self.error.show_message(problem)
        self.save_button.setEnabled(not problem)
        return not problem
