"""Services never import each other, and `libs/` imports no service: what two services share
lives in `libs/` (the brief's non-negotiable 7). Read from the syntax tree, so an import inside
a function or under TYPE_CHECKING counts as much as one at the top."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import REPO_ROOT

SERVICES = sorted(
    path.name for path in (REPO_ROOT / "services").iterdir() if (path / "__init__.py").exists()
)


def imported(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def crossings(top: Path, allowed: str | None) -> list[str]:
    """Imports of `services.<other>` from the files below `top` (`allowed`: its own)."""
    found = []
    for path in sorted(top.rglob("*.py")):
        for line, module in sorted(imported(path)):
            parts = module.split(".")
            if parts[0] == "services" and (len(parts) == 1 or parts[1] != allowed):
                found.append(f"{path.relative_to(top.parent)}:{line} imports {module}")
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_imports_no_other_service(service: str) -> None:
    assert crossings(REPO_ROOT / "services" / service, allowed=service) == []


def test_libs_import_no_service() -> None:
    assert crossings(REPO_ROOT / "libs", allowed=None) == []


def test_the_check_sees_a_crossing_wherever_it_is(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "router.py").write_text(
        "import services.reports.days\n"
        "from services.reports import service\n"
        "def f():\n    from services.orders.shifts import service\n"
        "import services\n"
    )
    assert crossings(tmp_path / "reports", allowed="reports") == [
        "reports/router.py:4 imports services.orders.shifts",
        "reports/router.py:5 imports services",
    ]
