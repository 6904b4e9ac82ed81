"""Shared fixtures: a real database per test (SQLite, and PostgreSQL where it applies),
a clock that stands still.

The ``database`` fixture (and ``db_url``, ``services`` on top of it) runs each
test of tests/services/, tests/test_db*.py and tests/cli/ twice: on a SQLite
file and on a fresh database of a throwaway PostgreSQL server (tests/postgres.py,
one server per session). Elsewhere (the GUI tests) SQLite only. A test marked
``sqlite_only`` (WAL pragmas, FTS5 plans, file backups) runs on SQLite alone.
``DESK_TEST_BACKENDS=sqlite`` (or ``postgresql``) narrows a local run.

Without PostgreSQL binaries the PostgreSQL half is skipped on a developer's
machine and fails in CI (``CI`` set), so CI can't pass without running it.

Test files live in memory where the machine has a /dev/shm with 2 GB free: the session's
temporary folder (``tmp_path``, ``tempfile``, the PostgreSQL server's folder,
the desk processes' files) is a fresh folder there, the SQLite counterpart of
the test server's ``fsync=off``. Desk commits with ``synchronous=FULL``, and an
fsync on a busy virtual disk costs milliseconds; the suite commits tens of
thousands of times. ``DESK_TEST_RAM_TMP=0`` keeps the system's temporary folder.
The folder is removed once pytest has ended; after a failure it is kept, with the
files of the tests that failed (``tmp_path_retention_policy = "failed"`` in
pyproject.toml).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

# Qt must never need a display in tests; set before anything imports PySide6.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desk.db import Database, open_database
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from tests.migrated import migrated_sqlite
from tests.postgres import TEMPLATE, PostgresServer, PostgresUnavailable

GYM_TZ = ZoneInfo("America/New_York")

BACKENDS = ("sqlite", "postgresql")
BACKENDS_ENV = "DESK_TEST_BACKENDS"
# Test folders and files whose tests run on both backends (relative to tests/).
_BOTH_BACKENDS = (
    "services", "cli", "test_db.py", "test_db_upgrades.py", "test_backups.py",
    "benchmarks/test_live_changes.py",
)  # fmt: skip


RAM_TMP_ENV = "DESK_TEST_RAM_TMP"
RAM_FOLDER = Path("/dev/shm")
RAM_TMP_MIN_FREE = 2 * 1024**3  # the whole suite peaked at 660 MB there
_ram_tmp = pytest.StashKey[Path]()


# Removes the session's in-memory folder once the pytest process has ended (so after
# every process it started, multiprocessing's own clean-up included, and also when
# pytest was killed), unless a failed run left KEEP in it.
_RAM_TMP_WATCHDOG = """
import os, shutil, sys, time
session, folder = int(sys.argv[1]), sys.argv[2]
while True:
    try:
        os.kill(session, 0)
    except ProcessLookupError:
        break
    time.sleep(1)
if not os.path.exists(os.path.join(folder, "KEEP")):
    shutil.rmtree(folder, ignore_errors=True)
