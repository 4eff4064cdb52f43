"""Firing an order (`fire`, `POST /v1/orders/{id}/fire`): each new line goes once to its
station's printer (kitchen or bar; nothing for what is made nowhere), as a ticket without
prices, and is audited; a stale version sends nothing; a replay by Idempotency-Key sends
nothing more. (Firing at the close: tests/orders/sale/test_close.py; VOID tickets for what is taken
off after: tests/orders/sale/test_void_tickets.py.)

Jobs are read back as the bridge service reads them: the orders service may only insert them.
"""

from __future__ import annotations

import re
import uuid

import httpx

from tests.support.database import Connect, as_service
from tests.support.printing import printed_lines
from tests.support.sale import audit_rows, sell
from tests.support.tills import OpenTill, coffee_order, print_jobs, stock_stations


async def test_firing_sends_each_new_line_once_to_its_station(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    stations = await stock_stations(connect_as, till.tenant, till.menu)
    order = await sell(
        orders_client,
        till,
        coffee_order(till, table_name="4", covers=2)
        | {
            "lines": [
                *coffee_order(till)["lines"],
                {"item_id": str(stations.beer_id), "quantity": 2},
                {"item_id": str(stations.beans_id)},
            ]
        },
    )
    url = f"/v1/orders/{order['id']}/fire"
    fired = await orders_client.post(url, json={"version": order["version"]}, auth=till.staff)
    assert fired.status_code == 200, fired.text
    result = fired.json()
    assert result["order"]["version"] == order["version"] + 1
    assert fired.headers["etag"] == f'"{order["version"] + 1}"'
    tickets = {ticket["printer_role"]: ticket for ticket in result["tickets"]}
    assert {role: t["line_numbers"] for role, t in tickets.items()} == {
        "kitchen": [1, 2, 3],
        "bar": [4],
    }

    jobs = {job["printer_role"]: job for job in await print_jobs(connect_as, till.tenant)}
    assert set(jobs) == {"kitchen", "bar"}
    for role, job in jobs.items():
        assert job["kind"] == "kitchen_ticket"
        assert job["id"] == uuid.UUID(tickets[role]["print_job_id"])
        assert job["location_id"] == till.location_id
        assert job["order_id"] == uuid.UUID(order["id"])
        assert job["receipt_id"] is None
    assert jobs["kitchen"]["summary"] == "Kitchen: table 4"
    assert jobs["bar"]["summary"] == "Bar: table 4"
    kitchen = printed_lines(jobs["kitchen"]["body"])
    bar = printed_lines(jobs["bar"]["body"])
    assert kitchen[0] == "KITCHEN" and bar[0] == "BAR"
    assert kitchen[1].startswith("Table 4") and kitchen[1].endswith("Covers 2")
    assert [line for line in kitchen if line.startswith(("1 x", "2 x", "    +"))] == [
        "1 x Flat white",
        "1 x Flat white",
        "    + Oat milk",
        "1 x Bread roll",
    ]
    assert "2 x Pale ale" in bar and "Pale ale" not in " ".join(kitchen)
    for text in (" ".join(kitchen), " ".join(bar)):
        assert "Coffee beans" not in text
        assert not re.search(r"\d\.\d\d", text), "no prices on a ticket"

    [audit] = await audit_rows(connect_as, till.tenant, "order.fired")
    assert audit["resource_id"] == order["id"]
    assert audit["payload"]["lines"] == {"kitchen": [1, 2, 3], "bar": [4]}
    assert audit["payload"]["closing"] is False

    # Nothing new: nothing sent, nothing changed.
    version = result["order"]["version"]
    again = await orders_client.post(url, json={"version": version}, auth=till.staff)
    assert again.status_code == 200, again.text
    assert again.json()["tickets"] == []
    assert again.json()["order"]["version"] == version
    assert len(await print_jobs(connect_as, till.tenant)) == 2
    assert len(await audit_rows(connect_as, till.tenant, "order.fired")) == 1

    # Another round of beer: only that goes, to the bar.
    added = await orders_client.post(
        f"/v1/orders/{order['id']}/lines",
        json={"version": version, "item_id": str(stations.beer_id)},
        auth=till.staff,
    )
    assert added.status_code == 201, added.text
    third = await orders_client.post(
        url, json={"version": added.json()["version"]}, auth=till.staff
    )
    assert [t["line_numbers"] for t in third.json()["tickets"]] == [[6]]
    jobs_now = await print_jobs(connect_as, till.tenant)
    assert len(jobs_now) == 3
    newest = next(job for job in jobs_now if job["id"] not in {j["id"] for j in jobs.values()})
    assert newest["printer_role"] == "bar"
    assert [line for line in printed_lines(newest["body"]) if " x " in line] == ["1 x Pale ale"]

    # The shelf item was never sent anywhere.
    rows = await as_service(
        connect_as,
        "orders",
        till.tenant,
        "SELECT line_number FROM orders.order_lines WHERE order_id = $1 AND fired_at IS NULL",
        uuid.UUID(order["id"]),
    )
    assert [row["line_number"] for row in rows] == [5]


async def test_firing_a_stale_version_is_a_conflict_and_sends_nothing(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    await stock_stations(connect_as, till.tenant, till.menu)
    order = await sell(orders_client, till, coffee_order(till))
    url = f"/v1/orders/{order['id']}/fire"
    stale = await orders_client.post(url, json={"version": order["version"] + 1}, auth=till.staff)
    assert stale.status_code == 409
    assert stale.json()["code"] == "version-conflict"
    missing = await orders_client.post(url, json={}, auth=till.staff)
    assert missing.status_code == 428
    unknown = await orders_client.post(
        f"/v1/orders/{uuid.uuid4()}/fire", json={"version": 1}, auth=till.staff
    )
    assert unknown.status_code == 404
    assert await print_jobs(connect_as, till.tenant) == []


async def test_firing_replays_by_idempotency_key(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    await stock_stations(connect_as, till.tenant, till.menu)
    order = await sell(orders_client, till, coffee_order(till))
    url = f"/v1/orders/{order['id']}/fire"
    headers = {"Idempotency-Key": f"fire-{uuid.uuid4()}"}
    body = {"version": order["version"]}
    first = await orders_client.post(url, json=body, headers=headers, auth=till.staff)
    again = await orders_client.post(url, json=body, headers=headers, auth=till.staff)
    assert first.status_code == again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert len(await print_jobs(connect_as, till.tenant)) == 1
