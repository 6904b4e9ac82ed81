"""Build Desk's bundle for this operating system with PyInstaller.

    python packaging/build.py              # one folder: dist/Desk/ (dist/Desk.app on macOS)
    python packaging/build.py --onefile    # one file:   dist/onefile/Desk[.exe]
    python packaging/build.py --self-test  # ... then run the frozen app's --self-test
    python packaging/build.py --test-only  # only run the --self-test of the last build

Needs the packaging extra: ``python -m pip install -e ".[packaging]"`` (add
``postgres`` to bundle the PostgreSQL driver). Prints the output path, its size
and, with --self-test, the smoke test's report; exits non-zero if either fails.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from build_warnings import sort_warnings

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "desk.spec"
NAME = "Desk"


def output_path(onefile: bool) -> Path:
    """What PyInstaller writes for this OS and mode."""
    if onefile:
        return ROOT / "dist" / "onefile" / (f"{NAME}.exe" if sys.platform == "win32" else NAME)
    if sys.platform == "darwin":
        return ROOT / "dist" / f"{NAME}.app"
    return ROOT / "dist" / NAME


def executable(onefile: bool) -> Path:
    """The program to run inside the output."""
    out = output_path(onefile)
    if onefile:
        return out
    if sys.platform == "darwin":
        return out / "Contents" / "MacOS" / NAME
    return out / (f"{NAME}.exe" if sys.platform == "win32" else NAME)


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build(onefile: bool, clean: bool, strict_warnings: bool = False) -> Path:
    if importlib.util.find_spec("PyInstaller") is None:
        sys.exit('PyInstaller is missing: python -m pip install -e ".[packaging]"')
    mode = "onefile" if onefile else "onedir"
    command = [
        sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--log-level=WARN",
        "--distpath", str(output_path(onefile).parent if onefile else ROOT / "dist"),
        "--workpath", str(ROOT / "build" / mode),
    ]  # fmt: skip
    if clean:
        command.append("--clean")
    env = {**os.environ, "DESK_ONEFILE": "1" if onefile else "0"}
    started = time.perf_counter()
    print(f"Building the {mode} bundle: {' '.join(command)}", flush=True)
    log = _run_showing(command, env)
    known, new = sort_warnings(log)
    print(f"PyInstaller warnings: {len(known)} known (see packaging/build_warnings.py), "
          f"{len(new)} new")  # fmt: skip
    for text in new:
        print(f"  new warning: {text}")
    if new and strict_warnings:
        sys.exit("New PyInstaller warnings: clear them in desk.spec or explain them in "
                 "packaging/build_warnings.py")  # fmt: skip
    out = output_path(onefile)
    if not out.exists():
        sys.exit(f"PyInstaller finished but {out} is missing")
    print(f"Built in {time.perf_counter() - started:.0f} s: {out}")
    print(f"Size: {size_of(out) / 1e6:.1f} MB ({size_of(out) / 2**20:.1f} MiB)")
    return out


def _run_showing(command: list[str], env: dict[str, str]) -> str:
    """Run ``command``, echoing its output as it comes; return that output."""
    lines: list[str] = []
    with subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        encoding="utf-8", errors="replace",
    ) as process:  # fmt: skip
        assert process.stdout is not None
        for line in process.stdout:
            print(line, end="", flush=True)
            lines.append(line)
    if process.returncode != 0:
        sys.exit(f"PyInstaller failed (exit {process.returncode})")
    return "".join(lines)


def self_test(onefile: bool) -> int:
    """Run the frozen app's ``--self-test``, show its report, return its exit status."""
    program = executable(onefile)
    if not program.exists():
        sys.exit(f"{program} is missing: build it first")
    env = dict(os.environ)
    if sys.platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    fallback = Path(tempfile.gettempdir()) / "desk-self-test.txt"  # written without a stdout
    fallback.unlink(missing_ok=True)
    print(f"Smoke test: {program} --self-test", flush=True)
    started = time.perf_counter()
    # Through a pipe: a windowed Windows executable gets no console, but it does get the
    # handles it is given.
    done = subprocess.run(
        [str(program), "--self-test"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        check=False,
        timeout=600,
    )
    report = done.stdout.decode("utf-8", "replace")
    if not report.strip() and fallback.exists():
        report = fallback.read_text(encoding="utf-8", errors="replace")
    print(report, end="" if report.endswith("\n") else "\n")
    print(f"Frozen self-test exited {done.returncode} after {time.perf_counter() - started:.1f} s")
    return done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--onefile", action="store_true", help="one executable, not a folder")
    parser.add_argument("--clean", action="store_true", help="rebuild from scratch")
    parser.add_argument(
        "--self-test", action="store_true", help="run the frozen app's --self-test afterwards"
    )
    parser.add_argument(
        "--test-only", action="store_true", help="don't build: run the last build's --self-test"
    )
    parser.add_argument(
        "--strict-warnings",
        action="store_true",
        help="fail on a PyInstaller warning that packaging/build_warnings.py doesn't explain",
    )
    args = parser.parse_args()
    if args.test_only:
        return self_test(args.onefile)
    if args.clean:
        shutil.rmtree(ROOT / "build" / ("onefile" if args.onefile else "onedir"), True)
    build(args.onefile, args.clean, args.strict_warnings)
    return self_test(args.onefile) if args.self_test else 0


if __name__ == "__main__":
    raise SystemExit(main())
