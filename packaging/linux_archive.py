"""Pack the Linux one-folder bundle (dist/Desk) as dist/Desk-<version>-linux-<machine>.tar.gz.

    python packaging/linux_archive.py                      # after python packaging/build.py
    python packaging/linux_archive.py --bundle dist/Desk --out dist/release

The archive holds one folder, Desk/, with its symlinks and executable bits kept and
every entry owned by 0:0 with no user names, so unpacking as root doesn't hand the
files to whatever uid built them. Users unpack it and run Desk/Desk.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tarfile
from pathlib import Path

from check_version import read_version

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "Desk"
TOP = "Desk"  # the folder inside the archive
EXECUTABLE = "Desk"


class BundleError(Exception):
    """The folder is not a built Linux bundle."""


def archive_name(version: str, machine: str | None = None) -> str:
    return f"Desk-{version}-linux-{machine or platform.machine() or 'unknown'}.tar.gz"


def _owned_by_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def make_archive(bundle: Path, out_dir: Path, version: str, machine: str | None = None) -> Path:
    """Write the archive of ``bundle`` into ``out_dir`` and return its path."""
    program = bundle / EXECUTABLE
    if not program.is_file():
        raise BundleError(f"{bundle} has no {EXECUTABLE} executable: build it first")
    if not program.stat().st_mode & 0o111:
        raise BundleError(f"{program} is not executable")
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / archive_name(version, machine)
    partial = out.with_name(out.name + ".partial")
    # Level 6 as tar -czf: 9 took 30 s against 8.5 s on the real bundle, for 0.4 % less.
    with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=TOP, recursive=True, filter=_owned_by_root)
    partial.replace(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, default=BUNDLE, help="default: dist/Desk")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="default: dist")
    parser.add_argument("--version", help="default: __version__ of desk/__init__.py")
    parser.add_argument("--machine", help="default: this machine's, e.g. x86_64")
    args = parser.parse_args(argv)
    try:
        out = make_archive(args.bundle, args.out, args.version or read_version(), args.machine)
    except BundleError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
