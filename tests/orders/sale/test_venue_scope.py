"""A till reaches only its own venue: every order-side route, for a till of venue A against
what happened at venue B of the same business, answers 404 (never 403: whether something
exists at another venue is not confirmed), lists leave it out, and nothing changes. A
backoffice session reaches the venues its staff member is assigned to."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from libs.rbac import Role
from tests.support.database import Connect, Provision, as_service
from tests.support.sale import pay, sell, sold
from tests.support.tills import OpenTill, open_till, print_jobs, stock_stations
from tests.support.tokens import TokenFactory


@pytest.fixture
async def venues(
    provision: Provision, connect_as: Connect, token: TokenFactory
) -> tuple[OpenTill, OpenTill]:
    """Two tills of one business, at two venues, selling from one menu."""
    tenant = await provision()
    here = await open_till(connect_as, token, tenant)
    there = await open_till(connect_as, token, tenant, menu=here.menu)
    assert here.location_id != there.location_id
    return here, there


def manager_at(token: TokenFactory, till: OpenTill) -> httpx.Auth:
    """A manager signed in at the till (a device session: bound to its venue)."""
    return token(
        till.tenant,
        Role.MANAGER,
        str(uuid.uuid4()),
        key=till.key,
        location_id=till.location_id,
        device_id=till.device_id,
    )


async def _state(connect_as: Connect, till: OpenTill) -> list[Any]:
    """Everything the business's sales wrote, to show a refused request changed nothing."""
    tables = ("orders", "order_lines", "payments", "refunds", "receipts", "cash_movements")
    rows = []
    for table in tables:
        rows.append(
            await as_service(connect_as, "orders", till.tenant, f"SELECT * FROM orders.{table}")
        )
    return rows


def _not_found(response: httpx.Response) -> None:
    assert response.status_code == 404, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_till_reaches_no_order_of_another_venue(
    orders_client: httpx.AsyncClient, venues: tuple[OpenTill, OpenTill], connect_as: Connect
) -> None:
    here, there = venues
    await stock_stations(connect_as, here.tenant, here.menu)
    order = await sell(orders_client, there)
    done = await sold(orders_client, there)
    before = await _state(connect_as, here)
    jobs_before = await print_jobs(connect_as, here.tenant)
    url = f"/v1/orders/{order['id']}"
    version = {"version": order["version"]}
    line = {"item_id": str(here.menu.coffee_id)}
    attempts = [
        ("GET", url, None),
        ("PATCH", url, {**version, "table_name": "7"}),
        ("POST", f"{url}/lines", {**version, **line}),
        ("PATCH", f"{url}/lines/1", {**version, "quantity": 3}),
        ("POST", f"{url}/lines/1/void", {**version, "reason_code": "entered_in_error"}),
        ("POST", f"{url}/void", {**version, "reason_code": "entered_in_error"}),
        ("POST", f"{url}/payments", {**version, "tender": "cash", "tendered_minor": 5_000}),
        ("POST", f"{url}/payments", {**version, "tender": "card"}),
        ("POST", f"{url}/payments/{uuid.uuid4()}/resolve", {}),
        ("POST", f"{url}/fire", version),
        ("POST", f"{url}/close", version),
        (
            "POST",
            f"/v1/orders/{done['order']['id']}/refunds",
            {"version": done["order"]["version"], "reason_code": "other", "amount_minor": 100},
        ),
    ]
    for method, path, body in attempts:
        response = await orders_client.request(method, path, json=body, auth=here.staff)
        _not_found(response)
        assert response.json()["code"] == "order-not-found", (method, path)

    listed = await orders_client.get("/v1/orders", auth=here.staff)
    assert listed.status_code == 200
    assert {o["id"] for o in listed.json()["items"]}.isdisjoint({order["id"], done["order"]["id"]})
    assert await _state(connect_as, here) == before
    assert await print_jobs(connect_as, here.tenant) == jobs_before

    # At its own venue the same order is there.
    theirs = await orders_client.get(url, auth=there.staff)
    assert theirs.status_code == 200
    assert theirs.json()["version"] == order["version"]


async def test_a_till_reaches_no_receipt_shift_or_print_job_of_another_venue(
    orders_client: httpx.AsyncClient,
    live_stack: Any,
    venues: tuple[OpenTill, OpenTill],
    token: TokenFactory,
) -> None:
    here, there = venues
    done = await sold(orders_client, there)
    receipt = done["receipt"]
    manager = manager_at(token, here)
    for path in (f"/v1/receipts/{receipt['id']}",):
        _not_found(await orders_client.get(path, auth=here.staff))
    listed = await orders_client.get("/v1/receipts", auth=here.staff)
    assert receipt["id"] not in {r["id"] for r in listed.json()["items"]}
    reprint = await orders_client.post(
        f"/v1/receipts/{receipt['id']}/reprint", json={}, auth=manager
    )
    _not_found(reprint)

    shift = f"/v1/shifts/{there.shift_id}"
    for path in (shift, f"{shift}/x-report", f"{shift}/z-report", f"{shift}/z-reports"):
        _not_found(await orders_client.get(path, auth=here.staff))
    shifts = await orders_client.get("/v1/shifts", auth=here.staff)
    assert str(there.shift_id) not in {s["id"] for s in shifts.json()["items"]}
    movement = {"kind": "paid_out", "amount_minor": 100, "reason": "float"}
    _not_found(await orders_client.post(f"{shift}/cash-movements", json=movement, auth=here.staff))
    closing = {"version": 1, "counted": {"cash": 0, "card": 0}}
    _not_found(await orders_client.post(f"{shift}/close", json=closing, auth=manager))

    # The venue's print jobs, through the gateway to the bridge service: a manager at a till
    # sees and retries only that venue's.
    async with httpx.AsyncClient(base_url=live_stack.gateway) as gateway:
        jobs = await gateway.get("/v1/admin/print-jobs", auth=manager_at(token, here))
        assert jobs.status_code == 200, jobs.text
        assert all(job["location_id"] == str(here.location_id) for job in jobs.json()["items"])
        theirs = await gateway.get("/v1/admin/print-jobs", auth=manager_at(token, there))
        job_id = next(job["id"] for job in theirs.json()["items"])
        retry = await gateway.post(
            f"/v1/admin/print-jobs/{job_id}/retry", auth=manager_at(token, here)
        )
        _not_found(retry)


