"""Changing an order (`change_order`, `PATCH /v1/orders/{id}`): table, covers, discount,
service charge, tip. An order discount within the business's limit is the cashier's alone;
above it, a manager's override is needed. (The version or If-Match the route needs:
tests/sale/test_conventions.py; a tip and cash rounding: tests/sale/test_payments.py.)"""

from __future__ import annotations

import httpx

from libs.rbac import Role
from tests.conftest import TokenFactory
from tests.sale.steps import sell
from tests.tills import OpenTill


async def test_a_discount_above_the_limit_needs_an_override(
    orders_client: httpx.AsyncClient, till: OpenTill, token: TokenFactory
) -> None:
    owner = token(till.tenant, Role.OWNER)
    limits = await orders_client.patch(
        "/v1/settings/override-limits", json={"discount_limit_bps": 1000}, auth=owner
    )
    assert limits.status_code == 200, limits.text
    order = await sell(orders_client, till)
    # 10%: within the limit, the cashier alone. 1250 * 10% = 125.
    ten = await orders_client.patch(
        f"/v1/orders/{order['id']}",
        json={"version": order["version"], "discount": {"kind": "percent", "value": 1000}},
        auth=till.staff,
    )
    assert ten.status_code == 200, ten.text
    assert ten.json()["discount_minor"] == 125
    assert ten.json()["total_minor"] == 1125
    twenty = await orders_client.patch(
        f"/v1/orders/{order['id']}",
        json={"version": ten.json()["version"], "discount": {"kind": "percent", "value": 2000}},
        auth=till.staff,
    )
    assert twenty.status_code == 403
    assert twenty.json()["code"] == "override-invalid"