"""


def pytest_configure(config: pytest.Config) -> None:
    # In the main pytest process only: xdist's workers (and every process the tests
    # start) inherit $TMPDIR from it.
    if hasattr(config, "workerinput") or os.environ.get(RAM_TMP_ENV, "1") == "0":
        return
    if not (RAM_FOLDER.is_dir() and os.access(RAM_FOLDER, os.W_OK | os.X_OK)):
        return
    if shutil.disk_usage(RAM_FOLDER).free < RAM_TMP_MIN_FREE:
        return  # a container's 64 MB /dev/shm: the tests' files wouldn't fit
    folder = Path(tempfile.mkdtemp(prefix="desk-tests-", dir=RAM_FOLDER))
    folder.chmod(0o1777)  # like /tmp: the PostgreSQL server runs as another user
    subprocess.Popen(
        [sys.executable, "-c", _RAM_TMP_WATCHDOG, str(os.getpid()), str(folder)],
        start_new_session=True,  # outlives a signal sent to pytest's process group
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    config.stash[_ram_tmp] = folder
    os.environ["TMPDIR"] = str(folder)
    tempfile.tempdir = str(folder)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    folder = session.config.stash.get(_ram_tmp, None)
    if folder is not None and exitstatus not in (
        pytest.ExitCode.OK,
        pytest.ExitCode.NO_TESTS_COLLECTED,
    ):
        if not folder.is_dir():  # removed under the run's feet (by something else)
            print(f"\nThe tests' in-memory folder {folder} was removed during the run.")
            return
        (folder / "KEEP").write_text("A failed run's files: remove this folder when done.\n")
        print(f"\nThe failed tests' files are in {folder} (in memory: remove it when done).")


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _chosen_backends() -> tuple[str, ...]:
    chosen = tuple(
        name.strip()
        for name in os.environ.get(BACKENDS_ENV, ",".join(BACKENDS)).split(",")
        if name.strip()
    )
    unknown = set(chosen) - set(BACKENDS)
    if unknown:
        raise pytest.UsageError(f"{BACKENDS_ENV}: unknown backend(s) {sorted(unknown)}")
    if _in_ci() and chosen != BACKENDS:
        raise pytest.UsageError(f"CI runs every backend; unset {BACKENDS_ENV}")
    return chosen


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    relative = Path(str(metafunc.definition.path)).relative_to(Path(__file__).parent)
    if relative.parts[0] not in _BOTH_BACKENDS and relative.as_posix() not in _BOTH_BACKENDS:
        return  # SQLite, unparametrized (the GUI tests keep their plain ids)
    wanted = set(BACKENDS)
    if metafunc.definition.get_closest_marker("sqlite_only") is not None:
        wanted = {"sqlite"}
    if metafunc.definition.get_closest_marker("postgresql_only") is not None:
        wanted = {"postgresql"}
    backends = [b for b in _chosen_backends() if b in wanted]
    metafunc.parametrize("backend", backends, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The database under test: "sqlite" or "postgresql" (see the module docstring)."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server for the whole session, with a migrated template."""
    try:
        server = PostgresServer()
    except PostgresUnavailable as exc:
        if _in_ci():
            pytest.fail(f"CI must run the PostgreSQL tests: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL not available here: {exc}")
    try:
        server.start()
        open_database(server.create_named(TEMPLATE)).dispose()
        yield server
    finally:
        server.stop()


def _postgres(request: pytest.FixtureRequest) -> PostgresServer:
    # Asked for only when a test runs on PostgreSQL: SQLite-only runs start no server.
    server = request.getfixturevalue("postgres_server")
    assert isinstance(server, PostgresServer)
    return server


@pytest.fixture
def clock() -> FixedClock:
    """Wednesday 2026-03-04 15:00 UTC (10:00 in New York)."""
    return FixedClock(datetime(2026, 3, 4, 15, 0, tzinfo=UTC), GYM_TZ)


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A URL where no Desk database exists yet: a SQLite file path, or an empty server database."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'desk.sqlite3'}"
        return
    server = _postgres(request)
    url = server.create_database()
    yield url
    server.drop_database(url)


@pytest.fixture
def database(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A migrated, empty Desk database on the backend under test."""
    if backend == "sqlite":
        db = migrated_sqlite(tmp_path / "desk.sqlite3")  # a copy of a file migrated once
        yield db
        db.dispose()
        return
    server = _postgres(request)
    url = server.create_database(template=TEMPLATE)
    db = open_database(url)
    yield db
    db.dispose()
    server.drop_database(url)


@pytest.fixture
def services(database: Database, clock: FixedClock) -> Services:
    return Services.build(database, clock)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The ledger state machine's steps, summed per backend over its test items (each
    item records what it checked: tests/services/credits/test_ledger_invariants.py)."""
    steps: dict[str, int] = {}
    items: dict[str, int] = {}
    for report in terminalreporter.stats.get("passed", []):
        for name, value in getattr(report, "user_properties", ()):
            if name == "ledger_steps":
                backend, ran = value
                steps[backend] = steps.get(backend, 0) + ran
                items[backend] = items.get(backend, 0) + 1
    if steps:
        terminalreporter.write_line(
            "ledger state machine: "
            + ", ".join(f"{steps[b]:,} steps on {b} ({items[b]} items)" for b in sorted(steps))
        )
