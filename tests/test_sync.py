"""Offline sync (services/orders/sync/), against the real Postgres through the orders API:
a till's queue of what it did without a network, applied exactly once, in its order."""

from __future__ import annotations

import httpx

from tests.conftest import Connect, Provision, TokenFactory
from tests.offline import Log, offline_till, upload


async def test_an_offline_shift_uploads_into_the_books(
    provision: Provision, connect_as: Connect, token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> None:  # fmt: skip
    tenant = await provision()
    till = await offline_till(connect_as, token, orders_client, tenant)
    log = Log(till)
    shift_id = log.open_shift()
    order_id = log.sale()
    log.close_shift(cash=20_000 + 1_250)
    answer = await upload(orders_client, till, log.operations)
    assert [item["state"] for item in answer["items"]] == ["applied"] * 5, answer
    assert answer["applied_through"] == 5
    order = (await orders_client.get(f"/v1/orders/{order_id}", auth=till.auth)).json()
    assert order["status"] == "closed"
    assert order["total_minor"] == 1_250
    z = (await orders_client.get(f"/v1/shifts/{shift_id}/z-report", auth=till.auth)).json()
    assert z["difference"] == {"cash": 0, "card": 0}
    again = await upload(orders_client, till, log.operations)
    assert [item["status"] for item in again["items"]] == ["duplicate"] * 5
