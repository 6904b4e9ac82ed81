"""A dialog's save: one service call, then close, or say next to a field why not."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from PySide6.QtWidgets import QDialog

from desk.services.core.changes import Outcome
from desk.services.core.errors import DeskError, ValidationError
from desk.ui.shell.change_hub import ChangeHub
from desk.ui.shell.messages import show_error
from desk.ui.widgets.field_error import FieldError

T = TypeVar("T")


@dataclass(frozen=True)
class ErrorFields:
    """Which field's message explains a refused save.

    A ValidationError goes next to the field the service names, or to ``otherwise``;
    the error kinds in ``also`` go to ``otherwise`` too. Anything else is not about
    one field and gets a message box.
    """

    otherwise: FieldError
    by_field: Mapping[str, FieldError] = field(default_factory=dict)
    also: tuple[type[DeskError], ...] = ()

    def place(self, error: DeskError) -> FieldError | None:
        if isinstance(error, ValidationError):
            return self.by_field.get(error.field, self.otherwise)
        if isinstance(error, self.also):
            return self.otherwise
        return None


def submit(
    dialog: QDialog,
    hub: ChangeHub,
    save: Callable[[], Outcome[T]],
    errors: ErrorFields | None = None,
) -> T | None:
    """Run ``save``; if the service agrees, announce what changed and close ``dialog``.

    Returns the saved value, or None when the service refused: the dialog then stays
    open with the reason shown, so the person can fix the form and try again.
    """
    try:
        outcome = save()
    except DeskError as exc:
        target = errors.place(exc) if errors is not None else None
        if target is None:
            show_error(dialog, exc)
        else:
            target.show_message(exc.message)
        return None
    hub.publish(outcome.changes)
    dialog.accept()
    return outcome.value
