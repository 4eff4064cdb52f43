"""The backoffice in a real browser (Debian's chromium, driven by Playwright), against the whole
platform on real sockets: the gateway serving the built app and the API, every service behind
it, a real Postgres (tests/fuzz/stack.py, the same processes `make run` starts, in one).

The browser side is web/backoffice/e2e/reports.e2e.mjs: it signs in as the accountant (with
a TOTP code) and as the manager, reads pages, downloads files, checks each page with axe-core
and takes the screenshots docs/backoffice.md shows (`make screenshots` writes them there). This
test sets the business up, runs it, and holds what it saw to the API: the figures on the page
are the API's answer to the same request.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.backoffice.browser import run_browser, unexpected_console_errors
from tests.backoffice.business import Business
from tests.fuzz.stack import FuzzStack


@pytest.fixture(scope="module")
def browser_run(
    stack: tuple[FuzzStack, str], business: Business, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Runs the browser script once; what it saw, for the tests below."""
    _, public_url = stack
    config = {
        "base": public_url,
        "business": str(business.tenant),
        "location": str(business.location_id),
        "accountant": {**vars(business.accountant), "totp_secret": business.totp_secret},
        "manager": vars(business.manager),
    }
    return run_browser("reports.e2e.mjs", tmp_path_factory.mktemp("backoffice-reports"), config)


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
    # Other pages join the menu as they are built (audit, sync review, ...).
    assert accountant["menu"][:3] == ["Overview", "Dashboard", "Reports"]
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
    assert manager["menu"][0] == "Overview"
    assert "Dashboard" not in manager["menu"] and "Reports" not in manager["menu"]
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
    # the wrong password's 401.
    expected = {"manager": "status of 403", "signed out": "status of 401"}
    assert unexpected_console_errors(browser_run, expected) == []


def test_the_run_took_the_screenshots_for_the_docs(browser_run: dict[str, Any]) -> None:
    for name in browser_run["screenshots"]:
        assert (Path(browser_run["screenshots_dir"]) / name).stat().st_size > 0
