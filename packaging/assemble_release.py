"""Gather what a GitHub release publishes into one folder, with SHA256SUMS and the notes.

    python packaging/assemble_release.py --out dist/release --complete artifacts/

copies the given files (or every file under the given folders) into ``--out``,
writes ``SHA256SUMS`` for them and ``release-notes.md`` (CHANGELOG.md's section for
the version), then checks the sums. Every file's name must carry the version, so a
stale artifact can't slip in. ``--complete`` also requires exactly one Windows
installer, one macOS disk image and one Linux archive, as a tag's release has.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from check_version import read_version
from checksums import SUMS, ChecksumError, verify, write_sums
from release_notes import CHANGELOG, ChangelogError, extract

ROOT = Path(__file__).resolve().parent.parent
NOTES = "release-notes.md"


def expected_kinds(version: str) -> dict[str, str]:
    """What a complete release holds: kind -> file name pattern."""
    return {
        "Windows installer": f"Desk-{version}-setup.exe",
        "macOS disk image": f"Desk-{version}.dmg",
        "Linux archive": f"Desk-{version}-linux-*.tar.gz",
    }


class ReleaseError(Exception):
    """The release can't be assembled as asked."""


@dataclass(frozen=True)
class Release:
    version: str
    folder: Path
    assets: list[Path]  # what gets uploaded: the files, then SHA256SUMS
    notes: Path


def _gather(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            raise ReleaseError(f"{path} does not exist")
    return files


def assemble(
    paths: list[Path],
    out_dir: Path,
    version: str,
    changelog: Path = CHANGELOG,
    complete: bool = False,
) -> Release:
    files = _gather(paths)
    if not files:
        raise ReleaseError("nothing to release: no files given")
    for path in files:
        if version not in path.name:
            raise ReleaseError(f"{path.name} does not carry the version {version}")
    if complete:
        for kind, pattern in expected_kinds(version).items():
            matches = [p.name for p in files if fnmatch.fnmatchcase(p.name, pattern)]
            if len(matches) != 1:
                raise ReleaseError(
                    f"a release needs one {kind} ({pattern}); got {matches or 'none'}"
                )
    try:
        notes_text = extract(changelog.read_text(encoding="utf-8"), version)
    except OSError as error:
        raise ReleaseError(f"can't read {changelog}: {error}") from error
    out_dir.mkdir(parents=True, exist_ok=True)
    assets = []
    for path in files:
        target = out_dir / path.name
        if target.resolve() != path.resolve():
            if target.exists():
                raise ReleaseError(f"two files would be {target}")
            shutil.copy2(path, target)
        assets.append(target)
    sums = write_sums(assets, out_dir / SUMS)
    verify(sums)
    notes = out_dir / NOTES
    notes.write_text(notes_text, encoding="utf-8")
    return Release(version, out_dir, [*sorted(assets), sums], notes)


def describe(release: Release) -> str:
    lines = [f"Desk {release.version}: {len(release.assets)} assets in {release.folder}"]
    lines += [f"  {a.name} ({a.stat().st_size:,} bytes)" for a in release.assets]
    notes_lines = len(release.notes.read_text(encoding="utf-8").splitlines())
    lines.append(f"  notes: {release.notes.name}, {notes_lines} lines")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, help="files, or folders to take all from")
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "release")
    parser.add_argument("--version", help="default: __version__ of desk/__init__.py")
    parser.add_argument("--changelog", type=Path, default=CHANGELOG)
    parser.add_argument("--complete", action="store_true", help="require .exe, .dmg and .tar.gz")
    args = parser.parse_args(argv)
    try:
        release = assemble(
            args.paths, args.out, args.version or read_version(), args.changelog, args.complete
        )
    except (ReleaseError, ChangelogError, ChecksumError) as error:
        prefix = "::error::" if os.environ.get("GITHUB_ACTIONS") == "true" else "error: "
        print(f"{prefix}{error}", file=sys.stderr)
        return 1
    print(describe(release))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
