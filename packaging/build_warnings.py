"""PyInstaller's warnings that a Desk build prints, each with why it is harmless.

build.py sorts every WARNING line of the build into these known ones and new
ones; with --strict-warnings (CI) a new one fails the build, so a warning is
either cleared in desk.spec or explained here, never just scrolled past.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class KnownWarning:
    pattern: str
    why: str


KNOWN: tuple[KnownWarning, ...] = (
    KnownWarning(
        r'Hidden import "psycopg_binary\._uuid" not found',
        "The psycopg-binary hook of pyinstaller-hooks-contrib names a module that "
        "only newer psycopg-binary wheels have; without it psycopg parses UUIDs in "
        "Python. Desk stores no UUID columns.",
    ),
    KnownWarning(
        r"could not resolve 'lib(gtk|gdk)-3\.so\.0', dependency of .*platformthemes/libqgtk3\.so",
        "The GTK platform-theme plugin is analysed before desk.spec drops it "
        "(QT_PLUGIN_KEEP keeps only the xdg-desktop-portal theme), so its missing "
        "GTK libraries don't matter: the plugin is not in the bundle.",
    ),
)


def sort_warnings(log: str) -> tuple[list[str], list[str]]:
    """The build log's WARNING lines, as (known, new)."""
    known: list[str] = []
    new: list[str] = []
    for line in log.splitlines():
        if "WARNING:" not in line:
            continue
        text = line.split("WARNING:", 1)[1].strip()
        if any(re.search(k.pattern, text) for k in KNOWN):
            known.append(text)
        else:
            new.append(text)
    return known, new
