"""What the import wizard's pages share: the file, how to read it, the reports, and
the import (or its dry run) as a background task."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from desk.services.importing.inspect import FileLook
from desk.services.importing.report import ImportOptions, ImportReport
from desk.ui.shell.background import BackgroundTask
from desk.ui.shell.context import DeskContext


class ImportState:
    """What the pages share: the file, how to read it, and the reports."""

    def __init__(self) -> None:
        self.kind = "credits"
        self.path: Path | None = None
        self.look: FileLook | None = None
        self.encoding: str | None = None
        self.delimiter: str | None = None
        self.mapping: dict[int, str] = {}
        self.create_members = False
        self.create_types = False
        self.date_order: str | None = None
        self.type_map: dict[str, str] = {}
        """Service or pricing-option name in the file -> Desk type (the Types page)."""
        self.leave_out: dict[int, str] = {}
        """Line of the file -> why the person left that row out (the preview)."""
        self.preview: ImportReport | None = None
        self.result: ImportReport | None = None

    def options(self, *, dry_run: bool) -> ImportOptions:
        header = self.look.header if self.look else []
        pairs = tuple(f"{header[i]}={self.mapping.get(i, 'ignore')}" for i in range(len(header)))
        return ImportOptions(
            encoding=self.encoding,
            delimiter=self.delimiter,
            mappings=pairs,
            date_order=self.date_order,
            create_missing_members=self.create_members,
            create_missing_types=self.create_types,
            dry_run=dry_run,
            type_map=tuple(f"{name}={desk}" for name, desk in sorted(self.type_map.items())),
            leave_out=tuple(sorted(self.leave_out.items())),
        )


def import_task(
    ctx: DeskContext, state: ImportState, parent: QObject, *, dry_run: bool
) -> BackgroundTask:
    """The import (or its dry run) as a task on the runner's write queue."""
    assert state.path is not None
    path = state.path
    options = state.options(dry_run=dry_run)
    service = ctx.services.imports
    kind = state.kind

    def work(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Any:
        if kind == "appointments":
            # One transaction without progress steps: a gym's future bookings are a
            # few thousand rows at most (the progress dialog shows it is busy).
            return service.import_appointments(path, options, actor=ctx.actor)
        if kind == "members":
            return service.import_members(
                path, options, actor=ctx.actor, progress=progress, cancelled=cancelled
            )
        return service.import_credits(
            path, options, actor=ctx.actor, progress=progress, cancelled=cancelled
        )

    return ctx.runner.write_task(work, parent)
