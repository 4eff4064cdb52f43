"""The conventions every command of a sale keeps, at the orders service: an Idempotency-Key
replays the first answer and refuses another request under it, concurrent retries included,
and every POST takes one in the published OpenAPI document; a change names its version (or
If-Match), and of two concurrent changes one wins; problems are RFC 9457; lists are
cursor-paginated; another business's orders are not found, and a tenant named in a query or a
header is ignored."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from libs.auth.access_tokens import TokenVerifier
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from tests.support.database import Connect, Provision, as_service
from tests.support.sale import PROVISIONED, counts, sell
from tests.support.tills import OpenTill, coffee_order, open_till
from tests.support.tokens import TokenFactory

# -- Idempotency-Key ---------------------------------------------------------------------------


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


def test_every_post_of_the_orders_service_takes_an_idempotency_key(
    service_databases: dict[str, TenantDatabase], verifier: TokenVerifier
) -> None:
    """As integrators see it: in the published OpenAPI document."""
    from services.orders.app import create_app

    paths = create_app(service_databases["orders"], verifier).openapi()["paths"]
    posts = {path: item["post"] for path, item in paths.items() if "post" in item}
    assert len(posts) == 26
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


# -- versions ----------------------------------------------------------------------------------


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


# -- lists -------------------------------------------------------------------------------------


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


# -- another business --------------------------------------------------------------------------


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


async def test_another_businesss_order_is_not_found(
    orders_client: httpx.AsyncClient,
    till: OpenTill,
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
) -> None:
    order = await sell(orders_client, till)
    other = await open_till(connect_as, token, await provision())
    for method, path, body in (
        ("GET", f"/v1/orders/{order['id']}", None),
        ("PATCH", f"/v1/orders/{order['id']}", {"version": 1, "covers": 1}),
        ("POST", f"/v1/orders/{order['id']}/payments", {"version": 1, "tender": "card"}),
        ("POST", f"/v1/orders/{order['id']}/lines/1/void", {"version": 1, "reason_code": "other"}),
    ):
        response = await orders_client.request(method, path, json=body, auth=other.staff)
        assert response.status_code == 404, (path, response.text)


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
