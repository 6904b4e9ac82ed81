"""The screens reach the database only through services: no `.db` in desk/ui.

ruff already bans importing desk.db, SQLAlchemy and desk.models there; this
catches the way around it, reaching `services.db` through the container.
"""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "desk" / "ui"


def database_uses(source: str) -> list[int]:
    """Lines where ``source`` reads an attribute named ``db`` or ``_db``."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and node.attr in ("db", "_db")
    ]


def test_the_checker_sees_the_container_s_database():
    assert database_uses("x = self._ctx.services.db.describe()\n") == [1]
    assert database_uses("label = services.backups.describe_database()\n") == []


def test_no_screen_holds_the_database():
    found = {
        str(path.relative_to(UI)): lines
        for path in sorted(UI.rglob("*.py"))
        if (lines := database_uses(path.read_text(encoding="utf-8")))
    }
    assert found == {}
