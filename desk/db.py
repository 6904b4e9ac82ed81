"""Engine and session factory, SQLite pragmas, and migrations at start-up.

Every write runs in ``Database.write()``: one short transaction that on SQLite
begins IMMEDIATE, so two desks never both read a balance and then both write.
Reads run in ``Database.read()``, a plain (deferred) transaction that sees one
consistent snapshot without taking the write lock.

On PostgreSQL every transaction runs at READ COMMITTED: taking credits is a
conditional ``UPDATE ... WHERE remaining >= n`` (PostgreSQL re-checks the
condition on the newest row version after waiting for a concurrent writer), and
the other read-then-write steps hold row locks (``SELECT ... FOR UPDATE`` on
the appointment, the lot or the staff member; ``FOR NO KEY UPDATE`` on the
member for account writes and plan assignment) or an advisory lock
(``lock_for_transaction``: names unique ignoring case, logins, imports).
docs/concurrency.md lists every write and how. What can still go wrong under two
writers (a deadlock, a serialization failure, a lost race on a unique key,
SQLite's "database is locked" after the busy timeout) is retried as a whole
fresh transaction by ``@retry_transient`` on the services' public writes.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.exc import DatabaseError as SQLDatabaseError
from sqlalchemy.orm import Session, sessionmaker

from desk.db_changes import THIS_DESK, write_change_log
from desk.db_transactions import lock_for_transaction as lock_for_transaction
from desk.db_transactions import transient_kind as transient_kind
from desk.migrations import HEAD_REVISION

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 15_000
BACKUPS_FOLDER = "backups"
_WRITE_OPTION = "desk_write"
LOCAL_ZONE = "desk.local_zone"
"""``session.info`` key of a write session: the zone of the desk's clock (Database.local_zone)."""


class DatabaseError(Exception):
    """The database can't be opened or upgraded; the message says why and what to do."""


class DatabaseTooNew(DatabaseError):
    """The file was written by a newer version of Desk and is left untouched."""


class Database:
    """One database (SQLite file or server URL) with its read and write sessions."""

    def __init__(self, url: str, *, desk_id: str | None = None) -> None:
        self.desk_id = desk_id or THIS_DESK
        """Who this Database's writes are logged as (a second Database with another id
        stands for another desk in tests)."""
        try:
            self.url: URL = make_url(url)
        except ArgumentError as exc:
            raise DatabaseError(f"Not a database URL: {url!r}") from exc
        try:
            self.engine: Engine = _create_engine(self.url)
        except (NoSuchModuleError, ImportError) as exc:
            raise DatabaseError(
                f"Desk can't talk to {self.url.get_backend_name()!r} databases "
                f"({self.url.render_as_string(hide_password=True)}): {exc}"
            ) from exc
        self.local_zone: tzinfo | None = None
        """The zone of the desk's clock (set by Services.build): write sessions carry it
        as ``session.info[LOCAL_ZONE]`` for ledger rules that need the local date."""
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
        )
        event.listen(
            self._writer, "before_commit", lambda session: write_change_log(session, self.desk_id)
        )

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def is_postgresql(self) -> bool:
        return self.url.get_backend_name() == "postgresql"

    @property
    def sqlite_path(self) -> Path | None:
        """The file behind a SQLite URL; None for a server or an in-memory database."""
        if not self.is_sqlite or self.url.database in (None, "", ":memory:"):
            return None
        return Path(str(self.url.database))

    def describe(self) -> str:
        """A human-readable name of the database, without any password."""
        path = self.sqlite_path
        if path is not None:
            return str(path)
        return self.url.render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session inside one read transaction (rolled back at the end)."""
        with self._reader() as session, session.begin():
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session inside one write transaction: committed on success, else rolled back."""
        with self._writer.begin() as session:
            if self.local_zone is not None:
                session.info[LOCAL_ZONE] = self.local_zone
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() == "postgresql":
        # READ COMMITTED (PostgreSQL's default, said out loud): see the module docstring.
        engine = create_engine(url, pool_pre_ping=True, isolation_level="READ COMMITTED")
        event.listen(engine, "connect", _on_postgresql_connect)
        return engine
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # SQLAlchemy's documented recipe: switch pysqlite's own BEGIN handling off so
    # that the "begin" listener below decides how every transaction starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # A front desk prefers a millisecond to a lost sale.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _on_postgresql_connect(dbapi_connection: Any, _record: Any) -> None:
    # psycopg prepares a statement once it has run five times, and PostgreSQL may
    # then plan it once for every value (a "generic plan"). A member search's best
    # plan depends on what was typed ("%ndez%" matches thousands, an email one
    # member): the generic plan scanned all 100,000 members (~48 ms) where the
    # trigram index answers in ~2 ms. Always plan with the values at hand.
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_custom_plan")
    dbapi_connection.commit()  # a rolled-back SET would be undone


def _on_sqlite_begin(conn: Connection) -> None:
    if conn.get_execution_options().get(_WRITE_OPTION):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


# --- migrations ---------------------------------------------------------------------------


