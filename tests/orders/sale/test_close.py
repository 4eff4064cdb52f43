"""Closing an order (`close_order`, `POST /v1/orders/{id}/close`): only when the payments
equal the total, and then its receipt is queued for the receipt printer of the register's
venue (in the venue's currency, code page and time zone, with the card's scheme and last 4,
never its auth code); a refused close prints nothing; what was not fired yet goes to the
kitchen and bar at the close, and the receipt's paper can be skipped. (The receipt's number
series: tests/orders/sale/test_payments.py.)

Jobs are read back as the bridge service reads them: the orders service may only insert them.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx

from tests.support.database import Connect, Provision, as_service
from tests.support.printing import printed_lines, printed_text
from tests.support.sale import audit_rows, close, pay, sell
from tests.support.tills import (
    OpenTill,
    coffee_order,
    name_venue,
    open_till,
    print_jobs,
    stock_stations,
)
from tests.support.tokens import TokenFactory


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


async def test_closing_a_card_sale_queues_one_receipt_at_the_registers_venue(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    order = await sell(orders_client, till, coffee_order(till))
    paid = await pay(orders_client, till, order, tender="card")
    card = paid["payment"]
    assert card["auth_code"] and card["last4"] and card["scheme"]
    closed = await close(orders_client, till, paid["order"])
    assert closed.status_code == 200, closed.text
    receipt = closed.json()["receipt"]

    jobs = await print_jobs(connect_as, till.tenant)
    assert len(jobs) == 1
    job = jobs[0]
    assert job["printer_role"] == "receipt" and job["kind"] == "receipt"
    assert job["location_id"] == till.location_id
    assert job["register_number"] == 1
    assert job["receipt_id"] == uuid.UUID(receipt["id"])
    assert job["order_id"] == uuid.UUID(order["id"])
    assert job["summary"] == "Receipt R1-000001"
    assert job["status"] == "queued"
    assert job["created_by"] == till.subject

    text = printed_text(job["body"])
    assert "Harbour Café Group" in text
    assert "RECEIPT R1-000001" in text
    assert "$12.50" in text
    assert f"Card {card['scheme']} •••• {card['last4']}" in text
    assert card["auth_code"] not in text
    assert card["terminal_reference"] not in text
    local = datetime.fromisoformat(receipt["issued_at"]).astimezone(ZoneInfo("Australia/Sydney"))
    assert local.strftime("%Y-%m-%d %H:%M") in text

    queued = await audit_rows(connect_as, till.tenant, "print_job.queued")
    assert [row["resource_id"] for row in queued] == [str(job["id"])]
    assert queued[0]["payload"]["summary"] == "Receipt R1-000001"
    closed_row = (await audit_rows(connect_as, till.tenant, "order.closed"))[0]
    assert closed_row["payload"]["receipt_print_job_id"] == str(job["id"])


async def test_a_close_that_fails_prints_nothing(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    order = await sell(orders_client, till, coffee_order(till))
    refused = await close(orders_client, till, order)
    assert refused.status_code == 409
    assert refused.json()["code"] == "payments-do-not-match-total"
    assert await print_jobs(connect_as, till.tenant) == []
    assert await audit_rows(connect_as, till.tenant, "print_job.queued") == []


async def test_a_berlin_receipt_prints_euros_umlauts_and_berlin_time(
    orders_client: httpx.AsyncClient, provision: Provision, connect_as: Connect, token: TokenFactory
) -> None:
    till = await open_till(connect_as, token, await provision("eu"), region="eu")
    await name_venue(
        connect_as,
        till.tenant,
        till.location_id,
        business="Bäckerei Größe GmbH",
        venue="Café am Müggelsee",
        time_zone="Europe/Berlin",
    )
    order = await sell(orders_client, till, coffee_order(till))
    paid = await pay(orders_client, till, order, tender="cash", tendered_minor=2000)
    closed = await close(orders_client, till, paid["order"])
    assert closed.status_code == 200, closed.text
    receipt = closed.json()["receipt"]
    [job] = await print_jobs(connect_as, till.tenant)
    body = job["body"]
    lines = printed_lines(body)
    assert "Bäckerei Größe GmbH" in lines
    assert "Café am Müggelsee" in lines
    # € and umlauts in PC858, the code page the document starts in.
    assert b"\x1bt\x13" in body
    assert b"M\x81ggelsee" in body
    assert b"12,50 \xd5" in body
    text = printed_text(body)
    assert "12,50 €" in text
    # Cash 20,00, change 7,50; VAT included: 19% of 950 and 7% of 300.
    assert re.search(r"\nCash +20,00\n", "\n".join(lines))
    assert re.search(r"\n  Change +7,50\n", "\n".join(lines))
    assert "VAT included in prices" in lines
    assert any(line.startswith("19%") for line in lines)
    assert any(line.startswith("7%") for line in lines)
    local = datetime.fromisoformat(receipt["issued_at"]).astimezone(ZoneInfo("Europe/Berlin"))
    assert f"{local:%Y-%m-%d %H:%M} {local.tzname()}" in lines
    assert local.tzname() in ("CET", "CEST")


async def test_closing_fires_what_is_left_and_can_skip_the_paper(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    stations = await stock_stations(connect_as, till.tenant, till.menu)
    # Counter service: order, pay, close; the kitchen and bar get it at the close.
    order = await sell(
        orders_client,
        till,
        {"lines": [{"item_id": str(till.menu.coffee_id)}, {"item_id": str(stations.beer_id)}]},
    )
    paid = await pay(orders_client, till, order, tender="cash", tendered_minor=2000)
    closed = await close(orders_client, till, paid["order"], print_receipt=False)
    assert closed.status_code == 200, closed.text
    assert closed.json()["order"]["version"] == paid["order"]["version"] + 1
    jobs = await print_jobs(connect_as, till.tenant)
    assert sorted(job["printer_role"] for job in jobs) == ["bar", "kitchen"]
    assert all(job["kind"] == "kitchen_ticket" for job in jobs)
    [fired] = await audit_rows(connect_as, till.tenant, "order.fired")
    assert fired["payload"]["closing"] is True
    assert fired["payload"]["lines"] == {"kitchen": [1], "bar": [2]}
    [closed_row] = await audit_rows(connect_as, till.tenant, "order.closed")
    assert closed_row["payload"]["receipt_print_job_id"] is None

    # An order fired before it is paid is not sent again at the close; the receipt prints.
    second = await sell(orders_client, till, {"lines": [{"item_id": str(stations.beer_id)}]})
    fired_now = await orders_client.post(
        f"/v1/orders/{second['id']}/fire", json={"version": second["version"]}, auth=till.staff
    )
    paid = await pay(orders_client, till, fired_now.json()["order"], tender="card")
    assert (await close(orders_client, till, paid["order"])).status_code == 200
    jobs = await print_jobs(connect_as, till.tenant)
    for_second = [job for job in jobs if job["order_id"] == uuid.UUID(second["id"])]
    assert sorted(job["kind"] for job in for_second) == ["kitchen_ticket", "receipt"]
