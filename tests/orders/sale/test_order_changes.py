"""Changing an order (`change_order`, `PATCH /v1/orders/{id}`): table, covers, discount,
service charge, tip. An order discount within the business's limit is the cashier's alone;
a change that crosses the limit, either way, or changes a discount above it, needs a
manager's override for the resulting discount (docs/pos.md). (The version or If-Match the
route needs: tests/orders/sale/test_conventions.py; a tip and cash rounding:
tests/orders/sale/test_payments.py.)"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from libs.rbac import Role
from tests.support.database import Connect, Provision
from tests.support.overrides import LIMITS, Till, approve, audit_rows, new_till, open_order
from tests.support.sale import sell
from tests.support.tills import OpenTill
from tests.support.tokens import TokenFactory


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


# -- the same rule up and down (finding 11) -----------------------------------------------------


@pytest.fixture
async def managed(
    provision: Provision,
    identity_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
    orders_client: httpx.AsyncClient,
) -> Till:
    """A till whose business lets a cashier give up to 10 % alone, with a manager to ask."""
    till = await new_till(await provision(), identity_client, token, connect_as)
    limits = await orders_client.patch(
        LIMITS, json={"discount_limit_bps": 1000}, auth=token(till.tenant, Role.OWNER)
    )
    assert limits.status_code == 200, limits.text
    return till


async def _discount(
    orders_client: httpx.AsyncClient,
    till: Till,
    order: dict[str, Any],
    discount: dict[str, Any] | None,
    override_token: str | None = None,
) -> httpx.Response:
    return await orders_client.patch(
        f"/v1/orders/{order['id']}",
        json={"version": order["version"], "discount": discount},
        headers={"X-Override-Token": override_token} if override_token else {},
        auth=till.cashier,
    )


def _percent(bps: int) -> dict[str, Any]:
    return {"kind": "percent", "value": bps}


async def _discounted(
    orders_client: httpx.AsyncClient, identity_client: httpx.AsyncClient, till: Till, bps: int
) -> dict[str, Any]:
    """Two flat whites (900) with `bps` off, approved by the manager."""
    order = await open_order(orders_client, till)
    approved = await approve(
        identity_client, till, order["id"], action="discount", amount={"percent_bps": bps}
    )
    given = await _discount(orders_client, till, order, _percent(bps), approved)
    assert given.status_code == 200, given.text
    answer: dict[str, Any] = given.json()
    return answer


async def test_changing_a_discount_above_the_limit_to_another_above_it_needs_an_override(
    managed: Till,
    orders_client: httpx.AsyncClient,
    identity_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    """30 % approved; lowering it to 20 % (still above the 10 % limit) is a new over-limit
    discount, and it needs the manager for 20 %: a lower figure is not automatically fine."""
    order = await _discounted(orders_client, identity_client, managed, 3000)
    alone = await _discount(orders_client, managed, order, _percent(2000))
    assert alone.status_code == 403, alone.text
    assert alone.json()["code"] == "override-invalid"
    unchanged = (await orders_client.get(f"/v1/orders/{order['id']}", auth=managed.cashier)).json()
    assert (unchanged["discount_minor"], unchanged["version"]) == (270, order["version"])

    approved = await approve(
        identity_client, managed, order["id"], action="discount", amount={"percent_bps": 2000}
    )
    lowered = await _discount(orders_client, managed, order, _percent(2000), approved)
    assert lowered.status_code == 200, lowered.text
    assert lowered.json()["discount_minor"] == 180
    changes = await audit_rows(connect_as, managed.tenant, "order.changed")
    assert changes[-1]["payload"]["approved_percent_bps"] == 2000


async def test_crossing_the_limit_downward_needs_an_override_for_the_new_discount(
    managed: Till, orders_client: httpx.AsyncClient, identity_client: httpx.AsyncClient
) -> None:
    """20 % approved; bringing it down to 5 % (within the limit) crosses the limit, so the
    manager approves the 5 %; from there on, changes within the limit are the cashier's."""
    order = await _discounted(orders_client, identity_client, managed, 2000)
    alone = await _discount(orders_client, managed, order, _percent(500))
    assert alone.status_code == 403, alone.text
    assert alone.json()["code"] == "override-invalid"
    # An override for the old figure is not one for the new: it binds what it approved.
    wrong = await approve(
        identity_client, managed, order["id"], action="discount", amount={"percent_bps": 400}
    )
    exceeded = await _discount(orders_client, managed, order, _percent(500), wrong)
    assert exceeded.status_code == 403, exceeded.text
    assert exceeded.json()["code"] == "override-amount-exceeded"
    # Taking the discount away entirely is crossing down too.
    removed = await _discount(orders_client, managed, order, None)
    assert removed.status_code == 403, removed.text

    approved = await approve(
        identity_client, managed, order["id"], action="discount", amount={"percent_bps": 500}
    )
    crossed = await _discount(orders_client, managed, order, _percent(500), approved)
    assert crossed.status_code == 200, crossed.text
    assert crossed.json()["discount_minor"] == 45
    within = await _discount(orders_client, managed, crossed.json(), None)
    assert within.status_code == 200, within.text
    assert within.json()["discount_minor"] == 0


