"""Taking payment (`take_cash`, and a card through `start_card` and `finish_card`;
`POST /v1/orders/{id}/payments`): split between card and cash, cash rounded to five cents as
an explicit adjustment with its change, a declined or timed-out card recorded and paying
nothing. (The card's two steps around the terminal, and resuming them:
tests/orders/sale/test_card_payments.py.)"""

from __future__ import annotations

import asyncpg
import httpx
import pytest

from tests.support.database import Connect, as_tenant
from tests.support.sale import close, pay, sell
from tests.support.tills import OpenTill


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
    async with as_tenant(orders, till.tenant):
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
            await orders.execute("UPDATE orders.receipts SET total_minor = 0")


async def test_cash_rounds_to_five_cents_as_an_explicit_adjustment(
    orders_client: httpx.AsyncClient, till: OpenTill
) -> None:
    # One flat white (450) and a 3c tip: 453 owed.
    order = await sell(orders_client, till, lines=[{"item_id": str(till.menu.coffee_id)}])
    tipped = await orders_client.patch(
        f"/v1/orders/{order['id']}",
        json={"version": order["version"], "tip_minor": 3},
        auth=till.staff,
    )
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
