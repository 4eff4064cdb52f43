"""Refunding a closed order (`refund`, `POST /v1/orders/{id}/refunds`): by line or by amount,
never more than was paid, with all of the tax back exactly; above the business's limit a
manager's override is needed; each refund issues a refund receipt, printed, and leaves the
original as it was.

Cash is rounded to the smallest coin both ways (AUD: 5c, docs/money.md): taken at the till,
and handed back by a refund, the mirror image of the sale's rounding, so a cash sale refunded
whole gives back exactly what was paid and the drawer's expected cash is right."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx

from libs.rbac import Role
from tests.support.database import Connect, as_service
from tests.support.printing import printed_lines
from tests.support.sale import close, pay, sell
from tests.support.tills import OpenTill, coffee_order, print_jobs
from tests.support.tokens import TokenFactory


async def test_refunds_never_exceed_what_was_paid(
    orders_client: httpx.AsyncClient, till: OpenTill, token: TokenFactory, connect_as: Connect
) -> None:
    owner = token(till.tenant, Role.OWNER)
    await orders_client.patch(
        "/v1/settings/override-limits", json={"refund_limit_minor": 100_000}, auth=owner
    )
    order = await sell(orders_client, till)
    paid = await pay(orders_client, till, order, tender="card")
    closed = (await close(orders_client, till, paid["order"])).json()
    url = f"/v1/orders/{order['id']}/refunds"
    # The bread roll: 300, GST-free.
    bread = await orders_client.post(
        url,
        json={
            "version": closed["order"]["version"],
            "reason_code": "quality_issue",
            "lines": [{"line_number": 3, "quantity": 1}],
        },
        auth=till.staff,
    )
    assert bread.status_code == 201, bread.text
    refund = bread.json()
    assert refund["refund"]["amount_minor"] == 300
    assert refund["refund"]["tax_minor"] == 0
    assert refund["receipt"]["kind"] == "refund"
    assert refund["receipt"]["number"] == "R1-000002"
    assert refund["receipt"]["original_receipt_id"] == closed["receipt"]["id"]
    again = await orders_client.post(
        url,
        json={
            "version": refund["order"]["version"],
            "reason_code": "quality_issue",
            "lines": [{"line_number": 3, "quantity": 1}],
        },
        auth=till.staff,
    )
    assert again.status_code == 409
    assert again.json()["code"] == "over-refund"
    too_much = await orders_client.post(
        url,
        json={"version": refund["order"]["version"], "reason_code": "other", "amount_minor": 951},
        auth=till.staff,
    )
    assert too_much.status_code == 409
    rest = await orders_client.post(
        url,
        json={"version": refund["order"]["version"], "reason_code": "other", "amount_minor": 950},
        auth=till.staff,
    )
    assert rest.status_code == 201, rest.text
    # All of the GST comes back, exactly: 86.
    assert rest.json()["refund"]["tax_minor"] == 86
    assert rest.json()["order"]["refunded_minor"] == 1250
    # The original receipt is as it was.
    original = await orders_client.get(f"/v1/receipts/{closed['receipt']['id']}", auth=till.staff)
    assert original.json() == closed["receipt"]


async def test_a_refund_above_the_limit_needs_an_override(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    order = await sell(orders_client, till)
    paid = await pay(orders_client, till, order, tender="cash", tendered_minor=2000)
    closed = (await close(orders_client, till, paid["order"])).json()
    refused = await orders_client.post(
        f"/v1/orders/{order['id']}/refunds",
        json={"version": closed["order"]["version"], "reason_code": "other", "amount_minor": 100},
        auth=till.staff,
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "override-invalid"
    rows = await as_service(connect_as, "orders", till.tenant, "SELECT id FROM orders.refunds")
    assert rows == []


async def test_a_refund_prints_a_refund_receipt(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect, token: TokenFactory
) -> None:
    owner = token(till.tenant, Role.OWNER)
    limits = await orders_client.patch(
        "/v1/settings/override-limits", json={"refund_limit_minor": 100_000}, auth=owner
    )
    assert limits.status_code == 200, limits.text
    order = await sell(orders_client, till, coffee_order(till))
    paid = await pay(orders_client, till, order, tender="card")
    closed = (await close(orders_client, till, paid["order"])).json()
    refunded = await orders_client.post(
        f"/v1/orders/{order['id']}/refunds",
        json={
            "version": closed["order"]["version"],
            "reason_code": "quality_issue",
            "lines": [{"line_number": 3, "quantity": 1}],
        },
        auth=till.staff,
    )
    assert refunded.status_code == 201, refunded.text
    receipt = refunded.json()["receipt"]
    jobs = await print_jobs(connect_as, till.tenant)
    [job] = [job for job in jobs if job["receipt_id"] == uuid.UUID(receipt["id"])]
    assert job["summary"] == "Refund receipt R1-000002"
    assert job["kind"] == "receipt" and job["printer_role"] == "receipt"
    lines = printed_lines(job["body"])
    text = "\n".join(lines)
    assert "REFUND R1-000002" in text
    assert "Refund of receipt R1-000001" in text
    assert "Reason: quality issue" in text
    assert re.search(r"\n1 x Bread roll +-3\.00\n", text)
    assert re.search(r"\nTOTAL REFUNDED +-\$3\.00\n", text)
    tender = refunded.json()["refund"]["tenders"][0]
    assert tender["auth_code"] and tender["auth_code"] not in text
    assert tender["terminal_reference"] not in text


# -- cash is rounded both ways -----------------------------------------------------------------


async def _item(connect_as: Connect, till: OpenTill, price_minor: int) -> uuid.UUID:
    """A GST-taxed item at `price_minor` on the café's menu."""
    item_id = uuid.uuid4()
    await as_service(
        connect_as,
        "orders",
        till.tenant,
        "INSERT INTO orders.menu_items (id, category_id, tax_category_id, name, price_minor) "
        "SELECT $1, $2, id, 'Muffin', $3 FROM orders.tax_categories WHERE code = 'gst'",
        item_id,
        till.menu.category_id,
        price_minor,
    )
    return item_id


