"""Scenario 2 of issue 26 in Debian's chromium (web/pos/e2e/offline_day.e2e.mjs): the network
is cut; the cashier sells 50 sales, refunds one with the manager's PIN (the business's offline
approval limit raised for it), reloads the page and sells on; the network comes back and the
queue drains. Afterwards every receipt the screen showed is held to the API, and the books are
checked (tests/pos/books.py).

The script also times each of the 50 sales from the last tap to the frame that shows its
receipt; the median is written to the test's output folder (timing.json) and printed, for
docs/pos-client.md: measured, not asserted (the issue's target is 100 ms)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.backoffice.browser import unexpected_console_errors
from tests.fuzz.stack import FuzzStack
from tests.pos import books
from tests.pos.scenario import api_pages, prefix, receipts_by_number, run_scenario, series
from tests.pos.till_business import TillBusiness, activation_code

TIMED = 50
AFTER_RELOAD = 5


@pytest.fixture(scope="module")
def browser_run(
    stack: tuple[FuzzStack, str],
    till_business: TillBusiness,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    platform, _ = stack
    code = platform.run(activation_code(platform, till_business))
    out: Path = tmp_path_factory.mktemp("pos-offline-day")
    result = run_scenario("offline_day.e2e.mjs", stack, till_business, out, code=code)
    timing = {
        "sales": len(result["sale_to_receipt_ms"]),
        "median_ms": result["median_sale_to_receipt_ms"],
        "each_ms": result["sale_to_receipt_ms"],
    }
    (out / "timing.json").write_text(json.dumps(timing, indent=2))
    print(f"\noffline cash sale, last tap to receipt: median {timing['median_ms']:.1f} ms")
    return result


def test_the_offline_sales_are_numbered_from_the_registers_offline_series(
    browser_run: dict[str, Any], stack: tuple[FuzzStack, str], till_business: TillBusiness
) -> None:
    shown = [sale["number"] for sale in browser_run["sales"]]
    assert len(shown) == TIMED + AFTER_RELOAD
    assert re.fullmatch(r"R\d+-O-000001", shown[0]), shown
    offline = prefix(shown[0])
    refund = browser_run["refund"]["number"]
    # The refund takes the series' next number; the sales after the reload go on from it.
    assert shown[:TIMED] == series(offline, 1, TIMED)
    assert refund == f"{offline}-{TIMED + 1:06d}"
    assert shown[TIMED:] == series(offline, TIMED + 2, TIMED + 1 + AFTER_RELOAD)

    issued = receipts_by_number(stack, till_business)
    for sale in browser_run["sales"]:
        receipt = issued[sale["number"]]
        assert (receipt["kind"], receipt["series"]) == ("sale", "O")
        assert receipt["snapshot"]["total_minor"] == sale["total_minor"]
    refunded = issued[refund]
    assert refunded["kind"] == "refund"
    assert refunded["original_receipt_id"] == issued[browser_run["refunded_number"]]["id"]


def test_the_refund_was_taken_on_the_managers_word_for_review(
    browser_run: dict[str, Any], stack: tuple[FuzzStack, str], till_business: TillBusiness
) -> None:
    approvals = api_pages(stack, till_business, "/v1/sync/approvals", status="pending")
    assert [approval["action"] for approval in approvals] == ["refund"]
    [approval] = approvals
    assert approval["claimed_approver_id"] == till_business.manager.id
    assert approval["claimed_staff_id"] == till_business.cashier.id
    assert approval["amount_minor"] <= till_business.offline_approval_limit_minor


def test_the_till_kept_its_queue_across_the_reload_and_drained_it_online(
    browser_run: dict[str, Any],
) -> None:
    # Each cash sale is three operations (order, payment, close), the refund one more.
    assert browser_run["pending_before_reload"] >= TIMED * 3 + 1
    assert browser_run["pending_after_reload"] == browser_run["pending_before_reload"]
    assert browser_run["pending_offline"] == browser_run["pending_before_reload"] + AFTER_RELOAD * 3
    assert browser_run["sync_offline"]["pending"] == browser_run["pending_offline"]
    assert browser_run["sync_online"]["pending"] == 0
    z_report = browser_run["close"]["z_report"]
    assert z_report is not None
    assert z_report["difference"] == 0


def test_the_time_to_the_receipt_was_measured_for_every_timed_sale(
    browser_run: dict[str, Any],
) -> None:
    times = browser_run["sale_to_receipt_ms"]
    assert len(times) == TIMED
    assert all(time > 0 for time in times)
    assert browser_run["median_sale_to_receipt_ms"] is not None


def test_the_books_balance(
    browser_run: dict[str, Any], stack: tuple[FuzzStack, str], till_business: TillBusiness
) -> None:
    platform, _ = stack
    books.assert_books_balance(platform, till_business, sold=TIMED + AFTER_RELOAD, refunded=1)


def test_every_screen_is_accessible_and_the_console_is_clean(browser_run: dict[str, Any]) -> None:
    for check in browser_run["axe"]:
        assert check["violations"] == [], check
    # Offline, the till's probes of /healthz and its uploads fail, and chromium logs each
    # failed load; anything else (a CSP violation, a script error) is not expected.
    assert unexpected_console_errors(browser_run, {"till": "ERR_INTERNET_DISCONNECTED"}) == []
