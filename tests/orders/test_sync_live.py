"""Live operations (docs/sync.md, "Live operations"): a till that is online uploads what it
does through the same `POST /v1/sync/batches` as offline, and gets what an online request
gets: a close or refund without a receipt number is numbered in the register's online
series (one gapless series with the online routes' receipts) and printed through the print
queue when it arrives in time; a manager's override token in a refund, void or discount is
verified and spent by the online routes' gate. Against the real Postgres."""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from clients.dpop import DeviceKey
from libs.rbac import Role
from tests.support.database import Connect, Provision, as_service
from tests.support.offline import Log, OfflineTill, add_staff, upload
from tests.support.overrides import Till as OverrideTill
from tests.support.overrides import approve, person
from tests.support.tills import print_jobs, register_device, stock_menu, stock_stations
from tests.support.tokens import TokenFactory

# The usual sale (tests/support/offline.py): two flat whites (one with oat milk) and a roll.
USUAL = 1_250


@dataclass
class LiveTill:
    """One till, online: a cashier and a manager with PINs (so the manager can approve an
    override at the till), the cashier signed in on an activated device whose register is
    numbered for sync. `offline` is the till as the sync support knows it, `override` as
    the override support does."""

    offline: OfflineTill
    override: OverrideTill

    @property
    def auth(self) -> httpx.Auth:
        return self.offline.auth


@pytest.fixture
async def live(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    identity_client: httpx.AsyncClient,
) -> LiveTill:
    tenant = await provision()
    owner = token(tenant, Role.OWNER)
    staff = []
    for role, pin in (("manager", "2468"), ("cashier", "1357")):
        created = await identity_client.post("/v1/staff", json=person(role, pin), auth=owner)
        assert created.status_code == 201, created.text
        staff.append(uuid.UUID(created.json()["id"]))
    manager, cashier = staff
    # On the roster since yesterday, so that an operation recorded a while ago is theirs.
    await as_service(
        connect_as,
        "identity",
        tenant,
        "UPDATE identity.staff SET created_at = now() - interval '1 day' WHERE id = ANY($1)",
        staff,
    )
    key = DeviceKey.generate()
    location_id, device_id = await register_device(connect_as, tenant, key)
    auth = token(
        tenant, Role.CASHIER, str(cashier), key=key, location_id=location_id, device_id=device_id
    )
    menu = await stock_menu(connect_as, tenant)
    offline = OfflineTill(tenant, location_id, device_id, key, auth, cashier, manager, menu)
    registered = await orders_client.post("/v1/sync/register", auth=auth)
    assert registered.status_code == 200, registered.text
    offline.register_number = registered.json()["register_number"]
    override = OverrideTill(tenant, manager, cashier, location_id, device_id, key, auth, menu)
    return LiveTill(offline, override)


def live_log(till: LiveTill) -> Log:
    """The till's log as it records online: everything now."""
    return Log(till.offline, start=datetime.now(UTC), step=timedelta(0))


def close_live(
    log: Log, order_id: uuid.UUID, *, at: datetime | None = None, total: int = USUAL
) -> None:
    """A close the till asks the server to number: no `receipt_sequence`."""
    log.record(
        "order.close",
        {"order_id": str(order_id), "shift_id": str(log.shift_id), "client_total_minor": total},
        at=at,
    )


def refund_live(log: Log, order_id: uuid.UUID, amount: int, **fields: Any) -> uuid.UUID:
    refund_id = uuid.uuid4()
    log.record(
        "refund",
        {
            "refund_id": str(refund_id),
            "order_id": str(order_id),
            "shift_id": str(log.shift_id),
            "reason_code": "quality_issue",
            "amount_minor": amount,
            **fields,
        },
    )
    return refund_id


def void(log: Log, order_id: uuid.UUID, **fields: Any) -> None:
    log.record(
        "order.void",
        {"order_id": str(order_id), "reason_code": "entered_in_error", **fields},
    )


async def receipts(connect_as: Connect, tenant: uuid.UUID) -> list[dict[str, Any]]:
    rows = await as_service(
        connect_as,
        "orders",
        tenant,
        "SELECT id, number, series, sequence, kind, order_id, snapshot FROM orders.receipts "
        "ORDER BY series, sequence",
    )
    return [dict(row) for row in rows]


async def audit_payloads(
    connect_as: Connect, tenant: uuid.UUID, action: str
) -> list[dict[str, Any]]:
    rows = await as_service(
        connect_as,
        "orders",
        tenant,
        "SELECT payload FROM audit.events WHERE action = $1 ORDER BY seq",
        action,
    )
    return [json.loads(row["payload"]) for row in rows]


