"""Offline sync (services/orders/sync/), against the real Postgres through the orders API:
a till's queue of what it did without a network, applied exactly once, in its order."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from clients.session import DPoPAuth
from libs.config import platform_settings
from libs.rbac import Role
from services.identity.keys.signing import SigningKey, mint_access_token
from tests.support.database import Connect, Provision, as_service
from tests.support.offline import (
    Log,
    OfflineTill,
    add_staff,
    allow_offline_approvals,
    offline_till,
    upload,
)
from tests.support.tokens import PUBLIC_URL, TokenFactory


async def test_an_offline_shift_uploads_into_the_books(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> None:
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


# -- shared arrangements ---------------------------------------------------------------------


@pytest.fixture
async def till(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> OfflineTill:
    return await offline_till(connect_as, token, orders_client, await provision())


async def flags_of(client: httpx.AsyncClient, auth: httpx.Auth) -> list[dict[str, Any]]:
    response = await client.get("/v1/sync/flags", params={"limit": 100}, auth=auth)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def manager_at(token: TokenFactory, till: OfflineTill) -> DPoPAuth:
    return token(
        till.tenant,
        Role.MANAGER,
        str(till.manager),
        key=till.key,
        location_id=till.location_id,
        device_id=till.device_id,
    )


# -- order and exactly-once ----------------------------------------------------------------


async def test_operations_that_arrive_early_wait_for_the_gap_to_fill(
    till: OfflineTill, orders_client: httpx.AsyncClient
) -> None:
    log = Log(till)
    log.open_shift()
    order_id = log.sale()
    first, *rest = log.operations
    early = await upload(orders_client, till, rest[::-1])
    assert {item["state"] for item in early["items"]} == {"pending"}
    assert {item["waiting_for"] for item in early["items"]} == {1}
    assert early["applied_through"] == 0
    assert (await orders_client.get(f"/v1/orders/{order_id}", auth=till.auth)).status_code == 404
    status = (await orders_client.get("/v1/sync/status", auth=till.auth)).json()
    assert status["pending"] == [2, 3, 4] and status["waiting_for"] == 1

    filled = await upload(orders_client, till, [first, *rest])
    assert [item["status"] for item in filled["items"]] == ["accepted"] + ["duplicate"] * 3
    assert {item["state"] for item in filled["items"]} == {"applied"}
    assert filled["applied_through"] == 4
    order = (await orders_client.get(f"/v1/orders/{order_id}", auth=till.auth)).json()
    assert order["status"] == "closed"


async def test_a_bad_operation_is_refused_alone_and_the_rest_go_on(
    till: OfflineTill, orders_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    log = Log(till)
    log.open_shift()
    bad_item = log.order(lines=[{"item_id": str(uuid.uuid4())}])  # not on the menu
    log.record("payment", {"order_id": "not-a-uuid"})  # malformed, but numbered
    good = log.sale()
    answer = await upload(orders_client, till, [*log.operations, {"kind": "noise"}])
    states = [(item["status"], item["state"]) for item in answer["items"]]
    assert states[:6] == [
        ("accepted", "applied"),
        ("accepted", "rejected"),
        ("accepted", "rejected"),
        ("accepted", "applied"),
        ("accepted", "applied"),
        ("accepted", "applied"),
    ]
    assert answer["items"][1]["problem"]["code"] == "item-not-sellable"
    assert answer["items"][2]["problem"]["code"] == "invalid-operation"
    assert answer["items"][6] == {**answer["items"][6], "status": "rejected", "id": None}
    assert answer["applied_through"] == 6
    assert (await orders_client.get(f"/v1/orders/{bad_item}", auth=till.auth)).status_code == 404
    order = (await orders_client.get(f"/v1/orders/{good}", auth=till.auth)).json()
    assert order["status"] == "closed"
    # Refusals are in the operation log and the audit log; nothing is lost.
    manager = await orders_client.get(
        "/v1/sync/operations", params={"status": "rejected"}, auth=till.auth
    )
    assert manager.status_code == 403  # a cashier does not review
    rows = await as_service(
        connect_as,
        "audit",
        till.tenant,
        "SELECT count(*) AS n FROM audit.events WHERE action = 'sync.operation_rejected'",
    )
    assert rows[0]["n"] == 2


async def test_the_same_id_with_other_content_or_a_used_sequence_is_refused(
    till: OfflineTill, orders_client: httpx.AsyncClient
) -> None:
    log = Log(till)
    log.open_shift(float_minor=10_000)
    await upload(orders_client, till, log.operations)
    changed = {**log.operations[0], "data": {**log.operations[0]["data"], "opening_float_minor": 1}}
    reused = {**log.operations[0], "id": str(uuid.uuid4())}
    answer = await upload(orders_client, till, [changed, reused])
    assert [item["problem"]["code"] for item in answer["items"]] == [
        "operation-id-reused",
        "operation-sequence-taken",
    ]
    assert {item["status"] for item in answer["items"]} == {"rejected"}
    shift = (await orders_client.get(f"/v1/shifts/{log.shift_id}", auth=till.auth)).json()
    assert shift["opening_float_minor"] == 10_000


# -- money: recomputed, compared, flagged -------------------------------------------------


async def test_a_total_the_till_computed_differently_is_kept_and_flagged(
    till: OfflineTill, orders_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    log = Log(till)
    log.open_shift()
    order_id = log.order()
    log.pay_cash(order_id, 1_300)
    log.close(order_id, client_total_minor=1_300)  # the till's stale price list
    answer = await upload(orders_client, till, log.operations)
    assert answer["items"][-1]["flags"] == ["total-mismatch"]
    replayed = await upload(orders_client, till, log.operations[-1:])
    assert replayed["items"][0]["status"] == "duplicate"
    assert replayed["items"][0]["flags"] == ["total-mismatch"]  # the original outcome
    order = (await orders_client.get(f"/v1/orders/{order_id}", auth=till.auth)).json()
    assert (order["status"], order["total_minor"], order["paid_minor"]) == ("closed", 1_250, 1_250)
    manager = manager_at(token, till)
    [flag] = await flags_of(orders_client, manager)
    assert flag["kind"] == "total-mismatch"
    assert flag["details"] == {
        "client_total_minor": 1_300,
        "server_total_minor": 1_250,
        "difference_minor": 50,
    }
    resolve = f"/v1/sync/flags/{flag['id']}/resolve"
    assert (
        await orders_client.post(resolve, json={"resolution": "x"}, auth=till.auth)
    ).status_code == 403
    resolved = await orders_client.post(
        resolve,
        json={"resolution": "Price list on till 1 was a week old; reloaded."},
        auth=manager,
    )
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["resolved_by"] == str(till.manager)
    assert await flags_of(orders_client, manager) == []
    again = await orders_client.post(resolve, json={"resolution": "again"}, auth=manager)
    assert again.json()["code"] == "sync-flag-resolved"


async def test_tax_is_the_rate_in_force_when_the_sale_happened(
    till: OfflineTill, orders_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    # GST goes from 10 % to 15 % an hour ago: the sale two hours ago keeps 10 %.
    await as_service(
        connect_as,
        "orders",
        till.tenant,
        "INSERT INTO orders.tax_rates (id, tax_category_id, rate_percent, effective_from,"
        " created_by) SELECT gen_random_uuid(), id, 15, now() - interval '1 hour', 't'"
        " FROM orders.tax_categories WHERE code = 'gst'",
    )
    log = Log(till, start=datetime.now(UTC) - timedelta(hours=2))
    log.open_shift()
    before = log.order(lines=[{"item_id": str(till.menu.coffee_id)}])
    log.record(
        "order.create",
        {
            "order_id": str(after := uuid.uuid4()),
            "shift_id": str(log.shift_id),
            "lines": [{"item_id": str(till.menu.coffee_id)}],
        },
        at=datetime.now(UTC) - timedelta(minutes=5),
    )
    await upload(orders_client, till, log.operations)
    taxes = {}
    for order_id in (before, after):
        order = (await orders_client.get(f"/v1/orders/{order_id}", auth=till.auth)).json()
        taxes[order_id] = [(group["rate"], group["tax_minor"]) for group in order["tax"]]
    assert taxes[before] == [("10.000", 41)]  # 450 incl. 10 %: 450 / 11
    assert taxes[after] == [("15.000", 59)]  # 450 incl. 15 %: 450 * 15 / 115


# -- receipts -------------------------------------------------------------------------------


async def test_offline_receipts_are_the_tills_numbers_and_gaps_are_flagged_until_filled(
    till: OfflineTill, orders_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    log = Log(till)
    log.open_shift()
    orders = [log.order() for _ in range(3)]
    for order_id in orders:
        log.pay_cash(order_id, 1_250)
    log.receipt_sequence = 0
    log.close(orders[0])  # R?-O-000001
    log.receipt_sequence = 2
    log.close(orders[2])  # R?-O-000003: 2 is not here yet
    first = await upload(orders_client, till, log.operations)
    assert first["items"][-1]["flags"] == ["receipt-gap"]
    manager = manager_at(token, till)
    [gap] = await flags_of(orders_client, manager)
    prefix = f"R{till.register_number}-O"
    assert (gap["details"]["missing_from"], gap["details"]["missing_to"]) == (
        f"{prefix}-000002",
        f"{prefix}-000002",
    )
    log.receipt_sequence = 1
    log.close(orders[1])  # the missing number arrives (the till numbered it, then closed)
    await upload(orders_client, till, log.operations[-1:])
    assert await flags_of(orders_client, manager) == []
    numbers = sorted(
        receipt["number"]
        for receipt in (await orders_client.get("/v1/receipts", auth=till.auth)).json()["items"]
    )
    assert numbers == [f"{prefix}-00000{n}" for n in (1, 2, 3)]

    taken = Log(till, operations=list(log.operations), shift_id=log.shift_id)
    reused = taken.order()
    taken.pay_cash(reused, 1_250)
    taken.receipt_sequence = 0
    taken.close(reused)  # number 1 again
    answer = await upload(orders_client, till, taken.operations[len(log.operations) :])
    assert answer["items"][-1]["problem"]["code"] == "receipt-number-taken"


# -- late arrivals, old card payments, approvals ------------------------------------------------


async def test_a_sale_in_a_shift_closed_since_is_added_and_the_z_report_reissued(
    till: OfflineTill, orders_client: httpx.AsyncClient
) -> None:
    log = Log(till)
    shift_id = log.open_shift()
    log.sale()
    log.close_shift(cash=21_250)
    await upload(orders_client, till, log.operations)
    z1 = (await orders_client.get(f"/v1/shifts/{shift_id}/z-report", auth=till.auth)).json()
    assert (z1["version"], z1["expected"]["cash"], z1["difference"]["cash"]) == (1, 21_250, 0)

    log.sale()  # rung up before the close, uploaded after it (still in the shift)
    answer = await upload(orders_client, till, log.operations[-3:])
    assert all("late-arrival" in item["flags"] for item in answer["items"])
    z2 = (await orders_client.get(f"/v1/shifts/{shift_id}/z-report", auth=till.auth)).json()
    assert (z2["version"], z2["expected"]["cash"], z2["difference"]["cash"]) == (2, 22_500, -1_250)
    assert z2["counted"] == z1["counted"] and z2["closed_at"] == z1["closed_at"]
    issues = (await orders_client.get(f"/v1/shifts/{shift_id}/z-reports", auth=till.auth)).json()
    assert [(issue["version"], issue["reason"]) for issue in issues] == [
        (1, "close"),
        (2, "late-arrival"),
    ]
    assert issues[0]["report"]["expected"]["cash"] == 21_250  # kept as issued


async def test_a_card_payment_uploaded_after_the_age_limit_is_flagged(
    till: OfflineTill, orders_client: httpx.AsyncClient
) -> None:
    log = Log(till, start=datetime.now(UTC) - timedelta(hours=30))
    log.open_shift()
    order_id = log.order()
    log.pay_card(order_id, 1_250)
    answer = await upload(orders_client, till, log.operations)
    assert answer["items"][-1]["flags"] == ["stale-card-payment"]
    order = (await orders_client.get(f"/v1/orders/{order_id}", auth=till.auth)).json()
    [payment] = order["payments"]
    assert (payment["tender"], payment["last4"], order["paid_minor"]) == ("card", "4242", 1_250)


async def test_refunds_voids_and_cash_movements_offline_with_and_without_approval(
    till: OfflineTill, orders_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    """A void and a refund need a manager online (the business's limits are 0): offline
    they need the manager the till names, within the offline approval limit; a void that
    names nobody is refused and changes nothing (tests/orders/sale/test_offline_rules.py has the
    rest of the offline policy)."""
    await allow_offline_approvals(orders_client, token, till, 2_000)
    log = Log(till)
    shift_id = log.open_shift()
    sold = log.sale()
    unpaid = log.order()
    log.record("order.void", {"order_id": str(unpaid), "reason_code": "entered_in_error"})
    approved = log.order()
    log.record(
        "order.void",
        {
            "order_id": str(approved),
            "reason_code": "entered_in_error",
            "approved_by": str(till.manager),
        },
    )
    log.receipt_sequence += 1
    log.record(
        "refund",
        {
            "refund_id": str(uuid.uuid4()),
            "order_id": str(sold),
            "shift_id": str(shift_id),
            "reason_code": "quality_issue",
            "lines": [{"line_number": 3, "quantity": 1}],
            "receipt_sequence": log.receipt_sequence,
            "approved_by": str(till.manager),
            "client_total_minor": 300,
        },
    )
    log.record(
        "cash.movement",
        {
            "movement_id": str(uuid.uuid4()),
            "shift_id": str(shift_id),
            "kind": "paid_out",
            "amount_minor": 500,
            "reason": "Milk",
        },
    )
    # The unpaid order the void could not void stays open: the till closes with it flagged.
    log.close_shift(cash=20_000 + 1_250 - 300 - 500)
    answer = await upload(orders_client, till, log.operations)
    by_sequence = {item["sequence"]: item for item in answer["items"]}
    states = [by_sequence[op["sequence"]]["state"] for op in log.operations]
    kinds = [op["kind"] for op in log.operations]
    refused = kinds.index("order.void")
    assert states[refused] == "rejected"
    assert by_sequence[refused + 1]["problem"]["code"] == "offline-approval-required"
    assert [s for i, s in enumerate(states) if i != refused] == ["applied"] * (len(states) - 1)
    by_kind = {op["kind"]: by_sequence[op["sequence"]] for op in log.operations}
    assert by_kind["refund"]["flags"] == ["offline-approval"]
    assert by_kind["refund"]["result"]["receipt_number"] == f"R{till.register_number}-O-000002"
    assert by_kind["shift.close"]["flags"] == ["open-orders-at-close"]
    z = (await orders_client.get(f"/v1/shifts/{shift_id}/z-report", auth=till.auth)).json()
    assert z["difference"] == {"cash": 0, "card": 0}
    assert z["refunds"]["amount_minor"] == 300
    assert (await orders_client.get(f"/v1/orders/{unpaid}", auth=till.auth)).json()[
        "status"
    ] == "open"
    voided = (await orders_client.get(f"/v1/orders/{approved}", auth=till.auth)).json()
    assert voided["status"] == "voided"


# -- who did it -------------------------------------------------------------------------------


async def test_operations_are_checked_against_the_roster_when_they_happened(
    till: OfflineTill,
    orders_client: httpx.AsyncClient,
    connect_as: Connect,
    token: TokenFactory,
) -> None:
    left = await add_staff(
        connect_as, till.tenant, "cashier", created_at=datetime.now(UTC) - timedelta(days=3)
    )
    await as_service(
        connect_as,
        "identity",
        till.tenant,
        "UPDATE identity.staff SET active = false, deactivated_at = now() - interval '1 hour'"
        " WHERE id = $1",
        left,
    )
    accountant = await add_staff(
        connect_as, till.tenant, "accountant", created_at=datetime.now(UTC) - timedelta(days=3)
    )
    log = Log(till, start=datetime.now(UTC) - timedelta(hours=2))
    log.open_shift()
    log.record(  # two hours ago: still on the roster
        "order.create",
        {
            "order_id": str(uuid.uuid4()),
            "shift_id": str(log.shift_id),
            "lines": [{"item_id": str(till.menu.bread_id)}],
        },
        staff=left,
    )
    log.record(  # ten minutes ago: gone
        "order.create",
        {
            "order_id": str(uuid.uuid4()),
            "shift_id": str(log.shift_id),
            "lines": [{"item_id": str(till.menu.bread_id)}],
        },
        staff=left,
        at=datetime.now(UTC) - timedelta(minutes=10),
    )
    log.record(
        "order.create",
        {
            "order_id": str(uuid.uuid4()),
            "shift_id": str(log.shift_id),
            "lines": [{"item_id": str(till.menu.bread_id)}],
        },
        staff=accountant,
    )
    # Uploaded by whoever is signed in now (the manager), done by the staff it names.
    answer = await upload(
        orders_client, replace(till, auth=manager_at(token, till)), log.operations
    )
    assert [item["state"] for item in answer["items"]] == [
        "applied",
        "applied",
        "rejected",
        "rejected",
    ]
    assert answer["items"][2]["problem"]["code"] == "staff-not-on-roster"
    assert answer["items"][3]["problem"]["code"] == "staff-role-refused"
    rows = await as_service(
        connect_as,
        "audit",
        till.tenant,
        "SELECT actor_id, payload->'offline' AS offline, payload->'claims' AS claims"
        " FROM audit.events WHERE action = 'order.opened'",
    )
    [row] = rows
    offline = json.loads(row["offline"])
    # The actor is who uploaded it, signed in at the device; who the till says rang it up
    # (on the roster then) is the till's claim.
    assert row["actor_id"] == str(till.manager)
    assert json.loads(row["claims"])["staff_id"] == str(left)
    assert offline["uploaded_by"] == str(till.manager)
    assert datetime.fromisoformat(offline["occurred_at"]) < datetime.fromisoformat(
        offline["received_at"]
    )


async def test_an_expired_token_keeps_nothing_and_a_refreshed_one_uploads(
    till: OfflineTill, orders_client: httpx.AsyncClient, signing_key: SigningKey
) -> None:
    settings = platform_settings()
    expired = DPoPAuth(
        till.key,
        mint_access_token(
            signing_key,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            subject=str(till.cashier),
            tenant_id=till.tenant,
            role="cashier",
            location_id=till.location_id,
            device_id=till.device_id,
            key_thumbprint=till.key.thumbprint(),
            now=time.time() - 3_600,
        ),
        public_url=PUBLIC_URL,
    )
    log = Log(till)
    log.open_shift()
    refused = await orders_client.post(
        "/v1/sync/batches", json={"operations": log.operations}, auth=expired
    )
    assert refused.status_code == 401
    status = (await orders_client.get("/v1/sync/status", auth=till.auth)).json()
    assert (status["applied_through"], status["pending"]) == (0, [])
    answer = await upload(orders_client, till, log.operations)  # after re-attestation
    assert answer["items"][0]["state"] == "applied"


async def test_a_session_without_a_device_cannot_upload(
    till: OfflineTill, orders_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    backoffice = token(till.tenant, Role.MANAGER, str(till.manager))
    log = Log(till)
    log.open_shift()
    response = await orders_client.post(
        "/v1/sync/batches", json={"operations": log.operations}, auth=backoffice
    )
    assert response.status_code == 409
    assert response.json()["code"] == "register-required"
