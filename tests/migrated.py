"""A migrated, empty SQLite file made once per test process; each test starts from a copy.

Running the migrations on a new file costs about 0.1 s a test (the first one a
few seconds, while Alembic and the migration scripts load), on every test that
asks for ``database`` on SQLite: most of the suite. Copying the finished file
costs a millisecond. The migrations write nothing that differs from one file to
the next (no ids, no times), so a copy holds exactly what ``open_database``
makes of a new file; ``open_database`` then finds it at the newest schema and
leaves it as it is. tests/test_db*.py still migrate new files themselves
(``db_url``), which is what they test. PostgreSQL does the same with
``CREATE DATABASE ... TEMPLATE`` (tests/postgres.py).
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from desk.db import Database, open_database

_template: Path | None = None


def template() -> Path:
    """The migrated file of this test process, made on the first call."""
    global _template
    if _template is None:
        folder = Path(tempfile.mkdtemp(prefix="desk-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "desk.sqlite3"
        open_database(f"sqlite:///{path}").dispose()
        # Closed cleanly, the last connection folded the WAL into the file: one file is all.
        assert not Path(f"{path}-wal").exists(), "the template's WAL was left behind"
        _template = path
    return _template


def migrated_sqlite(path: Path) -> Database:
    """``open_database`` on ``path``, which must not exist yet: a copy of the template."""
    if path.exists():
        raise FileExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template(), path)
    return open_database(f"sqlite:///{path}")
