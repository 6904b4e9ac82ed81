"""The ledger state machine's databases: a fresh one for every example, on SQLite or
PostgreSQL, copied from one that already holds the machine's opening (its appointment
types, coaches and members), made once per test process and backend.

Making the opening costs seven audited writes and, on PostgreSQL, a migrated
database; copying it costs a file copy (SQLite) or ``CREATE DATABASE ... TEMPLATE``
(PostgreSQL, tests/postgres.py). The copy holds exactly what the writes made: the
machine's clock stands still at the same moment for each, so ids, times and audit rows
are the same in every example.

``steps`` counts the steps the machines on these databases checked (LedgerModel's
``_count_step`` invariant): the test asserts a floor on it.
"""

from __future__ import annotations

import atexit
import itertools
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desk.db import Database, open_database
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from tests.migrated import migrated_sqlite
from tests.postgres import TEMPLATE, PostgresServer

if TYPE_CHECKING:
    from tests.services.credits.ledger_model import Kind


@dataclass(frozen=True)
class Opening:
    """What the opening writes made: ids (and whatever else the model keeps of them)."""

    kinds: tuple[Kind, ...]
    staff: tuple[int, ...]
    members: tuple[int, ...]


OpeningWrites = Callable[[Services], Opening]


class MachineDatabases:
    """Fresh databases holding the opening; ``new`` one per example, ``drop`` it after."""

    backend = ""

    def __init__(self, clock: Callable[[], FixedClock], writes: OpeningWrites) -> None:
        self._clock = clock
        self._writes = writes
        self._opening: Opening | None = None
        self.steps = 0

    def opening(self) -> Opening:
        if self._opening is None:
            db = self._template_database()
            try:
                self._opening = self._writes(Services.build(db, self._clock()))
            finally:
                db.dispose()  # closed: SQLite folds its WAL back, PostgreSQL can copy it
        return self._opening

    def new(self) -> Database:
        self.opening()
        return self._copy()

    def drop(self, db: Database) -> None:
        raise NotImplementedError

    def _template_database(self) -> Database:
        raise NotImplementedError

    def _copy(self) -> Database:
        raise NotImplementedError


class SqliteDatabases(MachineDatabases):
    backend = "sqlite"

    def __init__(self, clock: Callable[[], FixedClock], writes: OpeningWrites) -> None:
        super().__init__(clock, writes)
        self._folder = Path(tempfile.mkdtemp(prefix="desk-ledger-"))
        atexit.register(shutil.rmtree, self._folder, ignore_errors=True)
        self._names = itertools.count(1)

    def _template_database(self) -> Database:
        return migrated_sqlite(self._folder / "opening.sqlite3")

    def _copy(self) -> Database:
        path = self._folder / f"example-{next(self._names)}.sqlite3"
        shutil.copyfile(self._folder / "opening.sqlite3", path)
        return open_database(f"sqlite:///{path}")

    def drop(self, db: Database) -> None:
        path = db.sqlite_path
        db.dispose()
        assert path is not None
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


class PostgresDatabases(MachineDatabases):
    backend = "postgresql"

    def __init__(
        self, server: PostgresServer, clock: Callable[[], FixedClock], writes: OpeningWrites
    ) -> None:
        super().__init__(clock, writes)
        self._server = server
        self._template = ""

    def _template_database(self) -> Database:
        url = self._server.create_database(template=TEMPLATE)
        self._template = url.rsplit("/", 1)[1]
        return open_database(url)

    def _copy(self) -> Database:
        return open_database(self._server.create_database(template=self._template))

    def drop(self, db: Database) -> None:
        url = db.engine.url.render_as_string(hide_password=False)
        db.dispose()
        self._server.drop_database(url)
