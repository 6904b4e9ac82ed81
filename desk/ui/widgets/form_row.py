"""A form field with the message that says what is wrong with it right underneath."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from desk.ui.widgets.field_error import FieldError


@dataclass(frozen=True)
class FormRow:
    """One labelled row of a validating form."""

    label: str
    field: QWidget
    error: FieldError
    key: str
    """The service's name for the field, as a ValidationError reports it."""
    grow: bool = False
    """Whether the field widens with the form; short values (a number, a role) don't."""


def with_error(field: QWidget, error: FieldError, *, grow: bool = True) -> QWidget:
    """A field with its error message underneath, as one form row."""
    box = QWidget(field.parentWidget())
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    if grow:
        column.addWidget(field)
    else:
        row = QHBoxLayout()
        row.addWidget(field)
        row.addStretch(1)
        column.addLayout(row)
    column.addWidget(error)
    return box