async def flags_of(client: httpx.AsyncClient, till: LiveTill, token: TokenFactory) -> list[str]:
    manager = token(till.offline.tenant, Role.MANAGER, str(till.offline.manager))
    response = await client.get("/v1/sync/flags", params={"limit": 100}, auth=manager)
    assert response.status_code == 200, response.text
    return [flag["kind"] for flag in response.json()["items"]]


async def order_of(client: httpx.AsyncClient, till: LiveTill, order_id: Any) -> dict[str, Any]:
    response = await client.get(f"/v1/orders/{order_id}", auth=till.auth)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


# -- live closes -------------------------------------------------------------------------------


async def test_a_live_close_is_numbered_in_the_online_series_and_printed(
    live: LiveTill, orders_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    await stock_stations(connect_as, live.offline.tenant, live.offline.menu)
    log = live_log(live)
    log.open_shift()
    first = log.order()
    log.pay_cash(first, 2_000)
    close_live(log, first)
    answer = await upload(orders_client, live.offline, log.operations)
    assert [item["state"] for item in answer["items"]] == ["applied"] * 4, answer
    closed = answer["items"][-1]["result"]
    register = live.offline.register_number
    assert closed["receipt_number"] == f"R{register}-000001"
    assert closed["printed"] is True
    assert answer["items"][-1]["flags"] == []

    # The same register closes a sale through the online route: the next number.
    created = await orders_client.post(
        "/v1/orders",
        json={"lines": [{"item_id": str(live.offline.menu.bread_id)}]},
        auth=live.auth,
    )
    assert created.status_code == 201, created.text
    paid = await orders_client.post(
        f"/v1/orders/{created.json()['id']}/payments",
        json={"version": created.json()["version"], "tender": "cash", "tendered_minor": 500},
        auth=live.auth,
    )
    assert paid.status_code == 201, paid.text
    online = await orders_client.post(
        f"/v1/orders/{created.json()['id']}/close",
        json={"version": paid.json()["order"]["version"]},
        auth=live.auth,
    )
    assert online.status_code == 200, online.text
    assert online.json()["receipt"]["number"] == f"R{register}-000002"

    # And the till's next live close the one after: one gapless online series.
    uploaded = len(log.operations)
    second = log.order()
    log.pay_cash(second, 2_000)
    close_live(log, second)
    later = await upload(orders_client, live.offline, log.operations[uploaded:])
    assert later["items"][-1]["result"]["receipt_number"] == f"R{register}-000003"
    issued = await receipts(connect_as, live.offline.tenant)
    assert [(r["series"], r["sequence"]) for r in issued] == [("", 1), ("", 2), ("", 3)]
    assert str(issued[0]["id"]) == closed["receipt_id"]

    # Paper as the online close queues it: the receipt, and the kitchen's ticket for the
    # coffee (the café's category is made in the kitchen; the roll too).
    jobs = await print_jobs(connect_as, live.offline.tenant)
    first_jobs = [job for job in jobs if job["order_id"] == first]
    assert sorted((job["kind"], job["printer_role"]) for job in first_jobs) == [
        ("kitchen_ticket", "kitchen"),
        ("receipt", "receipt"),
    ]
    [receipt_job] = [job for job in first_jobs if job["kind"] == "receipt"]
    assert str(receipt_job["receipt_id"]) == closed["receipt_id"]
    assert receipt_job["status"] == "queued"
    assert len([job for job in jobs if job["kind"] == "receipt"]) == 3
    [audited, *_] = await audit_payloads(connect_as, live.offline.tenant, "order.closed")
    assert audited["receipt_print_job_id"] == str(receipt_job["id"])

    # A replay answers the same number, and nothing is numbered or printed again.
    again = await upload(orders_client, live.offline, log.operations)
    assert {item["status"] for item in again["items"]} == {"duplicate"}
    assert again["items"][3]["result"] == closed
    assert len(await receipts(connect_as, live.offline.tenant)) == 3
    assert len(await print_jobs(connect_as, live.offline.tenant)) == len(jobs)


async def test_a_late_live_close_is_numbered_but_not_printed(
    live: LiveTill, orders_client: httpx.AsyncClient, connect_as: Connect, token: TokenFactory
) -> None:
    # The till went offline after ringing it up online, and uploads the close ten minutes
    # after it happened: the customer has gone, so no paper.
    log = live_log(live)
    log.open_shift()
    order_id = log.order()
    log.pay_cash(order_id, 2_000)
    close_live(log, order_id, at=datetime.now(UTC) - timedelta(minutes=10))
    answer = await upload(orders_client, live.offline, log.operations)
    assert [item["state"] for item in answer["items"]] == ["applied"] * 4, answer
    closed = answer["items"][-1]
    assert closed["result"]["receipt_number"] == f"R{live.offline.register_number}-000001"
    assert closed["result"]["printed"] is False
    assert closed["flags"] == ["live-close-late"]
    assert await print_jobs(connect_as, live.offline.tenant) == []
    assert "live-close-late" in await flags_of(orders_client, live, token)
    order = await order_of(orders_client, live, order_id)
    assert order["status"] == "closed"


async def test_offline_and_live_receipts_keep_their_own_series(
    live: LiveTill, orders_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    log = live_log(live)
    log.open_shift()
    offline_sale = log.sale()  # numbered by the till: R<n>-O-000001
    live_sale = log.order()
    log.pay_cash(live_sale, 2_000)
    close_live(log, live_sale)
    answer = await upload(orders_client, live.offline, log.operations)
    assert {item["state"] for item in answer["items"]} == {"applied"}, answer
    issued = {r["order_id"]: r for r in await receipts(connect_as, live.offline.tenant)}
    assert (issued[offline_sale]["series"], issued[offline_sale]["sequence"]) == ("O", 1)
    assert (issued[live_sale]["series"], issued[live_sale]["sequence"]) == ("", 1)
    # Only the till's own number makes an offline receipt: the live one says nothing of it.
    assert "offline" in json.loads(issued[offline_sale]["snapshot"])
    assert "offline" not in json.loads(issued[live_sale]["snapshot"])
    # Only the live one printed.
    jobs = await print_jobs(connect_as, live.offline.tenant)
    assert [job["order_id"] for job in jobs if job["kind"] == "receipt"] == [live_sale]


# -- override tokens -------------------------------------------------------------------------


async def sold(
    live: LiveTill, orders_client: httpx.AsyncClient, log: Log | None = None
) -> tuple[Log, uuid.UUID]:
    """A live sale of the usual, uploaded: the log (a new one, opening the shift, unless
    given), and the order."""
    uploaded = len(log.operations) if log is not None else 0
    if log is None:
        log = live_log(live)
        log.open_shift()
    order_id = log.order()
    log.pay_cash(order_id, 2_000)
    close_live(log, order_id)
    answer = await upload(orders_client, live.offline, log.operations[uploaded:])
    assert {item["state"] for item in answer["items"]} == {"applied"}, answer
    return log, order_id


async def test_a_live_refund_with_an_override_token_is_approved_as_online(
    live: LiveTill,
    orders_client: httpx.AsyncClient,
    identity_client: httpx.AsyncClient,
    connect_as: Connect,
    token: TokenFactory,
) -> None:
    log, order_id = await sold(live, orders_client)
    # The business's offline approval limit is 0: only the token can approve it.
    override = await approve(
        identity_client,
        live.override,
        str(order_id),
        action="refund",
        amount={"amount_minor": USUAL},
    )
    uploaded = len(log.operations)
    refund_id = refund_live(log, order_id, USUAL, override_token=override)
    answer = await upload(orders_client, live.offline, log.operations[uploaded:])
    [item] = answer["items"]
    assert item["state"] == "applied", item
    assert item["flags"] == []
    assert item["result"]["refund_id"] == str(refund_id)
    assert item["result"]["receipt_number"] == f"R{live.offline.register_number}-000002"
    assert item["result"]["printed"] is True
    [refunded] = await audit_payloads(connect_as, live.offline.tenant, "order.refunded")
    claims = _claims(override)
    assert refunded["approval"] == "override"
    assert refunded["override_jti"] == claims["jti"]
    assert refunded["approved_by"] == str(live.offline.manager)
    assert refunded["offline_approval_id"] is None
    assert await flags_of(orders_client, live, token) == []
    approvals = await orders_client.get(
        "/v1/sync/approvals",
        auth=token(live.offline.tenant, Role.MANAGER, str(live.offline.manager)),
    )
    assert approvals.json()["items"] == []
    jobs = await print_jobs(connect_as, live.offline.tenant)
    assert any(job["summary"].startswith("Refund receipt") for job in jobs)


def _claims(token: str) -> dict[str, Any]:
    """A JWS's claims, read without verifying it (the server verified it)."""
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


async def test_a_void_with_an_override_token_is_approved_as_online(
    live: LiveTill,
    orders_client: httpx.AsyncClient,
    identity_client: httpx.AsyncClient,
    connect_as: Connect,
    token: TokenFactory,
) -> None:
    log = live_log(live)
    log.open_shift()
    order_id = log.order()
    await upload(orders_client, live.offline, log.operations)
    override = await approve(
        identity_client, live.override, str(order_id), amount={"amount_minor": USUAL}
    )
    uploaded = len(log.operations)
    void(log, order_id, override_token=override)
    answer = await upload(orders_client, live.offline, log.operations[uploaded:])
    [item] = answer["items"]
    assert item["state"] == "applied", item
    assert item["flags"] == []
    assert (await order_of(orders_client, live, order_id))["status"] == "voided"
    [voided] = await audit_payloads(connect_as, live.offline.tenant, "order.voided")
    assert voided["approval"] == "override"
    assert voided["override_jti"] == _claims(override)["jti"]
    assert voided["approved_by"] == str(live.offline.manager)
    assert await flags_of(orders_client, live, token) == []


async def test_a_bad_override_token_refuses_the_operation_and_changes_nothing(
    live: LiveTill,
    orders_client: httpx.AsyncClient,
    identity_client: httpx.AsyncClient,
    connect_as: Connect,
) -> None:
    log, order_id = await sold(live, orders_client)
    _, other_order = await sold(live, orders_client, log)

    async def refund_token(order: uuid.UUID, amount: int = USUAL) -> str:
        return await approve(
            identity_client,
            live.override,
            str(order),
            action="refund",
            amount={"amount_minor": amount},
        )

    # A token spent once is refused the second time.
    used = await refund_token(order_id)
    uploaded = len(log.operations)
    refund_live(log, order_id, 100, override_token=used)
    refund_live(log, order_id, 100, override_token=used)
    # A token for another order.
    elsewhere = await refund_token(other_order)
    refund_live(log, order_id, 100, override_token=elsewhere)
    # A token for less than the refund.
    too_little = await refund_token(order_id, 500)
    refund_live(log, order_id, 600, override_token=too_little)
    # A token and a manager's name together.
    both = await refund_token(order_id)
    refund_live(log, order_id, 100, override_token=both, approved_by=str(live.offline.manager))
    # A void's token for a refund.
    void_token = await approve(
        identity_client, live.override, str(order_id), amount={"amount_minor": USUAL}
    )
    refund_live(log, order_id, 100, override_token=void_token)

    answer = await upload(orders_client, live.offline, log.operations[uploaded:])
    items = answer["items"]
    assert items[0]["state"] == "applied", items[0]
    refused = [(item["state"], (item["problem"] or {}).get("code")) for item in items[1:]]
    assert refused == [
        ("rejected", "override-invalid"),
        ("rejected", "override-invalid"),
        ("rejected", "override-amount-exceeded"),
        ("rejected", "invalid-operation"),
        ("rejected", "override-invalid"),
    ]
    assert "already been used" in items[1]["problem"]["detail"]
    # Only the first refund happened.
    order = await order_of(orders_client, live, order_id)
    assert order["refunded_minor"] == 100
    refunds = await as_service(
        connect_as,
        "orders",
        live.offline.tenant,
        "SELECT amount_minor FROM orders.refunds WHERE order_id = $1",
        order_id,
    )
    assert [row["amount_minor"] for row in refunds] == [100]
    # The tokens the refused operations carried were not spent: the too-small one still
    # approves a refund it covers.
    retry = len(log.operations)
    refund_live(log, order_id, 500, override_token=too_little)
    again = await upload(orders_client, live.offline, log.operations[retry:])
    assert again["items"][0]["state"] == "applied", again


async def test_a_token_is_not_spent_by_an_operation_refused_after_checking_it(
    live: LiveTill, orders_client: httpx.AsyncClient, identity_client: httpx.AsyncClient
) -> None:
    log, order_id = await sold(live, orders_client)
    offline_sale = log.sale()  # the till's offline receipt number 1
    token = await approve(
        identity_client,
        live.override,
        str(order_id),
        action="refund",
        amount={"amount_minor": 300},
    )
    # Numbered by the till with a number already used: refused after the token was
    # checked (and spent, in the chunk's transaction: rolled back with its savepoint).
    uploaded = len(log.operations) - 3
    refund_live(log, order_id, 300, override_token=token, receipt_sequence=1)
    refund_live(log, order_id, 300, override_token=token)
    answer = await upload(orders_client, live.offline, log.operations[uploaded:])
    states = [(item["state"], (item["problem"] or {}).get("code")) for item in answer["items"]]
    assert states == [
        ("applied", None),
        ("applied", None),
        ("applied", None),
        ("rejected", "receipt-number-taken"),
        ("applied", None),
    ]
    assert (await order_of(orders_client, live, offline_sale))["status"] == "closed"
    assert (await order_of(orders_client, live, order_id))["refunded_minor"] == 300


# -- a card taken online, in a shift and order the sync path made --------------------------------


async def test_a_card_taken_online_on_a_synced_order_closes_live(
    live: LiveTill, orders_client: httpx.AsyncClient, connect_as: Connect
) -> None:
    log = live_log(live)
    shift_id = log.open_shift()
    order_id = log.order()
    answer = await upload(orders_client, live.offline, log.operations)
    assert {item["state"] for item in answer["items"]} == {"applied"}, answer

    # Card authorisation needs the server: the till takes it through the online route,
    # where the terminal (the simulator) approves it.
    order = await order_of(orders_client, live, order_id)
    paid = await orders_client.post(
        f"/v1/orders/{order_id}/payments",
        json={"version": order["version"], "tender": "card"},
        headers={"Idempotency-Key": str(uuid.uuid4())},
        auth=live.auth,
    )
    assert paid.status_code == 201, paid.text
    assert paid.json()["payment"]["status"] == "approved"
    assert paid.json()["order"]["balance_minor"] == 0

    uploaded = len(log.operations)
    close_live(log, order_id)
    closed = await upload(orders_client, live.offline, log.operations[uploaded:])
    [item] = closed["items"]
    assert item["state"] == "applied", item
    assert item["flags"] == []
    assert item["result"]["receipt_number"] == f"R{live.offline.register_number}-000001"
    order = await order_of(orders_client, live, order_id)
    assert order["status"] == "closed"
    assert [p["tender"] for p in order["payments"]] == ["card"]
    report = await orders_client.get(f"/v1/shifts/{shift_id}/x-report", auth=live.auth)
    assert report.status_code == 200, report.text


async def test_a_discount_and_a_force_close_take_override_tokens_too(
    live: LiveTill,
    orders_client: httpx.AsyncClient,
    identity_client: httpx.AsyncClient,
    connect_as: Connect,
    token: TokenFactory,
) -> None:
    log = live_log(live)
    shift_id = log.open_shift()
    order_id = uuid.uuid4()
    # 10 % off, above the business's discount limit (0): the manager approves it at the till.
    discount = await approve(
        identity_client,
        live.override,
        str(order_id),
        action="discount",
        amount={"percent_bps": 1_000},
    )
    log.record(
        "order.create",
        {
            "order_id": str(order_id),
            "shift_id": str(shift_id),
            "lines": [{"item_id": str(live.offline.menu.coffee_id), "quantity": 2}],
            "discount": {"kind": "percent", "value": 1_000},
            "override_token": discount,
        },
    )
    log.pay_cash(order_id, 1_000)
    close_live(log, order_id, total=810)
    answer = await upload(orders_client, live.offline, log.operations)
    assert [item["state"] for item in answer["items"]] == ["applied"] * 4, answer
    assert answer["items"][1]["flags"] == []
    [opened] = await audit_payloads(connect_as, live.offline.tenant, "order.opened")
    assert opened["approval"] == "override"
    assert opened["override_jti"] == _claims(discount)["jti"]

    # Another cashier closes the shift the first one opened: a force-close, approved by
    # the manager's token, which that cashier asked for at this till.
    other = await add_staff(
        connect_as, live.offline.tenant, created_at=datetime.now(UTC) - timedelta(days=1)
    )
    other_auth = token(
        live.offline.tenant,
        Role.CASHIER,
        str(other),
        key=live.offline.key,
        location_id=live.offline.location_id,
        device_id=live.offline.device_id,
    )
    force = await approve(
        identity_client,
        replace(live.override, cashier=other_auth),
        str(shift_id),
        action="shift_force_close",
    )
    uploaded = len(log.operations)
    log.record(
        "shift.close",
        {
            "shift_id": str(shift_id),
            "counted": {"cash": 20_000 + 810, "card": 0},
            "override_token": force,
        },
        staff=other,
    )
    closed = await upload(
        orders_client, replace(live.offline, auth=other_auth), log.operations[uploaded:]
    )
    [item] = closed["items"]
    assert item["state"] == "applied", item
    assert item["flags"] == []
    [audited] = await audit_payloads(connect_as, live.offline.tenant, "shift.closed")
    assert audited["approval"] == "override"
    assert audited["approved_by"] == str(live.offline.manager)
    assert await flags_of(orders_client, live, token) == []
