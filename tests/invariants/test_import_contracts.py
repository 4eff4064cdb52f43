"""The import contracts in pyproject.toml (`lint-imports`, run by `make lint`) hold, and they
fail on the imports they forbid: a copy of the code with one deliberate crossing added breaks
the contract that names it. Issue 22: services apart, libs in layers, no cycles."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CHECKED = ("libs", "services", "gateway", "ops", "doubles")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH first, so the copy's packages are analysed, not the installed checkout's.
    environment = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(  # noqa: S603 - our own tool on our own files
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", "--config", str(root / "pyproject.toml")],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_code_keeps_every_contract() -> None:
    result = lint_imports(REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.fixture
def copy_of_the_code(tmp_path: Path) -> Path:
    for package in CHECKED:
        shutil.copytree(
            REPO_ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(REPO_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        (
            "services/reports/crossing.py",
            "import services.orders.pricing\n",
            "Services never import each other: what two share lives in libs BROKEN",
        ),
        (
            "libs/sales/crossing.py",
            "def later() -> None:\n    from services.orders import pricing\n",
            "libs and the gateway import no service BROKEN",
        ),
        (
            "libs/tenancy/crossing.py",
            "from libs.auth.principal import Principal\n",
            "libs in layers BROKEN",
        ),
        (
            "libs/audit/crossing.py",
            "from libs.billing.entitlement import Entitlement\n",
            "libs in layers BROKEN",
        ),
        (
            "services/billing/crossing.py",
            "from doubles.fake_stripe import app\n",
            "Production code imports neither the doubles nor the operations code BROKEN",
        ),
        (
            "gateway/crossing.py",
            "import ops.state\n",
            "Production code imports neither the doubles nor the operations code BROKEN",
        ),
        (
            "services/identity/tenants/crossing.py",
            "from services.identity.backoffice import service\n",
            "No import cycles inside libs, the gateway or a service BROKEN",
        ),
        (
            "libs/api/crossing.py",
            "from libs.api.app import create_app\n",
            "No import cycles inside libs, the gateway or a service BROKEN",
        ),
    ],
    ids=[
        "service-to-service",
        "libs-to-service",
        "upward-in-libs",
        "sibling-libs",
        "service-to-double",
        "gateway-to-ops",
        "cycle-in-a-service",
        "cycle",
    ],
)
def test_a_deliberate_crossing_breaks_its_contract(
    copy_of_the_code: Path, module: str, source: str, contract: str
) -> None:
    assert lint_imports(copy_of_the_code).returncode == 0
    (copy_of_the_code / module).write_text(source)
    if module == "libs/api/crossing.py":
        # A cycle: the app factory imports the new module, which imports the app factory.
        app = copy_of_the_code / "libs/api/app.py"
        app.write_text("import libs.api.crossing  # noqa: F401\n" + app.read_text())
    result = lint_imports(copy_of_the_code)
    assert result.returncode != 0
    assert contract in result.stdout, result.stdout
