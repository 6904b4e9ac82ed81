"""The installed Qt binding keeps Python's reference counts straight.

PySide6 6.12.0 loses a reference to None on every Qt call that returns nothing
and aborts the interpreter after a few thousand calls on Python 3.11; the
dependency pin excludes it. This runs in a child process so that a bad binding
fails this test instead of killing the whole run.
"""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for _ in range(5000):
    label.setText("x")
print(sys.getrefcount(None) - before)
"""


def test_void_qt_calls_do_not_leak_references_to_none():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert abs(int(done.stdout.strip())) < 50