async def _cash_sale(
    client: httpx.AsyncClient, till: OpenTill, item_id: uuid.UUID, tendered: int
) -> dict[str, Any]:
    opened = await client.post(
        "/v1/orders", json={"lines": [{"item_id": str(item_id)}]}, auth=till.staff
    )
    assert opened.status_code == 201, opened.text
    paid = await pay(client, till, opened.json(), tender="cash", tendered_minor=tendered)
    closed = await close(client, till, paid["order"])
    assert closed.status_code == 200, closed.text
    result: dict[str, Any] = closed.json()
    return result


async def _x_report(client: httpx.AsyncClient, till: OpenTill) -> dict[str, Any]:
    report: dict[str, Any] = (
        await client.get(f"/v1/shifts/{till.shift_id}/x-report", auth=till.staff)
    ).json()
    return report


async def _allow_refunds(client: httpx.AsyncClient, till: OpenTill, token: TokenFactory) -> None:
    """The business lets cashiers refund up to $100 alone (no override in these tests)."""
    owner = token(till.tenant, "owner")
    changed = await client.patch(
        "/v1/settings/override-limits", json={"refund_limit_minor": 10_000}, auth=owner
    )
    assert changed.status_code == 200, changed.text


async def test_a_cash_refund_hands_back_the_rounded_amount(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect, token: TokenFactory
) -> None:
    # A 3.33 muffin paid in cash: 3.33 rounds to 3.35 (+2c), the customer hands over 5.00.
    item_id = await _item(connect_as, till, 333)
    sale = await _cash_sale(orders_client, till, item_id, 500)
    assert (sale["order"]["total_minor"], sale["order"]["rounding_minor"]) == (333, 2)
    assert sale["order"]["paid_minor"] == 335

    # Refunded whole, in cash: 3.33 of goods, handed back as 3.35 (the mirror image).
    await _allow_refunds(orders_client, till, token)
    refunded = await orders_client.post(
        f"/v1/orders/{sale['order']['id']}/refunds",
        json={
            "version": sale["order"]["version"],
            "reason_code": "quality_issue",
            "lines": [{"line_number": 1, "quantity": 1}],
        },
        auth=till.staff,
    )
    assert refunded.status_code == 201, refunded.text
    refund = refunded.json()["refund"]
    assert (refund["amount_minor"], refund["rounding_minor"]) == (333, 2)
    assert [t["amount_minor"] for t in refund["tenders"]] == [335]
    # GST comes back on the goods only: all of the sale's 30c (333 / 11 = 30.27).
    assert refund["tax_minor"] == 30
    assert refunded.json()["order"]["refunded_minor"] == 335
    receipt = refunded.json()["receipt"]
    assert receipt["total_minor"] == -335
    assert receipt["snapshot"]["rounding_minor"] == 2

    # The drawer: float + 3.35 in - 3.35 out. Counting exactly that is no difference.
    report = await _x_report(orders_client, till)
    assert report["expected"]["cash"] == 20_000
    assert report["refunds"]["by_tender"]["cash"] == 335


async def test_a_refund_rounds_on_its_own_and_never_hands_back_more_than_was_paid(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect, token: TokenFactory
) -> None:
    # Two muffins at 3.33: 6.66 rounds to 6.65 (-1c); 6.65 is paid.
    item_id = await _item(connect_as, till, 333)
    opened = await orders_client.post(
        "/v1/orders",
        json={"lines": [{"item_id": str(item_id), "quantity": 2}]},
        auth=till.staff,
    )
    paid = await pay(orders_client, till, opened.json(), tender="cash", tendered_minor=700)
    assert paid["order"]["paid_minor"] == 665
    closed = (await close(orders_client, till, paid["order"])).json()
    await _allow_refunds(orders_client, till, token)
    url = f"/v1/orders/{closed['order']['id']}/refunds"
    # One muffin back: 3.33 of goods, handed back as 3.35 (its own cash transaction).
    first = await orders_client.post(
        url,
        json={
            "version": closed["order"]["version"],
            "reason_code": "other",
            "lines": [{"line_number": 1, "quantity": 1}],
        },
        auth=till.staff,
    )
    assert first.status_code == 201, first.text
    assert [t["amount_minor"] for t in first.json()["refund"]["tenders"]] == [335]
    # The other: 3.33 again, but only 3.30 of the payment is left: 3.30 goes back.
    second = await orders_client.post(
        url,
        json={
            "version": first.json()["order"]["version"],
            "reason_code": "other",
            "lines": [{"line_number": 1, "quantity": 1}],
        },
        auth=till.staff,
    )
    assert second.status_code == 201, second.text
    refund = second.json()["refund"]
    assert [t["amount_minor"] for t in refund["tenders"]] == [330]
    assert second.json()["order"]["refunded_minor"] == 665  # all that was paid, no more
