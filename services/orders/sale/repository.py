"""The sale's SQL: a statement per table, prepared once per connection (asyncpg directly, so
no statement is built per request), and multi-row writes (`unnest` of one array per column),
so a chunk of an offline queue costs the same few statements as one online request.

Nothing here names a tenant: the connection is tenant-bound, row-level security filters every
read and checks every write, and `tenant_id` columns default to the transaction's tenant.
(Joins still match `tenant_id`, which the composite keys and indexes are built on.)
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

import asyncpg
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.tenancy.database import driver_connection
from libs.tenancy.repository import Repository
from services.orders.sale.model import Sale, SaleLine, SalePayment, sale_from_row

# What a command at a register needs to know before it decides anything, in one round trip:
# the business's settings and override limits, the catalog's version (the key of the cached
# menu, services/orders/menu/snapshot.py), and the register's open shift, held FOR SHARE until
# the transaction ends (a close takes it FOR UPDATE, so it waits for the sale being written,
# then sees it; a sale written after a close finds no open shift).
CONTEXT = """
    SELECT settings.currency, settings.prices_include_tax, settings.cash_rounding_minor,
           settings.catalog_version,
           coalesce(limits.void_limit_minor, 0) AS void_limit_minor,
           coalesce(limits.refund_limit_minor, 0) AS refund_limit_minor,
           coalesce(limits.discount_limit_bps, 0) AS discount_limit_bps,
           coalesce(limits.offline_approval_limit_minor, 0) AS offline_approval_limit_minor,
           shift.id AS shift_id, shift.register_id, shift.register_number, shift.location_id,
           shift.status AS shift_status, shift.closed_at AS shift_closed_at
      FROM orders.settings AS settings
      LEFT JOIN orders.override_limits AS limits ON limits.tenant_id = settings.tenant_id
      LEFT JOIN LATERAL (
          SELECT shifts.id, shifts.register_id, registers.number AS register_number,
                 shifts.location_id, shifts.status, shifts.closed_at
            FROM orders.shifts AS shifts
            JOIN orders.registers AS registers
              ON registers.tenant_id = shifts.tenant_id
             AND registers.device_id = shifts.register_id
           WHERE shifts.tenant_id = settings.tenant_id
             AND shifts.register_id = $1 AND shifts.status = 'open'
             FOR SHARE OF shifts
      ) AS shift ON true
"""

_SALE_COLUMNS = """
    o.id, o.location_id, o.status, o.currency, o.total_minor, o.created_by, o.created_at,
    o.version, o.shift_id, o.register_id, o.table_name, o.covers, o.prices_include_tax,
    o.discount_kind, o.discount_value, o.service_charge_bps, o.subtotal_minor,
    o.discount_minor, o.service_charge_minor, o.tax_minor, o.tax::text AS tax, o.tip_minor,
    o.rounding_minor, o.paid_minor, o.refunded_minor, o.closed_at,
    o.pending_refund::text AS pending_refund,
    (SELECT json_agg(l ORDER BY l.line_number)::text
       FROM orders.order_lines AS l
      WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id) AS lines,
    (SELECT json_agg(p ORDER BY p.created_at, p.id)::text
       FROM orders.payments AS p
      WHERE p.tenant_id = o.tenant_id AND p.order_id = o.id) AS payments
"""
# Orders with their lines and payments, one row each, locked until the transaction ends: a
# command on an order waits for any other command on it, then sees what it did.
LOAD_SALES = (
    f"SELECT {_SALE_COLUMNS} FROM orders.orders AS o WHERE o.id = ANY($1::uuid[]) FOR UPDATE OF o"
)
READ_SALES = f"SELECT {_SALE_COLUMNS} FROM orders.orders AS o WHERE o.id = ANY($1::uuid[])"

# Newest first, a page at a time, of the venues the caller reaches.
PAGE = f"""
    SELECT {_SALE_COLUMNS} FROM orders.orders AS o
     WHERE ($1::timestamptz IS NULL OR (o.created_at, o.id) < ($1::timestamptz, $2::uuid))
       AND ($3::uuid[] IS NULL OR o.location_id = ANY($3::uuid[]))
     ORDER BY o.created_at DESC, o.id DESC
     LIMIT $4
