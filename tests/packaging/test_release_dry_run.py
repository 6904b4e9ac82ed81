"""packaging/linux_archive.py, assemble_release.py and release_dry_run.py on a fake bundle.

The fake stands in for dist/Desk (what ``python packaging/build.py`` makes on Linux):
an executable Desk, an _internal/ folder with a library and a symlink to it. No
PyInstaller is needed.
"""

from __future__ import annotations

import os
import tarfile

import pytest

from tests.packaging.release_scripts import ROOT, load, run

linux_archive = load("linux_archive")
assemble_release = load("assemble_release")
release_dry_run = load("release_dry_run")
checksums = load("checksums")

CHANGELOG = """\
# Changelog

## [Unreleased]

## [1.2.3] - 2026-12-24

### Added

- Gift cards.

## [1.2.2] - 2026-12-01

- Older.
"""


@pytest.fixture
def bundle(tmp_path):
    folder = tmp_path / "dist" / "Desk"
    (folder / "_internal" / "desk" / "migrations").mkdir(parents=True)
    program = folder / "Desk"
    program.write_bytes(b"\x7fELF fake executable\n")
    program.chmod(0o755)
    (folder / "_internal" / "libfake.so.6").write_bytes(b"library" * 100)
    os.symlink("libfake.so.6", folder / "_internal" / "libfake.so")
    (folder / "_internal" / "desk" / "migrations" / "env.py").write_text("# migrations\n")
    return folder


@pytest.fixture
def changelog(tmp_path):
    path = tmp_path / "CHANGELOG.md"
    path.write_text(CHANGELOG)
    return path


def test_archive_holds_the_bundle_under_desk_with_modes_and_links(bundle, tmp_path):
    out = linux_archive.make_archive(bundle, tmp_path / "out", "1.2.3", "x86_64")
    assert out.name == "Desk-1.2.3-linux-x86_64.tar.gz"
    with tarfile.open(out) as tar:
        members = {m.name: m for m in tar.getmembers()}
    assert sorted(members) == [
        "Desk",
        "Desk/Desk",
        "Desk/_internal",
        "Desk/_internal/desk",
        "Desk/_internal/desk/migrations",
        "Desk/_internal/desk/migrations/env.py",
        "Desk/_internal/libfake.so",
        "Desk/_internal/libfake.so.6",
    ]
    assert members["Desk/Desk"].mode & 0o111
    assert members["Desk/_internal/libfake.so"].issym()
    assert members["Desk/_internal/libfake.so"].linkname == "libfake.so.6"
    assert {(m.uid, m.gid, m.uname, m.gname) for m in members.values()} == {(0, 0, "", "")}
    assert not (tmp_path / "out" / (out.name + ".partial")).exists()


def test_archive_refuses_a_folder_that_is_not_a_bundle(tmp_path, bundle):
    with pytest.raises(linux_archive.BundleError, match="has no Desk executable"):
        linux_archive.make_archive(tmp_path / "empty", tmp_path / "out", "1.2.3")
    (bundle / "Desk").chmod(0o644)
    with pytest.raises(linux_archive.BundleError, match="is not executable"):
        linux_archive.make_archive(bundle, tmp_path / "out", "1.2.3")


def test_dry_run_assembles_archive_sums_and_notes(bundle, changelog, tmp_path):
    out_dir = tmp_path / "dist" / "release"
    release = release_dry_run.dry_run(bundle, out_dir, "1.2.3", changelog, "x86_64")
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "Desk-1.2.3-linux-x86_64.tar.gz",
        "SHA256SUMS",
        "release-notes.md",
    ]
    assert [a.name for a in release.assets] == ["Desk-1.2.3-linux-x86_64.tar.gz", "SHA256SUMS"]
    assert (out_dir / "release-notes.md").read_text() == "### Added\n\n- Gift cards.\n"
    digest = checksums.sha256_of(out_dir / "Desk-1.2.3-linux-x86_64.tar.gz")
    assert (out_dir / "SHA256SUMS").read_text() == f"{digest}  Desk-1.2.3-linux-x86_64.tar.gz\n"
    command = release_dry_run.gh_command(release)
    assert command.startswith("gh release create v1.2.3 --verify-tag --title 'Desk 1.2.3'")
    assert "--prerelease" not in command


