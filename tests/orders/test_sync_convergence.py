"""Offline sync converges (services/orders/sync/): however a till's queue reaches the server
(split into any batches, reordered, operations sent two or three times, pending ones sent
again), the books end up the same as one upload in order; a reused operation id with other
content changes nothing; and five tills of one venue uploading a busy day at once keep every
receipt series gapless and every drawer balanced. Against the real Postgres, through the
orders API, reading the books back as the orders (and audit) service roles."""

from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from collections import Counter
from dataclasses import astuple
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from clients.dpop import DeviceKey
from libs.rbac import Role
from services.orders.sync import service as sync_service
from tests.support.database import Connect, Provision, as_service, as_tenant
from tests.support.offline import (
    Log,
    OfflineTill,
    add_staff,
    allow_offline_approvals,
    offline_till,
    upload,
)
from tests.support.tokens import TokenFactory

FLOAT = 20_000
PAID_OUT = 1_500
SALE = 1_250  # Log.order()'s usual lines: 450 + 500 + 300
REFUNDED = 450  # line 1 of a sale: one flat white


@pytest.fixture
def connect_once(connect_as: Connect) -> Connect:
    """One connection per service role for the whole test: a hypothesis test runs all its
    examples under one fixture, and a connection per arrangement step (which connect_as
    keeps open until the test ends) would run the server out of connections."""
    opened: dict[str, Any] = {}

    async def connect(service: str) -> Any:
        if service not in opened:
            opened[service] = await connect_as(service)
        return opened[service]

    return connect


# -- the device's log ---------------------------------------------------------------------


def record_refund(log: Log, order_id: uuid.UUID, *, approved_by: uuid.UUID) -> None:
    log.receipt_sequence += 1
    log.record(
        "refund",
        {
            "refund_id": str(uuid.uuid4()),
            "order_id": str(order_id),
            "shift_id": str(log.shift_id),
            "reason_code": "quality_issue",
            "lines": [{"line_number": 1, "quantity": 1}],
            "receipt_sequence": log.receipt_sequence,
            "approved_by": str(approved_by),
            "client_total_minor": REFUNDED,
        },
    )


def shift_log(till: OfflineTill, sales: list[str]) -> Log:
    """A shift on the till with no network: open, the `sales` (cash, card, or split half
    cash half card), a mistaken order voided before payment, milk bought from the drawer,
    the first sale's flat white refunded (to its latest payment), and the close with the
    drawer counted as expected."""
    log = Log(till)
    log.open_shift(FLOAT)
    cash = card = 0
    orders: list[tuple[uuid.UUID, str]] = []
    for tender in sales:
        order_id = log.order()
        if tender == "cash":
            log.pay_cash(order_id, 2_000)
            cash += SALE
        elif tender == "card":
            log.pay_card(order_id, SALE)
            card += SALE
        else:
            log.pay_cash(order_id, 500)
            log.pay_card(order_id, SALE - 500)
            cash, card = cash + 500, card + SALE - 500
        log.close(order_id, client_total_minor=SALE)
        orders.append((order_id, tender))
    mistaken = log.order()
    log.record(
        "order.void",
        {
            "order_id": str(mistaken),
            "reason_code": "entered_in_error",
            "approved_by": str(till.manager),
        },
    )
    log.record(
        "cash.movement",
        {
            "movement_id": str(uuid.uuid4()),
            "shift_id": str(log.shift_id),
            "kind": "paid_out",
            "amount_minor": PAID_OUT,
            "reason": "Milk from the corner shop",
        },
    )
    first, tender = orders[0]
    record_refund(log, first, approved_by=till.manager)
    if tender == "cash":
        cash -= REFUNDED
    else:
        card -= REFUNDED
    log.close_shift(cash=FLOAT + cash - PAID_OUT, card=card)
    return log


def for_till(operations: list[dict[str, Any]], source: OfflineTill, target: OfflineTill) -> Any:
    """The same log as done on `target`: its staff and its menu's ids instead of `source`'s
    (everything else, the operation, order, shift and payment ids included, unchanged)."""
    text = json.dumps(operations)
    for old, new in zip(till_ids(source), till_ids(target), strict=True):
        text = text.replace(old, new)
    return json.loads(text)


