"""A throwaway PostgreSQL server for the tests, started from the machine's binaries.

One server per test session: ``initdb`` into a fresh temporary folder, ``pg_ctl
start`` listening on a free port of 127.0.0.1 (and a unix socket in the same
folder), stopped and removed at the end. PostgreSQL refuses to run as root, so
as root the folder is handed to the ``postgres`` user and the binaries run as
that user through ``su``; as anyone else they run as that person.

pytest-postgresql does the same job but runs the binaries as the current user,
which fails as root (how CI runs); this module is the small part we need.
Each test gets its own database, copied from a template migrated once
(``CREATE DATABASE ... TEMPLATE``), which takes a few milliseconds.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
from psycopg import sql

PG_BIN_ENV = "DESK_PG_BIN"
DEFAULT_BIN = Path("/usr/lib/postgresql/15/bin")
SERVER_USER = "postgres"
TEMPLATE = "desk_template"

# Durability is worth nothing in a server that lives for one test session.
_SERVER_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "64MB",
    # Deadlocks among racing test processes are found in 50 ms, not a second.
    "deadlock_timeout": "50ms",
}


# Stops the server and removes its folder if the test session dies without doing it
# (pytest killed by a timeout, say): polls the session's process once a second.
_WATCHDOG = """
import os, shutil, subprocess, sys, time
session, root, stop = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
while True:
    try:
        os.kill(session, 0)
    except ProcessLookupError:
        break
    time.sleep(1)
subprocess.run(stop, capture_output=True, check=False)
shutil.rmtree(root, ignore_errors=True)
"""


class PostgresUnavailable(Exception):
    """No PostgreSQL binaries (or no user to run them as) on this machine."""


def find_bindir() -> Path:
    """The folder holding initdb and pg_ctl: $DESK_PG_BIN, Debian's 15, pg_config, or any."""
    candidates: list[Path] = []
    if os.environ.get(PG_BIN_ENV):
        candidates.append(Path(os.environ[PG_BIN_ENV]))
    candidates.append(DEFAULT_BIN)
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if out.returncode == 0:
            candidates.append(Path(out.stdout.strip()))
    candidates.extend(Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True))
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) were not found in "
        + ", ".join(str(c) for c in candidates)
        + f"; install postgresql-15 or set {PG_BIN_ENV}."
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PostgresServer:
    """One throwaway cluster; ``url(name)`` gives SQLAlchemy URLs into it."""

    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_bindir()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            try:
                self._owner = pwd.getpwnam(SERVER_USER)
            except KeyError:
                raise PostgresUnavailable(
                    f"Running as root, but there is no {SERVER_USER!r} user to run PostgreSQL as."
                ) from None
        # Not under pytest's tmp_path: that is private to root (0700) and the
        # server, running as postgres, must reach its own folder.
        self.root = Path(tempfile.mkdtemp(prefix="desk-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = _free_port()
        self._names = itertools.count(1)
        self.started = False
        self._watchdog: subprocess.Popen[bytes] | None = None

    # --- running the binaries ----------------------------------------------------------

    def _command(self, *argv: str) -> list[str]:
        command = [str(self.bindir / argv[0]), *argv[1:]]
        if self.as_root:
            # su's -c takes one shell line; quote every argument.
            command = ["su", SERVER_USER, "-s", "/bin/sh", "-c", shlex.join(command)]
        return command

    def _run(self, *argv: str) -> None:
        command = self._command(*argv)
        env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        env.pop("PGDATA", None)
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(
                f"{' '.join(argv[:2])} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n"
                f"{log}"
            )

    def start(self) -> PostgresServer:
        if self.as_root:
            os.chown(self.root, self._owner.pw_uid, self._owner.pw_gid)
        self._run(
            "initdb",
            "--pgdata",
            str(self.data),
            "--username",
            SERVER_USER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
            "--no-sync",
        )
        options = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.root}",
                *(f"-c {key}={value}" for key, value in _SERVER_SETTINGS.items()),
            ]
        )
        self._options = options
        self._run("pg_ctl", "start", "-D", str(self.data), "-l", str(self.log), "-w", "-o", options)
        self.started = True
        self._watchdog = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG, str(os.getpid()), str(self.root), *self._stop()],
            start_new_session=True,  # outlives a signal sent to the session's process group
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return self

    def restart(self) -> None:
        """Stop the server (every connection drops) and start it again on the same port.

        Stop and start rather than ``pg_ctl restart``, which takes no ``-l``: the new
        server would keep pg_ctl's output pipe, and this call would never return."""
        data = str(self.data)
        self._run("pg_ctl", "stop", "-D", data, "-m", "fast", "-w")
        self._run("pg_ctl", "start", "-D", data, "-l", str(self.log), "-w", "-o", self._options)

    def _stop(self) -> list[str]:
        return self._command("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w")

    def stop(self) -> None:
        if self._watchdog is not None:
            self._watchdog.kill()
            self._watchdog.wait()
            self._watchdog = None
        try:
            if self.started:
                self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w")
                self.started = False
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    # --- databases -----------------------------------------------------------------------

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SERVER_USER}@127.0.0.1:{self.port}/{database}"

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=SERVER_USER, dbname="postgres", autocommit=True
        )

    def create_database(self, *, template: str | None = None) -> str:
        """A new empty database (or a copy of ``template``); its SQLAlchemy URL."""
        name = f"desk_test_{os.getpid()}_{next(self._names)}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        with self._admin() as conn:
            if template is not None:
                statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
                if conn.info.server_version >= 150000:
                    # Copying the files is twice as fast as WAL_LOG for a small template.
                    statement += sql.SQL(" STRATEGY FILE_COPY")
            conn.execute(statement)
        return self.url(name)

    def create_named(self, name: str) -> str:
        with self._admin() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        with self._admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
