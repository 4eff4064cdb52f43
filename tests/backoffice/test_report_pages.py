"""The reports beyond the daily summary, in a real browser: the item mix, the payment
reconciliation, a shift's X and Z reports, and a German business's VAT summary
(web/backoffice/e2e/report-pages.e2e.mjs).

Two businesses of this module's own, set up through the public API like tests/backoffice/
business.py's (so the folder's shared business keeps its one sale for test_reports.py):

- an Australian café with the shared set-up's open shift and sale on Till 1, plus a second
  shift rung on Till 2 and closed with the drawer 0.50 short, so there is a Z report and a
  reconciliation with a difference;
- a German café (region eu, EUR, Europe/Berlin) with its own accountant and one sale.

Each accountant signs in with their authenticator app's code. Every figure the page shows is
marked with where it is in the API's answer (`data-path`) and the answer's number
(`data-value`): the test holds each one to the JSON the browser got, and that JSON to the
API's answer to the same request asked again.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest

from clients.dpop import DeviceKey
from clients.session import activate, pin_sign_in
from tests.backoffice.browser import run_browser, unexpected_console_errors
from tests.backoffice.business import PIN, Business, set_up_business
from tests.fuzz.stack import FuzzStack
from tests.support.http import ok_json

SHORT_MINOR = 50  # the drawer counted 0.50 short on Till 2


async def ring_a_closed_shift(stack: FuzzStack, business: Business) -> dict[str, Any]:
    """A second register's shift at the business's venue, as a till rings it: a new cashier
    signs in on a newly activated Till 2, opens a shift with a float, sells a flat white and a
    bread roll for cash, and closes the shift counting the drawer 0.50 short. The close's
    answer (the shift and its Z report)."""
    owner = business.owner
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=30) as client:
        cashier = ok_json(
            await client.post(
                "/v1/staff",
                json={
                    "email": f"cashier.{uuid.uuid4().hex[:8]}@harbourlane.example",
                    "display_name": "Robin at Till 2",
                    "role": "cashier",
                    "pin": PIN,
                },
                auth=owner,
            ),
            201,
        )
        code = ok_json(
            await client.post(
                "/v1/devices/activation-codes",
                json={"location_id": str(business.location_id)},
                auth=owner,
            ),
            201,
        )
        key = DeviceKey.generate()
        device = await activate(
            client, code=code["code"], key=key, name="Till 2", public_url=owner.public_url
        )
        till = (
            await pin_sign_in(
                client,
                device=device,
                key=key,
                staff_id=cashier["id"],
                pin=PIN,
                public_url=owner.public_url,
            )
        ).auth
        shift = ok_json(
            await client.post("/v1/shifts", json={"opening_float_minor": 15_000}, auth=till), 201
        )
        items = ok_json(await client.get("/v1/menu/items", auth=owner))["items"]
        by_name = {item["name"]: item["id"] for item in items}
        lines = [{"item_id": by_name["Flat white"]}, {"item_id": by_name["Bread roll"]}]
        order = ok_json(await client.post("/v1/orders", json={"lines": lines}, auth=till), 201)
        paid = ok_json(
            await client.post(
                f"/v1/orders/{order['id']}/payments",
                json={"version": order["version"], "tender": "cash", "tendered_minor": 5_000},
                auth=till,
            ),
            201,
        )
        ok_json(
            await client.post(
                f"/v1/orders/{order['id']}/close",
                json={"version": paid["order"]["version"]},
                auth=till,
            )
        )
        expected = ok_json(await client.get(f"/v1/shifts/{shift['id']}/x-report", auth=till))
        current = ok_json(await client.get("/v1/shifts/current", auth=till))
        return ok_json(
            await client.post(
                f"/v1/shifts/{shift['id']}/close",
                json={
                    "version": current["version"],
                    "counted": {"cash": expected["expected"]["cash"] - SHORT_MINOR, "card": 0},
                    "note": "Counted twice",
                },
                auth=till,
            )
        )


@pytest.fixture(scope="module")
def cafes(stack: tuple[FuzzStack, str]) -> dict[str, Any]:
    """The Australian café (with a closed shift) and the German one."""
    platform, public_url = stack
    australian = platform.run(set_up_business(platform, public_url))
    closed = platform.run(ring_a_closed_shift(platform, australian))
    german = platform.run(
        set_up_business(
            platform,
            public_url,
            name="Kaffeehaus Backoffice",
            region="eu",
            currency="EUR",
            venue="Kaffeehaus Mitte",
            time_zone="Europe/Berlin",
        )
    )
    return {"au": australian, "de": german, "closed_shift": closed}


@pytest.fixture(scope="module")
def browser_run(
    stack: tuple[FuzzStack, str],
    cafes: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    _, public_url = stack
    australian: Business = cafes["au"]
    german: Business = cafes["de"]
    config = {
        "base": public_url,
        "business": str(australian.tenant),
        "accountant": {**vars(australian.accountant), "totp_secret": australian.totp_secret},
        "closed_shift": cafes["closed_shift"]["id"],
        "german": {
            "business": str(german.tenant),
            "accountant": {**vars(german.accountant), "totp_secret": german.totp_secret},
        },
    }
    return run_browser(
        "report-pages.e2e.mjs",
        tmp_path_factory.mktemp("backoffice-report-pages"),
        config,
        timeout_seconds=240,
    )


def _at(answer: Any, path: str) -> Any:
    """The value at `items.0.net_sales_minor` in the answer."""
    for step in path.split("."):
        answer = answer[int(step)] if isinstance(answer, list) else answer[step]
    return answer


# What says when a report was read rather than what it says: the time, how far the audit
# chain had got then (the sign-ins since were audited too), and a live X report's `as_of`.
_READ_TIME = {"generated_at", "audit", "as_of"}


def _as_read(report: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in report.items() if name not in _READ_TIME}


async def _get(gateway: str, request: str, business: Business) -> httpx.Response:
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        return await client.get(request, auth=business.owner)


def _hold_to_the_api(platform: FuzzStack, seen: dict[str, Any], business: Business) -> None:
    """Every figure on the page is the answer's, unchanged; the answer is the API's."""
    answer = seen["answer"]
    assert seen["cells"], f"no figure on the page for {seen['request']}"
    for cell in seen["cells"]:
        assert int(cell["value"]) == _at(answer, cell["path"]), cell
    response = platform.run(_get(platform.gateway, seen["request"], business))
    assert response.status_code == 200, response.text
    assert _as_read(response.json()) == _as_read(answer)


def test_the_item_mix_on_the_page_is_the_apis(
    stack: tuple[FuzzStack, str], cafes: dict[str, Any], browser_run: dict[str, Any]
) -> None:
    platform, _ = stack
    seen = browser_run["item_mix"]
    _hold_to_the_api(platform, seen, cafes["au"])
    answer = seen["answer"]
    assert answer["location"]["id"] == str(cafes["au"].location_id)
    # Both shifts' sales: two flat whites and two bread rolls.
    assert {item["name"]: item["quantity"] for item in answer["items"]} == {
        "Flat white": 2,
        "Bread roll": 2,
    }
    shown = {cell["path"] for cell in seen["cells"]}
    assert {"totals.net_sales_minor", "items.0.net_sales_minor", "modifiers.0.quantity"} <= shown


def test_the_reconciliation_on_the_page_is_the_apis(
    stack: tuple[FuzzStack, str], cafes: dict[str, Any], browser_run: dict[str, Any]
) -> None:
    platform, _ = stack
    seen = browser_run["reconciliation"]
    assert seen["period_kind"] == "month"
    _hold_to_the_api(platform, seen, cafes["au"])
    answer = seen["answer"]
    assert [shift["shift_id"] for shift in answer["shifts"]] == [cafes["closed_shift"]["id"]]
    cash = {t["tender"]: t for t in answer["shifts"][0]["tenders"]}["cash"]
    assert cash["difference_minor"] == -SHORT_MINOR
    assert "shifts.0.tenders.0.difference_minor" in {cell["path"] for cell in seen["cells"]}


def test_a_closed_shift_shows_its_z_report_and_an_open_one_its_x_report(
    stack: tuple[FuzzStack, str], cafes: dict[str, Any], browser_run: dict[str, Any]
) -> None:
    platform, _ = stack
    z, x = browser_run["shift_reports"]
    assert z["request"] == f"/v1/reports/shifts/{cafes['closed_shift']['id']}"
    _hold_to_the_api(platform, z, cafes["au"])
    assert z["answer"]["kind"] == "Z"
    assert _as_read(z["answer"]) == _as_read(cafes["closed_shift"]["z_report"])  # as issued
    assert z["answer"]["difference"]["cash"] == -SHORT_MINOR
    shown = {cell["path"] for cell in z["cells"]}
    assert {"net_sales_minor", "counted.cash", "difference.cash", "expected.cash"} <= shown
    _hold_to_the_api(platform, x, cafes["au"])
    assert x["answer"]["kind"] == "X"
    assert x["answer"]["order_count"] == 1
    assert "counted.cash" not in {cell["path"] for cell in x["cells"]}
    # The venue's shifts, newest first; then the closed ones only.
    assert browser_run["shift_list"] == [
        {"id": cafes["closed_shift"]["id"], "status": "closed"},
        {"id": x["answer"]["shift_id"], "status": "open"},
    ]
    assert browser_run["closed_shift_list"] == [
        {"id": cafes["closed_shift"]["id"], "status": "closed"}
    ]


def test_a_german_business_shows_the_vat_summary_of_the_apis(
    stack: tuple[FuzzStack, str], cafes: dict[str, Any], browser_run: dict[str, Any]
) -> None:
    platform, _ = stack
    seen = browser_run["vat_summary"]
    assert seen["request"].startswith("/v1/reports/vat-summary?")
    _hold_to_the_api(platform, seen, cafes["de"])
    answer = seen["answer"]
    assert answer["currency"] == "EUR"
    assert {rate["rate"] for rate in answer["rates"]} == {"19.000", "7.000"}
    assert answer["tax_minor"] > 0
    shown = {cell["path"] for cell in seen["cells"]}
    assert {"boxes.0.base_minor", "rates.0.tax_minor", "net_minor", "tax_minor"} <= shown
    assert browser_run["german_shows_bas"] is False


def test_the_downloads_are_the_reports_files(browser_run: dict[str, Any]) -> None:
    downloads = {each["label"]: each for each in browser_run["downloads"]}
    assert set(downloads) == {
        "Download Item mix CSV",
        "Download Item mix bundle",
        "Download Payment reconciliation CSV",
        "Download Payment reconciliation bundle",
        "Download VAT summary CSV",
        "Download VAT summary bundle",
    }
    for label, each in downloads.items():
        assert each["status"].startswith("Saved "), each  # the progress ended in the name
        content = Path(each["path"]).read_bytes()
        if label.endswith("bundle"):
            assert each["name"].endswith(".zip")
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                assert archive.testzip() is None
                names = archive.namelist()
            assert "manifest.json" in names, names
            assert any(name.endswith(".csv") for name in names), names
        else:
            assert content.decode("utf-8").count("\n") >= 2, label


def test_no_report_page_has_a_serious_accessibility_violation(
    browser_run: dict[str, Any],
) -> None:
    checked = browser_run["axe"]
    assert len(checked) >= 6
    for page in checked:
        assert page["violations"] == [], page


def test_the_report_pages_broke_no_rule_of_the_policy_and_logged_no_error(
    browser_run: dict[str, Any],
) -> None:
    assert unexpected_console_errors(browser_run, {}) == []


def test_the_run_took_the_screenshots_for_the_docs(browser_run: dict[str, Any]) -> None:
    assert len(browser_run["screenshots"]) >= 4
    for name in browser_run["screenshots"]:
        assert (Path(browser_run["screenshots_dir"]) / name).stat().st_size > 0