"""
REGISTER_NUMBER = "SELECT number FROM orders.registers WHERE device_id = $1"

_ORDER_FIELDS = (
    ("id", "uuid"),
    ("location_id", "uuid"),
    ("status", "text"),
    ("currency", "text"),
    ("total_minor", "int8"),
    ("created_by", "text"),
    ("created_at", "timestamptz"),
    ("version", "int4"),
    ("shift_id", "uuid"),
    ("register_id", "uuid"),
    ("table_name", "text"),
    ("covers", "int2"),
    ("prices_include_tax", "bool"),
    ("discount_kind", "text"),
    ("discount_value", "int8"),
    ("service_charge_bps", "int4"),
    ("subtotal_minor", "int8"),
    ("discount_minor", "int8"),
    ("service_charge_minor", "int8"),
    ("tax_minor", "int8"),
    ("tax", "jsonb"),
    ("tip_minor", "int8"),
    ("rounding_minor", "int8"),
    ("paid_minor", "int8"),
    ("refunded_minor", "int8"),
    ("closed_at", "timestamptz"),
    ("pending_refund", "jsonb"),
)
_LINE_FIELDS = (
    ("order_id", "uuid"),
    ("line_number", "int4"),
    ("name", "text"),
    ("quantity", "int4"),
    ("unit_price_minor", "int8"),
    ("total_minor", "int8"),
    ("item_id", "uuid"),
    ("modifiers", "jsonb"),
    ("tax_category_id", "uuid"),
    ("tax_rate", "numeric"),
    ("discount_kind", "text"),
    ("discount_value", "int8"),
    ("gross_minor", "int8"),
    ("discount_minor", "int8"),
    ("service_charge_minor", "int8"),
    ("status", "text"),
    ("void_reason", "text"),
    ("refunded_quantity", "int4"),
    ("refunded_minor", "int8"),
    ("added_by", "text"),
    ("added_at", "timestamptz"),
    ("fired_at", "timestamptz"),
)
_PAYMENT_FIELDS = (
    ("id", "uuid"),
    ("order_id", "uuid"),
    ("shift_id", "uuid"),
    ("tender", "text"),
    ("status", "text"),
    ("amount_minor", "int8"),
    ("tendered_minor", "int8"),
    ("change_minor", "int8"),
    ("rounding_minor", "int8"),
    ("scheme", "text"),
    ("last4", "text"),
    ("auth_code", "text"),
    ("terminal_reference", "text"),
    ("refunded_minor", "int8"),
    ("created_by", "text"),
    ("created_at", "timestamptz"),
    ("card_verification", "text"),
    ("terminal_id", "text"),
    ("authorised_at", "timestamptz"),
    ("request_key", "text"),
)
_REFUND_FIELDS = (
    ("id", "uuid"),
    ("order_id", "uuid"),
    ("shift_id", "uuid"),
    ("reason_code", "text"),
    ("note", "text"),
    ("amount_minor", "int8"),
    ("tax_minor", "int8"),
    ("lines", "jsonb"),
    ("tax", "jsonb"),
    ("created_by", "text"),
    ("approved_by", "text"),
    ("created_at", "timestamptz"),
    ("rounding_minor", "int8"),
)
_REFUND_TENDER_FIELDS = (
    ("refund_id", "uuid"),
    ("payment_id", "uuid"),
    ("shift_id", "uuid"),
    ("tender", "text"),
    ("amount_minor", "int8"),
    ("terminal_reference", "text"),
    ("auth_code", "text"),
)
_RECEIPT_FIELDS = (
    ("id", "uuid"),
    ("register_id", "uuid"),
    ("series", "text"),
    ("sequence", "int8"),
    ("number", "text"),
    ("kind", "text"),
    ("order_id", "uuid"),
    ("shift_id", "uuid"),
    ("refund_id", "uuid"),
    ("original_receipt_id", "uuid"),
    ("currency", "text"),
    ("total_minor", "int8"),
    ("snapshot", "jsonb"),
    ("issued_by", "text"),
    ("issued_at", "timestamptz"),
)


def _insert(table: str, fields: Sequence[tuple[str, str]], *, first: int = 1) -> str:
    """A multi-row INSERT: one array parameter per column (numbered from `first`),
    `unnest`ed into rows. JSON goes as text and is cast, so asyncpg needs no codec for it."""
    names = ", ".join(name for name, _ in fields)
    arrays = ", ".join(
        f"${index}::{'text' if kind == 'jsonb' else kind}[]"
        for index, (_, kind) in enumerate(fields, start=first)
    )
    values = ", ".join(
        f"row.{name}::jsonb" if kind == "jsonb" else f"row.{name}" for name, kind in fields
    )
    return f"INSERT INTO {table} ({names}) SELECT {values} FROM unnest({arrays}) AS row({names})"


def _update(
    table: str,
    keys: Sequence[tuple[str, str]],
    fields: Sequence[tuple[str, str]],
    *,
    also: str = "",
) -> str:
    """A multi-row UPDATE of the rows named by `keys`, setting `fields`: arrays as `_insert`
    takes them, keys first. A row that is not there is not made."""
    every = [*keys, *fields]
    names = ", ".join(name for name, _ in every)
    arrays = ", ".join(
        f"${index}::{'text' if kind == 'jsonb' else kind}[]"
        for index, (_, kind) in enumerate(every, start=1)
    )
    sets = ", ".join(
        f"{name} = row.{name}::jsonb" if kind == "jsonb" else f"{name} = row.{name}"
        for name, kind in fields
    )
    match = " AND ".join(f"target.{name} = row.{name}" for name, _ in keys)
    return (
        f"UPDATE {table} AS target SET {sets}{also} FROM unnest({arrays}) AS row({names})"
        f" WHERE {match}"
    )


def _pick(fields: Sequence[tuple[str, str]], names: Sequence[str]) -> tuple[tuple[str, str], ...]:
    kinds = dict(fields)
    return tuple((name, kinds[name]) for name in names)


# New orders, lines and payments are inserted (an id that exists is refused, never taken
# over); changed ones are updated, only in what a command may change.
_ORDER_CHANGES = _pick(
    _ORDER_FIELDS,
    (
        "status",
        "total_minor",
        "version",
        "table_name",
        "covers",
        "discount_kind",
        "discount_value",
        "service_charge_bps",
        "subtotal_minor",
        "discount_minor",
        "service_charge_minor",
        "tax_minor",
        "tax",
        "tip_minor",
        "rounding_minor",
        "paid_minor",
        "refunded_minor",
        "closed_at",
        "pending_refund",
    ),
)
_LINE_CHANGES = _pick(
    _LINE_FIELDS,
    (
        "quantity",
        "total_minor",
        "discount_kind",
        "discount_value",
        "gross_minor",
        "discount_minor",
        "service_charge_minor",
        "status",
        "void_reason",
        "refunded_quantity",
        "refunded_minor",
        "fired_at",
    ),
)
_PAYMENT_CHANGES = _pick(
    _PAYMENT_FIELDS,
    (
        "status",
        "scheme",
        "last4",
        "auth_code",
        "terminal_reference",
        "refunded_minor",
        "card_verification",
    ),
)
INSERT_ORDERS = _insert("orders.orders", _ORDER_FIELDS)
UPDATE_ORDERS = _update(
    "orders.orders", _pick(_ORDER_FIELDS, ("id",)), _ORDER_CHANGES, also=", updated_at = now()"
)
INSERT_LINES = _insert("orders.order_lines", _LINE_FIELDS)
# New orders with their new lines in one statement (the most common write: an order opened
# with its lines). The lines' foreign key is checked at the end of the statement, when the
# orders are in.
INSERT_ORDERS_AND_LINES = f"WITH new_orders AS ({INSERT_ORDERS}) " + _insert(
    "orders.order_lines", _LINE_FIELDS, first=len(_ORDER_FIELDS) + 1
)
UPDATE_LINES = _update(
    "orders.order_lines", _pick(_LINE_FIELDS, ("order_id", "line_number")), _LINE_CHANGES
)
INSERT_PAYMENTS = _insert("orders.payments", _PAYMENT_FIELDS)
UPDATE_PAYMENTS = _update("orders.payments", _pick(_PAYMENT_FIELDS, ("id",)), _PAYMENT_CHANGES)
INSERT_REFUNDS = _insert("orders.refunds", _REFUND_FIELDS)
INSERT_REFUND_TENDERS = _insert("orders.refund_tenders", _REFUND_TENDER_FIELDS)
INSERT_RECEIPTS = _insert("orders.receipts", _RECEIPT_FIELDS)

# The register's next `count` receipt numbers: the row stays locked until the transaction
# ends and a rollback gives the numbers back, so a register's numbers have no gaps and no
# repeats.
TAKE_RECEIPT_NUMBERS = """
    UPDATE orders.registers SET last_receipt_number = last_receipt_number + $2
     WHERE device_id = $1
    RETURNING number, last_receipt_number