async def test_a_change_that_leaves_an_approved_discount_as_it_is_needs_no_override(
    managed: Till, orders_client: httpx.AsyncClient, identity_client: httpx.AsyncClient
) -> None:
    order = await _discounted(orders_client, identity_client, managed, 2000)
    tabled = await orders_client.patch(
        f"/v1/orders/{order['id']}",
        json={"version": order["version"], "table_name": "T4", "covers": 2},
        auth=managed.cashier,
    )
    assert tabled.status_code == 200, tabled.text
    assert (tabled.json()["table_name"], tabled.json()["discount_minor"]) == ("T4", 180)


async def test_more_items_under_an_approved_discount_need_it_approved_again(
    managed: Till, orders_client: httpx.AsyncClient, identity_client: httpx.AsyncClient
) -> None:
    """An amount approved for a discount is not stretched: 20 % of a bigger bill is a bigger
    discount (an approval as a share covers it; one as the old amount does not)."""
    order = await open_order(orders_client, managed)
    approved = await approve(
        identity_client, managed, order["id"], action="discount", amount={"amount_minor": 180}
    )
    given = await _discount(orders_client, managed, order, _percent(2000), approved)
    assert given.status_code == 200, given.text
    line = {"item_id": str(managed.menu.coffee_id), "quantity": 1}
    url = f"/v1/orders/{order['id']}/lines"
    alone = await orders_client.post(
        url, json={"version": given.json()["version"], **line}, auth=managed.cashier
    )
    assert alone.status_code == 403, alone.text
    old_amount = await approve(
        identity_client, managed, order["id"], action="discount", amount={"amount_minor": 180}
    )
    stretched = await orders_client.post(
        url,
        json={"version": given.json()["version"], **line},
        headers={"X-Override-Token": old_amount},
        auth=managed.cashier,
    )
    assert stretched.status_code == 403, stretched.text
    assert stretched.json()["code"] == "override-amount-exceeded"
    share = await approve(
        identity_client, managed, order["id"], action="discount", amount={"percent_bps": 2000}
    )
    added = await orders_client.post(
        url,
        json={"version": given.json()["version"], **line},
        headers={"X-Override-Token": share},
        auth=managed.cashier,
    )
    assert added.status_code == 201, added.text
    assert added.json()["discount_minor"] == 270


async def test_taking_items_off_cannot_push_a_discount_over_the_limit(
    managed: Till, orders_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    """110 off 1200 (9.2 %) is the cashier's; voiding the flat whites, or one of them, would
    leave 110 off 300 or 750 (37 %, 15 %), an over-limit discount nobody approved: refused
    (409), the discount is changed first (on its own, with its own approval if it needs one)."""
    owner = token(managed.tenant, Role.OWNER)
    await orders_client.patch(LIMITS, json={"void_limit_minor": 10_000}, auth=owner)
    lines = [
        {"item_id": str(managed.menu.coffee_id), "quantity": 2},
        {"item_id": str(managed.menu.bread_id), "quantity": 1},
    ]
    order = await open_order(
        orders_client, managed, lines=lines, discount={"kind": "amount", "value": 110}
    )
    assert (order["subtotal_minor"], order["discount_minor"]) == (1200, 110)
    voided = await orders_client.post(
        f"/v1/orders/{order['id']}/lines/1/void",
        json={"version": order["version"], "reason_code": "customer_request"},
        auth=managed.cashier,
    )
    assert voided.status_code == 409, voided.text
    assert voided.json()["code"] == "discount-change-first"
    fewer = await orders_client.patch(
        f"/v1/orders/{order['id']}/lines/1",
        json={"version": order["version"], "quantity": 1, "reason_code": "customer_request"},
        auth=managed.cashier,
    )
    assert fewer.status_code == 409, fewer.text
    assert fewer.json()["code"] == "discount-change-first"
    # With the discount brought within what is left, the void is the cashier's.
    lowered = await _discount(orders_client, managed, order, {"kind": "amount", "value": 30})
    assert lowered.status_code == 200, lowered.text
    voided = await orders_client.post(
        f"/v1/orders/{order['id']}/lines/1/void",
        json={"version": lowered.json()["version"], "reason_code": "customer_request"},
        auth=managed.cashier,
    )
    assert voided.status_code == 200, voided.text
    assert (voided.json()["subtotal_minor"], voided.json()["discount_minor"]) == (300, 30)
