"""Shifts (cash sessions per register), against the real Postgres: opening at a register,
paid in/out, the X report, closing with counts into a Z report, and force-closing someone
else's shift with a manager's override.

The facts a report is made of (orders, payments, refunds) are written straight into the
tables as the orders service's own role: the order API writes them the same way.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from clients.dpop import DeviceKey
from clients.session import DPoPAuth
from libs.auth.principal import Principal
from libs.bridge.settings import PrintSettings
from libs.rbac import Role
from libs.sales.shift_report import (
    Z_REPORT_EXAMPLE,
    CashMovementFact,
    OrderFact,
    PaymentFact,
    RefundFact,
    RefundTenderFact,
    ShiftFacts,
    ShiftHeader,
    TaxGroupFact,
    TenderAmounts,
    ZReport,
    shift_report,
    z_report,
)
from libs.tenancy.database import TenantDatabase
from services.orders.menu.snapshot import SnapshotCache
from services.orders.sale.policy import OnlinePolicy
from services.orders.sale.repository import SaleRepository, ShiftRef
from services.orders.sale.unit_of_work import UnitOfWork
from services.orders.shifts.service import OpenShiftRequired, RegisterRequired
from tests.support.database import Connect, Provision, as_service
from tests.support.tills import register_device
from tests.support.tokens import TokenFactory

MANAGER_PIN = "2468"
CASHIER_PIN = "1357"
SECOND_CASHIER_PIN = "8642"
FLOAT = 20_000  # $200.00 in the drawer at opening


@dataclass
class Register:
    location_id: uuid.UUID
    device_id: uuid.UUID
    key: DeviceKey


async def new_register(
    connect_as: Connect, tenant: uuid.UUID, *, location_id: uuid.UUID | None = None
) -> Register:
    """A device at a new venue (or at `location_id`)."""
    key = DeviceKey.generate()
    location_id, device_id = await register_device(connect_as, tenant, key, location_id=location_id)
    return Register(location_id, device_id, key)


def at(token: TokenFactory, tenant: uuid.UUID, register: Register, subject: str) -> DPoPAuth:
    """A cashier signed in on `register`'s device."""
    return token(
        tenant,
        Role.CASHIER,
        subject,
        key=register.key,
        location_id=register.location_id,
        device_id=register.device_id,
    )


async def open_shift(
    client: httpx.AsyncClient, auth: httpx.Auth, float_minor: int = FLOAT, **fields: Any
) -> dict[str, Any]:
    opened = await client.post(
        "/v1/shifts", json={"opening_float_minor": float_minor, **fields}, auth=auth
    )
    assert opened.status_code == 201, opened.text
    shift: dict[str, Any] = opened.json()
    return shift


async def move_cash(
    client: httpx.AsyncClient, auth: httpx.Auth, shift_id: str, kind: str, amount: int
) -> httpx.Response:
    return await client.post(
        f"/v1/shifts/{shift_id}/cash-movements",
        json={"kind": kind, "amount_minor": amount, "reason": f"{kind} for the test"},
        auth=auth,
    )


