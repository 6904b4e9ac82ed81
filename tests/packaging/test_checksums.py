"""packaging/checksums.py: SHA256SUMS in sha256sum's own format."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest

from tests.packaging.release_scripts import load, run

checksums = load("checksums")


@pytest.fixture
def files(tmp_path):
    made = []
    for name, data in [("b.tar.gz", b"bbb" * 1000), ("a.dmg", b""), ("c setup.exe", b"\x00\xff")]:
        path = tmp_path / name
        path.write_bytes(data)
        made.append(path)
    return made


def test_lines_are_sha256sum_format_sorted_by_name(files):
    text = checksums.sums_text(files)
    binary = hashlib.sha256(bytes([0, 255])).hexdigest()
    assert text.splitlines() == [
        f"{hashlib.sha256(b'').hexdigest()}  a.dmg",
        f"{hashlib.sha256(b'bbb' * 1000).hexdigest()}  b.tar.gz",
        f"{binary}  c setup.exe",
    ]
    assert text.endswith("\n")


def test_written_sums_verify(files, tmp_path):
    sums = checksums.write_sums(files, tmp_path / "SHA256SUMS")
    assert checksums.verify(sums) == ["a.dmg", "b.tar.gz", "c setup.exe"]


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="no sha256sum here")
def test_sha256sum_itself_accepts_them(files, tmp_path):
    checksums.write_sums(files, tmp_path / "SHA256SUMS")
    done = subprocess.run(
        ["sha256sum", "--check", "--strict", "SHA256SUMS"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_changed_file_fails_verification(files, tmp_path):
    sums = checksums.write_sums(files, tmp_path / "SHA256SUMS")
    (tmp_path / "b.tar.gz").write_bytes(b"tampered")
    with pytest.raises(
        checksums.ChecksumError, match=r"b\.tar\.gz: SHA-256 .* but SHA256SUMS says"
    ):
        checksums.verify(sums)


def test_a_missing_file_fails_verification(files, tmp_path):
    sums = checksums.write_sums(files, tmp_path / "SHA256SUMS")
    (tmp_path / "a.dmg").unlink()
    with pytest.raises(checksums.ChecksumError, match=r"a\.dmg is missing"):
        checksums.verify(sums)


@pytest.mark.parametrize("text", ["", "not a line\n", f"{'0' * 63}  x\n"])
def test_a_malformed_or_empty_sums_file_fails(tmp_path, text):
    sums = tmp_path / "SHA256SUMS"
    sums.write_text(text)
    with pytest.raises(checksums.ChecksumError):
        checksums.verify(sums)


def test_two_files_with_one_name_are_refused(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    for folder in ("x", "y"):
        (tmp_path / folder / "Desk.dmg").write_bytes(folder.encode())
    with pytest.raises(checksums.ChecksumError, match=r"two files named Desk\.dmg"):
        checksums.sums_text([tmp_path / "x" / "Desk.dmg", tmp_path / "y" / "Desk.dmg"])


def test_nothing_or_a_folder_is_refused(tmp_path):
    with pytest.raises(checksums.ChecksumError, match="no files"):
        checksums.sums_text([])
    with pytest.raises(checksums.ChecksumError, match="is not a file"):
        checksums.sums_text([tmp_path])


def test_command_line_writes_then_checks(files, tmp_path):
    done = run("checksums", *map(str, files))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "SHA256SUMS").read_text() == done.stdout
    checked = run("checksums", "--check", str(tmp_path / "SHA256SUMS"))
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.splitlines() == ["a.dmg: OK", "b.tar.gz: OK", "c setup.exe: OK"]
    (tmp_path / "c setup.exe").write_bytes(b"other")
    failed = run("checksums", "--check", str(tmp_path / "SHA256SUMS"))
    assert failed.returncode == 1
    assert "c setup.exe: SHA-256" in failed.stderr