"""
EARLIER_REFUNDS = "SELECT order_id, tax::text FROM orders.refunds WHERE order_id = ANY($1::uuid[])"
SALE_RECEIPTS = """
    SELECT order_id, id, number FROM orders.receipts
     WHERE order_id = ANY($1::uuid[]) AND kind = 'sale'
"""
SHIFTS = """
    SELECT shifts.id, shifts.register_id, registers.number AS register_number,
           shifts.location_id, shifts.status, shifts.closed_at, shifts.opened_by
      FROM orders.shifts AS shifts
      JOIN orders.registers AS registers
        ON registers.tenant_id = shifts.tenant_id AND registers.device_id = shifts.register_id
     WHERE shifts.id = ANY($1::uuid[])
       FOR SHARE OF shifts
"""
# A register's offline receipt series (the till numbers them): the last number used, and
# which of some numbers are taken.
OFFLINE_NUMBERS = """
    SELECT coalesce(max(sequence), 0) AS last,
           coalesce(array_agg(sequence) FILTER (WHERE sequence = ANY($2::int8[])), '{}') AS taken
      FROM orders.receipts WHERE register_id = $1 AND series = 'O'
"""


@dataclass(frozen=True, slots=True)
class Limits:
    """Where a manager's override starts (services/orders/limits/), and how far a till may
    act offline on a manager's word."""

    void_limit_minor: int
    refund_limit_minor: int
    discount_limit_bps: int
    offline_approval_limit_minor: int


