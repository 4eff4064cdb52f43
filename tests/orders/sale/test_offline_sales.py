"""Sales a till made offline, as the server books them when they arrive: at the prices of
the moment they happened, a refund of a sale another till has not uploaded yet waiting for
it, and an operation whose write the database refuses rejected alone."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from libs.rbac import Role
from tests.support.database import Connect, Provision
from tests.support.offline import Log, OfflineTill, offline_till, upload
from tests.support.tokens import TokenFactory

pytestmark = pytest.mark.usefixtures("orders_client")


@pytest.fixture
async def till(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> OfflineTill:
    till = await offline_till(connect_as, token, orders_client, await provision())
    # Refunds need no manager here (the approvals are tests/orders/sale/test_offline_rules.py's).
    changed = await orders_client.patch(
        "/v1/settings/override-limits",
        json={"refund_limit_minor": 100_000},
        auth=token(till.tenant, Role.OWNER, "owner"),
    )
    assert changed.status_code == 200, changed.text
    return till


async def test_a_sale_is_priced_as_the_menu_was_when_it_happened(
    till: OfflineTill, token: TokenFactory, orders_client: httpx.AsyncClient
) -> None:
    log = Log(till, start=datetime.now(UTC) - timedelta(hours=3))
    log.open_shift()
    before = log.order()  # two flat whites (one with oat milk) and a bread roll: 1250
    # An hour ago the flat white went up from 4.50 to 5.00, while the till was offline.
    owner = token(till.tenant, Role.OWNER, "owner")
    item = await orders_client.patch(
        f"/v1/menu/items/{till.menu.coffee_id}",
        json={"price_minor": 500},
        auth=owner,
        headers={"If-Match": '"1"'},
    )
    assert item.status_code == 200, item.text
    after = log.order(at=datetime.now(UTC))  # rung up now, at the new price
    answer = await upload(orders_client, till, log.operations)
    assert [i["state"] for i in answer["items"]] == ["applied"] * 3, answer
    totals = {
        order_id: (await orders_client.get(f"/v1/orders/{order_id}", auth=till.auth)).json()[
            "total_minor"
        ]
        for order_id in (before, after)
    }
    assert totals == {before: 1_250, after: 1_350}


async def test_a_refund_of_a_sale_not_uploaded_yet_waits_for_it(
    till: OfflineTill,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> None:
    # Two tills of one venue, both offline: the customer paid at one, is refunded at the
    # other, and the second one's network comes back first.
    other = await offline_till(
        connect_as,
        token,
        orders_client,
        till.tenant,
        menu=till.menu,
        location_id=till.location_id,
    )
    selling = Log(till)
    selling.open_shift()
    sold = selling.sale()
    refunding = Log(other, start=selling.start + timedelta(minutes=30))
    shift_id = refunding.open_shift()
    refunding.receipt_sequence += 1
    refunding.record(
        "refund",
        {
            "refund_id": str(uuid.uuid4()),
            "order_id": str(sold),
            "shift_id": str(shift_id),
            "reason_code": "quality_issue",
            "amount_minor": 1_250,
            "receipt_sequence": refunding.receipt_sequence,
        },
    )
    later = refunding.sale()  # the other till's day goes on

    answer = await upload(orders_client, other, refunding.operations)
    states = [item["state"] for item in answer["items"]]
    assert states == ["applied", "waiting", "applied", "applied", "applied"], answer
    assert answer["items"][1]["waiting_for_order"] == str(sold)
    assert answer["applied_through"] == 5
    assert (await orders_client.get(f"/v1/orders/{later}", auth=other.auth)).json()[
        "status"
    ] == "closed"

    # The sale arrives: the refund is applied with it, at the till that did it.
    await upload(orders_client, till, selling.operations)
    order = (await orders_client.get(f"/v1/orders/{sold}", auth=till.auth)).json()
    assert order["refunded_minor"] == 1_250
    again = await upload(orders_client, other, refunding.operations[1:2])
    (item,) = again["items"]
    assert (item["status"], item["state"]) == ("duplicate", "applied"), item
    assert item["result"]["receipt_number"] == f"R{other.register_number}-O-000001"
    x = (await orders_client.get(f"/v1/shifts/{shift_id}/x-report", auth=other.auth)).json()
    assert x["refunds"]["by_tender"]["cash"] == 1_250


async def test_an_operation_the_database_refuses_is_rejected_alone(
    till: OfflineTill, orders_client: httpx.AsyncClient
) -> None:
    """A till that reuses a payment id for another order (a bug, a restored backup): that
    operation alone is refused; the rest of the chunk is applied."""
    log = Log(till)
    log.open_shift()
    first = log.order()
    payment_id = log.pay_cash(first, 2_000)
    second = log.order()
    log.pay_cash(second, 2_000)
    log.operations[-1]["data"]["payment_id"] = str(payment_id)
    log.close(first, client_total_minor=1_250)
    answer = await upload(orders_client, till, log.operations)
    states = [item["state"] for item in answer["items"]]
    assert states == ["applied", "applied", "applied", "applied", "rejected", "applied"], answer
    assert answer["items"][4]["problem"]["code"] == "operation-conflicts-with-records"
    unpaid = (await orders_client.get(f"/v1/orders/{second}", auth=till.auth)).json()
    assert (unpaid["paid_minor"], unpaid["payments"]) == (0, [])
