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


SERVICES_APART = "Services never import each other: what two share lives in libs"
NO_SERVICE_IN_LIBS = "libs and the gateway import no service"
NO_DOUBLES = "Production code imports neither the doubles nor the operations code"
LAYERS = "libs in layers"
NO_CYCLES = "No import cycles inside libs, the gateway or a service"

# One deliberate crossing of each kind: (the module added, its source, the contract it must
# break, what the report must name). All are added to one copy of the code and checked in one
# run; each is named in the report on its own line, so each is seen to be caught by itself.
CROSSINGS = {
    "service-to-service": (
        "services/reports/crossing.py",
        "import services.orders.pricing\n",
        SERVICES_APART,
        "services.reports.crossing -> services.orders.pricing",
    ),
    "libs-to-service": (
        "libs/sales/crossing.py",
        "def later() -> None:\n    from services.orders import pricing\n",
        NO_SERVICE_IN_LIBS,
        "libs.sales.crossing -> services.orders.pricing",
    ),
    "upward-in-libs": (
        "libs/tenancy/crossing.py",
        "from libs.auth.principal import Principal\n",
        LAYERS,
        "libs.tenancy.crossing -> libs.auth.principal",
    ),
    "sibling-libs": (
        "libs/audit/crossing.py",
        "from libs.billing.entitlement import Entitlement\n",
        LAYERS,
        "libs.audit.crossing -> libs.billing.entitlement",
    ),
    "service-to-double": (
        "services/billing/crossing.py",
        "from doubles.fake_stripe import app\n",
        NO_DOUBLES,
        "services.billing.crossing -> doubles.fake_stripe.app",
    ),
    "gateway-to-ops": (
        "gateway/crossing.py",
        "import ops.state\n",
        NO_DOUBLES,
        "gateway.crossing -> ops.state",
    ),
    "cycle-in-a-service": (
        "services/identity/tenants/crossing.py",
        "from services.identity.backoffice import service\n",
        NO_CYCLES,
        "No cycles are allowed in services.identity.",
    ),
    # With the app factory importing it back (below): a cycle inside libs.api.
    "cycle": (
        "libs/api/crossing.py",
        "from libs.api.app import create_app\n",
        NO_CYCLES,
        "- .crossing -> .app",
    ),
}


@pytest.fixture(scope="module")
def report_on_a_crossed_copy(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = tmp_path_factory.mktemp("crossed")
    for package in CHECKED:
        shutil.copytree(
            REPO_ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(REPO_ROOT / "pyproject.toml", root / "pyproject.toml")
    for module, source, _, _ in CROSSINGS.values():
        (root / module).write_text(source)
    app = root / "libs/api/app.py"
    app.write_text("import libs.api.crossing  # noqa: F401\n" + app.read_text())
    result = lint_imports(root)
    assert result.returncode != 0
    return result.stdout


@pytest.mark.parametrize("crossing", CROSSINGS)
def test_a_deliberate_crossing_breaks_its_contract(
    report_on_a_crossed_copy: str, crossing: str
) -> None:
    _, _, contract, named = CROSSINGS[crossing]
    # The report's summary names each contract once, wrapped at 80 columns if long.
    summary = " ".join(report_on_a_crossed_copy.split("Broken contracts")[0].split())
    assert f"{contract} BROKEN" in summary
    assert named in broken_section(report_on_a_crossed_copy, contract), report_on_a_crossed_copy


def broken_section(report: str, contract: str) -> str:
    """What the report says under one broken contract's heading, up to the next one's."""
    details = report.split("Broken contracts", 1)[1]
    start = details.index(f"\n{contract}\n")
    headings = (SERVICES_APART, NO_SERVICE_IN_LIBS, NO_DOUBLES, LAYERS, NO_CYCLES)
    ends = [details.find(f"\n{other}\n", start + 1) for other in headings if other != contract]
    return details[start : min([end for end in ends if end != -1], default=len(details))]
