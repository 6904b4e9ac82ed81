"""Damaged copies of real backups are refused by check_backup and by restore, and the
live database is left as it was: cut short by one byte, cut short by one page, one
byte flipped inside a table's data page. 12 files of each kind.

Each test adds a line to the "damaged backups refused" section printed at the end
of the run (tests/services/records/conftest.py).
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from desk.db import Database
from desk.services.container import Services
from desk.services.records import backups
from desk.services.records.backup_files import Checksum, checksum_path
from desk.services.records.backups import BackupRefused
from desk.services.records.demo import DemoGenerator
from tests.services.factories import give_credits, make_member, make_type

pytestmark = pytest.mark.sqlite_only

COPIES = 12
_TABLE_LEAF = 13  # b-tree page type of a table's leaf page: where the rows are


def page_size(data: bytes) -> int:
    (raw,) = struct.unpack_from(">H", data, 16)
    return 65536 if raw == 1 else raw


def data_pages(data: bytes) -> list[int]:
    """Table leaf pages (numbered from 1, the schema page left out) holding rows."""
    size = page_size(data)
    pages = []
    for number in range(2, len(data) // size + 1):
        base = (number - 1) * size
        (start,) = struct.unpack_from(">H", data, base + 5)
        if data[base] == _TABLE_LEAF and (start or 65536) < size:
            pages.append(number)
    return pages


def cut_one_byte(data: bytes, _n: int) -> bytes:
    return data[:-1]


def cut_one_page(data: bytes, _n: int) -> bytes:
    return data[: -page_size(data)]


def flip_one_byte(data: bytes, n: int) -> bytes:
    """Flip one bit of a byte inside the rows of the n-th of 12 data pages spread over the file."""
    size = page_size(data)
    pages = data_pages(data)
    number = pages[n * len(pages) // COPIES]
    base = (number - 1) * size
    (start,) = struct.unpack_from(">H", data, base + 5)
    position = base + start + (n * 7919) % (size - start)
    damaged = bytearray(data)
    damaged[position] ^= 0x01
    return bytes(damaged)


KINDS: dict[str, Callable[[bytes, int], bytes]] = {
    "cut short by 1 byte": cut_one_byte,
    "cut short by 1 page": cut_one_page,
    "1 byte flipped in a data page": flip_one_byte,
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def made(services: Services, database: Database, tmp_path: Path) -> list[Path]:
    """12 backups of a small demo gym, a little more happening before each."""
    DemoGenerator(database, services.clock).generate(members=40, seed=2)
    kind = make_type(services, "Damage check")
    found = []
    for n in range(COPIES):
        member = make_member(services, "Backup", f"State{n}")
        give_credits(services, member, kind, 1 + n, note=f"state {n} " + "x" * (n * 37))
        found.append(backups.backup_now(database, tmp_path / "made" / f"state-{n:02d}.sqlite3"))
    database.dispose()
    return found


def damaged_copies(made: list[Path], kind: str, folder: Path, *, with_checksum: bool) -> list[Path]:
    """One damaged copy per backup; with its checksum file as Desk wrote it (damage in place)."""
    folder.mkdir()
    copies = []
    for n, original in enumerate(made):
        data = original.read_bytes()
        damaged = KINDS[kind](data, n)
        assert damaged != data
        copy = folder / f"{original.stem}-damaged.sqlite3"
        copy.write_bytes(damaged)
        if with_checksum:
            line = checksum_path(original).read_text().replace(original.name, copy.name)
            checksum_path(copy).write_text(line)
        copies.append(copy)
    return copies


class Tally:
    """What check_backup and restore did with each damaged copy."""

    def __init__(self, database: Database) -> None:
        assert database.sqlite_path is not None
        self.database = database
        self.live = database.sqlite_path
        self.pristine = self.live.read_bytes()
        self.before = sha256(self.live)
        self.checked = self.restored = self.untouched = self.total = 0
        self.accepted: list[backups.BackupInfo] = []
        self.messages: list[tuple[Path, str]] = []

    def messages_name_their_file_in_one_line(self) -> bool:
        return all(copy.name in said and "\n" not in said for copy, said in self.messages)

    def run(self, copy: Path) -> None:
        self.total += 1
        try:
            self.accepted.append(backups.check_backup(copy))
        except BackupRefused as exc:
            self.checked += 1
            self.messages.append((copy, exc.message))
        try:
            backups.restore(self.database, copy)
        except BackupRefused as exc:
            self.restored += 1
            self.messages.append((copy, exc.message))
        self.database.dispose()
        aside = list(self.live.parent.glob("*.before-restore-*"))
        if sha256(self.live) == self.before and not aside:
            self.untouched += 1
        else:
            # Put the live file back so the next copy is tried on the same database.
            for extra in aside:
                extra.unlink()
            self.live.write_bytes(self.pristine)

    def line(self, kind: str, *, with_checksum: bool) -> str:
        beside = "with its checksum file" if with_checksum else "without a checksum file"
        return (
            f"{kind}, {beside}: check_backup refused {self.checked}/{self.total}, "
            f"restore refused {self.restored}/{self.total}, "
            f"live database untouched {self.untouched}/{self.total}"
        )


@pytest.mark.parametrize("kind", KINDS)
def test_every_damaged_copy_of_a_backup_is_refused(
    made: list[Path], database: Database, tmp_path: Path, kind: str, damage_tally
) -> None:
    tally = Tally(database)
    for copy in damaged_copies(made, kind, tmp_path / "damaged", with_checksum=True):
        tally.run(copy)
    damage_tally(tally.line(kind, with_checksum=True))
    assert tally.total == COPIES
    assert tally.checked == tally.restored == tally.untouched == COPIES
    assert tally.messages_name_their_file_in_one_line()


@pytest.mark.parametrize("kind", ["cut short by 1 byte", "cut short by 1 page"])
def test_a_cut_copy_is_refused_even_without_its_checksum(
    made: list[Path], database: Database, tmp_path: Path, kind: str, damage_tally
) -> None:
    """The header's page count catches a short file with no checksum to compare with."""
    tally = Tally(database)
    for copy in damaged_copies(made, kind, tmp_path / "damaged", with_checksum=False):
        tally.run(copy)
    damage_tally(tally.line(kind, with_checksum=False))
    assert tally.checked == tally.restored == tally.untouched == COPIES
    assert tally.messages_name_their_file_in_one_line()


def test_a_flipped_byte_without_a_checksum_is_at_least_reported_unverified(
    made: list[Path], database: Database, tmp_path: Path, damage_tally
) -> None:
    """Without a checksum file a changed row can look whole (integrity_check sees only
    SQLite's structure): such a file is accepted, but never as verified."""
    kind = "1 byte flipped in a data page"
    tally = Tally(database)
    for copy in damaged_copies(made, kind, tmp_path / "damaged", with_checksum=False):
        tally.run(copy)
    damage_tally(tally.line(kind, with_checksum=False) + " (no checksum to compare with)")
    assert tally.checked == tally.restored
    assert tally.messages_name_their_file_in_one_line()
    assert all(info.checksum is Checksum.MISSING for info in tally.accepted)
    assert len(tally.accepted) + tally.checked == COPIES


def test_the_undamaged_backups_are_verified_and_restorable(
    made: list[Path], database: Database
) -> None:
    """The other tests' refusals come from the damage, not from the backups themselves."""
    for backup in made:
        assert backups.check_backup(backup).checksum is Checksum.VERIFIED
    result = backups.restore(database, made[-1])
    assert result.checksum is Checksum.VERIFIED
    assert Services.build(database).members.search("State11")