def till_ids(till: OfflineTill) -> list[str]:
    return [
        str(value)
        for value in (
            till.tenant,
            till.device_id,
            till.location_id,
            till.cashier,
            till.manager,
            *astuple(till.menu),
        )
    ]


# -- the server's books, comparable across tenants ------------------------------------------

# What each table holds of the business, in a stable order. Server clock readings (when a row
# was last touched, when a report was read or issued, when an operation arrived) differ from
# one upload to another by nature and are left out; the till's own times are compared.
BOOKS = {
    "orders": "SELECT to_jsonb(t) - 'updated_at' FROM orders.orders t ORDER BY id",
    "order_lines": "SELECT to_jsonb(t) FROM orders.order_lines t ORDER BY order_id, line_number",
    "payments": "SELECT to_jsonb(t) FROM orders.payments t ORDER BY id",
    "refunds": "SELECT to_jsonb(t) FROM orders.refunds t ORDER BY id",
    "refund_tenders": "SELECT to_jsonb(t) FROM orders.refund_tenders t "
    "ORDER BY refund_id, payment_id",
    "receipts": "SELECT to_jsonb(t) #- '{snapshot,offline}' FROM orders.receipts t "
    "ORDER BY series, sequence",
    "cash_movements": "SELECT to_jsonb(t) FROM orders.cash_movements t ORDER BY id",
    "shifts": "SELECT to_jsonb(t) - 'updated_at' #- '{z_report,as_of}' FROM orders.shifts t "
    "ORDER BY id",
    "z_reports": "SELECT to_jsonb(t) - 'issued_at' #- '{report,as_of}' FROM orders.z_reports t "
    "ORDER BY shift_id, version",
    "registers": "SELECT to_jsonb(t) - 'created_at' - 'updated_at' FROM orders.registers t "
    "ORDER BY number",
    "operations": "SELECT jsonb_build_object('id', id, 'sequence', sequence, 'kind', kind, "
    "'status', status, 'result', result) FROM orders.sync_operations ORDER BY sequence",
    "flags": "SELECT to_jsonb(t) - 'id' - 'raised_at' - 'resolved_at' FROM orders.sync_flags t "
    "ORDER BY operation_id, kind",
}
# The audit trail of the offline operations: what was done, by whom, to what, and the
# entry's payload (where a void's or a refund's reason is kept), minus when it arrived.
AUDITED = (
    "SELECT jsonb_build_object('actor_type', actor_type, 'actor_id', actor_id, "
    "'action', action, 'resource_type', resource_type, 'resource_id', resource_id, "
    "'payload', payload #- '{offline,received_at}') "
    "FROM audit.events WHERE payload ? 'offline' "
    "ORDER BY payload->'offline'->>'operation_id', seq"
)


