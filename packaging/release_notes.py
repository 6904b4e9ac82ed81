"""Print one version's section of CHANGELOG.md (Keep a Changelog), for the release notes.

    python packaging/release_notes.py                  # the section of desk/__init__.py's version
    python packaging/release_notes.py 1.2.3 -o notes.md
    python packaging/release_notes.py Unreleased

A section starts at its ``## [1.2.3] - 2026-12-01`` heading (brackets optional) and
ends at the next ``## `` heading. Exits 1 with a message if the version has no
section, its section says nothing, it appears twice, or a released version has no
YYYY-MM-DD date.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from check_version import read_version

ROOT = Path(__file__).resolve().parent.parent
CHANGELOG = ROOT / "CHANGELOG.md"
UNRELEASED = "Unreleased"

_HEADING = re.compile(r"^## +\[?(?P<name>[^\]\s]+)\]?(?: +- +(?P<date>\S+))? *$")
_LINK_DEFINITION = re.compile(r"^\[[^\]]+\]: +\S+")


class ChangelogError(Exception):
    """CHANGELOG.md has no usable section for the version asked for."""


@dataclass(frozen=True)
class Section:
    name: str
    date: str | None
    body: str  # without its heading, trailing link definitions and blank lines


def sections(text: str) -> dict[str, Section]:
    """Every ``## `` section of a Keep a Changelog file, by version (or "Unreleased")."""
    found: dict[str, Section] = {}
    name: str | None = None
    when: str | None = None
    lines: list[str] = []

    def close() -> None:
        if name is None:
            return
        if name in found:
            raise ChangelogError(f"CHANGELOG.md has two sections for {name}")
        while lines and (not lines[-1].strip() or _LINK_DEFINITION.match(lines[-1])):
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        found[name] = Section(name, when, "\n".join(lines))

    for line in text.splitlines():
        if line.startswith("## "):
            heading = _HEADING.match(line)
            if heading is None:
                raise ChangelogError(f"CHANGELOG.md: can't read the heading {line!r}")
            close()
            name, when, lines = heading["name"], heading["date"], []
        elif name is not None:
            lines.append(line)
    close()
    return found


def extract(text: str, version: str) -> str:
    """The body of ``version``'s section, ending in one newline."""
    found = sections(text)
    section = found.get(version)
    if section is None:
        known = ", ".join(found) or "none"
        raise ChangelogError(
            f"CHANGELOG.md has no section for {version} (sections: {known}); "
            f"add '## [{version}] - YYYY-MM-DD' with what changed"
        )
    said = [
        line
        for line in section.body.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not said:
        raise ChangelogError(f"CHANGELOG.md's section for {version} is empty")
    if version != UNRELEASED:
        if section.date is None:
            raise ChangelogError(
                f"CHANGELOG.md's section for {version} has no date: '## [{version}] - YYYY-MM-DD'"
            )
        try:
            date.fromisoformat(section.date)
            valid = re.fullmatch(r"\d{4}-\d{2}-\d{2}", section.date) is not None
        except ValueError:
            valid = False
        if not valid:
            raise ChangelogError(
                f"CHANGELOG.md's section for {version}: {section.date!r} is not a YYYY-MM-DD date"
            )
    return section.body + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("version", nargs="?", help="default: __version__ of desk/__init__.py")
    parser.add_argument("--changelog", type=Path, default=CHANGELOG)
    parser.add_argument("-o", "--output", type=Path, help="write the notes here, not to stdout")
    args = parser.parse_args(argv)
    version = args.version
    if version is None:
        version = read_version()
    try:
        notes = extract(args.changelog.read_text(encoding="utf-8"), version)
    except (ChangelogError, OSError) as error:
        prefix = "::error::" if os.environ.get("GITHUB_ACTIONS") == "true" else "error: "
        print(f"{prefix}{error}", file=sys.stderr)
        return 1
    if args.output is None:
        sys.stdout.write(notes)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(notes, encoding="utf-8")
        print(f"Release notes for {version}: {args.output} ({len(notes.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