@dataclass(frozen=True, slots=True)
class ShiftRef:
    """A shift as a sale needs it: where its register stands and whether it is still open."""

    id: UUID
    register_id: UUID
    register_number: int
    location_id: UUID
    status: str
    closed_at: datetime | None
    opened_by: str | None = None


@dataclass(frozen=True, slots=True)
class Context:
    currency: str
    prices_include_tax: bool
    cash_rounding_minor: int
    catalog_version: int
    limits: Limits
    shift: ShiftRef | None


# A register's receipt series: '' numbered by the server, 'O' by the till offline.
Series = Literal["", "O"]


@dataclass(frozen=True, slots=True)
class ReceiptRow:
    id: UUID
    register_id: UUID
    series: Series
    sequence: int
    number: str
    kind: Literal["sale", "refund"]
    order_id: UUID
    shift_id: UUID
    refund_id: UUID | None
    original_receipt_id: UUID | None
    currency: str
    total_minor: int
    snapshot: dict[str, Any]
    issued_by: str
    issued_at: datetime


@dataclass(frozen=True, slots=True)
class RefundRow:
    id: UUID
    order_id: UUID
    shift_id: UUID
    reason_code: str
    note: str | None
    amount_minor: int
    tax_minor: int
    lines: list[dict[str, Any]]
    tax: list[dict[str, Any]]
    created_by: str
    approved_by: str | None
    created_at: datetime
    rounding_minor: int


@dataclass(frozen=True, slots=True)
class RefundTenderRow:
    refund_id: UUID
    payment_id: UUID
    shift_id: UUID
    tender: str
    amount_minor: int
    terminal_reference: str | None
    auth_code: str | None


def _columns(rows: Sequence[Any], fields: Sequence[tuple[str, str]]) -> list[list[Any]]:
    """One list per column (what `_insert`'s statements take), JSON as text."""
    columns: list[list[Any]] = [[] for _ in fields]
    for row in rows:
        for column, (name, kind) in zip(columns, fields, strict=True):
            value = getattr(row, name)
            column.append(json.dumps(value) if kind == "jsonb" else value)
    return columns


