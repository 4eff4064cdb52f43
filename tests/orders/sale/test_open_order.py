"""Opening an order (`open_order`, `POST /v1/orders`), called directly at the service (the
gateway has its own tests): priced from the menu, never from the client; unknown, archived or
ill-fitting items and malformed bodies refused with nothing written; a register with an open
shift needed; a client-generated id created once, and once per business; the order and its
audit entry one transaction. The hand-worked numbers are in the comments."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx
import pytest

from libs.audit.append import AuditLog
from libs.rbac import Role
from tests.support.database import Connect, Provision, as_service, as_tenant
from tests.support.sale import PROVISIONED, counts, sell
from tests.support.tills import OpenTill, coffee_order, open_till
from tests.support.tokens import TokenFactory


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
    async with as_tenant(reader, till.tenant):
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
        (
            [{"item_id": str(menu.bread_id), "modifier_ids": [str(menu.oat_milk_id)]}],
            "modifiers-invalid",
        ),
        # At most one milk.
        (
            [
                {
                    "item_id": str(menu.coffee_id),
                    "modifier_ids": [str(menu.oat_milk_id), str(menu.oat_milk_id)],
                }
            ],
            "modifiers-invalid",
        ),
    ):
        refused = await orders_client.post("/v1/orders", json={"lines": lines}, auth=till.staff)
        assert refused.status_code == 422, refused.text
        assert refused.json()["code"] == code
    await as_service(
        connect_as,
        "orders",
        till.tenant,
        "UPDATE orders.menu_items SET archived_at = now() WHERE id = $1",
        menu.bread_id,
    )
    refused = await orders_client.post(
        "/v1/orders", json={"lines": [{"item_id": str(menu.bread_id)}]}, auth=till.staff
    )
    assert refused.json()["code"] == "item-not-sellable"
    rows = await as_service(connect_as, "orders", till.tenant, "SELECT id FROM orders.orders")
    assert rows == []


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


async def test_selling_needs_a_register_with_an_open_shift(
    orders_client: httpx.AsyncClient, till: OpenTill, token: TokenFactory
) -> None:
    backoffice = token(till.tenant, Role.MANAGER)
    refused = await orders_client.post("/v1/orders", json=coffee_order(till), auth=backoffice)
    assert refused.status_code == 409
    assert refused.json()["code"] == "register-required"


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
