"""The orders vertical slice, called directly at the service (the gateway has its own tests):
reading, listing, refusing, idempotency, client ids, tenancy. Pricing, payments and the rest
of the till's day are in tests/test_pos.py."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx
import pytest

from libs.audit.append import AuditLog
from libs.rbac import Role
from tests.conftest import Connect, Provision, TokenFactory
from tests.tills import OpenTill, coffee_order, open_till

# (orders, audit rows) of a freshly provisioned tenant: its tenant.created and
# orders.provisioned entries (a till's device, menu and shift are arranged in SQL, unaudited).
PROVISIONED = (0, 2)


async def counts(connect_as: Connect, tenant: uuid.UUID) -> tuple[int, int]:
    """(orders, audit rows) of one tenant, read as the service roles under RLS."""
    orders = await connect_as("orders")
    async with orders.transaction():
        await orders.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant))
        order_count = await orders.fetchval("SELECT count(*) FROM orders.orders")
        audit_count = await orders.fetchval("SELECT count(*) FROM audit.events")
    return order_count, audit_count


@pytest.fixture
async def till(provision: Provision, connect_as: Connect, token: TokenFactory) -> OpenTill:
    """A cashier signed in at a till with an open shift, in a new business."""
    return await open_till(connect_as, token, await provision(), subject="staff-17")


async def test_create_then_read_an_order(
    till: OpenTill, orders_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    created = await orders_client.post("/v1/orders", json=coffee_order(till), auth=till.staff)
    assert created.status_code == 201, created.text
    order = created.json()
    assert order["total_minor"] == 450 + 500 + 300
    assert [line["total_minor"] for line in order["lines"]] == [450, 500, 300]
    assert order["created_by"] == "staff-17"
    assert order["status"] == "open"

    fetched = await orders_client.get(f"/v1/orders/{order['id']}", auth=till.staff)
    assert fetched.status_code == 200
    assert fetched.json() == order

    # The write and its audit row were committed together, before the response.
    reader = await connect_as("audit")
    async with reader.transaction():
        await reader.execute("SELECT set_config('app.tenant_id', $1, true)", str(till.tenant))
        audit = await reader.fetch("SELECT * FROM audit.events ORDER BY seq")
    # The tenant's chain opens with its provisioning; the order's entry follows.
    assert [(row["action"], row["resource_id"]) for row in audit] == [
        ("tenant.created", str(till.tenant)),
        ("orders.provisioned", str(till.tenant)),
        ("order.opened", order["id"]),
    ]
    assert audit[-1]["actor_id"] == "staff-17"
    assert audit[-1]["request_id"] == created.headers["x-request-id"]
    assert f'"device_id": "{till.device_id}"' in audit[-1]["payload"]


async def test_another_tenants_order_is_not_found(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory, connect_as: Connect
) -> None:
    owner_a = await open_till(connect_as, token, await provision(), role=Role.OWNER)
    owner_b = token(await provision(), Role.OWNER)
    created = await orders_client.post("/v1/orders", json=coffee_order(owner_a), auth=owner_a.staff)
    assert created.status_code == 201, created.text
    order_id = created.json()["id"]
    response = await orders_client.get(f"/v1/orders/{order_id}", auth=owner_b)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "order-not-found"
    listed = await orders_client.get("/v1/orders", auth=owner_b)
    assert listed.json()["items"] == []


async def test_list_is_cursor_paginated_newest_first(
    till: OpenTill, orders_client: httpx.AsyncClient
) -> None:
    created = []
    for _ in range(5):
        response = await orders_client.post("/v1/orders", json=coffee_order(till), auth=till.staff)
        assert response.status_code == 201, response.text
        created.append(response.json()["id"])
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await orders_client.get("/v1/orders", params=params, auth=till.staff)).json()
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == list(reversed(created))


async def test_a_bad_cursor_is_a_problem(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    response = await orders_client.get(
        "/v1/orders", params={"cursor": "not-a-cursor"}, auth=token(await provision())
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid-cursor"


def _coffee(till: OpenTill, **fields: Any) -> dict[str, Any]:
    return {"item_id": str(till.menu.coffee_id), "quantity": 1, **fields}


BodyFor = Callable[[OpenTill], dict[str, Any]]
BAD_BODIES: list[tuple[str, BodyFor, str]] = [
    # The currency is the business's, not the client's.
    ("currency", lambda t: coffee_order(t, currency="AUD"), "currency"),
    ("lines not a list", lambda t: {"lines": {"item_id": str(t.menu.coffee_id)}}, "lines"),
    ("too many lines", lambda t: {"lines": [_coffee(t)] * 201}, "lines"),
    ("line without item", lambda t: {"lines": [{"quantity": 1}]}, "item_id"),
    ("item id not a uuid", lambda t: {"lines": [{"item_id": "flat-white"}]}, "item_id"),
    ("zero quantity", lambda t: {"lines": [_coffee(t, quantity=0)]}, "quantity"),
    ("fractional quantity", lambda t: {"lines": [_coffee(t, quantity=1.5)]}, "quantity"),
    # Prices come from the menu: a client's price is refused, not ignored.
    ("client price", lambda t: {"lines": [_coffee(t, unit_price_minor=550)]}, "unit_price_minor"),
    # Money is whole minor units, never a float, never negative.
    ("float money", lambda t: coffee_order(t, service_charge_bps=5.5), "service_charge_bps"),
    (
        "negative discount",
        lambda t: coffee_order(t, discount={"kind": "amount", "value": -1}),
        "value",
    ),
    ("tenant chosen", lambda t: coffee_order(t, tenant_id=str(uuid.uuid4())), "tenant_id"),
]


@pytest.mark.parametrize(
    ("body_for", "field"),
    [pytest.param(body_for, field, id=name) for name, body_for, field in BAD_BODIES],
)
async def test_bad_input_is_refused_and_changes_nothing(
    till: OpenTill,
    body_for: BodyFor,
    field: str,
    orders_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    response = await orders_client.post("/v1/orders", json=body_for(till), auth=till.staff)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation-failed"
    assert any(field in map(str, error["location"]) for error in problem["errors"]), problem
    assert await counts(connect_as, till.tenant) == PROVISIONED


async def test_idempotency_key_replays_the_first_response(
    till: OpenTill, orders_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    headers = {"Idempotency-Key": "sale-0001"}
    body = coffee_order(till)
    first = await orders_client.post("/v1/orders", json=body, headers=headers, auth=till.staff)
    again = await orders_client.post("/v1/orders", json=body, headers=headers, auth=till.staff)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"
    assert await counts(connect_as, till.tenant) == (1, PROVISIONED[1] + 1)

    different = await orders_client.post(
        "/v1/orders", json=coffee_order(till, covers=2), headers=headers, auth=till.staff
    )
    assert different.status_code == 422
    assert different.json()["code"] == "idempotency-key-reused"
    # The key names one request: the same key on another route is refused too.
    elsewhere = await orders_client.post(
        f"/v1/orders/{first.json()['id']}/lines",
        json={"version": first.json()["version"], "item_id": str(till.menu.bread_id)},
        headers=headers,
        auth=till.staff,
    )
    assert elsewhere.status_code == 422
    assert elsewhere.json()["code"] == "idempotency-key-reused"
    assert await counts(connect_as, till.tenant) == (1, PROVISIONED[1] + 1)
    unchanged = await orders_client.get(f"/v1/orders/{first.json()['id']}", auth=till.staff)
    assert unchanged.json() == first.json()


async def test_concurrent_retries_with_one_key_make_one_order(
    till: OpenTill, orders_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    """A till that retries while its first attempt is still in flight never doubles a sale:
    one order; every answer is that order or a 409 asking to retry."""
    headers = {"Idempotency-Key": "sale-burst-1"}
    body = coffee_order(till)
    responses = await asyncio.gather(
        *(
            orders_client.post("/v1/orders", json=body, headers=headers, auth=till.staff)
            for _ in range(6)
        )
    )
    assert {r.status_code for r in responses} <= {201, 409}, [r.text for r in responses]
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1
    for refused in (r for r in responses if r.status_code == 409):
        assert refused.json()["code"] == "idempotency-key-in-flight"
    assert await counts(connect_as, till.tenant) == (1, PROVISIONED[1] + 1)
    retried = await orders_client.post("/v1/orders", json=body, headers=headers, auth=till.staff)
    assert retried.json()["id"] in created


async def test_client_generated_id_is_created_once(
    till: OpenTill, orders_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    order_id = str(uuid.uuid4())
    body = coffee_order(till, id=order_id)
    first = await orders_client.post("/v1/orders", json=body, auth=till.staff)
    retry = await orders_client.post("/v1/orders", json=body, auth=till.staff)
    assert (first.status_code, retry.status_code) == (201, 200), retry.text
    assert retry.json() == first.json()
    clash = await orders_client.post(
        "/v1/orders", json={"id": order_id, "lines": [_coffee(till)]}, auth=till.staff
    )
    assert clash.status_code == 409
    assert clash.json()["code"] == "order-id-conflict"
    assert await counts(connect_as, till.tenant) == (1, PROVISIONED[1] + 1)


async def test_the_same_client_id_in_two_tenants_is_two_orders(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory, connect_as: Connect
) -> None:
    order_id = str(uuid.uuid4())
    for tenant in (await provision(), await provision()):
        till = await open_till(connect_as, token, tenant)
        response = await orders_client.post(
            "/v1/orders", json=coffee_order(till, id=order_id), auth=till.staff
        )
        assert response.status_code == 201, response.text
        assert response.json()["id"] == order_id


async def test_an_order_is_not_kept_when_its_audit_row_fails(
    till: OpenTill,
    orders_client: httpx.AsyncClient,
    connect_as: Connect,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The order and its audit row are one transaction: no audit row, no order."""

    async def failing_append(self: AuditLog, **_: Any) -> None:
        raise asyncpg.PostgresError("audit append failed")

    monkeypatch.setattr(AuditLog, "append", failing_append)
    response = await orders_client.post("/v1/orders", json=coffee_order(till), auth=till.staff)
    assert response.status_code == 500
    assert response.json()["code"] == "internal-error"
    assert "audit append failed" not in response.text
    assert await counts(connect_as, till.tenant) == PROVISIONED