@dataclass(frozen=True, slots=True)
class _OrderRow:
    """A sale's row as `INSERT_ORDERS` and `UPDATE_ORDERS` write it."""

    id: UUID
    location_id: UUID | None
    status: str
    currency: str
    total_minor: int
    created_by: str
    created_at: datetime
    version: int
    shift_id: UUID | None
    register_id: UUID | None
    table_name: str | None
    covers: int | None
    prices_include_tax: bool
    discount_kind: str | None
    discount_value: int | None
    service_charge_bps: int
    subtotal_minor: int
    discount_minor: int
    service_charge_minor: int
    tax_minor: int
    tax: list[dict[str, Any]]
    tip_minor: int
    rounding_minor: int
    paid_minor: int
    refunded_minor: int
    closed_at: datetime | None
    pending_refund: dict[str, Any] | None

    @classmethod
    def of(cls, sale: Sale) -> _OrderRow:
        return cls(
            sale.id,
            sale.location_id,
            sale.status,
            sale.currency,
            sale.total_minor,
            sale.created_by,
            sale.created_at,
            sale.version,
            sale.shift_id,
            sale.register_id,
            sale.table_name,
            sale.covers,
            sale.prices_include_tax,
            sale.discount.kind if sale.discount else None,
            sale.discount.value if sale.discount else None,
            sale.service_charge_bps,
            sale.subtotal_minor,
            sale.discount_minor,
            sale.service_charge_minor,
            sale.tax_minor,
            sale.tax,
            sale.tip_minor,
            sale.rounding_minor,
            sale.paid_minor,
            sale.refunded_minor,
            sale.closed_at,
            sale.pending_refund,
        )


@dataclass(frozen=True, slots=True)
class _LineRow:
    order_id: UUID
    line_number: int
    name: str
    quantity: int
    unit_price_minor: int
    total_minor: int
    item_id: UUID | None
    modifiers: list[dict[str, Any]]
    tax_category_id: UUID | None
    tax_rate: Decimal
    discount_kind: str | None
    discount_value: int | None
    gross_minor: int
    discount_minor: int
    service_charge_minor: int
    status: str
    void_reason: str | None
    refunded_quantity: int
    refunded_minor: int
    added_by: str | None
    added_at: datetime
    fired_at: datetime | None

    @classmethod
    def of(cls, order_id: UUID, line: SaleLine) -> _LineRow:
        return cls(
            order_id,
            line.line_number,
            line.name,
            line.quantity,
            line.unit_price_minor,
            line.total_minor,
            line.item_id,
            line.modifiers,
            line.tax_category_id,
            line.tax_rate,
            line.discount.kind if line.discount else None,
            line.discount.value if line.discount else None,
            line.gross_minor,
            line.discount_minor,
            line.service_charge_minor,
            line.status,
            line.void_reason,
            line.refunded_quantity,
            line.refunded_minor,
            line.added_by,
            line.added_at,
            line.fired_at,
        )


@dataclass(frozen=True, slots=True)
class _PaymentRow:
    id: UUID
    order_id: UUID
    shift_id: UUID
    tender: str
    status: str
    amount_minor: int
    tendered_minor: int | None
    change_minor: int | None
    rounding_minor: int
    scheme: str | None
    last4: str | None
    auth_code: str | None
    terminal_reference: str | None
    refunded_minor: int
    created_by: str
    created_at: datetime
    card_verification: str | None
    terminal_id: str | None
    authorised_at: datetime | None
    request_key: str | None

    @classmethod
    def of(cls, order_id: UUID, payment: SalePayment) -> _PaymentRow:
        return cls(
            payment.id,
            order_id,
            payment.shift_id,
            payment.tender,
            payment.status,
            payment.amount_minor,
            payment.tendered_minor,
            payment.change_minor,
            payment.rounding_minor,
            payment.scheme,
            payment.last4,
            payment.auth_code,
            payment.terminal_reference,
            payment.refunded_minor,
            payment.created_by,
            payment.created_at,
            payment.card_verification,
            payment.terminal_id,
            payment.authorised_at,
            payment.request_key,
        )


