"""Issue 10: the UI thread never runs a service call directly.

A static check over app/ui: every call into `app.services` must sit in a callable handed
to the background helper (`worker.run(fn, ...)`, or `run_export(parent, fn)`, which hands
it on), or in a function only such a callable calls. What may run on the UI thread is
listed below, each with why; anything new fails here until it moves to the worker pool
or earns a reason.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "app" / "ui"

#: Functions that run their argument at this position on the worker pool.
RUNNERS = {"run": 0, "run_export": 1}

#: (module, enclosing function, service function) allowed on the UI thread, and why.
ALLOWED: dict[tuple[str, str, str], str] = {
    # Pure functions over packaged, read-only data (no database, no network, no lock).
    ("intake.py", "_province_changed", "app.services.ui_support.communes"):
        "the packaged commune list, parsed once and cached",
    ("office_profile.py", "_province_changed", "app.services.ui_support.communes"):
        "the packaged commune list, parsed once and cached",
    ("office_profile.py", "_suggest", "app.services.office_profile.suggest"):
        "pure: builds header lines from the names typed",
    ("dossier_list.py", "fetchMore", "app.services.search.sort_value"):
        "pure: the keyset value of a row the list already holds",
    # The synchronous start used by tests and the damaged-database path: it runs before
    # the event loop and before any window exists, so there is no UI to keep responsive.
    ("app.py", "start", "app.services.bootstrap.open_desk"): "before any window exists",
    ("app.py", "start", "app.services.ui_support.read_settings"): "before any window exists",
    ("app.py", "start", "app.services.setup.needs_first_run"): "before any window exists",
    # Sign-out: the window is closing and the backup is meant to finish before it goes
    # (a desk unplugged at night keeps today's work); nothing is left to respond to.
    ("mainwindow.py", "closeEvent", "app.services.backup.auto_backup"):
        "the sign-out backup, waited for on purpose while the window closes",
}


def _service_imports(tree: ast.Module) -> tuple[dict[str, str], dict[str, str]]:
    """Names bound to app.services modules, and to app.services functions."""
    mods: dict[str, str] = {}
    funcs: dict[str, str] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ImportFrom) and node.module):
            continue
        if not node.module.startswith("app.services"):
            continue
        for alias in node.names:
            full = f"{node.module}.{alias.name}"
            try:
                importlib.import_module(full)
            except ImportError:
                obj = getattr(importlib.import_module(node.module), alias.name)
                if inspect.isfunction(obj):
                    funcs[alias.asname or alias.name] = full
            else:
                mods[alias.asname or alias.name] = full
    return mods, funcs


def _called_name(call: ast.Call) -> str | None:
    f = call.func
    if isinstance(f, ast.Attribute):
        return f.attr
    if isinstance(f, ast.Name):
        return f.id
    return None


def _bound(target: ast.expr) -> str:
    """The name an assignment binds (`x` or `self.x`), "" for anything else."""
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    return ""


Scope = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda


def _runners(tree: ast.Module) -> dict[str, int]:
    """RUNNERS, plus each function that hands one of its own parameters to a runner (a
    dialog's `_run(action)` that calls `worker.run(action, ...)`)."""
    runners = dict(RUNNERS)
    for d in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        params = [a.arg for a in d.args.args]
        offset = 1 if params[:1] == ["self"] else 0
        for call in (n for n in ast.walk(d) if isinstance(n, ast.Call)):
            pos = RUNNERS.get(_called_name(call) or "")
            if pos is None or len(call.args) <= pos:
                continue
            arg = call.args[pos]
            if isinstance(arg, ast.Name) and arg.id in params:
                runners[d.name] = params.index(arg.id) - offset
    return runners


def _background(tree: ast.Module) -> tuple[set[int], set[str]]:
    """Lambdas handed to a runner, and the names of functions that run on the pool: those
    handed to a runner, those whose result is (a factory of closures), and, to a fixed
    point, every function called from inside one of them. A lambda stored in a name (or
    attribute) that is handed to a runner counts as handed to it."""
    runners = _runners(tree)
    nodes: set[int] = set()
    names: set[str] = set()
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        pos = runners.get(_called_name(call) or "")
        if pos is None or len(call.args) <= pos:
            continue
        arg = call.args[pos]
        if isinstance(arg, ast.Lambda):
            nodes.add(id(arg))
        elif isinstance(arg, ast.Name):
            names.add(arg.id)
        elif isinstance(arg, ast.Attribute):
            names.add(arg.attr)
        elif isinstance(arg, ast.Call) and _called_name(arg):
            names.add(_called_name(arg) or "")
    pairs: list[tuple[str, ast.expr]] = []  # (name assigned, value), tuples unpacked
    for assign in (n for n in ast.walk(tree) if isinstance(n, ast.Assign)):
        for t in assign.targets:
            if isinstance(t, ast.Tuple) and isinstance(assign.value, ast.Tuple):
                pairs += [
                    (_bound(e), v) for e, v in zip(t.elts, assign.value.elts, strict=False)
                ]
            else:
                pairs.append((_bound(t), assign.value))
    defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    lambdas = [n for n in ast.walk(tree) if isinstance(n, ast.Lambda)]
    known = {d.name for d in defs} | {name for name, _ in pairs if name}
    before = -1
    while before != len(names) + len(nodes):  # to a fixed point
        before = len(names) + len(nodes)
        # `read = self._read_status`: when `read` runs on the pool, so does `_read_status`
        for name, value in pairs:
            if name in names:
                if isinstance(value, ast.Name | ast.Attribute):
                    names.add(_bound(value))
                nodes.update(id(n) for n in ast.walk(value) if isinstance(n, ast.Lambda))
        bodies: list[ast.AST] = [d for d in defs if d.name in names]
        bodies += [lam for lam in lambdas if id(lam) in nodes]
        for body in bodies:
            for call in (n for n in ast.walk(body) if isinstance(n, ast.Call)):
                name = _called_name(call)
                if name in known:
                    names.add(name)
    return nodes, names


def direct_service_calls(path: Path) -> list[tuple[str, str, str, int]]:
    """(module, enclosing function, service function, line) of each call on the UI thread."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    mods, funcs = _service_imports(tree)
    bg_nodes, bg_names = _background(tree)
    found: list[tuple[str, str, str, int]] = []

    def target(call: ast.Call) -> str | None:
        f = call.func
        if isinstance(f, ast.Name) and f.id in funcs:
            return funcs[f.id]
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in mods:
            obj = getattr(importlib.import_module(mods[f.value.id]), f.attr, None)
            if inspect.isfunction(obj):  # classes (plain data) are not calls into a service
                return f"{mods[f.value.id]}.{f.attr}"
        return None

    def visit(node: ast.AST, stack: list[Scope]) -> None:
        if isinstance(node, ast.Call) and (t := target(node)):
            off = any(
                id(s) in bg_nodes or (not isinstance(s, ast.Lambda) and s.name in bg_names)
                for s in stack
            )
            if not off:
                named = [s.name for s in stack if not isinstance(s, ast.Lambda)]
                found.append((path.name, named[-1] if named else "<module>", t, node.lineno))
        inner = [*stack, node] if isinstance(node, Scope) else stack
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(tree, [])
    return found


def test_no_service_call_on_the_ui_thread():
    calls = [c for p in sorted(UI.glob("*.py")) for c in direct_service_calls(p)]
    unexplained = [c for c in calls if c[:3] not in ALLOWED]
    assert not unexplained, "service calls on the UI thread (move them to worker.run):\n" + (
        "\n".join(f"  app/ui/{m}:{line} {fn}() calls {t}" for m, fn, t, line in unexplained)
    )


def test_the_allowlist_has_no_stale_entries():
    """An entry whose call moved away must go, or it would let a new one slip in."""
    calls = {c[:3] for p in sorted(UI.glob("*.py")) for c in direct_service_calls(p)}
    assert not set(ALLOWED) - calls


def test_the_check_sees_a_direct_call(tmp_path):
    """The check itself: a direct call is found, the same call handed to the pool is not."""
    src = tmp_path / "sample.py"
    src.write_text(
        "from app.services import setup\n"
        "from app.services.setup import desk_identity\n"
        "from app.ui import worker\n"
        "class W:\n"
        "    def __init__(self, ctx):\n"
        "        self.me = desk_identity(ctx)\n"
        "        worker.run(lambda: setup.list_officers(ctx), self.show)\n"
        "        worker.run(lambda: _load(ctx), self.show)\n"
        "    def reload(self):\n"
        "        return setup.list_officers(self.ctx)\n"
        "def _load(ctx):\n"
        "    return setup.has_officers(ctx)\n",
        encoding="utf-8",
    )
    found = {(fn, t) for _m, fn, t, _line in direct_service_calls(src)}
    assert found == {
        ("__init__", "app.services.setup.desk_identity"),
        ("reload", "app.services.setup.list_officers"),
    }
