"""The one-way layers of DESIGN.md, checked on the source (STYLE.md habit 1)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"
NO_QT = ("domain", "services", "models", "sync", "central", "print")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", NO_QT)
def test_no_qt_below_ui(layer: str) -> None:
    offenders = [p for p in (APP / layer).rglob("*.py") if "PySide6" in _imports(p)]
    assert offenders == []


def test_no_sqlalchemy_in_ui() -> None:
    offenders = [p for p in (APP / "ui").rglob("*.py") if "sqlalchemy" in _imports(p)]
    assert offenders == []


def test_domain_is_pure() -> None:
    """Rules do no I/O through the database layer."""
    offenders = [
        p
        for p in (APP / "domain").rglob("*.py")
        if {"sqlalchemy", "httpx", "fastapi"} & _imports(p)
    ]
    assert offenders == []
