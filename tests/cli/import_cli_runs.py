"""Running desk import and export commands in a test, and opening the database they wrote."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from desk.cli import main
from desk.db import open_database
from desk.services.container import Services
from desk.services.core.clock import FixedClock
from tests.services.importing.import_gym import DATA, counts

BATCH_ID = re.compile(r"Import id ([0-9a-f-]{36}) \(undo with 'desk import undo'\)\.")


@contextmanager
def opened(url: str, clock: FixedClock) -> Iterator[Services]:
    db = open_database(url)
    try:
        yield Services.build(db, clock)
    finally:
        db.dispose()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:  # argparse refusing the command line
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def desk_import(capsys, url: str, what: str, file: str, *options: str) -> tuple[int, str, str]:
    # --create: some tests import into a database no command has opened yet.
    return run(capsys, "import", what, str(DATA / file), *options, "--database", url, "--create")


def table_counts(url: str, clock: FixedClock) -> dict[str, int]:
    with opened(url, clock) as services:
        return counts(services.db)