def _named(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {key: _named(item, names) for key, item in value.items() if key != "tenant_id"}
    if isinstance(value, list):
        return [_named(item, names) for item in value]
    if isinstance(value, str):
        return names.get(value, value)
    return value


async def books(connect_as: Connect, till: OfflineTill) -> dict[str, list[Any]]:
    """The tenant's books as the orders service holds them (and its audit trail of offline
    operations), with the ids that differ by nature between two tenants named instead: the
    till's device, venue, staff and menu, and the server's receipt ids (by their number)."""
    tables = {
        name: [
            json.loads(row[0]) for row in await as_service(connect_as, "orders", till.tenant, query)
        ]
        for name, query in BOOKS.items()
    }
    tables["audit"] = [
        json.loads(row[0]) for row in await as_service(connect_as, "audit", till.tenant, AUDITED)
    ]
    names = dict(
        zip(
            till_ids(till),
            [
                "tenant",
                "device",
                "location",
                "cashier",
                "manager",
                "category",
                "coffee",
                "bread",
                "milk",
                "oat-milk",
            ],
            strict=True,
        )
    )
    names |= {receipt["id"]: f"receipt {receipt['number']}" for receipt in tables["receipts"]}
    taxes = await as_service(
        connect_as, "orders", till.tenant, "SELECT id, code FROM orders.tax_categories"
    )
    names |= {str(tax["id"]): f"tax {tax['code']}" for tax in taxes}
    return {name: _named(rows, names) for name, rows in tables.items()}


# -- 1. any interleaving converges ----------------------------------------------------------


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    # An example takes most of a second (two tenants, a dozen uploads): shrinking a failure
    # would take many minutes, and the labelled draws say what failed as they are.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(data=st.data())
async def test_any_interleaving_of_a_tills_queue_ends_in_the_same_books(
    provision: Provision,
    connect_once: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
    data: st.DataObject,
) -> None:
    connect = connect_once
    sales = data.draw(
        st.lists(st.sampled_from(["cash", "card", "split"]), min_size=1, max_size=4),
        label="sales",
    )
    # The server applies a device's operations in transactions of up to CHUNK (50): a
    # shift's log here is shorter, so a small chunk puts the boundaries among its operations.
    monkeypatch.setattr(sync_service, "CHUNK", data.draw(st.integers(1, 8), label="chunk"))
    in_order = await offline_till(connect, token, orders_client, await provision())
    shuffled = await offline_till(connect, token, orders_client, await provision())
    # The void and the refund were approved by the manager at the till, offline.
    for till in (in_order, shuffled):
        await allow_offline_approvals(orders_client, token, till)
    log = shift_log(in_order, sales)
    count = len(log.operations)

    # Till A: the queue in one batch, in order; everything applies, the drawer balances.
    answer = await upload(orders_client, in_order, log.operations)
    assert [item["state"] for item in answer["items"]] == ["applied"] * count, answer
    closed = answer["items"][-1]["result"]
    assert closed["difference"] == {"cash": 0, "card": 0}, closed

    # Till B: the same queue, as a flaky network delivers it. Each operation is sent once,
    # and some twice or three times; the sends are shuffled and cut into batches.
    operations = for_till(log.operations, in_order, shuffled)
    again = data.draw(st.lists(st.integers(0, count - 1), max_size=count), label="resent")
    again = [index for index, times in Counter(again).items() for _ in range(min(times, 2))]
    sends = data.draw(st.permutations([*range(count), *again]), label="sends")
    cuts = data.draw(st.sets(st.integers(1, len(sends) - 1), max_size=8), label="cuts")
    bounds = [0, *sorted(cuts), len(sends)]
    batches = [sends[start:end] for start, end in itertools.pairwise(bounds)]
    # A till that times out sends its next batch while the last is still in flight: a batch
    # drawn `racing` goes at the same time as the one before it.
    later = range(1, len(batches))
    racing = data.draw(st.sets(st.sampled_from(later)) if later else st.just(set()), label="racing")
    state: dict[int, str] = {}
    outcomes: dict[int, set[str]] = {index: set() for index in range(count)}

    async def send(batch: list[int]) -> None:
        answer = await upload(orders_client, shuffled, [operations[index] for index in batch])
        for index, item in zip(batch, answer["items"], strict=True):
            assert item["id"] == operations[index]["id"]
            assert item["status"] in ("accepted", "duplicate"), item
            assert item["state"] in ("applied", "pending"), item
            state[index] = item["state"]
            if item["state"] == "applied":
                # A replay gets the original outcome, never a second one.
                outcomes[index].add(json.dumps(item["result"], sort_keys=True))

    waves: list[list[list[int]]] = []
    for number, batch in enumerate(batches):
        if number in racing:
            waves[-1].append(batch)
        else:
            waves.append([batch])
    for wave in waves:
        await asyncio.gather(*(send(batch) for batch in wave))
    # A till keeps what is pending in its queue and sends it again; once every operation
    # has arrived at least once, the next send of the pending ones finds them all applied.
    for _ in range(2):
        if pending := [index for index in range(count) if state[index] == "pending"]:
            await send(data.draw(st.permutations(pending), label="pending"))
    assert all(value == "applied" for value in state.values()), state
    assert all(len(results) == 1 for results in outcomes.values()), outcomes

    expected, actual = await books(connect, in_order), await books(connect, shuffled)
    assert len(expected["orders"]) == len(sales) + 1
    assert len(expected["receipts"]) == len(sales) + 1
    for table, rows in expected.items():
        assert len(actual[table]) == len(rows), table
        for row, other in zip(rows, actual[table], strict=True):
            assert other == row, table


# -- 2. a reused operation id -----------------------------------------------------------------


async def test_a_reused_operation_id_with_other_content_is_refused_and_changes_nothing(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> None:
    tenant = await provision()
    till = await offline_till(connect_as, token, orders_client, tenant)
    log = Log(till)
    log.open_shift()
    order_id = log.order()
    first = await upload(orders_client, till, log.operations)
    assert [item["state"] for item in first["items"]] == ["applied", "applied"]

    async def stored(operation_id: str) -> list[dict[str, Any]]:
        rows = await as_service(
            connect_as,
            "orders",
            tenant,
            "SELECT content, content_hash, status, result FROM orders.sync_operations "
            "WHERE id = $1",
            uuid.UUID(operation_id),
        )
        return [dict(row) for row in rows]

    created = await stored(log.operations[1]["id"])

    # The till (a bug in it, or a restored backup) sends the order's id again for a bigger
    # order, in the same batch as the order's payment.
    reused = json.loads(json.dumps(log.operations[1]))
    reused["data"]["lines"].append({"item_id": str(till.menu.bread_id), "quantity": 3})
    log.pay_cash(order_id, 2_000)
    answer = await upload(orders_client, till, [reused, log.operations[2]])
    refused, paid = answer["items"]
    assert refused["status"] == "rejected", refused
    assert refused["problem"]["code"] == "operation-id-reused", refused
    assert refused["problem"]["type"].endswith("/operation-id-reused")
    assert refused["state"] is None
    assert (paid["status"], paid["state"]) == ("accepted", "applied"), paid
    assert answer["applied_through"] == 3

    # The stored operation and the order it made are as first uploaded; the payment is on it.
    assert await stored(reused["id"]) == created
    order = (await orders_client.get(f"/v1/orders/{order_id}", auth=till.auth)).json()
    assert order["total_minor"] == SALE
    assert len(order["lines"]) == 3
    assert order["paid_minor"] == SALE
    # Sending the original again is still a duplicate with its original outcome.
    replay = await upload(orders_client, till, [log.operations[1]])
    assert replay["items"][0]["status"] == "duplicate"
    assert replay["items"][0]["result"] == first["items"][1]["result"]


# -- 3. five tills of one venue at once -------------------------------------------------------

DEVICES = 5
SALES = 200
BATCH = 200


async def till_at(
    connect_as: Connect,
    token: TokenFactory,
    client: httpx.AsyncClient,
    first: OfflineTill,
    number: int,
) -> OfflineTill:
    """Another activated till at `first`'s venue (tests.support.tills.register_device makes a new
    venue per device), with its own cashier, numbered as the business's next register."""
    key, device_id = DeviceKey.generate(), uuid.uuid4()
    connection = await connect_as("identity")
    async with as_tenant(connection, first.tenant):
        await connection.execute(
            "INSERT INTO identity.devices "
            "(id, location_id, name, key_thumbprint, public_jwk, activated_by, status) "
            "VALUES ($1, $2, $3, $4, $5::jsonb, 'test', 'active')",
            device_id,
            first.location_id,
            f"Till {number}",
            key.thumbprint(),
            json.dumps(key.public_jwk()),
        )
    cashier = await add_staff(
        connect_as, first.tenant, "cashier", created_at=datetime.now(UTC) - timedelta(days=1)
    )
    auth = token(
        first.tenant,
        Role.CASHIER,
        str(cashier),
        key=key,
        location_id=first.location_id,
        device_id=device_id,
    )
    till = OfflineTill(
        first.tenant, first.location_id, device_id, key, auth, cashier, first.manager, first.menu
    )
    registered = await client.post("/v1/sync/register", auth=auth)
    assert registered.status_code == 200, registered.text
    till.register_number = registered.json()["register_number"]
    return till


def busy_day(till: OfflineTill) -> tuple[Log, dict[str, int]]:
    """A shift of `SALES` sales, every other one by card, the drawer counted as expected."""
    log = Log(till)
    log.open_shift(FLOAT)
    taken = {"cash": 0, "card": 0}
    for number in range(SALES):
        if number % 2:
            order_id = log.order()
            log.pay_card(order_id, SALE)
            log.close(order_id, client_total_minor=SALE)
            taken["card"] += SALE
        else:
            log.sale()
            taken["cash"] += SALE
    log.close_shift(cash=FLOAT + taken["cash"], card=taken["card"])
    return log, taken


async def test_five_tills_of_a_venue_upload_a_thousand_offline_orders_at_once(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
) -> None:
    tenant = await provision()
    first = await offline_till(connect_as, token, orders_client, tenant)
    tills = [first] + [
        await till_at(connect_as, token, orders_client, first, number)
        for number in range(2, DEVICES + 1)
    ]
    assert [till.register_number for till in tills] == list(range(1, DEVICES + 1))
    logs = [busy_day(till) for till in tills]

    async def sync(till: OfflineTill, log: Log) -> list[dict[str, Any]]:
        # A till sends its queue in order, a batch at a time; the five tills at once.
        items: list[dict[str, Any]] = []
        for start in range(0, len(log.operations), BATCH):
            answer = await upload(orders_client, till, log.operations[start : start + BATCH])
            items.extend(answer["items"])
        return items

    answers = await asyncio.gather(
        *(sync(till, log) for till, (log, _) in zip(tills, logs, strict=True))
    )
    for items in answers:
        assert {(item["status"], item["state"]) for item in items} == {("accepted", "applied")}
        assert not [item for item in items if item["flags"]]

    def read(service: str, query: str, *args: Any) -> Any:
        return as_service(connect_as, service, tenant, query, *args)

    orders = await read("orders", "SELECT status, count(*) FROM orders.orders GROUP BY status")
    assert {row["status"]: row["count"] for row in orders} == {"closed": DEVICES * SALES}
    assert await read("orders", "SELECT kind, details FROM orders.sync_flags") == []
    for till, (_, taken) in zip(tills, logs, strict=True):
        numbers = await read(
            "orders",
            "SELECT number, kind, total_minor FROM orders.receipts WHERE register_id = $1 "
            "ORDER BY sequence",
            till.device_id,
        )
        assert [row["number"] for row in numbers] == [
            f"R{till.register_number}-O-{sequence:06d}" for sequence in range(1, SALES + 1)
        ]
        assert {(row["kind"], row["total_minor"]) for row in numbers} == {("sale", SALE)}
        # The Z report's expected drawer is the float plus what this till's payments took.
        (shift,) = await read(
            "orders",
            "SELECT s.status, s.z_report, "
            "       (SELECT jsonb_object_agg(tender, total) FROM ("
            "          SELECT tender, sum(amount_minor) AS total FROM orders.payments p"
            "           WHERE p.shift_id = s.id GROUP BY tender) t) AS paid "
            "FROM orders.shifts s WHERE s.register_id = $1",
            till.device_id,
        )
        z_report, paid = json.loads(shift["z_report"]), json.loads(shift["paid"])
        assert shift["status"] == "closed"
        assert paid == taken
        assert z_report["expected"] == {"cash": FLOAT + paid["cash"], "card": paid["card"]}
        assert z_report["difference"] == {"cash": 0, "card": 0}
        assert z_report["order_count"] == SALES

    # Every operation is in the audit log once, saying when it happened on the till and
    # when it reached the server.
    audited = await read(
        "audit",
        "SELECT payload->'offline'->>'operation_id' AS operation_id, "
        "       payload->'offline'->>'occurred_at' AS occurred_at, "
        "       payload->'offline'->>'received_at' AS received_at "
        "FROM audit.events WHERE payload ? 'offline'",
    )
    occurred = {
        operation["id"]: datetime.fromisoformat(operation["occurred_at"])
        for log, _ in logs
        for operation in log.operations
    }
    assert len(audited) == len(occurred) == DEVICES * (SALES * 3 + 2)
    assert {row["operation_id"] for row in audited} == set(occurred)
    for row in audited:
        happened = datetime.fromisoformat(row["occurred_at"])
        assert happened == occurred[row["operation_id"]]
        assert datetime.fromisoformat(row["received_at"]) > happened
