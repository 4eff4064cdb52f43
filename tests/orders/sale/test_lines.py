"""The line commands: add a line to an open order, change a line's quantity or discount.
Each change reprices the whole order from the stored unit prices and rates, bumps its
version once and is audited; fewer units than before voids the difference (a reason, and
above the void limit a manager's override for that line)."""

from __future__ import annotations

from typing import Any

import httpx

from libs.rbac import Role
from tests.support.database import Connect
from tests.support.sale import audit_rows, sell
from tests.support.tills import OpenTill
from tests.support.tokens import TokenFactory


async def _change(
    client: httpx.AsyncClient, till: OpenTill, order: dict[str, Any], number: int, **body: Any
) -> httpx.Response:
    return await client.patch(
        f"/v1/orders/{order['id']}/lines/{number}",
        json={"version": order["version"], **body},
        auth=till.staff,
    )


async def test_a_line_is_added_and_the_order_repriced(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    order = await sell(orders_client, till)  # 450 + 500 + 300 = 1250
    added = await orders_client.post(
        f"/v1/orders/{order['id']}/lines",
        json={"version": order["version"], "item_id": str(till.menu.bread_id), "quantity": 2},
        auth=till.staff,
    )
    assert added.status_code == 201, added.text
    changed = added.json()
    assert changed["version"] == order["version"] + 1
    assert added.headers["etag"] == f'"{changed["version"]}"'
    assert [line["line_number"] for line in changed["lines"]] == [1, 2, 3, 4]
    assert changed["lines"][3]["total_minor"] == 600
    assert changed["total_minor"] == 1_850
    (audit,) = await audit_rows(connect_as, till.tenant, "order.line_added")
    assert (audit["payload"]["line_number"], audit["payload"]["total_minor"]) == (4, 1_850)


async def test_more_units_and_a_line_discount_reprice_without_a_manager_below_the_limit(
    orders_client: httpx.AsyncClient, till: OpenTill, token: TokenFactory
) -> None:
    owner = token(till.tenant, Role.OWNER, "owner")
    limits = await orders_client.patch(
        "/v1/settings/override-limits", json={"discount_limit_bps": 2_000}, auth=owner
    )
    assert limits.status_code == 200, limits.text
    order = await sell(orders_client, till)
    more = await _change(orders_client, till, order, 1, quantity=3)  # 3 x 450
    assert more.status_code == 200, more.text
    assert more.json()["total_minor"] == 1_250 + 900
    off = await _change(
        orders_client, till, more.json(), 3, discount={"kind": "percent", "value": 1_000}
    )
    assert off.status_code == 200, off.text
    # 10% off the bread roll (300): 30 off; within the 20% limit, so no override.
    assert off.json()["lines"][2]["discount_minor"] == 30
    assert off.json()["total_minor"] == 2_150 - 30
    assert off.json()["version"] == order["version"] + 2


async def test_fewer_units_void_the_difference_with_a_reason_and_a_manager(
    orders_client: httpx.AsyncClient, till: OpenTill, connect_as: Connect
) -> None:
    order = await sell(orders_client, till)
    more = (await _change(orders_client, till, order, 1, quantity=3)).json()
    no_reason = await _change(orders_client, till, more, 1, quantity=1)
    assert no_reason.status_code == 422
    assert no_reason.json()["code"] == "reason-required"
    # The business's void limit is 0: taking two units (900) off needs a manager.
    unapproved = await _change(
        orders_client, till, more, 1, quantity=1, reason_code="customer_request"
    )
    assert unapproved.status_code == 403, unapproved.text
    assert unapproved.json()["code"] == "override-invalid"
    unchanged = (await orders_client.get(f"/v1/orders/{order['id']}", auth=till.staff)).json()
    assert unchanged == more
    assert await audit_rows(connect_as, till.tenant, "order.line_changed") != []
