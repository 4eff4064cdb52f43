"""Voiding (`void_line`, `POST /v1/orders/{id}/lines/{n}/void`, and `void_order`,
`POST /v1/orders/{id}/void`): a voided line comes off the order's total; an order a payment
was taken on cannot be voided. (What a void sends to the kitchen and bar:
tests/orders/sale/test_void_tickets.py.)"""

from __future__ import annotations

import httpx

from libs.rbac import Role
from tests.support.sale import pay, sell
from tests.support.tills import OpenTill
from tests.support.tokens import TokenFactory


async def test_void_a_line_and_an_unpaid_order(
    orders_client: httpx.AsyncClient, till: OpenTill, token: TokenFactory
) -> None:
    owner = token(till.tenant, Role.OWNER)
    await orders_client.patch(
        "/v1/settings/override-limits", json={"void_limit_minor": 5000}, auth=owner
    )
    order = await sell(orders_client, till)
    voided = await orders_client.post(
        f"/v1/orders/{order['id']}/lines/3/void",
        json={"version": order["version"], "reason_code": "entered_in_error"},
        auth=till.staff,
    )
    assert voided.status_code == 200, voided.text
    body = voided.json()
    assert body["total_minor"] == 950
    assert body["lines"][2]["status"] == "voided"
    paid = await pay(orders_client, till, body, tender="card", amount_minor=100)
    refused = await orders_client.post(
        f"/v1/orders/{order['id']}/void",
        json={"version": paid["order"]["version"], "reason_code": "walkout"},
        auth=till.staff,
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "order-has-payments"
