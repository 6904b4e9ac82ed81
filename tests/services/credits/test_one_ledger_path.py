"""Every write of a lot's ``remaining`` and every ledger entry goes through ledger.py
(and ledger_lots.py, its writes of a lot's expiry and owner).

The services are read as Python syntax trees and each write the ledger owns is
looked for outside desk/services/credits/ledger.py: building a CreditEntry,
insert/update/delete statements on credit_lots or credit_entries, assigning
``.remaining``, a ``remaining=`` keyword (``.values(remaining=...)``) and a
``"remaining"`` key in row dicts (bulk inserts). The last test feeds each kind
of write to the same finder, so the check itself is known to catch them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import desk.services

SERVICES = Path(desk.services.__file__).parent
LEDGER = SERVICES / "credits" / "ledger.py"
# The ledger's writes of a lot's dates and owner (no credit moves there).
LEDGER_FILES = {LEDGER, SERVICES / "credits" / "ledger_lots.py"}
LEDGER_MODELS = {"CreditEntry", "CreditLot", "_ENTRIES", "_LOTS"}
STATEMENTS = {"insert", "update", "delete"}
# The demo gym invents years of entries as rows (demo_history.py); it hands them to
# ledger.write_history, which derives each lot's remaining from them and writes
# both. Only that kind of finding is let through, and only there.
ALLOWED = {(SERVICES / "records" / "demo_history.py", "a credit_entries row")}


def _names_ledger_table(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in LEDGER_MODELS
    # CreditLot.__table__, cast(Table, CreditEntry.__table__) and the like
    if isinstance(node, ast.Attribute) and node.attr == "__table__":
        return _names_ledger_table(node.value)
    if isinstance(node, ast.Call):
        return any(_names_ledger_table(arg) for arg in node.args)
    return False


def ledger_writes(source: str) -> list[str]:
    """Each write of the ledger's tables in ``source``, as "line: what"."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name == "CreditEntry":
                found.append(f"{node.lineno}: builds a CreditEntry")
            if name in STATEMENTS and node.args and _names_ledger_table(node.args[0]):
                found.append(f"{node.lineno}: {name}() on a ledger table")
            if name == "values" and any(kw.arg == "remaining" for kw in node.keywords):
                found.append(f"{node.lineno}: .values(remaining=...)")
        elif isinstance(node, ast.Attribute) and node.attr == "__table__":
            if _names_ledger_table(node.value):
                found.append(f"{node.lineno}: uses a ledger table directly")
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found.extend(
                f"{node.lineno}: assigns .remaining"
                for target in targets
                if isinstance(target, ast.Attribute) and target.attr == "remaining"
            )
        elif isinstance(node, ast.Dict):
            keys = {key.value for key in node.keys if isinstance(key, ast.Constant)}
            if {"remaining", "member_id"} <= keys:
                found.append(f"{node.lineno}: a credit_lots row with remaining")
            if {"lot_id", "kind", "delta"} <= keys:
                found.append(f"{node.lineno}: a credit_entries row")
    return found


def test_no_service_but_the_ledger_writes_remaining_or_entries():
    offenders = [
        f"{path.relative_to(SERVICES.parent.parent)}:{where}"
        for path in sorted(SERVICES.rglob("*.py"))
        if path not in LEDGER_FILES
        for where in ledger_writes(path.read_text(encoding="utf-8"))
        if (path, where.split(": ", 1)[1]) not in ALLOWED
    ]
    assert offenders == []


def test_the_ledger_itself_is_where_they_are():
    assert len(ledger_writes(LEDGER.read_text(encoding="utf-8"))) >= 5


@pytest.mark.parametrize(
    "code",
    [
        "session.add(CreditEntry(lot_id=1, kind='adjust', delta=-1))",
        "session.execute(update(CreditLot).where(CreditLot.id == 1).values(remaining=0))",
        "session.execute(insert(CreditEntry), rows)",
        "connection.execute(insert(_ENTRIES), rows)",
        "t = cast(Table, CreditLot.__table__)",
        "lot.remaining = 0",
        "lot.remaining -= 1",
        "rows.append({'member_id': 1, 'quantity': 2, 'remaining': 2})",
        "rows.append({'lot_id': 1, 'kind': 'grant', 'delta': 2})",
        "session.execute(delete(CreditEntry).where(CreditEntry.lot_id == 1))",
    ],
)
def test_the_finder_catches_each_kind_of_write(code):
    assert ledger_writes(code) != []


def test_the_finder_lets_reads_through():
    code = (
        "select(CreditLot.id, CreditLot.remaining).where(CreditLot.remaining > 0)\n"
        "view = LotView(remaining=lot.remaining)\n"
        "audit(before={'remaining': lot.remaining})"
    )
    assert ledger_writes(code) == []