async def close(
    client: httpx.AsyncClient,
    auth: httpx.Auth,
    shift_id: str,
    version: int | None,
    *,
    cash: int = 0,
    card: int = 0,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {"counted": {"cash": cash, "card": card}}
    if version is not None:
        body["version"] = version
    return await client.post(
        f"/v1/shifts/{shift_id}/close", json=body, auth=auth, headers=headers or {}
    )


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code, problem
    return problem


async def audit_rows(connect_as: Connect, tenant: uuid.UUID, action: str) -> list[dict[str, Any]]:
    rows = await as_service(
        connect_as,
        "orders",
        tenant,
        "SELECT actor_type, actor_id, resource_id, payload FROM audit.events "
        "WHERE action = $1 ORDER BY seq",
        action,
    )
    return [{**dict(row), "payload": json.loads(row["payload"])} for row in rows]


# --- opening ---------------------------------------------------------------------------------


async def test_open_a_shift_numbering_registers_per_business(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    first, second = await new_register(connect_as, tenant), await new_register(connect_as, tenant)
    alice = at(token, tenant, first, "alice")

    opened = await orders_client.post("/v1/shifts", json={"opening_float_minor": FLOAT}, auth=alice)
    assert opened.status_code == 201, opened.text
    shift = opened.json()
    assert shift["register_id"] == str(first.device_id)
    assert shift["register_number"] == 1
    assert shift["location_id"] == str(first.location_id)
    assert (shift["status"], shift["opening_float_minor"], shift["opened_by"]) == (
        "open",
        FLOAT,
        "alice",
    )
    assert (shift["closed_by"], shift["closed_at"], shift["version"]) == (None, None, 1)
    assert opened.headers["etag"] == '"1"'

    # The second device of the business is register 2, numbered on its own first shift.
    other = await open_shift(orders_client, at(token, tenant, second, "bob"), 0)
    assert other["register_number"] == 2

    current = await orders_client.get("/v1/shifts/current", auth=alice)
    assert current.status_code == 200, current.text
    assert current.json() == shift
    fetched = await orders_client.get(f"/v1/shifts/{shift['id']}", auth=alice)
    assert fetched.json() == shift

    # One open shift per register: a second open is refused and names the open one.
    again = await orders_client.post("/v1/shifts", json={"opening_float_minor": 0}, auth=alice)
    problem = assert_problem(again, 409, "shift-already-open")
    assert problem["shift_id"] == shift["id"]

    registers = await as_service(
        connect_as, "orders", tenant, "SELECT device_id, number FROM orders.registers"
    )
    assert {(row["device_id"], row["number"]) for row in registers} == {
        (first.device_id, 1),
        (second.device_id, 2),
    }
    [created, _] = await audit_rows(connect_as, tenant, "register.created")
    assert created["resource_id"] == str(first.device_id)
    assert created["payload"]["number"] == 1
    [opened_row, _] = await audit_rows(connect_as, tenant, "shift.opened")
    assert (opened_row["actor_id"], opened_row["resource_id"]) == ("alice", shift["id"])
    assert opened_row["payload"]["opening_float_minor"] == FLOAT
    assert opened_row["payload"]["device_id"] == str(first.device_id)


async def test_concurrent_opens_on_one_register_open_exactly_one_shift(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    register = await new_register(connect_as, tenant)
    auth = at(token, tenant, register, "alice")
    # Even on the register's first use, when the register row is created too.
    answers = await asyncio.gather(
        *(
            orders_client.post("/v1/shifts", json={"opening_float_minor": FLOAT}, auth=auth)
            for _ in range(4)
        )
    )
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [201, 409, 409, 409], [answer.text for answer in answers]
    [winner] = [answer.json() for answer in answers if answer.status_code == 201]
    for answer in answers:
        if answer.status_code == 409:
            assert assert_problem(answer, 409, "shift-already-open")["shift_id"] == winner["id"]
    shifts = await as_service(connect_as, "orders", tenant, "SELECT id FROM orders.shifts")
    assert [row["id"] for row in shifts] == [uuid.UUID(winner["id"])]


async def test_new_devices_opening_at_once_get_distinct_numbers(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    registers = [await new_register(connect_as, tenant) for _ in range(3)]
    answers = await asyncio.gather(
        *(
            orders_client.post(
                "/v1/shifts",
                json={"opening_float_minor": FLOAT},
                auth=at(token, tenant, register, f"cashier-{index}"),
            )
            for index, register in enumerate(registers)
        )
    )
    assert [answer.status_code for answer in answers] == [201, 201, 201]
    assert sorted(answer.json()["register_number"] for answer in answers) == [1, 2, 3]


async def test_a_client_id_retried_is_the_same_shift(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    register = await new_register(connect_as, tenant)
    auth = at(token, tenant, register, "alice")
    shift_id = str(uuid.uuid4())
    first = await orders_client.post(
        "/v1/shifts", json={"id": shift_id, "opening_float_minor": FLOAT}, auth=auth
    )
    assert first.status_code == 201, first.text
    assert first.json()["id"] == shift_id
    retried = await orders_client.post(
        "/v1/shifts", json={"id": shift_id, "opening_float_minor": FLOAT}, auth=auth
    )
    assert retried.status_code == 200, retried.text
    assert retried.json() == first.json()
    other = await orders_client.post(
        "/v1/shifts", json={"id": shift_id, "opening_float_minor": FLOAT + 5}, auth=auth
    )
    assert_problem(other, 409, "shift-id-conflict")
    assert len(await audit_rows(connect_as, tenant, "shift.opened")) == 1


async def test_a_session_without_a_device_has_no_register(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    tenant = await provision()
    backoffice = token(tenant, Role.MANAGER, "manager-1")
    opened = await orders_client.post(
        "/v1/shifts", json={"opening_float_minor": 0}, auth=backoffice
    )
    problem = assert_problem(opened, 409, "register-required")
    assert problem["detail"] == "shifts are opened at a register: sign in on an activated device"
    current = await orders_client.get("/v1/shifts/current", auth=backoffice)
    assert_problem(current, 409, "register-required")


async def test_a_register_without_an_open_shift_has_no_current_shift(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    auth = at(token, tenant, await new_register(connect_as, tenant), "alice")
    assert_problem(await orders_client.get("/v1/shifts/current", auth=auth), 404, "no-open-shift")
    shift = await open_shift(orders_client, auth)
    closed = await close(orders_client, auth, shift["id"], shift["version"], cash=FLOAT)
    assert closed.status_code == 200, closed.text
    assert_problem(await orders_client.get("/v1/shifts/current", auth=auth), 404, "no-open-shift")
    # And the register opens its next shift.
    assert (await open_shift(orders_client, auth))["register_number"] == 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"opening_float_minor": -1},
        {"opening_float_minor": 1.5},
        {"opening_float_minor": 0, "tenant_id": str(uuid.uuid4())},
    ],
)
async def test_an_invalid_open_is_refused(
    body: dict[str, Any],
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    auth = at(token, tenant, await new_register(connect_as, tenant), "alice")
    assert_problem(
        await orders_client.post("/v1/shifts", json=body, auth=auth), 422, "validation-failed"
    )


# --- cash movements --------------------------------------------------------------------------


async def test_paid_in_and_out_at_the_shifts_own_register(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    till = await new_register(connect_as, tenant)
    other_till = await new_register(connect_as, tenant, location_id=till.location_id)
    alice = at(token, tenant, till, "alice")
    shift = await open_shift(orders_client, alice)

    paid_in = await move_cash(orders_client, alice, shift["id"], "paid_in", 5_000)
    assert paid_in.status_code == 201, paid_in.text
    movement = paid_in.json()
    assert (movement["kind"], movement["amount_minor"], movement["created_by"]) == (
        "paid_in",
        5_000,
        "alice",
    )
    assert movement["shift_version"] == 2
    paid_out = await move_cash(orders_client, alice, shift["id"], "paid_out", 1_200)
    assert paid_out.json()["shift_version"] == 3
    fetched = await orders_client.get(f"/v1/shifts/{shift['id']}", auth=alice)
    assert fetched.json()["version"] == 3

    # From another register: refused, even by the same cashier.
    elsewhere = await move_cash(
        orders_client, at(token, tenant, other_till, "alice"), shift["id"], "paid_out", 100
    )
    assert_problem(elsewhere, 409, "wrong-register")
    for amount in (0, -5):
        invalid = await move_cash(orders_client, alice, shift["id"], "paid_out", amount)
        assert_problem(invalid, 422, "validation-failed")
    odd = await orders_client.post(
        f"/v1/shifts/{shift['id']}/cash-movements",
        json={"kind": "float_top_up", "amount_minor": 100, "reason": "x"},
        auth=alice,
    )
    assert_problem(odd, 422, "validation-failed")

    report = (await orders_client.get(f"/v1/shifts/{shift['id']}/x-report", auth=alice)).json()
    assert (report["paid_in_minor"], report["paid_out_minor"]) == (5_000, 1_200)
    assert [m["reason"] for m in report["cash_movements"]] == [
        "paid_in for the test",
        "paid_out for the test",
    ]
    assert report["expected"] == {"cash": FLOAT + 5_000 - 1_200, "card": 0}

    [audit_in] = await audit_rows(connect_as, tenant, "shift.paid_in")
    assert audit_in["resource_id"] == shift["id"]
    assert audit_in["payload"]["amount_minor"] == 5_000
    assert audit_in["payload"]["device_id"] == str(till.device_id)

    closed = await close(orders_client, alice, shift["id"], 3, cash=FLOAT + 3_800)
    assert closed.status_code == 200, closed.text
    after_close = await move_cash(orders_client, alice, shift["id"], "paid_in", 100)
    assert_problem(after_close, 409, "shift-closed")


# --- the X and Z reports, hand-worked --------------------------------------------------------
#
# One shift at register R1 (AUD, prices include 10% GST; cash rounds to 5c). Float $200.00.
#   O1 closed: 2 flat whites @ 5.50 = 11.00 (GST: 11.00/11 = 1.00), 2 covers, paid cash 11.00
#      (tendered 20.00, change 9.00). A muffin (5.00) was voided from it before payment.
#   O2 closed: 12.00 GST item + 8.00 GST-free item = 20.00, 10% discount (2.00) -> 10.80 and
#      7.20; GST 10.80/11 = 0.98 (net 9.82); tip 3.00; total 21.00; 3 covers. A card attempt
#      of 21.00 was declined, the second approved.
#   O3 closed: 12.63 (GST 12.63/11 = 1.148 -> 1.15, net 11.48), paid cash: rounded to 12.65
#      (rounding +0.02).
#   O4 voided: 9.00.
#   O5 open: 4.50 (so the first close is refused; then it is voided).
#   A refund of one flat white from O1 (5.50, GST 0.50), back in cash.
#   Paid in 50.00 (change from the bank), paid out 12.00 (milk delivery).
#
#   sales (closed O1..O3): gross 11.00 + 20.00 + 12.63 = 43.63; discounts 2.00; tips 3.00;
#     rounding 0.02; net sales (totals) 11.00 + 21.00 + 12.63 = 44.63; covers 5
#   tax 10%: net 10.00 + 9.82 + 11.48 = 31.30, tax 1.00 + 0.98 + 1.15 = 3.13,
#            gross 11.00 + 10.80 + 12.63 = 34.43; tax 0%: net = gross = 7.20. Tax total 3.13.
#   payments: cash 2 = 11.00 + 12.65 = 23.65; card 1 = 21.00; declined card attempts 1
#   expected cash = 200.00 + 23.65 - 5.50 + 50.00 - 12.00 = 256.15; card = 21.00
#   counted cash 256.00, card 21.00 -> difference cash -0.15 (short), card 0.00


def _tax(*groups: tuple[str, int, int, int]) -> str:
    return json.dumps(
        [
            {"rate": rate, "net_minor": net, "tax_minor": tax, "gross_minor": gross}
            for rate, net, tax, gross in groups
        ]
    )


async def write_order(
    connect_as: Connect,
    tenant: uuid.UUID,
    shift: dict[str, Any],
    *,
    status: str,
    total: int,
    subtotal: int = 0,
    discount: int = 0,
    tip: int = 0,
    tax_minor: int = 0,
    tax: str = "[]",
    rounding: int = 0,
    covers: int | None = None,
    lines: tuple[tuple[str, int, str], ...] = (),
) -> uuid.UUID:
    order_id = uuid.uuid4()
    paid = total + rounding if status == "closed" else 0
    await as_service(
        connect_as,
        "orders",
        tenant,
        "INSERT INTO orders.orders (id, location_id, status, currency, total_minor, created_by, "
        "shift_id, register_id, subtotal_minor, discount_minor, tip_minor, tax_minor, tax, "
        "rounding_minor, paid_minor, covers) "
        "VALUES ($1, $2, $3, 'AUD', $4, 'alice', $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13, "
        "$14)",
        order_id,
        uuid.UUID(shift["location_id"]),
        status,
        total,
        uuid.UUID(shift["id"]),
        uuid.UUID(shift["register_id"]),
        subtotal,
        discount,
        tip,
        tax_minor,
        tax,
        rounding,
        paid,
        covers,
    )
    for number, (name, amount, line_status) in enumerate(lines, start=1):
        await as_service(
            connect_as,
            "orders",
            tenant,
            "INSERT INTO orders.order_lines (order_id, line_number, name, quantity, "
            "unit_price_minor, total_minor, status) VALUES ($1, $2, $3, 1, $4, $4, $5)",
            order_id,
            number,
            name,
            amount,
            line_status,
        )
    return order_id


async def write_payment(
    connect_as: Connect,
    tenant: uuid.UUID,
    shift: dict[str, Any],
    order_id: uuid.UUID,
    *,
    tender: str,
    amount: int,
    status: str = "approved",
) -> uuid.UUID:
    payment_id = uuid.uuid4()
    await as_service(
        connect_as,
        "orders",
        tenant,
        "INSERT INTO orders.payments (id, order_id, shift_id, tender, status, amount_minor, "
        "created_by) VALUES ($1, $2, $3, $4, $5, $6, 'alice')",
        payment_id,
        order_id,
        uuid.UUID(shift["id"]),
        tender,
        status,
        amount,
    )
    return payment_id


async def write_refund(
    connect_as: Connect,
    tenant: uuid.UUID,
    shift: dict[str, Any],
    order_id: uuid.UUID,
    payment_id: uuid.UUID,
    *,
    tender: str,
    amount: int,
    tax_minor: int,
) -> None:
    refund_id = uuid.uuid4()
    shift_id = uuid.UUID(shift["id"])
    await as_service(
        connect_as,
        "orders",
        tenant,
        "INSERT INTO orders.refunds (id, order_id, shift_id, reason_code, amount_minor, "
        "tax_minor, lines, tax, created_by) "
        "VALUES ($1, $2, $3, 'customer-complaint', $4, $5, '[]', $6::jsonb, 'alice')",
        refund_id,
        order_id,
        shift_id,
        amount,
        tax_minor,
        _tax(("10.000", amount - tax_minor, tax_minor, amount)),
    )
    await as_service(
        connect_as,
        "orders",
        tenant,
        "INSERT INTO orders.refund_tenders (refund_id, payment_id, shift_id, tender, amount_minor) "
        "VALUES ($1, $2, $3, $4, $5)",
        refund_id,
        payment_id,
        shift_id,
        tender,
        amount,
    )


async def write_the_example_shift(
    connect_as: Connect, tenant: uuid.UUID, shift: dict[str, Any]
) -> uuid.UUID:
    """The hand-worked example above; returns O5, the order left open."""
    o1 = await write_order(
        connect_as,
        tenant,
        shift,
        status="closed",
        total=1100,
        subtotal=1100,
        tax_minor=100,
        tax=_tax(("10.000", 1000, 100, 1100)),
        covers=2,
        lines=(
            ("Flat white", 550, "active"),
            ("Flat white", 550, "active"),
            ("Muffin", 500, "voided"),
        ),
    )
    o1_cash = await write_payment(connect_as, tenant, shift, o1, tender="cash", amount=1100)
    o2 = await write_order(
        connect_as,
        tenant,
        shift,
        status="closed",
        total=2100,
        subtotal=2000,
        discount=200,
        tip=300,
        tax_minor=98,
        tax=_tax(("10.000", 982, 98, 1080), ("0.000", 720, 0, 720)),
        covers=3,
    )
    await write_payment(
        connect_as, tenant, shift, o2, tender="card", amount=2100, status="declined"
    )
    await write_payment(connect_as, tenant, shift, o2, tender="card", amount=2100)
    o3 = await write_order(
        connect_as,
        tenant,
        shift,
        status="closed",
        total=1263,
        subtotal=1263,
        tax_minor=115,
        tax=_tax(("10.000", 1148, 115, 1263)),
        rounding=2,
    )
    await write_payment(connect_as, tenant, shift, o3, tender="cash", amount=1265)
    # A voided order's own voided lines are counted with the order, not again as lines.
    await write_order(
        connect_as,
        tenant,
        shift,
        status="voided",
        total=900,
        subtotal=900,
        lines=(("Toastie", 900, "voided"),),
    )
    o5 = await write_order(connect_as, tenant, shift, status="open", total=450, subtotal=450)
    await write_refund(
        connect_as, tenant, shift, o1, o1_cash, tender="cash", amount=550, tax_minor=50
    )
    return o5


EXPECTED_SALES = {
    "order_count": 3,
    "covers": 5,
    "gross_sales_minor": 4363,
    "discounts_minor": 200,
    "service_charges_minor": 0,
    "tips_minor": 300,
    "rounding_minor": 2,
    # gross - discounts + service charges: 4363 - 200 + 0; the 300 tip is not a sale.
    "net_sales_minor": 4163,
    "tax": [
        {"rate": "10.000", "net_minor": 3130, "tax_minor": 313, "gross_minor": 3443},
        {"rate": "0.000", "net_minor": 720, "tax_minor": 0, "gross_minor": 720},
    ],
    "tax_total_minor": 313,
    "refunds": {
        "count": 1,
        "amount_minor": 550,
        "tax_minor": 50,
        "by_tender": {"cash": 550, "card": 0},
    },
    "payments": {
        "cash": {"count": 2, "amount_minor": 2365},
        "card": {"count": 1, "amount_minor": 2100},
    },
    "declined_card_attempts": 1,
    "timed_out_card_attempts": 0,
    "paid_in_minor": 5000,
    "paid_out_minor": 1200,
    "expected": {"cash": 25615, "card": 2100},
}


async def test_x_report_then_close_with_counts_into_the_z_report(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    register = await new_register(connect_as, tenant)
    alice = at(token, tenant, register, "alice")
    shift = await open_shift(orders_client, alice)
    o5 = await write_the_example_shift(connect_as, tenant, shift)
    assert (await move_cash(orders_client, alice, shift["id"], "paid_in", 5000)).status_code == 201
    assert (await move_cash(orders_client, alice, shift["id"], "paid_out", 1200)).status_code == 201

    x = await orders_client.get(f"/v1/shifts/{shift['id']}/x-report", auth=alice)
    assert x.status_code == 200, x.text
    report = x.json()
    assert {key: report[key] for key in EXPECTED_SALES} == EXPECTED_SALES
    assert report["voids"] == {
        "orders": {"count": 1, "amount_minor": 900},
        "lines": {"count": 1, "amount_minor": 500},
    }
    assert (report["kind"], report["status"], report["open_order_count"]) == ("X", "open", 1)
    assert (report["register_number"], report["currency"]) == (1, "AUD")
    assert report["opening_float_minor"] == FLOAT
    # The Z report exists only once the shift is closed.
    early = await orders_client.get(f"/v1/shifts/{shift['id']}/z-report", auth=alice)
    assert_problem(early, 409, "shift-open")

    # An open order keeps the shift open.
    refused = await close(orders_client, alice, shift["id"], 3, cash=25600, card=2100)
    assert assert_problem(refused, 409, "shift-has-open-orders")["order_ids"] == [str(o5)]
    await as_service(
        connect_as,
        "orders",
        tenant,
        "UPDATE orders.orders SET status = 'voided', version = version + 1 WHERE id = $1",
        o5,
    )

    closed = await close(orders_client, alice, shift["id"], 3, cash=25600, card=2100)
    assert closed.status_code == 200, closed.text
    answer = closed.json()
    assert (answer["status"], answer["closed_by"], answer["version"]) == ("closed", "alice", 4)
    assert answer["force_closed_by"] is None
    z = answer["z_report"]
    assert {key: z[key] for key in EXPECTED_SALES} == EXPECTED_SALES
    assert z["voids"] == {
        "orders": {"count": 2, "amount_minor": 1350},
        "lines": {"count": 1, "amount_minor": 500},
    }
    assert (z["kind"], z["status"], z["closed_by"], z["force_closed_by"]) == (
        "Z",
        "closed",
        "alice",
        None,
    )
    assert z["counted"] == {"cash": 25600, "card": 2100}
    assert z["difference"] == {"cash": -15, "card": 0}  # 15c short
    assert z["closed_at"] == answer["closed_at"]

    stored = await orders_client.get(f"/v1/shifts/{shift['id']}/z-report", auth=alice)
    assert stored.status_code == 200, stored.text
    assert stored.json() == z
    # A closed shift's X report is its numbers, read live; they match the Z.
    x_after = (await orders_client.get(f"/v1/shifts/{shift['id']}/x-report", auth=alice)).json()
    assert x_after["expected"] == z["expected"]

    [audit] = await audit_rows(connect_as, tenant, "shift.closed")
    assert (audit["actor_id"], audit["resource_id"]) == ("alice", shift["id"])
    payload = audit["payload"]
    assert payload["force_close"] is False
    assert payload["approved_by"] is None
    assert (payload["counted"], payload["expected"], payload["difference"]) == (
        {"cash": 25600, "card": 2100},
        {"cash": 25615, "card": 2100},
        {"cash": -15, "card": 0},
    )

    again = await close(orders_client, alice, shift["id"], 4, cash=25600, card=2100)
    assert_problem(again, 409, "shift-closed")


async def test_close_needs_the_current_version(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    alice = at(token, tenant, await new_register(connect_as, tenant), "alice")
    shift = await open_shift(orders_client, alice)
    await move_cash(orders_client, alice, shift["id"], "paid_in", 100)  # now version 2

    stale = await close(orders_client, alice, shift["id"], 1, cash=FLOAT + 100)
    assert assert_problem(stale, 409, "version-conflict")["current_version"] == 2
    assert_problem(await close(orders_client, alice, shift["id"], None), 428, "version-required")
    by_header = await close(
        orders_client, alice, shift["id"], None, cash=FLOAT + 100, headers={"If-Match": '"2"'}
    )
    assert by_header.status_code == 200, by_header.text
    assert by_header.json()["z_report"]["difference"] == {"cash": 0, "card": 0}


async def test_concurrent_closes_one_wins(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    alice = at(token, tenant, await new_register(connect_as, tenant), "alice")
    shift = await open_shift(orders_client, alice)
    answers = await asyncio.gather(
        *(close(orders_client, alice, shift["id"], 1, cash=FLOAT) for _ in range(3))
    )
    assert sorted(answer.status_code for answer in answers) == [200, 409, 409]
    assert len(await audit_rows(connect_as, tenant, "shift.closed")) == 1


# --- a refund-only shift: the card batch settles negative -------------------------------------


@pytest.mark.parametrize(("counted_card", "difference"), [(-1_250, 0), (-1_200, 50)])
async def test_a_refund_only_shift_closes_with_a_negative_card_count(
    counted_card: int,
    difference: int,
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    """Worked by hand: yesterday's shift sold one order of 1250 (all GST: 1250/11 = 113.6 ->
    GST 114), paid by card. Today's shift sells nothing and refunds that order in full to the
    card: refunds 1250, GST 114. The terminal gave 12.50 back, so its batch settles -1250.

    Expected card = card taken 0 - card refunded 1250 = -1250.
    Counted -1250: difference = -1250 - (-1250) = 0 (not "over", as a count floored at 0
    would say). Counted -1200: difference = -1200 - (-1250) = +50, over by 50c.
    Cash: float 20000 expected and counted, difference 0."""
    tenant = await provision()
    alice = at(token, tenant, await new_register(connect_as, tenant), "alice")
    yesterday = await open_shift(orders_client, alice)
    sale = await write_order(
        connect_as,
        tenant,
        yesterday,
        status="closed",
        total=1_250,
        subtotal=1_250,
        tax_minor=114,
        tax=_tax(("10.000", 1_136, 114, 1_250)),
    )
    card = await write_payment(connect_as, tenant, yesterday, sale, tender="card", amount=1_250)
    closed = await close(
        orders_client, alice, yesterday["id"], yesterday["version"], cash=FLOAT, card=1_250
    )
    assert closed.status_code == 200, closed.text

    today = await open_shift(orders_client, alice)
    await write_refund(
        connect_as, tenant, today, sale, card, tender="card", amount=1_250, tax_minor=114
    )
    closed = await close(
        orders_client, alice, today["id"], today["version"], cash=FLOAT, card=counted_card
    )
    assert closed.status_code == 200, closed.text
    z = closed.json()["z_report"]
    assert (z["order_count"], z["net_sales_minor"]) == (0, 0)
    assert (z["refunds"]["amount_minor"], z["refunds"]["tax_minor"]) == (1_250, 114)
    assert z["refunds"]["by_tender"] == {"cash": 0, "card": 1_250}
    assert z["expected"] == {"cash": FLOAT, "card": -1_250}
    assert z["counted"] == {"cash": FLOAT, "card": counted_card}
    assert z["difference"] == {"cash": 0, "card": difference}
    stored = await orders_client.get(f"/v1/shifts/{today['id']}/z-report", auth=alice)
    assert stored.json()["difference"] == z["difference"]


@pytest.mark.parametrize(
    "counted",
    [
        # A drawer cannot hold negative cash.
        {"cash": -1, "card": 0},
        # A batch far beyond any terminal's is a typo, negative or not.
        {"cash": 0, "card": -(10**10) - 1},
        {"cash": 0, "card": 10**10 + 1},
    ],
)
async def test_a_negative_cash_count_or_an_impossible_card_count_is_refused(
    counted: dict[str, int],
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    alice = at(token, tenant, await new_register(connect_as, tenant), "alice")
    shift = await open_shift(orders_client, alice)
    refused = await orders_client.post(
        f"/v1/shifts/{shift['id']}/close",
        json={"version": shift["version"], "counted": counted},
        auth=alice,
    )
    assert_problem(refused, 422, "validation-failed")
    still = await orders_client.get("/v1/shifts/current", auth=alice)
    assert still.json()["status"] == "open"


# --- force-close -----------------------------------------------------------------------------


def person(role: str, pin: str) -> dict[str, Any]:
    return {
        "email": f"{role}.{uuid.uuid4().hex[:8]}@harbourlane.example",
        "display_name": f"A {role}",
        "role": role,
        "pin": pin,
    }


async def test_closing_someone_elses_shift_needs_a_managers_override(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    identity_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    owner = token(tenant, Role.OWNER)
    staff: dict[str, uuid.UUID] = {}
    for name, role, pin in (
        ("manager", "manager", MANAGER_PIN),
        ("alice", "cashier", CASHIER_PIN),
        ("bob", "cashier", SECOND_CASHIER_PIN),
    ):
        created = await identity_client.post("/v1/staff", json=person(role, pin), auth=owner)
        assert created.status_code == 201, created.text
        staff[name] = uuid.UUID(created.json()["id"])
    register = await new_register(connect_as, tenant)
    alice = at(token, tenant, register, str(staff["alice"]))
    bob = at(token, tenant, register, str(staff["bob"]))
    shift = await open_shift(orders_client, alice)

    # Bob, at the same till, cannot close Alice's shift on his own.
    alone = await close(orders_client, bob, shift["id"], 1, cash=FLOAT)
    assert_problem(alone, 403, "override-invalid")
    # An override for another action does not do either.
    wrong = await identity_client.post(
        "/v1/auth/overrides",
        json={
            "approver_id": str(staff["manager"]),
            "pin": MANAGER_PIN,
            "action": "void",
            "resource_id": shift["id"],
            "amount_minor": 0,
        },
        auth=bob,
    )
    assert wrong.status_code == 201, wrong.text
    with_wrong = await close(
        orders_client,
        bob,
        shift["id"],
        1,
        cash=FLOAT,
        headers={"X-Override-Token": wrong.json()["override_token"]},
    )
    assert_problem(with_wrong, 403, "override-invalid")

    granted = await identity_client.post(
        "/v1/auth/overrides",
        json={
            "approver_id": str(staff["manager"]),
            "pin": MANAGER_PIN,
            "action": "shift_force_close",
            "resource_id": shift["id"],
        },
        auth=bob,
    )
    assert granted.status_code == 201, granted.text
    override = {"X-Override-Token": granted.json()["override_token"]}
    closed = await close(orders_client, bob, shift["id"], 1, cash=FLOAT - 500, headers=override)
    assert closed.status_code == 200, closed.text
    answer = closed.json()
    assert (answer["closed_by"], answer["force_closed_by"]) == (
        str(staff["bob"]),
        str(staff["manager"]),
    )
    assert answer["opened_by"] == str(staff["alice"])
    assert answer["z_report"]["force_closed_by"] == str(staff["manager"])
    assert answer["z_report"]["difference"] == {"cash": -500, "card": 0}

    [audit] = await audit_rows(connect_as, tenant, "shift.closed")
    assert (audit["actor_type"], audit["actor_id"]) == ("cashier", str(staff["bob"]))
    payload = audit["payload"]
    assert payload["force_close"] is True
    assert (payload["approved_by"], payload["approved_by_role"]) == (
        str(staff["manager"]),
        "manager",
    )
    assert payload["opened_by"] == str(staff["alice"])
    assert payload["override_jti"]

    # Used up: it cannot close anything again (the shift is closed anyway).
    reused = await close(orders_client, bob, shift["id"], 2, cash=FLOAT, headers=override)
    assert_problem(reused, 409, "shift-closed")


# --- tenants and roles -----------------------------------------------------------------------


async def test_another_tenants_shift_is_not_found(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant, intruder = await provision(), await provision()
    shift = await open_shift(
        orders_client, at(token, tenant, await new_register(connect_as, tenant), "alice")
    )
    stranger = at(token, intruder, await new_register(connect_as, intruder), "mallory")
    base = f"/v1/shifts/{shift['id']}"
    for path in (base, f"{base}/x-report", f"{base}/z-report"):
        assert_problem(await orders_client.get(path, auth=stranger), 404, "shift-not-found")
    moved = await move_cash(orders_client, stranger, shift["id"], "paid_out", 100)
    assert_problem(moved, 404, "shift-not-found")
    closed = await close(orders_client, stranger, shift["id"], 1)
    assert_problem(closed, 404, "shift-not-found")
    listed = await orders_client.get("/v1/shifts", auth=stranger)
    assert listed.json() == {"items": [], "next_cursor": None}


async def test_accountants_read_shifts_and_z_reports_but_do_not_open_them(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    register = await new_register(connect_as, tenant)
    alice = at(token, tenant, register, "alice")
    shift = await open_shift(orders_client, alice)
    closed = await close(orders_client, alice, shift["id"], 1, cash=FLOAT)
    assert closed.status_code == 200, closed.text

    accountant = token(tenant, Role.ACCOUNTANT, "accountant-1")
    listed = await orders_client.get("/v1/shifts", auth=accountant)
    assert [item["id"] for item in listed.json()["items"]] == [shift["id"]]
    base = f"/v1/shifts/{shift['id']}"
    for path in (base, f"{base}/x-report", f"{base}/z-report"):
        assert (await orders_client.get(path, auth=accountant)).status_code == 200, path
    z = (await orders_client.get(f"{base}/z-report", auth=accountant)).json()
    assert z == closed.json()["z_report"]

    # Even on a device, an accountant does not operate a till.
    at_till = token(
        tenant,
        Role.ACCOUNTANT,
        "accountant-1",
        key=register.key,
        location_id=register.location_id,
        device_id=register.device_id,
    )
    for auth in (accountant, at_till):
        opened = await orders_client.post("/v1/shifts", json={"opening_float_minor": 0}, auth=auth)
        assert_problem(opened, 403, "permission-denied")
        assert_problem(await close(orders_client, auth, shift["id"], 2), 403, "permission-denied")
        assert_problem(
            await move_cash(orders_client, auth, shift["id"], "paid_in", 1),
            403,
            "permission-denied",
        )
        current = await orders_client.get("/v1/shifts/current", auth=auth)
        assert_problem(current, 403, "permission-denied")


async def test_shifts_are_listed_newest_first_a_page_at_a_time(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    opened, cashiers = [], []
    for index in range(3):
        auth = at(token, tenant, await new_register(connect_as, tenant), f"cashier-{index}")
        opened.append(await open_shift(orders_client, auth))
        cashiers.append(auth)
    first = opened[0]
    done = await close(orders_client, cashiers[0], first["id"], 1, cash=FLOAT)
    assert done.status_code == 200, done.text

    reader = token(tenant, Role.MANAGER, "manager-1")
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await orders_client.get("/v1/shifts", params=params, auth=reader)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [shift["id"] for shift in reversed(opened)]
    only_open = await orders_client.get("/v1/shifts", params={"status": "open"}, auth=reader)
    assert [item["id"] for item in only_open.json()["items"]] == [
        opened[2]["id"],
        opened[1]["id"],
    ]
    only_closed = await orders_client.get("/v1/shifts", params={"status": "closed"}, auth=reader)
    assert [item["id"] for item in only_closed.json()["items"]] == [first["id"]]
    bad = await orders_client.get("/v1/shifts", params={"status": "lost"}, auth=reader)
    assert_problem(bad, 422, "validation-failed")
    # One venue's shifts (each register above is at a venue of its own).
    venue = str(opened[1]["location_id"])
    at_venue = await orders_client.get("/v1/shifts", params={"location_id": venue}, auth=reader)
    assert [item["id"] for item in at_venue.json()["items"]] == [opened[1]["id"]]
    # A till lists its own venue's only, whichever venue it names.
    elsewhere = await orders_client.get(
        "/v1/shifts", params={"location_id": venue}, auth=cashiers[0]
    )
    assert elsewhere.status_code == 200, elsewhere.text
    assert elsewhere.json()["items"] == []


# --- for the order API: the open shift of a register -----------------------------------------


async def test_the_open_shift_of_a_register_for_orders(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
    service_databases: dict[str, TenantDatabase],
) -> None:
    """What a sale reads of its register's shift (services/orders/sale/repository.py:
    CONTEXT), and the online policy's refusals without one."""
    tenant = await provision()
    register = await new_register(connect_as, tenant)
    alice = at(token, tenant, register, "alice")
    database = service_databases["orders"]
    async with database.provisioning_transaction(tenant) as connection:
        context = await SaleRepository.from_connection(connection).context(register.device_id)
    assert context.shift is None
    shift = await open_shift(orders_client, alice)

    async with database.provisioning_transaction(tenant) as connection:
        context = await SaleRepository.from_connection(connection).context(register.device_id)
        assert context.shift == ShiftRef(
            id=uuid.UUID(shift["id"]),
            register_id=register.device_id,
            register_number=1,
            location_id=register.location_id,
            status="open",
            closed_at=None,
        )
        # While a sale is being written in the shift (its row held FOR SHARE), a close
        # waits; it then goes on once that transaction ends.
        closing = asyncio.create_task(close(orders_client, alice, shift["id"], 1, cash=FLOAT))
        await asyncio.sleep(0.3)
        assert not closing.done()
    closed = await closing
    assert closed.status_code == 200, closed.text

    async with database.provisioning_transaction(tenant) as connection:
        context = await SaleRepository.from_connection(connection).context(register.device_id)
    assert context.shift is None

    # Online, a sale without a register, or at one with no open shift, is refused with a
    # problem that says why.
    cashier = Principal(
        subject="alice",
        tenant_id=tenant,
        role=Role.CASHIER,
        location_id=register.location_id,
        device_id=register.device_id,
    )
    policy = OnlinePolicy()

    def ledger(connection: Any, principal: Principal) -> UnitOfWork:
        return UnitOfWork(
            connection,
            principal=principal,
            snapshots=SnapshotCache(),
            print_settings=PrintSettings(),
        )

    async with database.provisioning_transaction(tenant) as connection:
        with pytest.raises(OpenShiftRequired):
            await policy.shift(ledger(connection, cashier), cashier)
        away = replace(cashier, device_id=None, location_id=None)
        with pytest.raises(RegisterRequired):
            await policy.shift(ledger(connection, away), away)
    reopened = await open_shift(orders_client, alice)
    async with database.provisioning_transaction(tenant) as connection:
        found = await policy.shift(ledger(connection, cashier), cashier)
    assert found.id == uuid.UUID(reopened["id"])


# --- the report as a pure function -----------------------------------------------------------


def test_the_report_adds_up_a_hand_worked_shift() -> None:
    """The hand-worked example above, as facts, plus a card refund and a timed-out attempt:

    card refunded 2.00 of O2 -> expected card = 21.00 - 2.00 = 19.00;
    refunds: 2 totalling 5.50 + 2.00 = 7.50, tax 0.50 + 0.18 = 0.68;
    counted cash 256.20 (+0.05 over), card 18.00 (-1.00 short).
    """
    opened_at = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    header = ShiftHeader(
        id=uuid.uuid4(),
        register_id=uuid.uuid4(),
        register_number=1,
        location_id=uuid.uuid4(),
        status="open",
        opened_by="alice",
        opened_at=opened_at,
        opening_float_minor=20_000,
        currency="AUD",
    )
    gst, free = Decimal("10.000"), Decimal("0.000")
    facts = ShiftFacts(
        shift=header,
        as_of=opened_at + timedelta(hours=8),
        orders=[
            OrderFact(
                "closed",
                1100,
                subtotal_minor=1100,
                tax_minor=100,
                covers=2,
                tax=(TaxGroupFact(gst, 1000, 100, 1100),),
            ),
            OrderFact(
                "closed",
                2100,
                subtotal_minor=2000,
                discount_minor=200,
                tip_minor=300,
                tax_minor=98,
                covers=3,
                tax=(TaxGroupFact(free, 720, 0, 720), TaxGroupFact(gst, 982, 98, 1080)),
            ),
            OrderFact(
                "closed",
                1263,
                subtotal_minor=1263,
                tax_minor=115,
                rounding_minor=2,
                tax=(TaxGroupFact(Decimal("10"), 1148, 115, 1263),),
            ),
            OrderFact("voided", 900, subtotal_minor=900),
            OrderFact("open", 450, subtotal_minor=450, covers=4),
        ],
        voided_line_amounts=[500],
        payments=[
            PaymentFact("cash", "approved", 1100),
            PaymentFact("card", "declined", 2100),
            PaymentFact("card", "timed_out", 2100),
            PaymentFact("card", "approved", 2100),
            PaymentFact("cash", "approved", 1265),
        ],
        refunds=[RefundFact(550, 50), RefundFact(200, 18)],
        refund_tenders=[RefundTenderFact("cash", 550), RefundTenderFact("card", 200)],
        cash_movements=[
            CashMovementFact("paid_out", 1200, "Milk", "alice", opened_at + timedelta(hours=2)),
            CashMovementFact("paid_in", 5000, "Change", "alice", opened_at + timedelta(hours=1)),
        ],
    )
    report = shift_report(facts)
    assert (report.order_count, report.open_order_count, report.covers) == (3, 1, 5)
    assert report.gross_sales_minor == 1100 + 2000 + 1263 == 4363
    assert (report.discounts_minor, report.tips_minor, report.rounding_minor) == (200, 300, 2)
    # gross - discounts + service charges; the 300 tip is not a sale (the order totals,
    # 1100 + 2100 + 1263 = 4463, include it).
    assert report.net_sales_minor == 4363 - 200 + 0 == 4163
    # Grouped by rate (10 and 10.000 are one rate), highest first.
    assert [(g.rate, g.net_minor, g.tax_minor, g.gross_minor) for g in report.tax] == [
        (gst, 3130, 313, 3443),
        (free, 720, 0, 720),
    ]
    assert report.tax_total_minor == 313
    assert (report.refunds.count, report.refunds.amount_minor, report.refunds.tax_minor) == (
        2,
        750,
        68,
    )
    assert report.refunds.by_tender == TenderAmounts(cash=550, card=200)
    assert (report.voids.orders.count, report.voids.orders.amount_minor) == (1, 900)
    assert (report.voids.lines.count, report.voids.lines.amount_minor) == (1, 500)
    assert (report.payments.cash.count, report.payments.cash.amount_minor) == (2, 2365)
    assert (report.payments.card.count, report.payments.card.amount_minor) == (1, 2100)
    assert (report.declined_card_attempts, report.timed_out_card_attempts) == (1, 1)
    assert (report.paid_in_minor, report.paid_out_minor) == (5000, 1200)
    assert [m.reason for m in report.cash_movements] == ["Change", "Milk"]  # in time order
    # 200.00 + 23.65 - 5.50 + 50.00 - 12.00 = 256.15; 21.00 - 2.00 = 19.00
    assert report.expected == TenderAmounts(cash=25_615, card=1_900)

    closed_at = opened_at + timedelta(hours=9)
    z = z_report(
        report,
        counted=TenderAmounts(cash=25_620, card=1_800),
        closed_by="manager-1",
        closed_at=closed_at,
        force_closed_by="manager-2",
        note="Till 1 end of day",
    )
    assert (z.kind, z.status, z.closed_by, z.closed_at) == ("Z", "closed", "manager-1", closed_at)
    assert z.force_closed_by == "manager-2"
    assert z.difference == TenderAmounts(cash=5, card=-100)  # 5c over, $1.00 short
    assert z.expected == report.expected
    # What is stored is what is read back.
    assert type(z).model_validate(z.model_dump(mode="json")) == z


def test_an_empty_shift_expects_its_float() -> None:
    now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    header = ShiftHeader(
        id=uuid.uuid4(),
        register_id=uuid.uuid4(),
        register_number=3,
        location_id=uuid.uuid4(),
        status="open",
        opened_by="alice",
        opened_at=now,
        opening_float_minor=15_000,
        currency="EUR",
    )
    report = shift_report(ShiftFacts(shift=header, as_of=now))
    assert report.expected == TenderAmounts(cash=15_000, card=0)
    assert (report.order_count, report.net_sales_minor, report.tax) == (0, 0, [])


@pytest.mark.parametrize(
    "table", ["refunds", "cash_movements", "refund_tenders", "payments", "orders"]
)
async def test_a_shifts_facts_are_indexed_by_shift(connect_as: Connect, table: str) -> None:
    """X and Z reports read each of these tables by shift: an index on (tenant_id,
    shift_id), not a scan of the business's every refund or movement ever."""
    connection = await connect_as("orders")
    indexed = await connection.fetch(
        """
        SELECT index.indexrelid::regclass::text AS name
          FROM pg_index AS index
          JOIN pg_attribute AS first
            ON first.attrelid = index.indrelid AND first.attnum = index.indkey[0]
          JOIN pg_attribute AS second
            ON second.attrelid = index.indrelid AND second.attnum = index.indkey[1]
         WHERE index.indrelid = $1::regclass
           AND first.attname = 'tenant_id' AND second.attname = 'shift_id'
        """,
        f"orders.{table}",
    )
    assert indexed, f"orders.{table} has no (tenant_id, shift_id) index"


def test_a_z_report_stored_before_format_2_reads_with_the_tip_out_of_net_sales() -> None:
    """Stored Z reports are never rewritten: one issued when `net_sales_minor` was the
    orders' totals (tips in) has no `format_version`; read back, its net sales are its own
    gross - discounts + service charges, as every report means them now."""
    stored = {
        **Z_REPORT_EXAMPLE,
        "gross_sales_minor": 4363,
        "discounts_minor": 200,
        "service_charges_minor": 0,
        "tips_minor": 300,
        "net_sales_minor": 4463,  # 4363 - 200 + 300 tip, as format 1 counted it
    }
    del stored["format_version"]
    report = ZReport.model_validate(stored)
    assert (report.net_sales_minor, report.tips_minor, report.format_version) == (4163, 300, 2)
    # A report of format 2 is read as it is.
    assert ZReport.model_validate(Z_REPORT_EXAMPLE).net_sales_minor == 92830
