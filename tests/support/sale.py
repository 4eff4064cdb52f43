"""Steps of a sale through the orders service's API, for the sale's tests: open an order, pay
it, close it, refund it, each asserting it was answered as it should be; and what the tests
read back as the services' own roles (a business's orders and audit rows). The till they sell
at is tests/orders/sale/conftest.py's."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx

from tests.support.database import Connect, as_service, as_tenant
from tests.support.tills import OpenTill, coffee_order

# (orders, audit rows) of a freshly provisioned tenant: its tenant.created and
# orders.provisioned entries (a till's device, menu and shift are arranged in SQL, unaudited).
PROVISIONED = (0, 2)


async def counts(connect_as: Connect, tenant: uuid.UUID) -> tuple[int, int]:
    """(orders, audit rows) of one tenant, read as the service roles under RLS."""
    orders = await connect_as("orders")
    async with as_tenant(orders, tenant):
        order_count = await orders.fetchval("SELECT count(*) FROM orders.orders")
        audit_count = await orders.fetchval("SELECT count(*) FROM audit.events")
    return order_count, audit_count


async def audit_rows(connect_as: Connect, tenant: uuid.UUID, action: str) -> list[dict[str, Any]]:
    """The business's audit entries of `action`, oldest first, as the orders service reads
    them, each payload parsed."""
    rows = await as_service(
        connect_as,
        "orders",
        tenant,
        "SELECT actor_id, resource_id, payload FROM audit.events WHERE action = $1 ORDER BY seq",
        action,
    )
    return [{**dict(row), "payload": json.loads(row["payload"])} for row in rows]


async def sell(
    client: httpx.AsyncClient, till: OpenTill, body: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    """Open an order of `body`; without one, of two flat whites (one with oat milk) and a bread
    roll, 1250 (tests/support/tills.py), with `fields`."""
    order_body = coffee_order(till, **fields) if body is None else body
    created = await client.post("/v1/orders", json=order_body, auth=till.staff)
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


async def close(
    client: httpx.AsyncClient, till: OpenTill, order: dict[str, Any], **body: Any
) -> httpx.Response:
    """Close `order` at its version; `body` adds to the request (`print_receipt`)."""
    return await client.post(
        f"/v1/orders/{order['id']}/close",
        json={"version": order["version"], **body},
        auth=till.staff,
    )


async def sold(client: httpx.AsyncClient, till: OpenTill) -> dict[str, Any]:
    """A closed cash sale of the usual 1250: {"order", "receipt"}."""
    order = await sell(client, till)
    paid = await pay(client, till, order, tender="cash", tendered_minor=2_000)
    closed = await close(client, till, paid["order"])
    assert closed.status_code == 200, closed.text
    result: dict[str, Any] = closed.json()
    return result
