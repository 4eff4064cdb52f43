"""A shift at the counter, online, through every screen of the till, in a real browser
(Debian's chromium, Playwright) against the whole platform: web/pos/e2e/counter.e2e.mjs.

The venue is set up through the API (tests/pos/conftest.py's business, plus a manager with a
PIN); the browser activates a till, a cashier signs in and sells with modifiers, a declined
and an approved card and cash, a discount and a refund approved by the manager's PIN, and
closes the shift. What the screens showed is then held to the API: the receipts (numbered by
the server, one gapless series), the orders' payments, the overrides in the audit, the X and
Z reports, and the audit chain."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.backoffice.browser import POS_SCRIPTS, run_browser, unexpected_console_errors
from tests.backoffice.business import PIN, Business
from tests.fuzz.stack import FuzzStack
from tests.support.http import all_pages

MANAGER_PIN = "2468"
COUNTED_CASH = (
    "203.00"  # the float, and the $3.00 in cash of the first sale: the second was refunded
)


def api(platform: FuzzStack, business: Business, method: str, path: str, **kwargs: Any) -> Any:
    response = httpx.request(
        method, f"{platform.gateway}{path}", auth=business.owner, timeout=30, **kwargs
    )
    assert response.is_success, f"{path}: {response.text}"
    return response.json()


def audit_events(platform: FuzzStack, business: Business, action: str) -> list[dict[str, Any]]:
    """Every audit event of the business with this action (all pages)."""
    with httpx.Client(base_url=platform.gateway, timeout=30) as client:
        return all_pages(client, "/v1/audit/events", business.owner, action=action)


@pytest.fixture(scope="module")
def manager(stack: tuple[FuzzStack, str], business: Business) -> dict[str, Any]:
    platform, _ = stack
    body = {
        "email": f"mia.{uuid.uuid4().hex[:8]}@harbourlane.example",
        "display_name": "Mia Manager",
        "role": "manager",
        "pin": MANAGER_PIN,
        "location_ids": [str(business.location_id)],
    }
    made: dict[str, Any] = api(platform, business, "POST", "/v1/staff", json=body)
    return made


@pytest.fixture(scope="module")
def browser_run(
    stack: tuple[FuzzStack, str],
    business: Business,
    manager: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Any]:
    platform, public_url = stack
    code = api(
        platform,
        business,
        "POST",
        "/v1/devices/activation-codes",
        json={"location_id": str(business.location_id)},
    )["code"]
    config = {
        "base": public_url,
        "code": code,
        "cashier": {"name": "A cashier", "pin": PIN},
        "manager": {"name": manager["display_name"], "pin": MANAGER_PIN, "wrong_pin": "1357"},
        "counted_cash": COUNTED_CASH,
    }
    out: Path = tmp_path_factory.mktemp("pos-counter")

    def answer(name: str, question: dict[str, Any]) -> dict[str, Any]:
        assert name == "revoke", name
        revoked: dict[str, Any] = api(
            platform, business, "POST", f"/v1/devices/{question['device_id']}/revoke"
        )
        return revoked

    return run_browser("counter.e2e.mjs", out, config, scripts=POS_SCRIPTS, answer=answer)


@pytest.fixture(scope="module")
def receipts(
    stack: tuple[FuzzStack, str], business: Business, browser_run: dict[str, Any]
) -> list[dict[str, Any]]:
    """This till's receipts, oldest first (its register's, by the first sale's receipt)."""
    platform, _ = stack
    counter = browser_run["counter"]
    with httpx.Client(base_url=platform.gateway, timeout=30) as client:
        found = all_pages(client, "/v1/receipts", business.owner)
    [first] = [r for r in found if r["number"] == counter["sale_a_receipt"]]
    return sorted(
        (r for r in found if r["register_id"] == first["register_id"]),
        key=lambda r: (r["series"], r["sequence"]),
    )


