"""The till's day against the real Postgres, at the orders service: selling from the menu,
discounts, split payments, receipts, refunds, voids, and the API conventions (Idempotency-Key,
versions, RFC 9457). The hand-worked numbers are in the comments."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from libs.auth.tokens import TokenVerifier
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from tests.conftest import Connect, Provision, TokenFactory
from tests.tills import OpenTill, as_service, coffee_order, open_till


@pytest.fixture
async def till(provision: Provision, connect_as: Connect, token: TokenFactory) -> OpenTill:
    return await open_till(connect_as, token, await provision())


async def sell(client: httpx.AsyncClient, till: OpenTill, **fields: Any) -> dict[str, Any]:
    created = await client.post("/v1/orders", json=coffee_order(till, **fields), auth=till.staff)
    assert created.status_code == 201, created.text
    order: dict[str, Any] = created.json()
    return order


async def pay(
    client: httpx.AsyncClient, till: OpenTill, order: dict[str, Any], **body: Any
) -> dict[str, Any]:
    paid = await client.post(
        f"/v1/orders/{order['id']}/payments",
        json={"version": order["version"], **body},
        auth=till.staff,
    )
    assert paid.status_code == 201, paid.text
    result: dict[str, Any] = paid.json()
    return result


async def close(client: httpx.AsyncClient, till: OpenTill, order: dict[str, Any]) -> httpx.Response:
    return await client.post(
        f"/v1/orders/{order['id']}/close", json={"version": order["version"]}, auth=till.staff
    )


async def test_a_mixed_order_is_priced_from_the_menu(
    orders_client: httpx.AsyncClient, till: OpenTill
) -> None:
    order = await sell(orders_client, till)
    # Flat white 450, flat white + oat milk 500, bread roll 300 (GST-free). GST-inclusive:
    # GST = 950 / 11 = 86.36 -> 86, once for the invoice; the roll carries none.
    assert order["subtotal_minor"] == 1250
    assert order["total_minor"] == 1250
    assert order["tax_minor"] == 86
    assert order["tax"] == [
        {"rate": "10.000", "net_minor": 864, "tax_minor": 86, "gross_minor": 950},
        {"rate": "0.000", "net_minor": 300, "tax_minor": 0, "gross_minor": 300},
    ]
    assert [line["unit_price_minor"] for line in order["lines"]] == [450, 500, 300]
    assert order["lines"][1]["modifiers"][0]["name"] == "Oat milk"
    assert order["shift_id"] == str(till.shift_id)
    assert order["register_id"] == str(till.device_id)
    assert order["currency"] == "AUD"


async def test_a_client_cannot_send_a_price_or_a_total(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    for sneaky in (
        {"total_minor": 1},
        {"lines": [{"item_id": str(till.menu.coffee_id), "unit_price_minor": 1}]},
        {"currency": "USD"},
    ):
        refused = await orders_client.post(
            "/v1/orders", json={**coffee_order(till), **sneaky}, auth=till.staff
        )
        assert refused.status_code == 422, sneaky
        assert refused.headers["content-type"] == "application/problem+json"
    rows = await as_service(connect_as, "orders", till.tenant, "SELECT id FROM orders.orders")
    assert rows == []


async def test_unknown_archived_or_ill_fitting_items_are_refused(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    menu = till.menu
    for lines, code in (
        ([{"item_id": str(uuid.uuid4())}], "item-not-sellable"),
        # Oat milk is not offered with bread.
        ([{"item_id": str(menu.bread_id), "modifier_ids": [str(menu.oat_milk_id)]}],
         "modifiers-invalid"),
        # At most one milk.
        ([{"item_id": str(menu.coffee_id),
           "modifier_ids": [str(menu.oat_milk_id), str(menu.oat_milk_id)]}], "modifiers-invalid"),
    ):  # fmt: skip
        refused = await orders_client.post("/v1/orders", json={"lines": lines}, auth=till.staff)
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == code
    await as_service(
        connect_as, "orders", till.tenant,
        "UPDATE orders.menu_items SET archived_at = now() WHERE id = $1", menu.bread_id,
    )  # fmt: skip
    refused = await orders_client.post(
        "/v1/orders", json={"lines": [{"item_id": str(menu.bread_id)}]}, auth=till.staff
    )
    assert refused.json()["code"] == "item-not-sellable"
    rows = await as_service(connect_as, "orders", till.tenant, "SELECT id FROM orders.orders")
    assert rows == []


async def test_selling_needs_a_register_with_an_open_shift(
    orders_client: httpx.AsyncClient, till: OpenTill, token: TokenFactory
) -> None:
    backoffice = token(till.tenant, Role.MANAGER)
    refused = await orders_client.post("/v1/orders", json=coffee_order(till), auth=backoffice)
    assert refused.status_code == 409
    assert refused.json()["code"] == "register-required"


async def test_split_cash_and_card_then_a_receipt(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    order = await sell(orders_client, till)
    card = await pay(orders_client, till, order, tender="card", amount_minor=1000)
    assert card["payment"]["status"] == "approved"
    assert card["payment"]["last4"] is not None and len(card["payment"]["last4"]) == 4
    # 250 left in cash; AUD cash rounds to 5c: 250 is already a multiple. 300 handed over.
    cash = await pay(orders_client, till, card["order"], tender="cash", tendered_minor=300)
    assert cash["payment"]["change_minor"] == 50
    assert cash["order"]["balance_minor"] == 0
    closed = await close(orders_client, till, cash["order"])
    assert closed.status_code == 200, closed.text
    receipt = closed.json()["receipt"]
    assert receipt["number"] == "R1-000001"
    assert receipt["snapshot"]["total_minor"] == 1250
    assert [p["tender"] for p in receipt["snapshot"]["payments"]] == ["card", "cash"]
    # The next receipt at this register is the next number.
    second = await sell(orders_client, till)
    paid = await pay(orders_client, till, second, tender="card")
    closed_again = await close(orders_client, till, paid["order"])
    assert closed_again.json()["receipt"]["number"] == "R1-000002"
    # Receipts never change, whoever asks.
    orders = await connect_as("orders")
    async with orders.transaction():
        await orders.execute("SELECT set_config('app.tenant_id', $1, true)", str(till.tenant))
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
            await orders.execute("UPDATE orders.receipts SET total_minor = 0")


async def test_cash_rounds_to_five_cents_as_an_explicit_adjustment(
    orders_client: httpx.AsyncClient, till: OpenTill
) -> None:
    # One flat white (450) and a 3c tip: 453 owed.
    order = await sell(orders_client, till, lines=[{"item_id": str(till.menu.coffee_id)}])
    tipped = await orders_client.patch(
        f"/v1/orders/{order['id']}", json={"version": order["version"], "tip_minor": 3},
        auth=till.staff,
    )  # fmt: skip
    assert tipped.status_code == 200, tipped.text
    owed = tipped.json()
    assert owed["total_minor"] == 453
    cash = await pay(orders_client, till, owed, tender="cash", tendered_minor=500)
    # 453 rounds to 455 (3 and 4 round up): +2 rounding, 45c change. GST is unchanged.
    assert cash["order"]["rounding_minor"] == 2
    assert cash["payment"]["amount_minor"] == 455
    assert cash["payment"]["change_minor"] == 45
    assert cash["order"]["tax_minor"] == 41  # 450 / 11 = 40.9 -> 41; tips carry no GST
    assert (await close(orders_client, till, cash["order"])).status_code == 200


async def test_closing_with_unequal_payments_is_refused(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    order = await sell(orders_client, till)
    part = await pay(orders_client, till, order, tender="card", amount_minor=500)
    refused = await close(orders_client, till, part["order"])
    assert refused.status_code == 409
    assert refused.json()["code"] == "payments-do-not-match-total"
    over = await orders_client.post(
        f"/v1/orders/{order['id']}/payments",
        json={"version": part["order"]["version"], "tender": "card", "amount_minor": 10_000},
        auth=till.staff,
    )
    assert over.json()["code"] == "overpayment"
    rows = await as_service(connect_as, "orders", till.tenant, "SELECT id FROM orders.receipts")
    assert rows == []


async def test_a_declined_card_is_recorded_and_pays_nothing(
    orders_client: httpx.AsyncClient, till: OpenTill
) -> None:
    order = await sell(orders_client, till)
    # The simulated terminal declines amounts ending in 51.
    declined = await pay(orders_client, till, order, tender="card", amount_minor=51)
    assert declined["payment"]["status"] == "declined"
    assert declined["payment"]["last4"] is None
    assert declined["order"]["paid_minor"] == 0
    timed_out = await pay(orders_client, till, declined["order"], tender="card", amount_minor=52)
    assert timed_out["payment"]["status"] == "timed_out"
    assert timed_out["order"]["balance_minor"] == 1250


async def test_idempotent_replays_and_conflicting_replays(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    order = await sell(orders_client, till)
    body = {"version": order["version"], "tender": "card"}
    headers = {"Idempotency-Key": f"pay-{uuid.uuid4()}"}
    url = f"/v1/orders/{order['id']}/payments"
    first = await orders_client.post(url, json=body, headers=headers, auth=till.staff)
    again = await orders_client.post(url, json=body, headers=headers, auth=till.staff)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    other = await orders_client.post(
        url, json={**body, "amount_minor": 5}, headers=headers, auth=till.staff
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency-key-reused"
    payments = await as_service(connect_as, "orders", till.tenant, "SELECT id FROM orders.payments")
    assert len(payments) == 1


async def test_concurrent_retries_with_one_key_charge_once(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    order = await sell(orders_client, till)
    headers = {"Idempotency-Key": f"pay-{uuid.uuid4()}"}
    answers = await asyncio.gather(
        *(
            orders_client.post(
                f"/v1/orders/{order['id']}/payments",
                json={"version": order["version"], "tender": "card"},
                headers=headers,
                auth=till.staff,
            )
            for _ in range(4)
        )
    )
    assert {answer.status_code for answer in answers} == {201}
    assert len({answer.json()["payment"]["id"] for answer in answers}) == 1
    payments = await as_service(connect_as, "orders", till.tenant, "SELECT id FROM orders.payments")
    assert len(payments) == 1


async def test_concurrent_updates_of_one_order_one_wins(
    orders_client: httpx.AsyncClient, till: OpenTill
) -> None:
    order = await sell(orders_client, till)
    answers = await asyncio.gather(
        *(
            orders_client.post(
                f"/v1/orders/{order['id']}/lines",
                json={"version": order["version"], "item_id": str(till.menu.bread_id)},
                auth=till.staff,
            )
            for _ in range(2)
        )
    )
    assert sorted(answer.status_code for answer in answers) == [201, 409]
    loser = next(answer for answer in answers if answer.status_code == 409)
    assert loser.json()["code"] == "version-conflict"
    current = await orders_client.get(f"/v1/orders/{order['id']}", auth=till.staff)
    assert len(current.json()["lines"]) == 4
    assert current.json()["total_minor"] == 1550


async def test_a_change_without_a_version_is_428_and_if_match_works(
    orders_client: httpx.AsyncClient, till: OpenTill
) -> None:
    order = await sell(orders_client, till)
    url = f"/v1/orders/{order['id']}"
    missing = await orders_client.patch(url, json={"covers": 2}, auth=till.staff)
    assert missing.status_code == 428
    assert missing.json()["code"] == "version-required"
    stale = await orders_client.patch(
        url, json={"covers": 2}, headers={"If-Match": '"99"'}, auth=till.staff
    )
    assert stale.status_code == 409
    changed = await orders_client.patch(
        url, json={"covers": 2}, headers={"If-Match": f'"{order["version"]}"'}, auth=till.staff
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["covers"] == 2
    assert changed.headers["etag"] == f'"{changed.json()["version"]}"'


async def test_a_discount_above_the_limit_needs_an_override(
    orders_client: httpx.AsyncClient, till: OpenTill, token: TokenFactory
) -> None:
    owner = token(till.tenant, Role.OWNER)
    limits = await orders_client.patch(
        "/v1/settings/override-limits", json={"discount_limit_bps": 1000}, auth=owner
    )
    assert limits.status_code == 200, limits.text
    order = await sell(orders_client, till)
    # 10%: within the limit, the cashier alone. 1250 * 10% = 125.
    ten = await orders_client.patch(
        f"/v1/orders/{order['id']}",
        json={"version": order["version"], "discount": {"kind": "percent", "value": 1000}},
        auth=till.staff,
    )
    assert ten.status_code == 200, ten.text
    assert ten.json()["discount_minor"] == 125
    assert ten.json()["total_minor"] == 1125
    twenty = await orders_client.patch(
        f"/v1/orders/{order['id']}",
        json={"version": ten.json()["version"], "discount": {"kind": "percent", "value": 2000}},
        auth=till.staff,
    )
    assert twenty.status_code == 403
    assert twenty.json()["code"] == "override-invalid"


async def test_void_a_line_and_an_unpaid_order(
    orders_client: httpx.AsyncClient, till: OpenTill, token: TokenFactory
) -> None:
    owner = token(till.tenant, Role.OWNER)
    await orders_client.patch(
        "/v1/settings/override-limits", json={"void_limit_minor": 5000}, auth=owner
    )
    order = await sell(orders_client, till)
    voided = await orders_client.post(
        f"/v1/orders/{order['id']}/lines/3/void",
        json={"version": order["version"], "reason_code": "entered_in_error"},
        auth=till.staff,
    )
    assert voided.status_code == 200, voided.text
    body = voided.json()
    assert body["total_minor"] == 950
    assert body["lines"][2]["status"] == "voided"
    paid = await pay(orders_client, till, body, tender="card", amount_minor=100)
    refused = await orders_client.post(
        f"/v1/orders/{order['id']}/void",
        json={"version": paid["order"]["version"], "reason_code": "walkout"},
        auth=till.staff,
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "order-has-payments"


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
        json={"version": closed["order"]["version"], "reason_code": "quality_issue",
              "lines": [{"line_number": 3, "quantity": 1}]},
        auth=till.staff,
    )  # fmt: skip
    assert bread.status_code == 201, bread.text
    refund = bread.json()
    assert refund["refund"]["amount_minor"] == 300
    assert refund["refund"]["tax_minor"] == 0
    assert refund["receipt"]["kind"] == "refund"
    assert refund["receipt"]["number"] == "R1-000002"
    assert refund["receipt"]["original_receipt_id"] == closed["receipt"]["id"]
    again = await orders_client.post(
        url,
        json={"version": refund["order"]["version"], "reason_code": "quality_issue",
              "lines": [{"line_number": 3, "quantity": 1}]},
        auth=till.staff,
    )  # fmt: skip
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


async def test_another_businesss_order_is_not_found(
    orders_client: httpx.AsyncClient, till: OpenTill, provision: Provision, connect_as: Connect,
    token: TokenFactory,
) -> None:  # fmt: skip
    order = await sell(orders_client, till)
    other = await open_till(connect_as, token, await provision())
    for method, path, body in (
        ("GET", f"/v1/orders/{order['id']}", None),
        ("PATCH", f"/v1/orders/{order['id']}", {"version": 1, "covers": 1}),
        ("POST", f"/v1/orders/{order['id']}/payments", {"version": 1, "tender": "card"}),
        ("POST", f"/v1/orders/{order['id']}/lines/1/void",
         {"version": 1, "reason_code": "other"}),
    ):  # fmt: skip
        response = await orders_client.request(method, path, json=body, auth=other.staff)
        assert response.status_code == 404, (path, response.text)


def test_every_post_of_the_orders_service_takes_an_idempotency_key(
    service_databases: dict[str, TenantDatabase], verifier: TokenVerifier
) -> None:
    """As integrators see it: in the published OpenAPI document."""
    from services.orders.app import create_app

    paths = create_app(service_databases["orders"], verifier).openapi()["paths"]
    posts = {path: item["post"] for path, item in paths.items() if "post" in item}
    assert len(posts) == 21
    # Offline sync batches are exactly-once per operation, by each operation's own id
    # (docs/sync.md), and hold no request transaction a key could be kept in.
    posts.pop("/v1/sync/batches")
    missing = [
        path
        for path, operation in posts.items()
        if not any(
            parameter["in"] == "header" and parameter["name"] == "Idempotency-Key"
            for parameter in operation.get("parameters", [])
        )
    ]
    assert missing == [], "POST routes without Idempotency-Key"


async def test_a_shift_movement_and_a_menu_create_replay_by_key(
    orders_client: httpx.AsyncClient, till: OpenTill, token: TokenFactory, connect_as: Connect
) -> None:
    headers = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    url = f"/v1/shifts/{till.shift_id}/cash-movements"
    body = {"kind": "paid_out", "amount_minor": 1500, "reason": "Milk delivery"}
    first = await orders_client.post(url, json=body, headers=headers, auth=till.staff)
    again = await orders_client.post(url, json=body, headers=headers, auth=till.staff)
    assert first.status_code == again.status_code == 201, first.text
    assert again.json() == first.json()
    movements = await as_service(
        connect_as, "orders", till.tenant, "SELECT id FROM orders.cash_movements"
    )
    assert len(movements) == 1
    owner = token(till.tenant, Role.OWNER)
    headers = {"Idempotency-Key": f"k-{uuid.uuid4()}"}
    created = await orders_client.post(
        "/v1/menu/categories", json={"name": "Cakes"}, headers=headers, auth=owner
    )
    replayed = await orders_client.post(
        "/v1/menu/categories", json={"name": "Cakes"}, headers=headers, auth=owner
    )
    assert created.status_code == replayed.status_code == 201, created.text
    assert replayed.json() == created.json()
    assert replayed.headers["etag"] == created.headers["etag"]
