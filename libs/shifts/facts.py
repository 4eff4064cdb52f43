"""Reading a shift and the facts its X and Z reports are made of (libs/sales/shift_report.py), in
the caller's tenant-bound transaction: the orders service under its login (the till's X and
Z, the close), the reports service under its read-only one (the back office's shift report).

Plain SQL on the orders schema, which both logins may read; row-level security filters every
row to the transaction's tenant, so nothing here names one. (Joins match `tenant_id` as well
as the id: the composite keys and indexes are built on it.)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from libs.problems import NotFound
from libs.sales.shift_report import (
    CashMovementFact,
    OrderFact,
    PaymentFact,
    RefundFact,
    RefundTenderFact,
    ShiftFacts,
    ShiftHeader,
    TaxGroupFact,
)
from libs.tenancy.database import driver_connection


class ShiftNotFound(NotFound):
    code = "shift-not-found"
    title = "No such shift"


_SHIFT = """
    SELECT shift.id, shift.register_id, register.number AS register_number, shift.location_id,
           shift.status, shift.opening_float_minor, shift.opened_by, shift.opened_at,
           shift.z_report::text AS z_report
      FROM orders.shifts AS shift
      JOIN orders.registers AS register
        ON register.tenant_id = shift.tenant_id AND register.device_id = shift.register_id
     WHERE shift.id = $1
"""
_NOW_AND_CURRENCY = "SELECT now() AS now, (SELECT currency FROM orders.settings) AS currency"
_ORDERS = """
    SELECT status, total_minor, subtotal_minor, discount_minor, service_charge_minor,
           tip_minor, tax_minor, rounding_minor, covers, tax::text AS tax
      FROM orders.orders WHERE shift_id = $1
"""
# Lines voided from orders that stayed (a voided order's lines count as the order's void).
_VOIDED_LINES = """
    SELECT line.total_minor
      FROM orders.order_lines AS line
      JOIN orders.orders AS o ON o.tenant_id = line.tenant_id AND o.id = line.order_id
     WHERE o.shift_id = $1 AND o.status <> 'voided' AND line.status = 'voided'
"""
_PAYMENTS = """
    SELECT tender, status, amount_minor, card_verification FROM orders.payments
     WHERE shift_id = $1
"""
_REFUNDS = "SELECT amount_minor, tax_minor FROM orders.refunds WHERE shift_id = $1"
_GIVEN_BACK = "SELECT tender, amount_minor FROM orders.refund_tenders WHERE shift_id = $1"
_CASH_MOVEMENTS = """
    SELECT kind, amount_minor, reason, created_by, created_at FROM orders.cash_movements
     WHERE shift_id = $1 ORDER BY created_at, id
"""


class ShiftLike(Protocol):
    """What reading a shift's facts needs to know of it (the orders service's `Shift`, or a
    `StoredShift`)."""

    @property
    def id(self) -> UUID: ...
    @property
    def register_id(self) -> UUID: ...
    @property
    def register_number(self) -> int: ...
    @property
    def location_id(self) -> UUID: ...
    @property
    def status(self) -> str: ...
    @property
    def opened_by(self) -> str: ...
    @property
    def opened_at(self) -> datetime: ...
    @property
    def opening_float_minor(self) -> int: ...


@dataclass(frozen=True, slots=True)
class StoredShift:
    """A shift as its reports need it, with its Z report as issued (the latest version) once
    it is closed."""

    id: UUID
    register_id: UUID
    register_number: int
    location_id: UUID
    status: str
    opening_float_minor: int
    opened_by: str
    opened_at: datetime
    z_report: dict[str, Any] | None


async def read_shift(connection: AsyncConnection, shift_id: UUID) -> StoredShift | None:
    driver = await driver_connection(connection)
    row = await driver.fetchrow(_SHIFT, shift_id)
    if row is None:
        return None
    values = dict(row)
    values["z_report"] = json.loads(row["z_report"]) if row["z_report"] else None
    return StoredShift(**values)


async def read_facts(connection: AsyncConnection, shift: ShiftLike) -> ShiftFacts:
    """Everything a shift's X or Z report is made of, read in this transaction."""
    driver = await driver_connection(connection)
    clock = await driver.fetchrow(_NOW_AND_CURRENCY)
    assert clock is not None
    orders = await driver.fetch(_ORDERS, shift.id)
    voided_lines = await driver.fetch(_VOIDED_LINES, shift.id)
    payments = await driver.fetch(_PAYMENTS, shift.id)
    refunds = await driver.fetch(_REFUNDS, shift.id)
    given_back = await driver.fetch(_GIVEN_BACK, shift.id)
    movements = await driver.fetch(_CASH_MOVEMENTS, shift.id)
    return ShiftFacts(
        shift=ShiftHeader(
            id=shift.id,
            register_id=shift.register_id,
            register_number=shift.register_number,
            location_id=shift.location_id,
            status=shift.status,
            opened_by=shift.opened_by,
            opened_at=shift.opened_at,
            opening_float_minor=shift.opening_float_minor,
            currency=clock["currency"],
        ),
        as_of=clock["now"],
        orders=[
            OrderFact(
                status=row["status"],
                total_minor=row["total_minor"],
                subtotal_minor=row["subtotal_minor"],
                discount_minor=row["discount_minor"],
                service_charge_minor=row["service_charge_minor"],
                tip_minor=row["tip_minor"],
                tax_minor=row["tax_minor"],
                rounding_minor=row["rounding_minor"],
                covers=row["covers"],
                tax=TaxGroupFact.parse(json.loads(row["tax"]) if row["tax"] else ()),
            )
            for row in orders
        ],
        voided_line_amounts=[row["total_minor"] for row in voided_lines],
        payments=[
            PaymentFact(row["tender"], row["status"], row["amount_minor"], row["card_verification"])
            for row in payments
        ],
        refunds=[RefundFact(row["amount_minor"], row["tax_minor"]) for row in refunds],
        refund_tenders=[RefundTenderFact(row["tender"], row["amount_minor"]) for row in given_back],
        cash_movements=[
            CashMovementFact(
                kind=row["kind"],
                amount_minor=row["amount_minor"],
                reason=row["reason"],
                created_by=row["created_by"],
                created_at=row["created_at"],
            )
            for row in movements
        ],
    )
