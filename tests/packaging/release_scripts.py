"""Load the release scripts of packaging/ as modules, for their tests.

packaging/ is a folder of scripts, not a package (a ``packaging`` package would shadow
the PyPI one that pytest uses), and the scripts import each other by plain name as
they do when run. So each is loaded from its file with packaging/ on sys.path only
while it loads. tests/packaging/ has no __init__.py for the same reason: its test
modules are top-level, so their names are unique in the suite.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def load(name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, PACKAGING / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, str(PACKAGING))
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    finally:
        sys.path.remove(str(PACKAGING))
    return module


def run(
    script: str, *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python packaging/<script>.py args...`` as the workflow does (``env`` added)."""
    return subprocess.run(
        [sys.executable, str(PACKAGING / f"{script}.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={"PATH": "", "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
    )
