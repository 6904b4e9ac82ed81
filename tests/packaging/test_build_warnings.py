"""packaging/build_warnings.py: every PyInstaller warning is known and explained, or new."""

from __future__ import annotations

from tests.packaging.release_scripts import load

build_warnings = load("build_warnings")

LOG = """\
62 INFO: PyInstaller: 6.22.3, contrib hooks: 2026.9
15884 WARNING: Hidden import "psycopg_binary._uuid" not found!
19120 WARNING: Library not found: could not resolve 'libgdk-3.so.0', dependency of \
'/venv/site-packages/PySide6/Qt/plugins/platformthemes/libqgtk3.so'.
19121 WARNING: Library not found: could not resolve 'libgtk-3.so.0', dependency of \
'/venv/site-packages/PySide6/Qt/plugins/platformthemes/libqgtk3.so'.
38222 WARNING: Library not found: could not resolve 'libxcb-icccm.so.4', dependency of \
'/venv/site-packages/PySide6/Qt/plugins/platforms/libqxcb.so'.
16736 WARNING: Library user32 required via ctypes not found
"""


def test_known_warnings_are_told_apart_from_new_ones():
    known, new = build_warnings.sort_warnings(LOG)
    assert len(known) == 3
    assert new == [
        "Library not found: could not resolve 'libxcb-icccm.so.4', dependency of "
        "'/venv/site-packages/PySide6/Qt/plugins/platforms/libqxcb.so'.",
        "Library user32 required via ctypes not found",
    ]


def test_a_gtk_library_of_another_plugin_is_not_excused():
    log = (
        "1 WARNING: Library not found: could not resolve 'libgtk-3.so.0', dependency of "
        "'/venv/PySide6/Qt/plugins/styles/libqgtkstyle.so'.\n"
    )
    assert build_warnings.sort_warnings(log) == ([], [log.split("WARNING: ")[1].strip()])


def test_every_known_warning_says_why():
    for known in build_warnings.KNOWN:
        assert len(known.why) > 40, known.pattern
