"""A dialog's save: one service call through the runner, then close, or say next to a
field why not."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from PySide6.QtWidgets import QAbstractButton, QDialog

from desk.services.core.changes import Outcome
from desk.services.core.errors import DeskError, ValidationError
from desk.ui.shell.messages import show_error, show_failure
from desk.ui.shell.operations import OperationRunner, Write
from desk.ui.widgets.field_error import FieldError

T = TypeVar("T")

SAVING = "deskSaving"
"""A dialog's dynamic property while its save runs: a second click does nothing."""


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
    runner: OperationRunner,
    save: Callable[[], Outcome[T]] | Write[T],
    errors: ErrorFields | None = None,
    *,
    button: QAbstractButton | None = None,
    on_saved: Callable[[T], None] | None = None,
    on_refused: Callable[[DeskError], None] | None = None,
) -> bool:
    """Run ``save`` on the runner's worker; if the service agrees, the change is
    announced (origin: ``dialog``), ``on_saved(value)`` runs and ``dialog`` closes.

    ``save`` runs off the GUI thread: read the form before, never inside it. While it
    runs ``button`` is disabled and another submit of the same dialog is ignored
    (returns False). When the service refuses, the dialog stays open with the reason
    next to its field (or in a message box) and ``on_refused`` runs, so the person can
    fix the form and try again.
    """
    if dialog.property(SAVING):
        # The form's own validation may have enabled the button again: not yet.
        if button is not None:
            button.setEnabled(False)
        return False
    dialog.setProperty(SAVING, True)
    if button is not None:
        button.setEnabled(False)

    def finish() -> None:
        dialog.setProperty(SAVING, False)
        if button is not None:
            button.setEnabled(True)

    def saved(value: T) -> None:
        finish()
        if on_saved is not None:
            on_saved(value)
        dialog.accept()

    def refused(exc: DeskError) -> None:
        finish()
        target = errors.place(exc) if errors is not None else None
        if target is None:
            show_error(dialog, exc)
        else:
            target.show_message(exc.message)
        if on_refused is not None:
            on_refused(exc)

    def failed(exc: BaseException) -> None:
        finish()
        show_failure(dialog, exc)

    runner.run(save, origin=dialog, on_done=saved, on_refused=refused, on_failed=failed)
    return True
