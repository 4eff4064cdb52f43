"""One write path for a sale: any sequence of sales done online, through the API with a
manager's override tokens where the business's limits need them, and the same sequence
uploaded from a till that did it offline (a manager's word for each approval, within the
business's offline approval limit), end in the same books: the same orders, lines, payments,
refunds, receipts and audit actions, apart from what differs by nature (ids, times, receipt
numbers and series, the card's details, the paper the online till printed, and the flags
and review items of the offline one)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from libs.rbac import Role
from tests.support.database import Connect, Provision, as_service
from tests.support.offline import Log, OfflineTill, allow_offline_approvals, offline_till, upload
from tests.support.overrides import Till, approve, new_till
from tests.support.tills import Menu
from tests.support.tokens import TokenFactory

ITEMS = ("coffee", "oat", "bread")
SALE = st.fixed_dictionaries(
    {
        "lines": st.lists(
            st.tuples(st.sampled_from(ITEMS), st.integers(1, 3)), min_size=1, max_size=3
        ),
        "discount_bps": st.sampled_from([0, 0, 500, 1500]),
        "tender": st.sampled_from(["cash", "card", "split"]),
        "fate": st.sampled_from(["close", "void", "refund_line", "refund_amount"]),
    }
)


def lines(menu: Menu, wanted: list[tuple[str, int]]) -> list[dict[str, Any]]:
    chosen = []
    for name, quantity in wanted:
        if name == "oat":
            chosen.append(
                {
                    "item_id": str(menu.coffee_id),
                    "quantity": quantity,
                    "modifier_ids": [str(menu.oat_milk_id)],
                }
            )
        else:
            item = menu.coffee_id if name == "coffee" else menu.bread_id
            chosen.append({"item_id": str(item), "quantity": quantity})
    return chosen


def tendered(balance: int) -> int:
    """The next $10 up: the customer hands over a note."""
    return -(-balance // 1_000) * 1_000 if balance > 0 else 1_000


# -- online ----------------------------------------------------------------------------------


async def sell_online(
    orders: httpx.AsyncClient, identity: httpx.AsyncClient, till: Till, sale: dict[str, Any]
) -> None:
    order_id = str(uuid.uuid4())
    body: dict[str, Any] = {"id": order_id, "lines": lines(till.menu, sale["lines"])}
    headers: dict[str, str] = {}
    if sale["discount_bps"]:
        body["discount"] = {"kind": "percent", "value": sale["discount_bps"]}
        headers["X-Override-Token"] = await approve(
            identity,
            till,
            order_id,
            action="discount",
            amount={"percent_bps": sale["discount_bps"]},
        )
    opened = await orders.post("/v1/orders", json=body, headers=headers, auth=till.cashier)
    assert opened.status_code == 201, opened.text
    order = opened.json()
    if sale["fate"] == "void":
        token = await approve(
            identity, till, order_id, action="void", amount={"amount_minor": order["total_minor"]}
        )
        voided = await orders.post(
            f"/v1/orders/{order_id}/void",
            json={"version": order["version"], "reason_code": "entered_in_error"},
            headers={"X-Override-Token": token},
            auth=till.cashier,
        )
        assert voided.status_code == 200, voided.text
        return
    for tender, amount in payments(sale["tender"], order["balance_minor"]):
        payment: dict[str, Any] = {"version": order["version"], "tender": tender}
        payment |= {"tendered_minor": amount} if tender == "cash" else {"amount_minor": amount}
        paid = await orders.post(
            f"/v1/orders/{order_id}/payments",
            json=payment,
            headers={"Idempotency-Key": str(uuid.uuid4())},
            auth=till.cashier,
        )
        assert paid.status_code == 201, paid.text
        order = paid.json()["order"]
    closed = await orders.post(
        f"/v1/orders/{order_id}/close", json={"version": order["version"]}, auth=till.cashier
    )
    assert closed.status_code == 200, closed.text
    order = closed.json()["order"]
    if sale["fate"].startswith("refund"):
        # The till asks for what it refunds: at most what the order took.
        token = await approve(
            identity,
            till,
            order_id,
            action="refund",
            amount={"amount_minor": order["total_minor"]},
        )
        refunded = await orders.post(
            f"/v1/orders/{order_id}/refunds",
            json={"version": order["version"], **refund_body(sale)},
            headers={"X-Override-Token": token},
            auth=till.cashier,
        )
        assert refunded.status_code == 201, refunded.text


def payments(tender: str, balance: int) -> list[tuple[str, int]]:
    """How the customer pays: cash (a note), card, or half each (cash first)."""
    if tender == "cash":
        return [("cash", tendered(balance))]
    if tender == "card":
        return [("card", balance)]
    half = balance // 2
    return [("cash", half), ("card", balance - half)] if half else [("card", balance)]


def refund_body(sale: dict[str, Any]) -> dict[str, Any]:
    if sale["fate"] == "refund_line":
        return {"reason_code": "quality_issue", "lines": [{"line_number": 1, "quantity": 1}]}
    return {"reason_code": "other", "amount_minor": 100}


# -- offline ---------------------------------------------------------------------------------


def sell_offline(log: Log, sale: dict[str, Any], balance: int) -> None:
    till = log.till
    manager = str(till.manager)
    fields: dict[str, Any] = {}
    if sale["discount_bps"]:
        fields = {
            "discount": {"kind": "percent", "value": sale["discount_bps"]},
            "approved_by": manager,
            "approved_percent_bps": sale["discount_bps"],
        }
    order_id = log.order(lines(till.menu, sale["lines"]), **fields)
    if sale["fate"] == "void":
        log.record(
            "order.void",
            {"order_id": str(order_id), "reason_code": "entered_in_error", "approved_by": manager},
        )
        return
    for tender, amount in payments(sale["tender"], balance):
        if tender == "cash":
            log.pay_cash(order_id, amount)
        else:
            log.pay_card(order_id, amount)
    log.close(order_id)
    if sale["fate"].startswith("refund"):
        log.receipt_sequence += 1
        log.record(
            "refund",
            {
                "refund_id": str(uuid.uuid4()),
                "order_id": str(order_id),
                "shift_id": str(log.shift_id),
                "receipt_sequence": log.receipt_sequence,
                "approved_by": manager,
                **refund_body(sale),
            },
        )


# -- the books, comparable ---------------------------------------------------------------------

BOOKS = {
    "orders": """
        SELECT jsonb_build_object(
            'status', status, 'subtotal', subtotal_minor, 'discount', discount_minor,
            'service_charge', service_charge_minor, 'tax', tax, 'tax_minor', tax_minor,
            'total', total_minor, 'rounding', rounding_minor, 'paid', paid_minor,
            'refunded', refunded_minor, 'discount_kind', discount_kind,
            'discount_value', discount_value,
            'lines', (SELECT jsonb_agg(jsonb_build_object(
                          'n', line_number, 'name', name, 'quantity', quantity,
                          'unit', unit_price_minor, 'gross', gross_minor,
                          'discount', discount_minor, 'total', total_minor, 'rate', tax_rate,
                          'status', status, 'refunded_quantity', refunded_quantity,
                          'refunded', refunded_minor,
                          'modifiers', (SELECT jsonb_agg(m - 'id')
                                          FROM jsonb_array_elements(modifiers) AS m))
                        ORDER BY line_number)
                      FROM orders.order_lines l WHERE l.order_id = o.id),
            'payments', (SELECT jsonb_agg(jsonb_build_object(
                             'tender', tender, 'status', status, 'amount', amount_minor,
                             'tendered', tendered_minor, 'change', change_minor,
                             'rounding', rounding_minor, 'refunded', refunded_minor)
                           ORDER BY created_at, amount_minor)
                         FROM orders.payments p WHERE p.order_id = o.id),
            'refunds', (SELECT jsonb_agg(jsonb_build_object(
                            'amount', amount_minor, 'tax', tax, 'rounding', rounding_minor,
                            'lines', lines, 'reason', reason_code,
                            'tenders', (SELECT jsonb_agg(jsonb_build_object(
                                            'tender', tender, 'amount', amount_minor)
                                          ORDER BY tender)
                                        FROM orders.refund_tenders t WHERE t.refund_id = r.id))
                          ORDER BY created_at)
                        FROM orders.refunds r WHERE r.order_id = o.id),
            'receipts', (SELECT jsonb_agg(jsonb_build_object(
                             'kind', kind, 'total', total_minor,
                             'snapshot', snapshot - 'receipt_number' - 'order_id'
                                 - 'offline' - 'original_receipt_number' - 'location_id'
                                 - 'payments' - 'tenders' - 'lines',
                             'lines', (SELECT jsonb_agg(l #- '{modifiers}')
                                         FROM jsonb_array_elements(snapshot -> 'lines') AS l))
                           ORDER BY kind)
                         FROM orders.receipts c WHERE c.order_id = o.id))
        FROM orders.orders o ORDER BY created_at
    """,
}
# What was done to each order, in order; the online till's paper (tickets, receipts queued)
# and a card's pending step before the terminal answered (a payment's, a refund's) are the
# online path's own.
ACTIONS = """
    SELECT resource_id, array_agg(action ORDER BY seq) AS actions
      FROM audit.events
     WHERE resource_type = 'order'
       AND action NOT IN ('order.fired', 'payment.started', 'refund.started')
     GROUP BY resource_id
"""


async def books(connect_as: Connect, tenant: uuid.UUID) -> dict[str, Any]:
    orders = [
        json.loads(row[0])
        for row in await as_service(connect_as, "orders", tenant, BOOKS["orders"])
    ]
    order_ids = [
        row["id"]
        for row in await as_service(
            connect_as, "orders", tenant, "SELECT id FROM orders.orders ORDER BY created_at"
        )
    ]
    actions = {
        row["resource_id"]: row["actions"]
        for row in await as_service(connect_as, "audit", tenant, ACTIONS)
    }
    return {"orders": orders, "actions": [actions.get(str(order_id)) for order_id in order_ids]}


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sales=st.lists(SALE, min_size=1, max_size=3))
async def test_online_and_offline_sales_end_in_the_same_books(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    identity_client: httpx.AsyncClient,
    sales: list[dict[str, Any]],
) -> None:
    online = await new_till(await provision(), identity_client, token, connect_as)
    offline: OfflineTill = await offline_till(connect_as, token, orders_client, await provision())
    await allow_offline_approvals(orders_client, token, offline)
    for sale in sales:
        await sell_online(orders_client, identity_client, online, sale)

    # The same sales, each at the balance the server worked out online (so the till's
    # payments are the same amounts).
    done = (await books(connect_as, online.tenant))["orders"]
    log = Log(offline, start=datetime.now(UTC) - timedelta(hours=1))
    log.open_shift()
    for sale, order in zip(sales, done, strict=True):
        sell_offline(log, sale, order["total"])
    answer = await upload(orders_client, offline, log.operations)
    assert {item["state"] for item in answer["items"]} == {"applied"}, answer

    expected, actual = (
        await books(connect_as, online.tenant),
        await books(connect_as, offline.tenant),
    )
    assert actual["orders"] == expected["orders"]
    assert actual["actions"] == expected["actions"]
    # The offline till's approvals wait for a manager's review.
    approvals = await orders_client.get(
        "/v1/sync/approvals", auth=token(offline.tenant, Role.MANAGER, "manager")
    )
    assert len(approvals.json()["items"]) == sum(
        (sale["discount_bps"] > 0) + (sale["fate"] != "close") for sale in sales
    )
