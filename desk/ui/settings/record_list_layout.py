"""The widgets of a settings dialog that lists records beside a form, and their layout.

``RecordListLayout`` is mixed into ``RecordListDialog`` (``record_list_dialog``),
which owns what they do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Generic

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from desk.ui.settings.record_list_spec import RecordListSpec
from desk.ui.settings.record_table_model import R, RecordProxyModel, RecordTableModel
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.form_row import FormRow, with_error

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    _Base = QDialog
else:
    _Base = object

# The service's names for the fields every record has.
NAME = "name"
ACTIVE = "active"


def _plain(text: str) -> str:
    return text.replace("&", "")


class RecordListLayout(Generic[R], _Base):
    """Mixed into RecordListDialog, which says how to make the models and the fields."""

    SPEC: ClassVar[RecordListSpec]
    _error_boxes: dict[str, FieldError]

    if TYPE_CHECKING:

        def _new_models(self) -> tuple[RecordTableModel[R], RecordProxyModel]: ...
        def _build_fields(self) -> list[FormRow]: ...

    def _build(self) -> None:
        spec = self.SPEC
        self.model, self.proxy = self._new_models()
        self.proxy.setSourceModel(self.model)

        self.table = QTableView(self)
        self.table.setObjectName(spec.table_name)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table
        self.table.setAccessibleName(spec.title)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(self.model.COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.model.COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumWidth(spec.table_min_width)

        self.show_inactive = QCheckBox(spec.show_inactive, self)
        self.show_inactive.setObjectName(spec.show_inactive_name)
        self.show_inactive.setAccessibleName(_plain(spec.show_inactive))

        self.new_button = QPushButton(spec.new_button, self)
        self.new_button.setObjectName(spec.new_button_name)
        self.new_button.setAccessibleName(_plain(spec.new_button))
        self.new_button.setAutoDefault(False)

        below_table = QHBoxLayout()
        below_table.addWidget(self.show_inactive)
        below_table.addStretch(1)
        below_table.addWidget(self.new_button)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addLayout(below_table)

        self.form_title = QLabel(self)
        self.form_title.setObjectName(spec.form_title_name)
        title_font = self.form_title.font()
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        self.form_title.setFont(title_font)

        # Widgets are created in tab order: Qt chains focus in order of creation.
        self.name_field = QLineEdit(self)
        self.name_field.setObjectName(spec.name_field_name)
        self.name_field.setAccessibleName("Name")
        self.name_field.setPlaceholderText(spec.name_placeholder)
        self.name_field.setMaxLength(100)
        self.name_error = FieldError(spec.name_error_name, self)
        rows = self._build_fields()

        self.active_field = QCheckBox(spec.active, self)
        self.active_field.setObjectName(spec.active_name)
        self.active_field.setAccessibleName("Active")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("Na&me:", with_error(self.name_field, self.name_error))
        self._error_boxes[NAME] = self.name_error
        for row in rows:
            form.addRow(row.label, with_error(row.field, row.error, grow=row.grow))
            self._error_boxes[row.key] = row.error
        form.addRow("", self.active_field)

        self.form_error = FieldError(spec.form_error_name, self)
        self.status_label = QLabel(self)
        self.status_label.setObjectName(spec.status_name)
        self.status_label.setAccessibleName("Status")
        self.status_label.setWordWrap(True)
        self.status_label.setStyleSheet("color: #3b6e3b;")

        self.save_button = QPushButton("&Save", self)
        self.save_button.setObjectName(spec.save_name)
        self.save_button.setAccessibleName(spec.save_accessible)
        self.save_button.setDefault(True)
        self.deactivate_button = QPushButton("De&activate", self)
        self.deactivate_button.setObjectName(spec.deactivate_name)
        self.deactivate_button.setAccessibleName(spec.deactivate_accessible)
        self.deactivate_button.setToolTip(spec.deactivate_tip)
        self.deactivate_button.setAutoDefault(False)
        form_buttons = QHBoxLayout()
        form_buttons.addWidget(self.deactivate_button)
        form_buttons.addStretch(1)
        form_buttons.addWidget(self.save_button)

        right = QVBoxLayout()
        right.addWidget(self.form_title)
        right.addLayout(form)
        right.addWidget(self.form_error)
        right.addSpacing(6)
        right.addLayout(form_buttons)
        right.addWidget(self.status_label)
        right.addStretch(1)
        form_panel = QFrame(self)
        form_panel.setObjectName(spec.form_panel_name)
        form_panel.setFrameShape(QFrame.Shape.StyledPanel)
        form_panel.setLayout(right)
        form_panel.setMinimumWidth(spec.form_panel_min_width)

        columns = QHBoxLayout()
        columns.addLayout(left, spec.stretch[0])
        columns.addWidget(form_panel, spec.stretch[1])

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setObjectName(spec.close_name)
        close.setAccessibleName("Close")
        close.setAutoDefault(False)

        outer = QVBoxLayout(self)
        outer.addLayout(columns, 1)
        outer.addWidget(self.buttons)
        self.resize(*spec.size)
