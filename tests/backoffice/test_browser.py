"""The backoffice in a real browser (Debian's chromium, driven by Playwright), against the whole
platform on real sockets: the gateway serving the built app and the API, every service behind
it, a real Postgres (tests/fuzz/stack.py, the same processes `make run` starts, in one).

The browser side is web/backoffice/e2e/backoffice.e2e.mjs: it signs in as the accountant (with
a TOTP code) and as the manager, reads pages, downloads files, checks each page with axe-core
and takes the screenshots docs/backoffice.md shows (`make screenshots` writes them there). This
test sets the business up, runs it, and holds what it saw to the API: the figures on the page
are the API's answer to the same request.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from libs.config import platform_settings
from ops.platform import PreparedDatabase
from tests.backoffice.business import Business, set_up_business
from tests.conftest import _free_port
from tests.fuzz.stack import FuzzStack
from tests.support import REPO_ROOT

CHROMIUM = Path(os.environ.get("HALOPOS_CHROMIUM", "/usr/bin/chromium"))
NODE = shutil.which("node")
DIST = REPO_ROOT / "web" / "backoffice" / "dist"
SCRIPT = REPO_ROOT / "web" / "backoffice" / "e2e" / "backoffice.e2e.mjs"
# `make screenshots` writes them for docs/backoffice.md; a test run keeps them in its own
# temporary folder, so the tree stays as committed (two carry a date or a request id).
DOC_SCREENSHOTS = os.environ.get("HALOPOS_SCREENSHOTS")
# The whole browser run: two sign-ins, four pages, three downloads.
BROWSER_TIMEOUT_SECONDS = 180

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() or NODE is None,
    reason="needs Debian's chromium and Node.js (.ci/run installs chromium)",
)


@pytest.fixture(scope="module")
def stack(database: PreparedDatabase) -> Iterator[tuple[FuzzStack, str]]:
    """The platform with its gateway on a port chosen here: the browser's proofs name the page's
    origin, so the public URL every layer checks them against is that origin."""
    assert (DIST / "index.html").exists(), "build the backoffice first: make backoffice"
    port = _free_port()
    public_url = f"http://127.0.0.1:{port}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HALOPOS_PUBLIC_URL", public_url)
        platform_settings.cache_clear()
        platform = FuzzStack(database, gateway_port=port, backoffice_dir=str(DIST))
        platform.start()
        try:
            yield platform, public_url
        finally:
            platform.stop()
            platform_settings.cache_clear()
    platform_settings.cache_clear()


@pytest.fixture(scope="module")
def business(stack: tuple[FuzzStack, str]) -> Business:
    platform, public_url = stack
    return platform.run(set_up_business(platform, public_url))


@pytest.fixture(scope="module")
def browser_run(
    stack: tuple[FuzzStack, str], business: Business, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Runs the browser script once; what it saw, for the tests below."""
    _, public_url = stack
    out = tmp_path_factory.mktemp("backoffice-browser")
    screenshots = Path(DOC_SCREENSHOTS) if DOC_SCREENSHOTS else out / "screenshots"
    config = {
        "base": public_url,
        "business": str(business.tenant),
        "location": str(business.location_id),
        "accountant": {**vars(business.accountant), "totp_secret": business.totp_secret},
        "manager": vars(business.manager),
        "chromium": str(CHROMIUM),
        "out": str(out),
        "screenshots": str(screenshots),
    }
    (out / "config.json").write_text(json.dumps(config))
    assert NODE is not None
    finished = subprocess.run(  # noqa: S603 - our own script, with our pinned Playwright
        [NODE, str(SCRIPT), str(out / "config.json")],
        cwd=REPO_ROOT / "web",
        capture_output=True,
        text=True,
        timeout=BROWSER_TIMEOUT_SECONDS,
        check=False,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    result: dict[str, Any] = json.loads((out / "result.json").read_text())
    result["out"] = str(out)
    result["screenshots_dir"] = str(screenshots)
    return result


def test_the_pages_are_served_with_the_strict_policy(stack: tuple[FuzzStack, str]) -> None:
    _, public_url = stack
    page = httpx.get(f"{public_url}/backoffice/", timeout=10)
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe" not in policy
    assert "<script>" not in page.text  # the one script is a file: <script type="module" src=...>


def test_the_accountant_signs_in_with_totp_and_sees_every_built_page(
    browser_run: dict[str, Any],
) -> None:
    accountant = browser_run["accountant"]
    assert accountant["menu"] == ["Overview", "Dashboard", "Reports"]
    assert accountant["totp_asked"] is True


def _without_read_time(report: dict[str, Any]) -> dict[str, Any]:
    """A report without what says when it was read: the time, and how far the audit chain had
    got then (the sign-ins since were audited too)."""
    return {name: value for name, value in report.items() if name not in {"generated_at", "audit"}}


def test_the_figures_on_the_page_are_the_apis_answer_to_the_same_request(
    stack: tuple[FuzzStack, str], business: Business, browser_run: dict[str, Any]
) -> None:
    platform, _ = stack
    summaries = browser_run["accountant"]["daily_summaries"]
    assert [seen["period_kind"] for seen in summaries] == ["day", "month"]
    for seen in summaries:
        answer = seen["answer"]
        # What the page shows is what the browser got, figure by figure, unchanged ...
        totals = answer["totals"]
        shown = {figure["name"]: figure for figure in seen["figures"]}
        assert shown, "no figure on the page"
        for name, figure in shown.items():
            expected = (
                totals["refunds"]["amount_minor"]
                if name == "refunds.amount_minor"
                else (totals[name])
            )
            assert int(figure["value"]) == expected, name
        assert {row["tender"]: int(row["net"]) for row in seen["tenders"]} == {
            tender["tender"]: tender["net_minor"] for tender in totals["payments"]
        }
        # ... and what the browser got is the API's answer to the same request, asked anew.
        response = platform.run(_get(platform.gateway, seen["request"], business))
        assert response.status_code == 200, response.text
        assert _without_read_time(response.json()) == _without_read_time(answer)
    day = summaries[0]["answer"]
    assert day["totals"]["orders"] == 1
    assert day["totals"]["net_sales_minor"] > 0
    assert day["location"]["id"] == str(business.location_id)


async def _get(gateway: str, request: str, business: Business) -> httpx.Response:
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        return await client.get(request, auth=business.owner)


def test_the_accountant_downloads_the_bas_bundle_and_the_csv(browser_run: dict[str, Any]) -> None:
    downloads = {each["label"]: each for each in browser_run["accountant"]["downloads"]}
    bundle = Path(downloads["Download BAS bundle"]["path"])
    with zipfile.ZipFile(io.BytesIO(bundle.read_bytes())) as archive:
        names = archive.namelist()
        assert archive.testzip() is None
    assert any(name.endswith(".csv") for name in names), names
    assert downloads["Download BAS bundle"]["name"].endswith(".zip")
    csv = Path(downloads["Download CSV"]["path"]).read_text(encoding="utf-8")
    assert csv.count("\n") >= 2  # a header and a day
    for each in downloads.values():
        assert each["status"].startswith("Saved "), each  # the progress ended in the name


def test_the_manager_sees_no_reports_and_their_api_refuses_them(
    browser_run: dict[str, Any],
) -> None:
    manager = browser_run["manager"]
    assert manager["menu"] == ["Overview"]
    # The accountant's requests, from the manager's browser: the venues (read from the tax
    # report), the day's summary by a link to it, its bundle, and the dashboard's.
    refused = manager["report_answers"]
    assert {answer["status"] for answer in refused} == {403}
    assert {answer["path"] for answer in refused} == {
        "/v1/reports/bas",
        "/v1/reports/daily-summary",
        "/v1/reports/daily-summary/export",
    }
    problem = manager["problem"]
    assert problem["code"] == "permission-denied"
    assert problem["status"] == "403"
    assert problem["request_id"]  # shown on the page, to quote to support


def test_no_page_has_a_serious_accessibility_violation(browser_run: dict[str, Any]) -> None:
    checked = browser_run["axe"]
    assert len(checked) >= 6
    for page in checked:
        assert page["violations"] == [], page


def test_the_pages_broke_no_rule_of_the_policy_and_logged_no_error(
    browser_run: dict[str, Any],
) -> None:
    # Refused API answers are logged by the browser as failed loads: the manager's 403s and
    # the wrong password's 401. Anything else (a CSP violation, a script error) is not expected.
    expected = {"manager": "status of 403", "signed out": "status of 401"}
    unexpected = [
        message
        for message in browser_run["console_errors"]
        if not any(
            message.startswith(f"{who}: ") and status in message for who, status in expected.items()
        )
    ]
    assert unexpected == []


def test_the_run_took_the_screenshots_for_the_docs(browser_run: dict[str, Any]) -> None:
    for name in browser_run["screenshots"]:
        assert (Path(browser_run["screenshots_dir"]) / name).stat().st_size > 0
