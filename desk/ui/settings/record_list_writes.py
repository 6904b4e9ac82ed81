"""What Save and Deactivate do in a settings dialog that lists records beside a form.

``RecordListWrites`` is mixed into ``RecordListDialog`` (``record_list_dialog``). The
writes go through the OperationRunner; their results come back on the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from desk.services.core.errors import DeskError, ValidationError
from desk.ui.settings.record_list_spec import RecordListSpec
from desk.ui.settings.record_table_model import R
from desk.ui.shell.context import DeskContext
from desk.ui.shell.messages import show_error, show_failure
from desk.ui.shell.operations import Write
from desk.ui.widgets.field_error import FieldError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QLabel, QPushButton

    _Base = QDialog
else:
    _Base = object

_R_contra = TypeVar("_R_contra", contravariant=True)


class RecordForm(Protocol[_R_contra]):
    """What the form holds once every field parses."""

    def matches(self, record: _R_contra, /) -> bool:
        """Whether saving this would change nothing."""
        ...


F = TypeVar("F", bound="RecordForm[Any]")


class RecordListWrites(Generic[R, F], _Base):
    """Mixed into RecordListDialog, a QDialog with these attributes and methods."""

    SPEC: ClassVar[RecordListSpec]
    _ctx: DeskContext
    created_ids: list[int]
    _editing: R | None
    _touched: set[str]
    _service_errors: dict[str, str]
    _writing: bool
    _error_boxes: dict[str, FieldError]
    save_button: QPushButton
    deactivate_button: QPushButton
    status_label: QLabel

    if TYPE_CHECKING:

        def _read_form(self) -> tuple[F | None, dict[str, str]]: ...
        def _refresh_state(self) -> None: ...
        def _reload(self) -> None: ...
        def _select_in_table(self, record_id: int | None) -> bool: ...
        def _fill_form(self, record: R | None) -> None: ...

    # The writes: each returns the service call for the runner, not yet run (it runs on
    # the runner's worker, so it reads the form's values, never the widgets).

    def _create(self, form: F) -> Write[R]:
        raise NotImplementedError

    def _update(self, record: R, form: F) -> Write[R]:
        raise NotImplementedError

    def _deactivate(self, record: R) -> Write[R]:
        raise NotImplementedError

    def save(self) -> None:
        form, errors = self._read_form()
        if form is None or errors:
            self._touched.update(self._error_boxes)
            self._refresh_state()
            return
        if self._writing:
            return
        creating = self._editing is None
        write = self._create(form) if self._editing is None else self._update(self._editing, form)

        def saved(record: R) -> None:
            if creating:
                self.created_ids.append(record.id)
            self._after_write(record, f"{'Added' if creating else 'Saved'} {record.name}.")

        def refused(exc: DeskError) -> None:
            self._end_write()
            if isinstance(exc, ValidationError):
                field = exc.field if exc.field in self._error_boxes else ""
                self._service_errors[field] = exc.message
                self._refresh_state()
            else:
                show_error(self, exc, self.SPEC.cannot_save)

        self._start_write()
        self._ctx.runner.run(
            write, origin=self, on_done=saved, on_refused=refused, on_failed=self._write_failed
        )

    def deactivate(self) -> None:
        if self._editing is None or not self._editing.active or self._writing:
            return

        def refused(exc: DeskError) -> None:
            self._end_write()
            show_error(self, exc, self.SPEC.cannot_deactivate)

        self._start_write()
        self._ctx.runner.run(
            self._deactivate(self._editing),
            origin=self,
            on_done=lambda record: self._after_write(
                record, self.SPEC.deactivated.format(name=record.name)
            ),
            on_refused=refused,
            on_failed=self._write_failed,
        )

    def _start_write(self) -> None:
        """While a write runs: no second one (Save and Deactivate stay disabled)."""
        self._writing = True
        self.save_button.setEnabled(False)
        self.deactivate_button.setEnabled(False)

    def _end_write(self) -> None:
        self._writing = False
        self._refresh_state()

    def _write_failed(self, exc: BaseException) -> None:
        self._end_write()
        show_failure(self, exc)

    def _after_write(self, record: R, status: str) -> None:
        """The runner already announced the change (origin: this dialog, which skips
        its own hub echo): reload once here."""
        self._writing = False
        self._editing = record
        self._reload()
        if not self._select_in_table(record.id):
            # Inactive while inactive records are hidden: nothing left to edit here.
            status += self.SPEC.hidden_hint
            self._fill_form(None)
        else:
            self._fill_form(record)
        self.status_label.setText(status)