async def test_a_backoffice_session_reaches_the_venues_it_is_assigned_to(
    orders_client: httpx.AsyncClient, venues: tuple[OpenTill, OpenTill], token: TokenFactory
) -> None:
    here, there = venues
    mine, theirs = await sell(orders_client, here), await sell(orders_client, there)
    assigned = token(
        here.tenant, Role.OWNER, "owner-of-one-venue", venues=frozenset({here.location_id})
    )
    everywhere = token(here.tenant, Role.OWNER, "owner")
    assert (await orders_client.get(f"/v1/orders/{mine['id']}", auth=assigned)).status_code == 200
    _not_found(await orders_client.get(f"/v1/orders/{theirs['id']}", auth=assigned))
    for auth, expected in ((assigned, {mine["id"]}), (everywhere, {mine["id"], theirs["id"]})):
        listed = await orders_client.get("/v1/orders", auth=auth)
        assert {order["id"] for order in listed.json()["items"]} == expected


async def test_the_payment_of_a_sale_at_another_register_of_the_same_venue_goes_ahead(
    orders_client: httpx.AsyncClient,
    venues: tuple[OpenTill, OpenTill],
    connect_as: Connect,
    token: TokenFactory,
) -> None:
    """A table opened at the bar is paid at the door: the same venue, another register."""
    here, _ = venues
    door = await open_till(
        connect_as, token, here.tenant, menu=here.menu, location_id=here.location_id
    )
    order = await sell(orders_client, here)
    paid = await pay(orders_client, door, order, tender="cash", tendered_minor=1_250)
    assert paid["payment"]["shift_id"] == str(door.shift_id)


async def test_a_manager_at_a_till_reviews_the_offline_sync_of_its_own_venue_only(
    orders_client: httpx.AsyncClient,
    venues: tuple[OpenTill, OpenTill],
    connect_as: Connect,
    token: TokenFactory,
) -> None:
    """The operation log and the flags of venue B's tills are not venue A's to read or
    resolve; the business's owner sees both."""
    here, there = venues
    seeded = {}
    for till in (here, there):
        operation_id, flag_id = uuid.uuid4(), uuid.uuid4()
        await as_service(
            connect_as,
            "orders",
            till.tenant,
            """
            WITH operation AS (
                INSERT INTO orders.sync_operations
                       (id, device_id, sequence, kind, uploaded_by, content_hash, content, status)
                VALUES ($1, $3, 1, 'cash.movement', 'someone', sha256('x'), '{}', 'rejected')
            )
            INSERT INTO orders.sync_flags
                   (id, kind, device_id, operation_id, resource_type, resource_id, details)
            VALUES ($2, 'device-clock-ahead', $3, $1, 'device', $3::text, '{}')
            """,
            operation_id,
            flag_id,
            till.device_id,
        )
        seeded[till.device_id] = (str(operation_id), str(flag_id))
    mine, theirs = seeded[here.device_id], seeded[there.device_id]
    manager = manager_at(token, here)
    owner = token(here.tenant, Role.OWNER, "owner")
    for auth, expected in ((manager, [mine]), (owner, [mine, theirs])):
        operations = await orders_client.get("/v1/sync/operations", auth=auth)
        flags = await orders_client.get("/v1/sync/flags", auth=auth)
        assert operations.status_code == flags.status_code == 200, operations.text
        assert {item["id"] for item in operations.json()["items"]} == {o for o, _ in expected}
        assert {item["id"] for item in flags.json()["items"]} == {f for _, f in expected}
    before = await as_service(connect_as, "orders", here.tenant, "SELECT * FROM orders.sync_flags")
    _not_found(
        await orders_client.post(
            f"/v1/sync/flags/{theirs[1]}/resolve", json={"resolution": "seen"}, auth=manager
        )
    )
    after = await as_service(connect_as, "orders", here.tenant, "SELECT * FROM orders.sync_flags")
    assert after == before
    resolved = await orders_client.post(
        f"/v1/sync/flags/{mine[1]}/resolve", json={"resolution": "seen"}, auth=manager
    )
    assert resolved.status_code == 200, resolved.text