# Alembic is imported only where a schema change or a revision walk needs it: importing
# it (and Mako, and Pygments) cost ~120 ms of every start, where a plain read of
# alembic_version against HEAD_REVISION says "nothing to do".


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every schema revision this version of Desk knows (older ones and the head)."""
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(db: Database) -> str | None:
    """The schema revision stamped in the database, None for an empty one."""
    with db.engine.connect() as conn:
        return _stamped_revision(conn)


def _stamped_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(versions) > 1:
        raise DatabaseError(f"The database has {len(versions)} schema versions; restore a backup.")
    return str(versions[0]) if versions else None


def open_database(url: str) -> Database:
    """Open the database at ``url`` and bring its schema up to date.

    Order (docs/design.md, storage): quick integrity check, backup through SQLite's
    online backup API, upgrade in one transaction, restore the backup on failure.
    Raises DatabaseTooNew for a file from a newer Desk and DatabaseError when the
    file is damaged, unreachable or the upgrade fails.
    """
    db = Database(url)
    path = db.sqlite_path
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            db.dispose()
            raise DatabaseError(
                f"Can't create the folder {path.parent} for the database: {exc.strerror}."
            ) from exc
    try:
        migrate(db)
    except Exception:
        db.dispose()
        raise
    return db


def migrate(db: Database) -> None:
    """Upgrade ``db`` to the newest schema; see ``open_database`` for the order."""
    head = HEAD_REVISION
    try:
        current = current_revision(db)
        # The full check reads every page (about 3 s at 100,000 members), so it runs
        # here only before a schema change; every GUI start runs it in the
        # background (StartupChecks) and `desk check` runs it on demand.
        if db.is_sqlite and current != head:
            _quick_check(db)
    except SQLDatabaseError as exc:
        # OperationalError (locked, unreachable) and "file is not a database" alike.
        raise DatabaseError(
            f"Can't open the database {db.describe()}: {_one_line(exc.orig)}"
        ) from exc
    if current == head:
        return
    from alembic import command

    if current is not None and current not in known_revisions():
        raise DatabaseTooNew(
            f"The database {db.describe()} was written by a newer version of Desk "
            f"(schema {current}). Install the newer Desk; this file was not changed."
        )
    backup: Path | None = None
    path = db.sqlite_path
    if current is not None and path is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = backups_folder(path) / f"{path.stem}-before-{head}-{stamp}{path.suffix}"
        backup_sqlite(db, backup)
        log.info("Backed up %s to %s before upgrading its schema", path, backup)
    try:
        with db.engine.begin() as conn:
            if db.is_postgresql:
                # Two desks starting at once: the second waits, then finds nothing to do.
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('desk.migrate'))"))
                if _stamped_revision(conn) == head:
                    return
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    except Exception as exc:
        if backup is not None and path is not None:
            db.dispose()
            _restore_sqlite(backup, path)
            raise DatabaseError(
                f"Upgrading {path} failed ({exc}); it was restored from {backup}."
            ) from exc
        raise DatabaseError(f"Upgrading the database {db.describe()} failed: {exc}") from exc


def integrity_problems(db: Database) -> list[str]:
    """What SQLite's quick_check finds wrong with the file ([] when it is sound)."""
    if not db.is_sqlite or db.sqlite_path is None:
        return []
    with db.engine.connect() as conn:
        result = [str(r) for r in conn.execute(text("PRAGMA quick_check")).scalars().all()]
    return [] if result == ["ok"] else result


def _quick_check(db: Database) -> None:
    path = db.sqlite_path
    if path is None or not path.exists():
        return
    with db.engine.connect() as conn:
        result = conn.execute(text("PRAGMA quick_check")).scalars().all()
    if result != ["ok"]:
        problems = "; ".join(str(r) for r in result[:5])
        raise DatabaseError(f"The database {path} is damaged ({problems}). Restore a backup.")


def backups_folder(path: Path) -> Path:
    """Where the backups of the SQLite file ``path`` go: a ``backups`` folder beside it.

    For the default database that is ``platformdirs.user_data_dir("Desk")/backups``.
    """
    return path.parent / BACKUPS_FOLDER


# Pages copied per step when someone watches the progress (4 MiB of 4 KiB pages).
BACKUP_STEP_PAGES = 1024


def backup_sqlite(
    db: Database, target: Path, progress: Callable[[int, int], None] | None = None
) -> None:
    """Copy a live SQLite database to ``target`` through the online backup API.

    The copy is one consistent snapshot (other desks may go on writing). It is
    written beside ``target`` first and renamed into place when complete, so
    ``target`` never holds half a copy. With ``progress``, the copy goes a step
    at a time and ``progress(pages done, pages in all)`` follows each step; an
    exception it raises stops the copy and leaves no file.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    raw = db.engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        dest = sqlite3.connect(partial)
        try:
            if progress is None:
                source.backup(dest)
            else:
                source.backup(
                    dest,
                    pages=BACKUP_STEP_PAGES,
                    progress=lambda _status, left, total: progress(total - left, total),
                )
        finally:
            dest.close()
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        raw.close()


def _restore_sqlite(backup: Path, path: Path) -> None:
    source = sqlite3.connect(backup)
    dest = sqlite3.connect(path)
    try:
        source.backup(dest)
    finally:
        source.close()
        dest.close()


def _one_line(error: object) -> str:
    """A driver's message on one line (libpq adds a hint on a line of its own)."""
    return " ".join(str(error).split())
