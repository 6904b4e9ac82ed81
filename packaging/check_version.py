"""Check that a release tag names the version in desk/__init__.py (the one place it lives).

    python packaging/check_version.py v1.2.3   # exits 1 unless __version__ is "1.2.3"
    python packaging/check_version.py          # prints the version
    python packaging/check_version.py v1.2.3 --github-output "$GITHUB_OUTPUT"
        # ... and appends version=1.2.3, tag=v1.2.3, prerelease=true|false to that file

The tag may be given as ``refs/tags/v1.2.3``. A pre-release (1.2.3rc1, 1.2.3b2,
1.2.3.dev1) is published as a GitHub pre-release.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INIT = ROOT / "desk" / "__init__.py"

_VERSION_LINE = re.compile(r'^__version__ = "([^"]*)"', re.M)
# N.N.N with an optional PEP 440 pre-release and dev part: what Desk tags look like.
_VERSION = re.compile(r"\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?(?:\.dev\d+)?")
_PRERELEASE = re.compile(r"(?:a|b|rc)\d+|\.dev\d+")


class VersionError(Exception):
    """The version is missing or malformed, or the tag does not match it."""


def read_version(init: Path = INIT) -> str:
    """``__version__`` from desk/__init__.py, read as text (nothing is imported)."""
    found = _VERSION_LINE.search(init.read_text(encoding="utf-8"))
    if found is None:
        raise VersionError(f'{init}: no line __version__ = "N.N.N"')
    version = found.group(1)
    if not _VERSION.fullmatch(version):
        raise VersionError(
            f'{init}: __version__ = "{version}" is not a release version (N.N.N, or N.N.NrcN)'
        )
    return version


def is_prerelease(version: str) -> bool:
    return _PRERELEASE.search(version) is not None


def check_tag(tag: str, version: str) -> None:
    """Raise VersionError unless ``tag`` is ``v`` + ``version``."""
    name = tag.removeprefix("refs/tags/")
    if name == f"v{version}":
        return
    wanted = name[1:] if name.startswith("v") and _VERSION.fullmatch(name[1:]) else None
    how = (
        f'set __version__ = "{wanted}" in desk/__init__.py (and add its CHANGELOG.md '
        f"section), commit, and tag that commit"
        if wanted
        else f"release tags look like v{version}"
    )
    raise VersionError(
        f'tag {name} does not match desk/__init__.py: __version__ = "{version}" '
        f"expects the tag v{version}; {how}"
    )


def _fail(message: str) -> int:
    prefix = "::error::" if os.environ.get("GITHUB_ACTIONS") == "true" else "error: "
    print(f"{prefix}{message}", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tag", nargs="?", help="the release tag, v1.2.3 (default: check nothing)")
    parser.add_argument("--init", type=Path, default=INIT, help="default: desk/__init__.py")
    parser.add_argument(
        "--github-output", type=Path, help="append version=, tag=, prerelease= to this file"
    )
    args = parser.parse_args(argv)
    try:
        version = read_version(args.init)
        if args.tag is not None:
            check_tag(args.tag, version)
    except VersionError as error:
        return _fail(str(error))
    prerelease = is_prerelease(version)
    if args.github_output is not None:
        with args.github_output.open("a", encoding="utf-8") as out:
            out.write(f"version={version}\ntag=v{version}\n")
            out.write(f"prerelease={'true' if prerelease else 'false'}\n")
    checked = f" matches the tag {args.tag.removeprefix('refs/tags/')}" if args.tag else ""
    print(f"Desk {version}{' (pre-release)' if prerelease else ''}{checked}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