def test_the_server_numbers_every_receipt_in_one_gapless_series(
    browser_run: dict[str, Any], receipts: list[dict[str, Any]]
) -> None:
    counter = browser_run["counter"]
    assert [r["number"] for r in receipts] == [
        counter["sale_a_receipt"],
        counter["sale_b_receipt"],
        counter["refund_receipt"],
    ]
    assert [(r["series"], r["sequence"]) for r in receipts] == [("", 1), ("", 2), ("", 3)]
    assert [r["kind"] for r in receipts] == ["sale", "sale", "refund"]
    # What the screen said is what was issued.
    assert receipts[0]["total_minor"] == counter["sale_a_total"] == 800  # 4.50 + 0.50 oat + 3.00
    # 2 x 3.00 with 7 % off: 0.42 off, 5.58; paid in cash as 5.60 (AUD cash rounds to 5c: 8
    # rounds up), and the receipt's total is what was paid.
    assert counter["sale_b_total"] == 558
    assert counter["sale_b_due_in_cash"] == 560
    assert counter["sale_b_rounding_note"] == "(rounded up $0.02 to the nearest coin)"
    assert receipts[1]["total_minor"] == counter["sale_b_paid"] == 560
    # The refund gives back the goods' 5.58 as 5.60 in cash, rounded the same way.
    assert counter["refund_amount"] == 558
    assert abs(receipts[2]["total_minor"]) == counter["refund_cash_back"] == 560
    assert "offline" not in receipts[0]["snapshot"]


def test_the_sale_was_paid_by_a_declined_card_an_approved_one_and_cash(
    stack: tuple[FuzzStack, str],
    business: Business,
    browser_run: dict[str, Any],
    receipts: list[dict[str, Any]],
) -> None:
    platform, _ = stack
    counter = browser_run["counter"]
    assert counter["declined"].startswith("The card was not approved")
    order = api(platform, business, "GET", f"/v1/orders/{receipts[0]['order_id']}")
    paid = [(p["tender"], p["status"], p["amount_minor"]) for p in order["payments"]]
    assert paid == [("card", "declined", 351), ("card", "approved", 500), ("cash", "approved", 300)]
    cash = order["payments"][2]
    assert (cash["tendered_minor"], cash["change_minor"]) == (1000, 700)
    assert counter["left_in_cash"] == 300 and counter["sale_a_change"] == 700
    lines = counter["sale_a_lines"]
    assert lines[0].startswith("1 × Flat white (Oat milk)") and lines[1].startswith(
        "1 × Bread roll"
    )


def test_a_manager_approved_the_discount_refund_and_void_with_their_pin(
    stack: tuple[FuzzStack, str],
    business: Business,
    browser_run: dict[str, Any],
    manager: dict[str, Any],
    receipts: list[dict[str, Any]],
) -> None:
    platform, _ = stack
    counter = browser_run["counter"]
    assert counter["sale_b_discount"] == 42
    assert "(request " in counter["wrong_manager_pin"]
    order = api(platform, business, "GET", f"/v1/orders/{receipts[1]['order_id']}")
    assert order["discount_minor"] == 42
    granted = audit_events(platform, business, "override.granted")
    mine = [e for e in granted if e["actor_id"] == manager["id"]]
    assert sorted(e["payload"]["action"] for e in mine) == ["discount", "refund", "void"]
    refused = audit_events(platform, business, "override.refused")
    assert any(e["payload"]["approver_id"] == manager["id"] for e in refused)


