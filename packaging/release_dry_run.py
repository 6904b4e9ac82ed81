"""Assemble here what a tag's release would publish, from the Linux bundle alone.

    python packaging/build.py --self-test && python packaging/release_dry_run.py

packs dist/Desk as the release workflow's Linux job does (packaging/linux_archive.py),
then gathers it as its publish job does (packaging/assemble_release.py) into
dist/release/: the tar.gz, SHA256SUMS and release-notes.md (CHANGELOG.md's section
for desk/__init__.py's version, which must exist). Then it checks the sums and that
the archive unpacks to Desk/Desk, executable, and prints the ``gh release create``
it would run. Nothing is uploaded. Exits 1 with a message if any step fails.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tarfile
from pathlib import Path

from assemble_release import NOTES, Release, ReleaseError, assemble, describe
from check_version import VersionError, is_prerelease, read_version
from checksums import SUMS, ChecksumError, verify
from linux_archive import BUNDLE, EXECUTABLE, TOP, BundleError, make_archive
from release_notes import CHANGELOG, ChangelogError

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "dist" / "release"


def _clear(out_dir: Path) -> None:
    """Remove what an earlier dry run left (only the files it makes)."""
    if not out_dir.is_dir():
        return
    for path in out_dir.iterdir():
        if path.is_file() and (path.name.startswith("Desk-") or path.name in (SUMS, NOTES)):
            path.unlink()


def _check_archive(archive: Path) -> None:
    with tarfile.open(archive, "r:gz") as tar:
        members = tar.getmembers()
    names = {m.name for m in members}
    program = next((m for m in members if m.name == f"{TOP}/{EXECUTABLE}"), None)
    if program is None or not program.isfile() or not program.mode & 0o111:
        raise ReleaseError(f"{archive.name} has no executable {TOP}/{EXECUTABLE}")
    outside = sorted(n for n in names if n != TOP and not n.startswith(f"{TOP}/"))
    if outside:
        raise ReleaseError(f"{archive.name} has entries outside {TOP}/: {outside[:5]}")


def gh_command(release: Release) -> str:
    tag = f"v{release.version}"
    words = ["gh", "release", "create", tag, "--verify-tag", "--title", f"Desk {release.version}"]
    words += ["--notes-file", str(release.notes)]
    if is_prerelease(release.version):
        words.append("--prerelease")
    words += [str(a) for a in release.assets]
    return shlex.join(words)


def dry_run(
    bundle: Path = BUNDLE,
    out_dir: Path = OUT,
    version: str | None = None,
    changelog: Path = CHANGELOG,
    machine: str | None = None,
) -> Release:
    version = version or read_version()
    _clear(out_dir)
    archive = make_archive(bundle, out_dir, version, machine)
    release = assemble([archive], out_dir, version, changelog)
    verify(out_dir / SUMS)
    _check_archive(archive)
    return release


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, default=BUNDLE, help="default: dist/Desk")
    parser.add_argument("--out", type=Path, default=OUT, help="default: dist/release")
    parser.add_argument("--changelog", type=Path, default=CHANGELOG)
    args = parser.parse_args(argv)
    try:
        release = dry_run(args.bundle, args.out, changelog=args.changelog)
    except (BundleError, ReleaseError, ChangelogError, ChecksumError, VersionError) as error:
        print(f"release dry run failed: {error}", file=sys.stderr)
        return 1
    print(describe(release))
    print(f"SHA256SUMS checked; {release.assets[0].name} unpacks to {TOP}/{EXECUTABLE}.")
    print("A tag's publish job would then run (with the Windows and macOS files too):")
    print(f"  {gh_command(release)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
