"""Write or check a SHA256SUMS file in ``sha256sum`` format.

    python packaging/checksums.py dist/release/Desk-* -o dist/release/SHA256SUMS
    python packaging/checksums.py --check dist/release/SHA256SUMS

Each line is ``<64 hex digits>  <file name>``, names without their folder, sorted:
``sha256sum -c SHA256SUMS`` checks it beside the files (``--ignore-missing`` for
one download), as does ``Get-FileHash -Algorithm SHA256`` on Windows by eye.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

SUMS = "SHA256SUMS"
_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")


class ChecksumError(Exception):
    """A file is missing, differs from its checksum, or the sums file is malformed."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sums_text(files: Iterable[Path]) -> str:
    """``sha256sum`` lines for ``files``, by name; they must have distinct plain names."""
    by_name: dict[str, Path] = {}
    for path in files:
        if not path.is_file():
            raise ChecksumError(f"{path} is not a file")
        if "\n" in path.name or "\\" in path.name:
            raise ChecksumError(f"{path.name!r}: a name sha256sum would have to escape")
        if path.name in by_name:
            raise ChecksumError(f"two files named {path.name}: {by_name[path.name]} and {path}")
        by_name[path.name] = path
    if not by_name:
        raise ChecksumError("no files to checksum")
    return "".join(f"{sha256_of(by_name[name])}  {name}\n" for name in sorted(by_name))


def write_sums(files: Iterable[Path], out: Path) -> Path:
    text = sums_text(files)
    out.write_text(text, encoding="utf-8", newline="\n")
    return out


def verify(sums: Path) -> list[str]:
    """Check every file named in ``sums`` (beside it); return the names checked."""
    checked: list[str] = []
    for number, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), 1):
        found = _LINE.fullmatch(line)
        if found is None:
            raise ChecksumError(f"{sums}:{number}: not a sha256sum line: {line!r}")
        expected, name = found.groups()
        path = sums.parent / name
        if not path.is_file():
            raise ChecksumError(f"{sums}:{number}: {name} is missing")
        actual = sha256_of(path)
        if actual != expected:
            raise ChecksumError(f"{name}: SHA-256 {actual}, but {sums.name} says {expected}")
        checked.append(name)
    if not checked:
        raise ChecksumError(f"{sums} lists no files")
    return checked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("-o", "--output", type=Path, help=f"default: {SUMS} beside the files")
    parser.add_argument("--check", type=Path, metavar=SUMS, help="verify this file instead")
    args = parser.parse_args(argv)
    try:
        if args.check is not None:
            for name in verify(args.check):
                print(f"{name}: OK")
            return 0
        if not args.files:
            parser.error("name the files to checksum (or --check SHA256SUMS)")
        out = args.output or args.files[0].parent / SUMS
        write_sums(args.files, out)
        print(out.read_text(encoding="utf-8"), end="")
    except (ChecksumError, OSError) as error:
        prefix = "::error::" if os.environ.get("GITHUB_ACTIONS") == "true" else "error: "
        print(f"{prefix}{error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
