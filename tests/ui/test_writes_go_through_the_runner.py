"""No GUI code calls a write service directly: every write runs on the OperationRunner.

The write methods are computed, not listed: every public method of a service class in
``Services``' type hints with a keyword-only ``actor`` parameter (every write takes
one; ``auth.can(actor, ...)`` takes it positionally and only reads).

What is accepted: a reference ``<service>.<write method>`` (called or not) is allowed
only lexically inside a lambda that is an argument of an entry point, or inside a
nested ``def`` whose name is passed as an argument to one in the same enclosing body.
The entry points are ``<…runner>.run(...)``, ``<…runner>.write_task(...)`` (the
receiver's last name ends in ``runner``), ``submit(...)`` and ``Write(...)`` (a
write not yet run, which only the runner calls). ``<service>`` is ``….services.<name>``
or a name (or attribute) assigned from such an expression anywhere in the same file.
"""

from __future__ import annotations

import ast
import inspect
import typing
from pathlib import Path

from desk.services.container import Services

UI = Path(__file__).resolve().parents[2] / "desk" / "ui"


def write_methods() -> dict[str, set[str]]:
    """Service attribute on Services -> its write methods."""
    found: dict[str, set[str]] = {}
    for name, cls in typing.get_type_hints(Services).items():
        if not (inspect.isclass(cls) and cls.__module__.startswith("desk.services")):
            continue
        for method, fn in inspect.getmembers(cls, inspect.isfunction):
            actor = inspect.signature(fn).parameters.get("actor")
            keyword = actor is not None and actor.kind is inspect.Parameter.KEYWORD_ONLY
            if not method.startswith("_") and keyword:
                found.setdefault(name, set()).add(method)
    return found


def _last_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_entry_point(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in ("submit", "Write")
    if isinstance(func, ast.Attribute) and func.attr in ("run", "write_task"):
        receiver = _last_name(func.value)
        return receiver is not None and receiver.endswith("runner")
    return False


def _service_of(node: ast.expr, aliases: dict[str, str], writes: dict[str, set[str]]) -> str | None:
    """The Services attribute ``node`` stands for, if any."""
    if (
        isinstance(node, ast.Attribute)
        and node.attr in writes
        and _last_name(node.value) == "services"
    ):
        return node.attr
    name = _last_name(node)
    return aliases.get(name) if name is not None else None


def violations(source: str, writes: dict[str, set[str]]) -> list[tuple[int, str]]:
    """(line, "service.method") for each write reached outside the runner."""
    tree = ast.parse(source)
    parents: dict[ast.AST, ast.AST] = {}
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            parents[child] = parent
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            service = _service_of(node.value, {}, writes)
            for target in node.targets:
                name = _last_name(target)
                if service is not None and name is not None:
                    aliases[name] = service
    # Lambdas passed to an entry point, and the names of defs passed to one.
    allowed: set[ast.AST] = set()
    passed_names: dict[ast.AST, set[str]] = {}  # enclosing body owner -> names
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_entry_point(node):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if isinstance(arg, ast.Lambda):
                    allowed.add(arg)
                elif isinstance(arg, ast.Name):
                    owner = parents.get(node)
                    while owner is not None and not isinstance(
                        owner, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module
                    ):
                        owner = parents.get(owner)
                    if owner is not None:
                        passed_names.setdefault(owner, set()).add(arg.id)
    for owner, names in passed_names.items():
        for child in ast.walk(owner):
            if isinstance(child, ast.FunctionDef) and child.name in names and child is not owner:
                allowed.add(child)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        service = _service_of(node.value, aliases, writes)
        if service is None or node.attr not in writes.get(service, set()):
            continue
        up: ast.AST | None = parents.get(node)
        while up is not None and up not in allowed:
            up = parents.get(up)
        if up is None:
            found.append((node.lineno, f"{service}.{node.attr}"))
    return found


def test_the_write_methods_are_found_by_introspection():
    writes = write_methods()
    assert "add_credits" in writes["credits"]
    assert "reschedule" in writes["booking"]
    assert "restore" in writes["backups"]
    assert "can" not in writes.get("auth", set())  # takes the actor, only reads


def test_no_gui_code_calls_a_write_service_outside_the_runner():
    writes = write_methods()
    problems = [
        f"{path.relative_to(UI.parent.parent)}:{line}: {what}"
        for path in sorted(UI.rglob("*.py"))
        for line, what in violations(path.read_text(encoding="utf-8"), writes)
    ]
    assert problems == []


WRITES = {"credits": {"add_credits"}, "sales": {"void_lot", "run_billing"}}


def test_the_checker_catches_a_direct_call():
    source = (
        "def save(self):\n"
        "    self._ctx.services.credits.add_credits(quantity=1, actor=self._ctx.actor)\n"
    )
    assert violations(source, WRITES) == [(2, "credits.add_credits")]


def test_the_checker_catches_a_call_through_an_alias_or_a_bound_method():
    source = (
        "def save(self):\n"
        "    sales = self._ctx.services.sales\n"
        "    post = sales.void_lot\n"
        "    self._ctx.runner.run(lambda: post(1, actor=a))\n"
        "    sales.run_billing(actor=a)\n"
    )
    assert violations(source, WRITES) == [(3, "sales.void_lot"), (5, "sales.run_billing")]


def test_the_checker_catches_a_lambda_not_given_to_the_runner():
    source = (
        "def save(self):\n"
        "    work = lambda: self._ctx.services.credits.add_credits(actor=a)\n"
        "    other.run(work)\n"
        "    self._ctx.runner.run(work)\n"
    )
    assert violations(source, WRITES) == [(2, "credits.add_credits")]


def test_the_checker_accepts_the_runner_submit_write_and_a_passed_def():
    source = (
        "def save(self):\n"
        "    credits = self._ctx.services.credits\n"
        "    self._ctx.runner.run(lambda: credits.add_credits(actor=a), origin=self)\n"
        "    submit(self, runner, lambda: credits.add_credits(actor=a))\n"
        "    w = Write(lambda: self._ctx.services.sales.void_lot(1, actor=a))\n"
        "    def work(progress, cancelled):\n"
        "        return self._ctx.services.sales.run_billing(actor=a)\n"
        "    self._ctx.runner.write_task(work, self)\n"
    )
    assert violations(source, WRITES) == []