async def test_tenant_in_query_or_header_is_ignored(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory, connect_as: Connect
) -> None:
    tenant_a, tenant_b = await provision(), await provision()
    owner_b = await open_till(connect_as, token, tenant_b, role=Role.OWNER)
    theirs = await orders_client.post("/v1/orders", json=coffee_order(owner_b), auth=owner_b.staff)
    assert theirs.status_code == 201, theirs.text
    attacker = await open_till(connect_as, token, tenant_a, role=Role.OWNER)
    forged = {"X-Tenant-Id": str(tenant_b)}
    for params in ({"tenant_id": str(tenant_b)}, {"tenant": str(tenant_b)}):
        listed = await orders_client.get(
            "/v1/orders", params=params, headers=forged, auth=attacker.staff
        )
        assert listed.status_code == 200
        assert listed.json()["items"] == []
    created = await orders_client.post(
        "/v1/orders",
        params={"tenant_id": str(tenant_b)},
        json=coffee_order(attacker),
        headers=forged,
        auth=attacker.staff,
    )
    assert created.status_code == 201, created.text
    assert created.json()["shift_id"] == str(attacker.shift_id)
    listed_b = (await orders_client.get("/v1/orders", auth=owner_b.staff)).json()["items"]
    assert [order["id"] for order in listed_b] == [theirs.json()["id"]]
    mine = await orders_client.get(
        f"/v1/orders/{created.json()['id']}", headers=forged, auth=attacker.staff
    )
    assert mine.status_code == 200
