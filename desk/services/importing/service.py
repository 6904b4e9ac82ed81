"""Import members and outstanding credits from another system; undo an import."""

from __future__ import annotations

from desk.db import Database
from desk.services.core.clock import Clock
from desk.services.importing.appointments_import import AppointmentsImport
from desk.services.importing.credits_import import CreditsImport
from desk.services.importing.file_types import FileTypesRead
from desk.services.importing.import_run import ImportCancelled
from desk.services.importing.members_import import MembersImport
from desk.services.importing.undo import BatchView, ImportUndo

__all__ = ["BatchView", "ImportCancelled", "ImportService"]


class ImportService(CreditsImport, AppointmentsImport, MembersImport, ImportUndo, FileTypesRead):
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
