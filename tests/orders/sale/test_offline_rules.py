"""The offline path can do nothing the online one refuses (services/orders/sale/policy.py):
an uploaded operation reaches only the uploading till's venue, its audit actor is the
verified uploader (what the till says about who did it and who approved is a claim), an
action that needs a manager's override online is accepted offline only up to the business's
offline approval limit and lands in a review queue, and a card needs the terminal's
evidence and stays unverified until the shift's card settlement matches it."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from libs.auth.principal import Principal
from libs.rbac import Role
from services.orders.sale.policy import Upload
from services.orders.sync.apply import PERMISSION, Applier, UploaderRoleRefused
from services.orders.sync.settings import SyncSettings
from tests.support.database import Connect, Provision, as_service, as_tenant
from tests.support.offline import Log, OfflineTill, add_staff, offline_till, upload
from tests.support.tokens import TokenFactory

pytestmark = pytest.mark.usefixtures("orders_client")


@pytest.fixture
async def tenant(provision: Provision) -> uuid.UUID:
    return await provision()


@pytest.fixture
async def till(
    tenant: uuid.UUID, connect_as: Connect, token: TokenFactory, orders_client: httpx.AsyncClient
) -> OfflineTill:
    return await offline_till(connect_as, token, orders_client, tenant)


def owner(token: TokenFactory, till: OfflineTill) -> httpx.Auth:
    return token(till.tenant, Role.OWNER, "owner")


def manager(token: TokenFactory, till: OfflineTill) -> httpx.Auth:
    return token(till.tenant, Role.MANAGER, str(till.manager))


async def limits(
    client: httpx.AsyncClient, token: TokenFactory, till: OfflineTill, **values: int
) -> None:
    changed = await client.patch(
        "/v1/settings/override-limits", json=values, auth=owner(token, till)
    )
    assert changed.status_code == 200, changed.text


def refund(log: Log, order_id: uuid.UUID, **data: Any) -> uuid.UUID:
    refund_id = uuid.uuid4()
    log.receipt_sequence += 1
    log.record(
        "refund",
        {
            "refund_id": str(refund_id),
            "order_id": str(order_id),
            "shift_id": str(log.shift_id),
            "reason_code": "quality_issue",
            "amount_minor": 1_250,
            "receipt_sequence": log.receipt_sequence,
            **data,
        },
    )
    return refund_id


def states(answer: dict[str, Any]) -> list[str]:
    return [item["state"] for item in answer["items"]]


def problem(answer: dict[str, Any], index: int) -> str:
    code: str = answer["items"][index]["problem"]["code"]
    return code


async def refunds_of(connect_as: Connect, till: OfflineTill) -> list[Any]:
    return await as_service(
        connect_as, "orders", till.tenant, "SELECT id, amount_minor FROM orders.refunds"
    )


# -- the venue ------------------------------------------------------------------------------


async def test_an_upload_reaches_only_the_tills_own_venue(
    tenant: uuid.UUID,
    till: OfflineTill,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> None:
    elsewhere = await offline_till(connect_as, token, orders_client, tenant, menu=till.menu)
    assert elsewhere.location_id != till.location_id
    theirs = Log(elsewhere)
    theirs.open_shift()
    sold = theirs.sale()
    unpaid = theirs.order()
    assert set(states(await upload(orders_client, elsewhere, theirs.operations))) == {"applied"}

    await limits(orders_client, token, till, refund_limit_minor=100_000, void_limit_minor=100_000)
    mine = Log(till)
    mine.open_shift()
    refund(mine, sold)
    mine.pay_cash(unpaid, 2_000)
    mine.record("order.void", {"order_id": str(unpaid), "reason_code": "entered_in_error"})
    answer = await upload(orders_client, till, mine.operations)
    assert states(answer) == ["applied", "rejected", "rejected", "rejected"]
    assert [problem(answer, i) for i in (1, 2, 3)] == ["order-not-found"] * 3
    assert await refunds_of(connect_as, till) == []
    order = (await orders_client.get(f"/v1/orders/{unpaid}", auth=elsewhere.auth)).json()
    assert (order["status"], order["paid_minor"]) == ("open", 0)


# -- who did it -------------------------------------------------------------------------------


async def test_the_actor_is_the_uploader_and_the_till_s_word_is_a_claim(
    till: OfflineTill, connect_as: Connect, orders_client: httpx.AsyncClient
) -> None:
    log = Log(till)
    log.open_shift()
    order_id = log.order()
    # The till says the manager rang it up; the cashier is who is signed in and uploads.
    log.operations[-1]["staff_id"] = str(till.manager)
    answer = await upload(orders_client, till, log.operations)
    assert states(answer) == ["applied", "applied"]
    rows = await as_service(
        connect_as,
        "audit",
        till.tenant,
        "SELECT actor_type, actor_id, payload FROM audit.events "
        "WHERE action = 'order.opened' AND resource_id = $1",
        str(order_id),
    )
    (row,) = rows
    assert (row["actor_type"], row["actor_id"]) == ("cashier", str(till.cashier))
    payload = json.loads(row["payload"])
    assert payload["claims"] == {"staff_id": str(till.manager), "approved_by": None}
    assert payload["device_id"] == str(till.device_id)
    assert payload["offline"]["uploaded_by"] == str(till.cashier)


# -- approvals ------------------------------------------------------------------------------


async def test_without_an_offline_approval_limit_an_action_needing_a_manager_is_refused(
    till: OfflineTill, connect_as: Connect, orders_client: httpx.AsyncClient
) -> None:
    """The default: 0, never offline. A manager named by the till changes nothing."""
    log = Log(till)
    log.open_shift()
    sold = log.sale()
    refund(log, sold, approved_by=str(till.manager))
    unpaid = log.order()
    log.record(
        "order.void",
        {
            "order_id": str(unpaid),
            "reason_code": "entered_in_error",
            "approved_by": str(till.manager),
        },
    )
    answer = await upload(orders_client, till, log.operations)
    assert states(answer)[4] == "rejected"
    assert problem(answer, 4) == "offline-approval-over-limit"
    assert problem(answer, 6) == "offline-approval-over-limit"
    assert await refunds_of(connect_as, till) == []
    order = (await orders_client.get(f"/v1/orders/{unpaid}", auth=till.auth)).json()
    assert order["status"] == "open"


async def test_up_to_the_limit_a_managers_word_is_taken_for_review(
    till: OfflineTill,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> None:
    await limits(orders_client, token, till, offline_approval_limit_minor=1_250)
    log = Log(till)
    log.open_shift()
    sold = log.sale()
    approved = refund(log, sold, approved_by=str(till.manager))
    answer = await upload(orders_client, till, log.operations)
    assert states(answer)[4] == "applied", answer
    assert answer["items"][4]["flags"] == ["offline-approval"]
    assert [row["id"] for row in await refunds_of(connect_as, till)] == [approved]

    queue = await orders_client.get("/v1/sync/approvals", auth=manager(token, till))
    assert queue.status_code == 200, queue.text
    (item,) = queue.json()["items"]
    assert (item["action"], item["resource_id"], item["amount_minor"], item["limit_minor"]) == (
        "refund",
        str(sold),
        1_250,
        1_250,
    )
    assert (item["claimed_approver_id"], item["uploaded_by"]) == (
        str(till.manager),
        str(till.cashier),
    )
    assert item["status"] == "pending"
    # A manager confirms it online (or disputes it, saying why); each once.
    url = f"/v1/sync/approvals/{item['id']}"
    confirmed = await orders_client.post(f"{url}/confirm", json={}, auth=manager(token, till))
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed"
    again = await orders_client.post(
        f"{url}/dispute", json={"note": "not me"}, auth=manager(token, till)
    )
    assert again.status_code == 409
    assert (await orders_client.get("/v1/sync/approvals", auth=manager(token, till))).json()[
        "items"
    ] == []
    # A cashier neither confirms nor disputes.
    cashier = await orders_client.post(f"{url}/confirm", json={}, auth=till.auth)
    assert cashier.status_code == 403


async def test_above_the_limit_or_without_a_manager_an_offline_action_is_refused(
    till: OfflineTill,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> None:
    await limits(orders_client, token, till, offline_approval_limit_minor=1_000)
    another_cashier = await add_staff(connect_as, till.tenant, "cashier")
    log = Log(till)
    log.open_shift()
    sold = log.sale()
    refund(log, sold, approved_by=str(till.manager))  # 1250 > 1000
    refund(log, sold, amount_minor=500)  # nobody approved
    refund(log, sold, amount_minor=500, approved_by=str(another_cashier))  # not a manager
    answer = await upload(orders_client, till, log.operations)
    assert states(answer)[4:] == ["rejected"] * 3
    assert [problem(answer, i) for i in (4, 5, 6)] == [
        "offline-approval-over-limit",
        "offline-approval-required",
        "offline-approver-refused",
    ]
    assert await refunds_of(connect_as, till) == []


async def test_a_discount_and_a_force_close_offline_follow_the_same_limit(
    till: OfflineTill, token: TokenFactory, orders_client: httpx.AsyncClient
) -> None:
    await limits(
        orders_client, token, till, discount_limit_bps=500, offline_approval_limit_minor=200
    )
    # The manager, signed in at this till, opened the shift (and uploaded that).
    log = Log(till)
    log.open_shift()
    at_till = token(
        till.tenant,
        Role.MANAGER,
        str(till.manager),
        key=till.key,
        location_id=till.location_id,
        device_id=till.device_id,
    )
    opened = await orders_client.post(
        "/v1/sync/batches", json={"operations": log.operations}, auth=at_till
    )
    assert opened.json()["items"][0]["state"] == "applied", opened.text
    # 10% off 1250 = 125: above the 5% limit, within the offline approval limit of 200.
    within = log.order(discount={"kind": "percent", "value": 1000}, approved_by=str(till.manager))
    # 20% off = 250: above it.
    log.order(discount={"kind": "percent", "value": 2000}, approved_by=str(till.manager))
    # The cashier closes the manager's shift: a force-close, and nobody approved it.
    log.close_shift(cash=20_000)
    answer = await upload(orders_client, till, log.operations[1:])
    assert states(answer) == ["applied", "rejected", "rejected"], answer
    assert problem(answer, 1) == "offline-approval-over-limit"
    assert problem(answer, 2) == "offline-approval-required"
    order = (await orders_client.get(f"/v1/orders/{within}", auth=till.auth)).json()
    assert order["discount_minor"] == 125


async def test_offline_a_managers_word_covers_at_most_the_amount_the_till_recorded(
    till: OfflineTill,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> None:
    """The same check as an override token's amount: a till that recorded "20 % approved"
    cannot upload 100 % off, nor a refund of more than it recorded as approved; the amount
    approved is kept with the approval (the flag and the audit)."""
    await limits(
        orders_client, token, till, discount_limit_bps=500, offline_approval_limit_minor=100_000
    )
    manager_id = str(till.manager)
    log = Log(till)
    log.open_shift()
    everything = log.order(
        discount={"kind": "percent", "value": 10_000},
        approved_by=manager_id,
        approved_percent_bps=2000,
    )
    twenty = log.order(
        discount={"kind": "percent", "value": 2000},
        approved_by=manager_id,
        approved_percent_bps=2000,
    )
    sold = log.sale()
    refund(log, sold, approved_by=manager_id, approved_amount_minor=500)  # 1250 > 500
    within = refund(log, sold, amount_minor=500, approved_by=manager_id, approved_amount_minor=500)
    answer = await upload(orders_client, till, log.operations)
    assert states(answer) == [
        "applied",
        "rejected",
        "applied",
        "applied",
        "applied",
        "applied",
        "rejected",
        "applied",
    ], answer
    assert problem(answer, 1) == "override-amount-exceeded"
    assert problem(answer, 6) == "override-amount-exceeded"
    assert answer["items"][1]["problem"]["approved_percent_bps"] == 2000
    assert [row["id"] for row in await refunds_of(connect_as, till)] == [within]
    assert (await orders_client.get(f"/v1/orders/{everything}", auth=till.auth)).status_code == 404
    order = (await orders_client.get(f"/v1/orders/{twenty}", auth=till.auth)).json()
    assert order["discount_minor"] == 250

    rows = await as_service(
        connect_as,
        "orders",
        till.tenant,
        "SELECT action, payload FROM audit.events WHERE action IN ('order.opened', "
        "'order.refunded') AND payload->>'approved_by' IS NOT NULL ORDER BY seq",
    )
    payloads = [(row["action"], json.loads(row["payload"])) for row in rows]
    assert [
        (action, payload["approved_percent_bps"], payload["approved_amount_minor"])
        for action, payload in payloads
    ] == [
        ("order.opened", 2000, None),
        ("order.refunded", None, 500),
    ]


# -- cards -------------------------------------------------------------------------------------


async def test_an_offline_card_needs_the_terminals_evidence_and_stays_unverified_until_settled(
    till: OfflineTill, orders_client: httpx.AsyncClient
) -> None:
    log = Log(till)
    shift_id = log.open_shift()
    bare = log.order()
    log.record(
        "payment",
        {
            "payment_id": str(uuid.uuid4()),
            "order_id": str(bare),
            "shift_id": str(shift_id),
            "tender": "card",
            "amount_minor": 1_250,
            "card": {"scheme": "visa", "last4": "4242", "auth_code": "A1B2C3"},
        },
    )
    log.pay_card(bare, 1_250)
    log.close(bare, client_total_minor=1_250)
    answer = await upload(orders_client, till, log.operations)
    assert states(answer)[2] == "rejected"
    assert problem(answer, 2) == "invalid-operation"
    order = (await orders_client.get(f"/v1/orders/{bare}", auth=till.auth)).json()
    assert [p["card_verification"] for p in order["payments"]] == ["unverified"]
    x = (await orders_client.get(f"/v1/shifts/{shift_id}/x-report", auth=till.auth)).json()
    assert x["unverified_card"] == {"count": 1, "amount_minor": 1_250}

    # The terminal's batch total at close matches: the settlement confirms it.
    close = Log(till, start=log.start, receipt_sequence=log.receipt_sequence)
    close.operations = list(log.operations)
    close.shift_id = shift_id
    close.close_shift(cash=20_000, card=1_250)
    answer = await upload(orders_client, till, close.operations[-1:])
    assert states(answer) == ["applied"], answer
    z = (await orders_client.get(f"/v1/shifts/{shift_id}/z-report", auth=till.auth)).json()
    assert z["unverified_card"] == {"count": 0, "amount_minor": 0}
    assert z["card_settlement_confirmed"] == {"count": 1, "amount_minor": 1_250}
    order = (await orders_client.get(f"/v1/orders/{bare}", auth=till.auth)).json()
    assert [p["card_verification"] for p in order["payments"]] == ["settlement"]


async def test_a_settlement_that_does_not_match_leaves_the_cards_unverified_on_the_z(
    till: OfflineTill, orders_client: httpx.AsyncClient
) -> None:
    log = Log(till)
    shift_id = log.open_shift()
    order_id = log.order()
    log.pay_card(order_id, 1_250)
    log.close(order_id, client_total_minor=1_250)
    log.close_shift(cash=20_000, card=1_000)
    answer = await upload(orders_client, till, log.operations)
    assert set(states(answer)) == {"applied"}, answer
    z = (await orders_client.get(f"/v1/shifts/{shift_id}/z-report", auth=till.auth)).json()
    assert z["difference"]["card"] == -250
    assert z["unverified_card"] == {"count": 1, "amount_minor": 1_250}
    assert z["card_settlement_confirmed"] == {"count": 0, "amount_minor": 0}


# -- money ------------------------------------------------------------------------------------


async def test_cash_that_rounds_up_is_not_an_overpayment(
    till: OfflineTill, connect_as: Connect, orders_client: httpx.AsyncClient
) -> None:
    """453 in AUD cash is 455 due: paying it is what was due, not 2c over."""
    item_id = uuid.uuid4()
    await as_service(
        connect_as,
        "orders",
        till.tenant,
        "INSERT INTO orders.menu_items (id, category_id, tax_category_id, name, price_minor) "
        "SELECT $1, $2, id, 'Scone', 453 FROM orders.tax_categories WHERE code = 'gst'",
        item_id,
        till.menu.category_id,
    )
    log = Log(till)
    log.open_shift()
    order_id = log.order(lines=[{"item_id": str(item_id)}])
    log.pay_cash(order_id, 500)
    log.close(order_id, client_total_minor=455)
    answer = await upload(orders_client, till, log.operations)
    assert set(states(answer)) == {"applied"}, answer
    assert answer["items"][2]["flags"] == []
    order = (await orders_client.get(f"/v1/orders/{order_id}", auth=till.auth)).json()
    assert (order["rounding_minor"], order["paid_minor"], order["balance_minor"]) == (2, 455, 0)
    assert order["payments"][0]["change_minor"] == 45


async def test_the_staff_named_must_work_at_the_tills_venue(
    till: OfflineTill, connect_as: Connect, orders_client: httpx.AsyncClient
) -> None:
    """As a PIN sign-in at a till of another venue is refused, so is an operation the till
    says was done by someone who works elsewhere (or approved by them)."""
    elsewhere = uuid.uuid4()
    connection = await connect_as("identity")
    async with as_tenant(connection, till.tenant):
        await connection.execute(
            "INSERT INTO identity.locations (id, name, time_zone, business_day_cutoff_hour) "
            "VALUES ($1, 'Airport bar', 'Australia/Sydney', 3)",
            elsewhere,
        )
        for staff_id in (till.cashier, till.manager):
            await connection.execute(
                "UPDATE identity.staff SET all_locations = false WHERE id = $1", staff_id
            )
            await connection.execute(
                "INSERT INTO identity.staff_locations (staff_id, location_id) VALUES ($1, $2)",
                staff_id,
                elsewhere,
            )
    log = Log(till)
    log.open_shift()
    answer = await upload(orders_client, till, log.operations)
    assert states(answer) == ["rejected"]
    assert problem(answer, 0) == "staff-not-at-this-venue"


@pytest.mark.parametrize("kind", sorted(PERMISSION))
def test_an_uploader_whose_role_may_not_do_it_online_may_not_upload_it(kind: str) -> None:
    """Every role that may upload (`sync:upload`, checked at the route) may do every kind of
    operation today, so no request reaches this guard; the applier checks each operation's
    own permission too, so a matrix that ever separates them cannot open the offline path
    wider than the online one. An accountant's session at a till, say: refused every kind,
    before the roster is even read."""
    principal = Principal(
        subject="accountant",
        tenant_id=uuid.uuid4(),
        role=Role.ACCOUNTANT,
        location_id=uuid.uuid4(),
        device_id=uuid.uuid4(),
    )
    applier = Applier(
        upload=Upload(principal, datetime.now(UTC), roster={}, offline_card_max_age=timedelta(1)),
        settings=SyncSettings(),
        principal=principal,
    )
    operation = SimpleNamespace(kind=kind, staff_id=uuid.uuid4(), data=None)
    with pytest.raises(UploaderRoleRefused):
        applier.policy(operation)