def test_dry_run_again_replaces_what_the_last_one_left(bundle, changelog, tmp_path):
    out_dir = tmp_path / "release"
    release_dry_run.dry_run(bundle, out_dir, "1.2.2", changelog, "x86_64")
    (out_dir / "unrelated.txt").write_text("kept")
    release_dry_run.dry_run(bundle, out_dir, "1.2.3", changelog, "x86_64")
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "Desk-1.2.3-linux-x86_64.tar.gz",
        "SHA256SUMS",
        "release-notes.md",
        "unrelated.txt",
    ]
    assert checksums.verify(out_dir / "SHA256SUMS") == ["Desk-1.2.3-linux-x86_64.tar.gz"]


def test_dry_run_fails_without_release_notes(bundle, changelog, tmp_path):
    with pytest.raises(load("release_notes").ChangelogError, match=r"no section for 9\.9\.9"):
        release_dry_run.dry_run(bundle, tmp_path / "release", "9.9.9", changelog, "x86_64")


def test_assemble_complete_needs_all_three_platforms(changelog, tmp_path):
    artifacts = tmp_path / "artifacts"
    (artifacts / "windows").mkdir(parents=True)
    (artifacts / "windows" / "Desk-1.2.3-setup.exe").write_bytes(b"MZ")
    (artifacts / "Desk-1.2.3.dmg").write_bytes(b"dmg")
    with pytest.raises(assemble_release.ReleaseError, match=r"one Linux archive .* got none"):
        assemble_release.assemble([artifacts], tmp_path / "out", "1.2.3", changelog, complete=True)
    (artifacts / "Desk-1.2.3-linux-x86_64.tar.gz").write_bytes(b"tgz")
    release = assemble_release.assemble(
        [artifacts], tmp_path / "out", "1.2.3", changelog, complete=True
    )
    assert [a.name for a in release.assets] == [
        "Desk-1.2.3-linux-x86_64.tar.gz",
        "Desk-1.2.3-setup.exe",
        "Desk-1.2.3.dmg",
        "SHA256SUMS",
    ]
    assert checksums.verify(tmp_path / "out" / "SHA256SUMS") == [
        "Desk-1.2.3-linux-x86_64.tar.gz",
        "Desk-1.2.3-setup.exe",
        "Desk-1.2.3.dmg",
    ]


def test_assemble_refuses_a_file_of_another_version(changelog, tmp_path):
    stale = tmp_path / "Desk-1.2.2.dmg"
    stale.write_bytes(b"old")
    with pytest.raises(assemble_release.ReleaseError, match=r"does not carry the version 1\.2\.3"):
        assemble_release.assemble([stale], tmp_path / "out", "1.2.3", changelog)


def test_assemble_refuses_two_of_one_kind(changelog, tmp_path):
    artifacts = tmp_path / "artifacts"
    artifacts.mkdir()
    for name in ("Desk-1.2.3-setup.exe", "Desk-1.2.3.dmg", "Desk-1.2.3-linux-x86_64.tar.gz"):
        (artifacts / name).write_bytes(b"x")
    (artifacts / "Desk-1.2.3-linux-aarch64.tar.gz").write_bytes(b"y")
    with pytest.raises(assemble_release.ReleaseError, match="one Linux archive"):
        assemble_release.assemble([artifacts], tmp_path / "out", "1.2.3", changelog, complete=True)


def test_command_line_dry_run(bundle, changelog, tmp_path):
    out_dir = tmp_path / "release"
    done = run(
        "release_dry_run",
        "--bundle", str(bundle),
        "--out", str(out_dir),
        "--changelog", str(ROOT / "CHANGELOG.md"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    version = load("check_version").read_version()
    assert f"Desk {version}: 2 assets" in done.stdout
    assert "SHA256SUMS checked" in done.stdout
    assert f"gh release create v{version} " in done.stdout
    assert checksums.verify(out_dir / "SHA256SUMS")


def test_command_line_dry_run_without_a_bundle_fails_in_one_line(tmp_path):
    done = run("release_dry_run", "--bundle", str(tmp_path / "nothing"), "--out", str(tmp_path))
    assert done.returncode == 1
    assert done.stderr.startswith("release dry run failed: ")
    assert "has no Desk executable: build it first" in done.stderr
    assert len(done.stderr.splitlines()) == 1