def test_a_sale_left_unpaid_after_a_reload_is_voided_with_the_managers_pin(
    stack: tuple[FuzzStack, str],
    business: Business,
    browser_run: dict[str, Any],
    manager: dict[str, Any],
    receipts: list[dict[str, Any]],
) -> None:
    platform, _ = stack
    counter = browser_run["counter"]
    assert counter["resumed_lines"][0].startswith("1 × Flat white")
    assert counter["resumed_remove_disabled"] is True
    voided = audit_events(platform, business, "order.voided")
    [void] = [e for e in voided if e["payload"].get("approved_by") == manager["id"]]
    order = api(platform, business, "GET", f"/v1/orders/{void['resource_id']}")
    assert order["status"] == "voided"
    assert [(p["tender"], p["status"]) for p in order["payments"]] == [("card", "declined")]
    assert order["shift_id"] == receipts[0]["shift_id"]  # the same shift, no receipt
    assert order["id"] not in {r["order_id"] for r in receipts}


def test_the_x_and_z_reports_on_screen_are_the_apis(
    stack: tuple[FuzzStack, str],
    business: Business,
    browser_run: dict[str, Any],
    receipts: list[dict[str, Any]],
) -> None:
    platform, _ = stack
    counter = browser_run["counter"]
    z = api(platform, business, "GET", f"/v1/shifts/{receipts[0]['shift_id']}/z-report")
    assert counter["z"] == {
        "expected_cash": z["expected"]["cash"],
        "counted_cash": z["counted"]["cash"],
        "difference": z["difference"]["cash"],
        "net_sales": z["net_sales_minor"],
        "tax": z["tax_total_minor"],
        "cash": z["payments"]["cash"]["amount_minor"],
        "card": z["payments"]["card"]["amount_minor"],
        "refunds": z["refunds"]["amount_minor"],
        "orders": z["order_count"],
        "version": z["version"],
    }
    assert z["expected"]["cash"] == 20_000 + 300  # the float and the first sale's cash
    assert z["counted"]["cash"] == 20_300  # as typed: 203.00
    assert z["difference"]["cash"] == 0
    # Nothing happened between the X report and the close: the same takings.
    assert counter["x_net_sales"] == z["net_sales_minor"]
    assert counter["x_expected_cash"] == z["expected"]["cash"]
    # The Z report's takings are the receipts': two sales, one refunded.
    sales = sum(r["total_minor"] for r in receipts if r["kind"] == "sale")
    refunds = sum(abs(r["total_minor"]) for r in receipts if r["kind"] == "refund")
    assert z["payments"]["card"]["amount_minor"] + z["payments"]["cash"]["amount_minor"] == sales
    assert z["refunds"]["amount_minor"] == counter["refund_amount"]  # the goods, before rounding
    assert refunds == counter["refund_cash_back"]


def test_the_queue_drained_and_the_audit_chain_verifies(
    stack: tuple[FuzzStack, str], business: Business, browser_run: dict[str, Any]
) -> None:
    platform, _ = stack
    sync = browser_run["counter"]["sync"]
    assert (sync["pending"], sync["needs_attention"]) == (0, 0)
    assert sync["last_synced"] is not None
    verified = api(platform, business, "GET", "/v1/audit/verify")
    assert verified["valid"] is True, verified


def test_every_screen_is_accessible_and_the_console_is_clean(browser_run: dict[str, Any]) -> None:
    assert len(browser_run["axe"]) == 13
    for check in browser_run["axe"]:
        assert check["violations"] == [], check
    # The wrong manager PIN is refused (403), which chromium logs as a failed load; so are the
    # revoked till's last requests (401).
    unexpected = unexpected_console_errors(browser_run, {"counter": "status of 403"})
    assert all("status of 401" in message for message in unexpected), unexpected


def test_a_revoked_till_forgets_its_people_its_session_and_its_key(
    browser_run: dict[str, Any],
) -> None:
    after = browser_run["counter"]["after_revocation"]
    assert after["verifiers"] == 0 and after["keys"] == 0
    # What is left: the operation counter, the register, the last shift, the last upload;
    # no session, no one signed in, no key for offline PINs; the menu, but no roster.
    assert not {"session", "person", "pin-key"} & set(after["meta"]), after["meta"]
    assert "roster" not in after["cache"]
    assert after["ops"] > 0  # the till's record of what it did stays