class SaleRepository(Repository):
    def __init__(self, connection: AsyncConnection) -> None:
        super().__init__(connection)
        self._driver: asyncpg.Connection | None = None

    async def driver(self) -> asyncpg.Connection:
        if self._driver is None:
            self._driver = await driver_connection(self._connection)
        return self._driver

    # -- reads ---------------------------------------------------------------------------

    async def context(self, register_id: UUID | None) -> Context:
        """Settings, limits, catalog version, and the register's open shift (if any), held
        FOR SHARE until the transaction ends."""
        driver = await self.driver()
        row = await driver.fetchrow(CONTEXT, register_id)
        assert row is not None, "every provisioned business has its settings row"
        shift = None
        if row["shift_id"] is not None:
            shift = ShiftRef(
                id=row["shift_id"],
                register_id=row["register_id"],
                register_number=row["register_number"],
                location_id=row["location_id"],
                status=row["shift_status"],
                closed_at=row["shift_closed_at"],
            )
        return Context(
            currency=row["currency"],
            prices_include_tax=row["prices_include_tax"],
            cash_rounding_minor=row["cash_rounding_minor"],
            catalog_version=row["catalog_version"],
            limits=Limits(
                void_limit_minor=row["void_limit_minor"],
                refund_limit_minor=row["refund_limit_minor"],
                discount_limit_bps=row["discount_limit_bps"],
                offline_approval_limit_minor=row["offline_approval_limit_minor"],
            ),
            shift=shift,
        )

    async def sales(self, order_ids: Collection[UUID], *, lock: bool) -> list[Sale]:
        if not order_ids:
            return []
        driver = await self.driver()
        rows = await driver.fetch(LOAD_SALES if lock else READ_SALES, list(order_ids))
        return [sale_from_row(row) for row in rows]

    async def shifts(self, shift_ids: Collection[UUID]) -> dict[UUID, ShiftRef]:
        """Shifts by id, held FOR SHARE (a close waits for the sales being written in them,
        or they wait for the close and then see it closed)."""
        if not shift_ids:
            return {}
        driver = await self.driver()
        rows = await driver.fetch(SHIFTS, list(shift_ids))
        return {row["id"]: ShiftRef(**dict(row)) for row in rows}

    async def earlier_refunds(
        self, order_ids: Collection[UUID]
    ) -> dict[UUID, dict[Decimal, tuple[int, int]]]:
        """What earlier refunds of each order gave back, per tax rate: (gross, tax)."""
        totals: dict[UUID, dict[Decimal, list[int]]] = defaultdict(
            lambda: defaultdict(lambda: [0, 0])
        )
        if order_ids:
            driver = await self.driver()
            for row in await driver.fetch(EARLIER_REFUNDS, list(order_ids)):
                for group in json.loads(row["tax"]):
                    total = totals[row["order_id"]][Decimal(group["rate"])]
                    total[0] += group["gross_minor"]
                    total[1] += group["tax_minor"]
        return {
            order_id: {rate: (gross, tax) for rate, (gross, tax) in rates.items()}
            for order_id, rates in totals.items()
        }

    async def sale_receipts(self, order_ids: Collection[UUID]) -> dict[UUID, tuple[UUID, str]]:
        """The sale receipt of each order that has one: (id, number)."""
        if not order_ids:
            return {}
        driver = await self.driver()
        rows = await driver.fetch(SALE_RECEIPTS, list(order_ids))
        return {row["order_id"]: (row["id"], row["number"]) for row in rows}

    async def register_number(self, register_id: UUID) -> int | None:
        driver = await self.driver()
        number: int | None = await driver.fetchval(REGISTER_NUMBER, register_id)
        return number

    async def page(
        self, *, limit: int, after: tuple[datetime, UUID] | None, venues: Collection[UUID] | None
    ) -> list[Sale]:
        """Newest first; `after` is the (created_at, id) of the last order already seen;
        `venues`: only orders of these locations (None: every location)."""
        driver = await self.driver()
        rows = await driver.fetch(
            PAGE,
            after[0] if after else None,
            after[1] if after else None,
            list(venues) if venues is not None else None,
            limit,
        )
        return [sale_from_row(row) for row in rows]

    async def take_receipt_numbers(self, register_id: UUID, count: int) -> tuple[int, int]:
        """(register number, the first of `count` new sequence numbers)."""
        driver = await self.driver()
        row = await driver.fetchrow(TAKE_RECEIPT_NUMBERS, register_id, count)
        assert row is not None, "a shift's register exists (foreign key)"
        return row["number"], row["last_receipt_number"] - count + 1

    async def offline_numbers(
        self, register_id: UUID, sequences: Collection[int]
    ) -> tuple[int, set[int]]:
        """(the last number of the register's offline series, which of `sequences` are taken)."""
        driver = await self.driver()
        row = await driver.fetchrow(OFFLINE_NUMBERS, register_id, list(sequences))
        assert row is not None
        return row["last"], set(row["taken"])

    # -- writes ---------------------------------------------------------------------------

    async def write_sales(self, sales: Sequence[Sale]) -> None:
        """New and changed orders, then their new and changed lines and payments: at most a
        statement each for what is new and for what changed."""
        driver = await self.driver()
        orders = [(sale.stored, _OrderRow.of(sale)) for sale in sales if sale.dirty]
        lines = [
            (line.stored, _LineRow.of(sale.id, line))
            for sale in sales
            for line in sale.lines
            if line.dirty
        ]
        new_orders = [row for stored, row in orders if not stored]
        new_lines = [row for stored, row in lines if not stored]
        if new_orders and new_lines:
            await driver.execute(
                INSERT_ORDERS_AND_LINES,
                *_columns(new_orders, _ORDER_FIELDS),
                *_columns(new_lines, _LINE_FIELDS),
            )
            orders = [(True, row) for stored, row in orders if stored]
            lines = [(True, row) for stored, row in lines if stored]
        await self._write(
            driver, INSERT_ORDERS, UPDATE_ORDERS, _ORDER_FIELDS, ("id",), _ORDER_CHANGES, orders
        )
        await self._write(
            driver,
            INSERT_LINES,
            UPDATE_LINES,
            _LINE_FIELDS,
            ("order_id", "line_number"),
            _LINE_CHANGES,
            lines,
        )
        await self._write(
            driver,
            INSERT_PAYMENTS,
            UPDATE_PAYMENTS,
            _PAYMENT_FIELDS,
            ("id",),
            _PAYMENT_CHANGES,
            [
                (payment.stored, _PaymentRow.of(sale.id, payment))
                for sale in sales
                for payment in sale.payments
                if payment.dirty
            ],
        )
        for sale in sales:
            sale.stored, sale.dirty = True, False
            for line in sale.lines:
                line.stored, line.dirty = True, False
            for payment in sale.payments:
                payment.stored, payment.dirty = True, False

    @staticmethod
    async def _write(
        driver: asyncpg.Connection,
        insert: str,
        update: str,
        fields: Sequence[tuple[str, str]],
        keys: Sequence[str],
        changes: Sequence[tuple[str, str]],
        rows: Sequence[tuple[bool, Any]],
    ) -> None:
        new = [row for stored, row in rows if not stored]
        if new:
            await driver.execute(insert, *_columns(new, fields))
        changed = [row for stored, row in rows if stored]
        if changed:
            updated = [*_pick(fields, keys), *changes]
            await driver.execute(update, *_columns(changed, updated))

    async def insert_refunds(
        self, refunds: Sequence[RefundRow], tenders: Sequence[RefundTenderRow]
    ) -> None:
        driver = await self.driver()
        if refunds:
            await driver.execute(INSERT_REFUNDS, *_columns(refunds, _REFUND_FIELDS))
        if tenders:
            await driver.execute(INSERT_REFUND_TENDERS, *_columns(tenders, _REFUND_TENDER_FIELDS))

    async def insert_receipts(self, receipts: Sequence[ReceiptRow]) -> None:
        if receipts:
            driver = await self.driver()
            await driver.execute(INSERT_RECEIPTS, *_columns(receipts, _RECEIPT_FIELDS))
