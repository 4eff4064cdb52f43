"""The orders vertical slice, called directly at the service (the gateway has its own tests)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from libs.audit.append import AuditLog
from libs.rbac import Role
from tests.conftest import Connect, Provision, TokenFactory

FLAT_WHITE = {"name": "Flat white", "quantity": 2, "unit_price_minor": 550}
BANANA_BREAD = {"name": "Banana bread", "quantity": 1, "unit_price_minor": 695}
# (orders, audit rows) of a freshly provisioned tenant: its tenant.created entry.
PROVISIONED = (0, 1)


def order_body(**overrides: Any) -> dict[str, Any]:
    return {"currency": "AUD", "lines": [FLAT_WHITE, BANANA_BREAD], **overrides}


async def counts(connect_as: Connect, tenant: uuid.UUID) -> tuple[int, int]:
    """(orders, audit rows) of one tenant, read as the service roles under RLS."""
    orders = await connect_as("orders")
    async with orders.transaction():
        await orders.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant))
        order_count = await orders.fetchval("SELECT count(*) FROM orders.orders")
        audit_count = await orders.fetchval("SELECT count(*) FROM audit.events")
    return order_count, audit_count


async def test_create_then_read_an_order(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory, connect_as: Connect
) -> None:
    tenant = await provision()
    cashier = token(tenant, Role.CASHIER, subject="staff-17")
    created = await orders_client.post("/v1/orders", json=order_body(), auth=cashier)
    assert created.status_code == 201, created.text
    order = created.json()
    assert order["total_minor"] == 2 * 550 + 695
    assert [line["total_minor"] for line in order["lines"]] == [1100, 695]
    assert order["created_by"] == "staff-17"
    assert order["status"] == "open"

    fetched = await orders_client.get(f"/v1/orders/{order['id']}", auth=cashier)
    assert fetched.status_code == 200
    assert fetched.json() == order

    # The write and its audit row were committed together, before the response.
    reader = await connect_as("audit")
    async with reader.transaction():
        await reader.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant))
        audit = await reader.fetch("SELECT * FROM audit.events ORDER BY seq")
    # The tenant's chain opens with its provisioning; the order's entry follows.
    assert [(row["action"], row["resource_id"]) for row in audit] == [
        ("tenant.created", str(tenant)),
        ("order.created", order["id"]),
    ]
    assert audit[-1]["actor_id"] == "staff-17"
    assert audit[-1]["request_id"] == created.headers["x-request-id"]


async def test_another_tenants_order_is_not_found(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    owner_a = token(await provision(), Role.OWNER)
    owner_b = token(await provision(), Role.OWNER)
    created = await orders_client.post("/v1/orders", json=order_body(), auth=owner_a)
    order_id = created.json()["id"]
    response = await orders_client.get(f"/v1/orders/{order_id}", auth=owner_b)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "order-not-found"
    listed = await orders_client.get("/v1/orders", auth=owner_b)
    assert listed.json()["items"] == []


async def test_list_is_cursor_paginated_newest_first(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    cashier = token(await provision(), Role.CASHIER)
    created = []
    for _ in range(5):
        response = await orders_client.post("/v1/orders", json=order_body(), auth=cashier)
        created.append(response.json()["id"])
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await orders_client.get("/v1/orders", params=params, auth=cashier)).json()
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


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (order_body(currency="aud"), "currency"),
        (order_body(lines=[]), "lines"),
        (order_body(lines=[{**FLAT_WHITE, "quantity": 0}]), "quantity"),
        (order_body(lines=[{**FLAT_WHITE, "unit_price_minor": 5.5}]), "unit_price_minor"),
        (order_body(lines=[{**FLAT_WHITE, "unit_price_minor": -1}]), "unit_price_minor"),
        (order_body(tenant_id=str(uuid.uuid4())), "tenant_id"),
    ],
)
async def test_bad_input_is_refused_and_changes_nothing(
    provision: Provision,
    body: dict[str, Any],
    field: str,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    response = await orders_client.post("/v1/orders", json=body, auth=token(tenant, Role.CASHIER))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation-failed"
    assert any(field in map(str, error["location"]) for error in problem["errors"]), problem
    assert await counts(connect_as, tenant) == PROVISIONED


async def test_idempotency_key_replays_the_first_response(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory, connect_as: Connect
) -> None:
    tenant = await provision()
    cashier = token(tenant, Role.CASHIER)
    headers = {"Idempotency-Key": "sale-0001"}
    first = await orders_client.post("/v1/orders", json=order_body(), headers=headers, auth=cashier)
    again = await orders_client.post("/v1/orders", json=order_body(), headers=headers, auth=cashier)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert await counts(connect_as, tenant) == (1, PROVISIONED[1] + 1)

    different = await orders_client.post(
        "/v1/orders", json=order_body(currency="EUR"), headers=headers, auth=cashier
    )
    assert different.status_code == 422
    assert different.json()["code"] == "idempotency-key-reused"
    assert await counts(connect_as, tenant) == (1, PROVISIONED[1] + 1)


async def test_concurrent_retries_with_one_key_make_one_order(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    """A till that retries while its first attempt is still in flight never doubles a sale:
    one order; every answer is that order or a 409 asking to retry."""
    tenant = await provision()
    cashier = token(tenant, Role.CASHIER)
    headers = {"Idempotency-Key": "sale-burst-1"}
    responses = await asyncio.gather(
        *(
            orders_client.post("/v1/orders", json=order_body(), headers=headers, auth=cashier)
            for _ in range(6)
        )
    )
    assert {r.status_code for r in responses} <= {201, 409}
    created = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created) == 1
    for refused in (r for r in responses if r.status_code == 409):
        assert refused.json()["code"] == "idempotency-key-in-flight"
    assert await counts(connect_as, tenant) == (1, PROVISIONED[1] + 1)
    retried = await orders_client.post(
        "/v1/orders", json=order_body(), headers=headers, auth=cashier
    )
    assert retried.json()["id"] in created


async def test_client_generated_id_is_created_once(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory, connect_as: Connect
) -> None:
    tenant = await provision()
    cashier = token(tenant, Role.CASHIER)
    order_id = str(uuid.uuid4())
    first = await orders_client.post("/v1/orders", json=order_body(id=order_id), auth=cashier)
    retry = await orders_client.post("/v1/orders", json=order_body(id=order_id), auth=cashier)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    clash = await orders_client.post(
        "/v1/orders", json=order_body(id=order_id, lines=[FLAT_WHITE]), auth=cashier
    )
    assert clash.status_code == 409
    assert clash.json()["code"] == "order-id-conflict"
    assert await counts(connect_as, tenant) == (1, PROVISIONED[1] + 1)


async def test_the_same_client_id_in_two_tenants_is_two_orders(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    order_id = str(uuid.uuid4())
    for tenant in (await provision(), await provision()):
        response = await orders_client.post(
            "/v1/orders", json=order_body(id=order_id), auth=token(tenant)
        )
        assert response.status_code == 201


async def test_an_order_is_not_kept_when_its_audit_row_fails(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The order and its audit row are one transaction: no audit row, no order."""

    async def failing_append(self: AuditLog, **_: Any) -> None:
        raise asyncpg.PostgresError("audit append failed")

    tenant = await provision()
    monkeypatch.setattr(AuditLog, "append", failing_append)
    response = await orders_client.post(
        "/v1/orders", json=order_body(), auth=token(tenant, Role.CASHIER)
    )
    assert response.status_code == 500
    assert response.json()["code"] == "internal-error"
    assert "audit append failed" not in response.text
    assert await counts(connect_as, tenant) == PROVISIONED


async def test_tenant_in_query_or_header_is_ignored(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    tenant_a, tenant_b = await provision(), await provision()
    owner_b = token(tenant_b)
    await orders_client.post("/v1/orders", json=order_body(), auth=owner_b)
    attacker = token(tenant_a)
    forged = {"X-Tenant-Id": str(tenant_b)}
    for params in ({"tenant_id": str(tenant_b)}, {"tenant": str(tenant_b)}):
        listed = await orders_client.get("/v1/orders", params=params, headers=forged, auth=attacker)
        assert listed.status_code == 200
        assert listed.json()["items"] == []
    created = await orders_client.post(
        "/v1/orders",
        params={"tenant_id": str(tenant_b)},
        json=order_body(),
        headers=forged,
        auth=attacker,
    )
    assert created.status_code == 201
    assert (await orders_client.get("/v1/orders", auth=owner_b)).json()["items"][0][
        "id"
    ] != created.json()["id"]
    mine = await orders_client.get(
        f"/v1/orders/{created.json()['id']}", headers=forged, auth=attacker
    )
    assert mine.status_code == 200
