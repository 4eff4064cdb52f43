"""The reports service's SQL: rollups of the orders schema into the facts the pure aggregator
adds up (services/reports/aggregate.py), the audit log's position, and period closures.

Aggregation happens in Postgres, per business day: a venue-year is half a million orders,
and a quarter's BAS reads a quarter of them, so rows are summed where they are (one row per
day, rate or tender comes back) and the pure functions add the days up. Which day a row
belongs to is decided by the boundaries `services/reports/days.py` computed from the
location's time zone: `width_bucket(closed_at, boundaries)` is the index of the day whose
[start, end) holds it, so SQL never does time-zone arithmetic of its own.

Every query here reads under row-level security in the caller's tenant-bound transaction;
none names a tenant.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from libs.audit.chain import GENESIS_HASH
from libs.sales.tax import rate
from libs.tenancy.repository import Repository
from services.reports.aggregate import (
    DayFacts,
    DayRefundsFact,
    LineFact,
    ModifierFact,
    SalesFact,
    ShiftCloseFact,
    TaxFact,
    TenderFact,
    VoidFact,
)
from services.reports.models import period_closures

# What the reports role reads of other services' schemas for its lookups, declared as far as
# its grants go (the tables themselves belong to the orders, identity and audit services,
# whose code reports does not import). The rollups below stay SQL text: docs/database-access.md.
_settings = sa.table(
    "settings",
    sa.column("currency", sa.Text()),
    sa.column("prices_include_tax", sa.Boolean()),
    sa.column("tax_basis", sa.Text()),
    sa.column("tax_id", sa.Text()),
    schema="orders",
)
_shifts = sa.table(
    "shifts", sa.column("location_id", sa.Uuid()), sa.column("status", sa.Text()), schema="orders"
)
_tenants = sa.table(
    "tenants", sa.column("name", sa.Text()), sa.column("region", sa.Text()), schema="identity"
)
_locations = sa.table(
    "locations",
    sa.column("id", sa.Uuid()),
    sa.column("name", sa.Text()),
    sa.column("time_zone", sa.Text()),
    sa.column("business_day_cutoff_hour", sa.SmallInteger()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    schema="identity",
)
_LOCATION_COLUMNS = (
    _locations.c.id,
    _locations.c.name,
    _locations.c.time_zone,
    _locations.c.business_day_cutoff_hour,
)
_chain_heads = sa.table(
    "chain_heads",
    sa.column("seq", sa.BigInteger()),
    sa.column("hash", sa.LargeBinary()),
    schema="audit",
)
_audit_events = sa.table(
    "events",
    sa.column("seq", sa.BigInteger()),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
    schema="audit",
)


@dataclass(frozen=True, slots=True)
class Location:
    id: UUID
    name: str
    time_zone: str
    business_day_cutoff_hour: int


@dataclass(frozen=True, slots=True)
class Business:
    name: str
    currency: str
    prices_include_tax: bool
    region: str
    # When GST or VAT falls due: the tax period a sale is reported in (docs/reports.md).
    tax_basis: Literal["accrual", "cash"]
    tax_id: str | None


@dataclass(frozen=True, slots=True)
class Days:
    """A run of business days and their boundaries: day i is [bounds[i], bounds[i + 1])."""

    days: Sequence[date]
    bounds: Sequence[datetime]

    def __post_init__(self) -> None:
        assert len(self.bounds) == len(self.days) + 1

    def parameters(self) -> dict[str, Any]:
        return {"bounds": list(self.bounds), "start": self.bounds[0], "end": self.bounds[-1]}

    def day(self, bucket: int) -> date:
        return self.days[bucket - 1]


_BUCKET = "width_bucket({column}, CAST(:bounds AS timestamptz[]))"
_IN_DAYS = "{column} >= :start AND {column} < :end"


def _sql(template: str, **columns: str) -> sa.TextClause:
    """A rollup statement with its day bucket and range filled in for `columns`."""
    filled = {
        f"{name}_bucket": _BUCKET.format(column=column) for name, column in columns.items()
    } | {f"{name}_in_days": _IN_DAYS.format(column=column) for name, column in columns.items()}
    return sa.text(template.format(**filled))


SALES = _sql(
    """
    SELECT {closed_bucket} AS bucket, count(*) AS orders, coalesce(sum(covers), 0) AS covers,
           sum(subtotal_minor) AS gross, sum(discount_minor) AS discounts,
           sum(service_charge_minor) AS service_charges, sum(tip_minor) AS tips,
           sum(rounding_minor) AS rounding
      FROM orders.orders
     WHERE location_id = :location AND status = 'closed' AND {closed_in_days}
     GROUP BY 1
    """,
    closed="closed_at",
)

SALES_TAX = _sql(
    """
    SELECT {closed_bucket} AS bucket, g.rate, sum(g.net_minor) AS net, sum(g.tax_minor) AS tax,
           sum(g.gross_minor) AS gross
      FROM orders.orders o
     CROSS JOIN LATERAL jsonb_to_recordset(o.tax)
           AS g(rate numeric, net_minor bigint, tax_minor bigint, gross_minor bigint)
     WHERE o.location_id = :location AND o.status = 'closed' AND {closed_in_days}
     GROUP BY 1, 2
    """,
    closed="o.closed_at",
)

VOIDED_ORDERS = _sql(
    """
    SELECT {closed_bucket} AS bucket, count(*) AS orders, sum(total_minor) AS amount
      FROM orders.orders
     WHERE location_id = :location AND status = 'voided' AND {closed_in_days}
     GROUP BY 1
    """,
    closed="closed_at",
)

# Lines voided from orders that were then paid (a voided order's lines count with it).
VOIDED_LINES = _sql(
    """
    SELECT {closed_bucket} AS bucket, count(*) AS lines, sum(l.total_minor) AS amount
      FROM orders.orders o JOIN orders.order_lines l ON l.order_id = o.id
     WHERE o.location_id = :location AND o.status = 'closed' AND {closed_in_days}
       AND l.status = 'voided'
     GROUP BY 1
    """,
    closed="o.closed_at",
)

# Refunds given at the location's drawers, on the day they were given.
REFUNDS = _sql(
    """
    SELECT {created_bucket} AS bucket, count(*) AS refunds, sum(r.amount_minor) AS amount,
           sum(r.tax_minor) AS tax
      FROM orders.refunds r JOIN orders.shifts s ON s.id = r.shift_id
     WHERE s.location_id = :location AND {created_in_days}
     GROUP BY 1
    """,
    created="r.created_at",
)

REFUNDS_TAX = _sql(
    """
    SELECT {created_bucket} AS bucket, g.rate, sum(g.net_minor) AS net, sum(g.tax_minor) AS tax,
           sum(g.gross_minor) AS gross
      FROM orders.refunds r JOIN orders.shifts s ON s.id = r.shift_id
     CROSS JOIN LATERAL jsonb_to_recordset(r.tax)
           AS g(rate numeric, net_minor bigint, tax_minor bigint, gross_minor bigint)
     WHERE s.location_id = :location AND {created_in_days}
     GROUP BY 1, 2
    """,
    created="r.created_at",
)

PAYMENTS = _sql(
    """
    SELECT {created_bucket} AS bucket, p.tender, count(*) AS payments, sum(p.amount_minor) AS paid
      FROM orders.payments p JOIN orders.shifts s ON s.id = p.shift_id
     WHERE s.location_id = :location AND p.status = 'approved' AND {created_in_days}
     GROUP BY 1, 2
    """,
    created="p.created_at",
)

GIVEN_BACK = _sql(
    """
    SELECT {created_bucket} AS bucket, t.tender, sum(t.amount_minor) AS refunded
      FROM orders.refund_tenders t JOIN orders.refunds r ON r.id = t.refund_id
      JOIN orders.shifts s ON s.id = t.shift_id
     WHERE s.location_id = :location AND {created_in_days}
     GROUP BY 1, 2
    """,
    created="r.created_at",
)

ITEMS = _sql(
    """
    SELECT l.item_id, l.name, c.name AS category, sum(l.quantity) AS quantity,
           sum(l.gross_minor) AS gross, sum(l.total_minor) AS sales
      FROM orders.orders o JOIN orders.order_lines l ON l.order_id = o.id
      LEFT JOIN orders.menu_items i ON i.id = l.item_id
      LEFT JOIN orders.menu_categories c ON c.id = i.category_id
     WHERE o.location_id = :location AND o.status = 'closed' AND {closed_in_days}
       AND l.status = 'active'
     GROUP BY 1, 2, 3
    """,
    closed="o.closed_at",
)

MODIFIERS = _sql(
    """
    SELECT m.id AS modifier_id, m.name, sum(l.quantity) AS quantity,
           sum(l.quantity * m.price_minor) AS gross
      FROM orders.orders o JOIN orders.order_lines l ON l.order_id = o.id
     CROSS JOIN LATERAL jsonb_to_recordset(l.modifiers) AS m(id uuid, name text, price_minor bigint)
     WHERE o.location_id = :location AND o.status = 'closed' AND {closed_in_days}
       AND l.status = 'active'
     GROUP BY 1, 2
    """,
    closed="o.closed_at",
)

# The latest issue of each Z report of the shifts closed in the period.
CLOSED_SHIFTS = _sql(
    """
    SELECT s.id, g.number, s.opened_by, s.opened_at, s.closed_by, s.closed_at, z.version,
           z.report -> 'expected' AS expected, z.report -> 'counted' AS counted
      FROM orders.shifts s JOIN orders.registers g ON g.device_id = s.register_id
      JOIN LATERAL (
            SELECT version, report FROM orders.z_reports
             WHERE shift_id = s.id ORDER BY version DESC LIMIT 1
           ) z ON true
     WHERE s.location_id = :location AND s.status = 'closed' AND {closed_in_days}
    """,
    closed="s.closed_at",
)


def _money(value: Any) -> int:
    return int(value or 0)


class ReportsRepository(Repository):
    async def _rows(self, statement: sa.TextClause, **parameters: Any) -> Sequence[Any]:
        return (await self._connection.execute(statement, parameters)).all()

    async def plan_each_range(self) -> None:
        """Plan every rollup for its own dates. Postgres otherwise switches a prepared
        statement to one generic plan after five runs, and a plan made without knowing
        whether the range is a day or a year reads a year's lines one index probe at a time
        (bench/reports.py measured 0.2 s become 2 s)."""
        await self._connection.execute(sa.text("SET LOCAL plan_cache_mode = force_custom_plan"))

    # --- the business and its locations ---------------------------------------------------

    async def business(self) -> Business | None:
        query = sa.select(
            _tenants.c.name,
            _settings.c.currency,
            _settings.c.prices_include_tax,
            _tenants.c.region,
            _settings.c.tax_basis,
            _settings.c.tax_id,
        ).select_from(_settings.join(_tenants, sa.true()))
        row = (await self._connection.execute(query)).first()
        return Business(*row) if row else None

    async def location(self, location_id: UUID) -> Location | None:
        query = sa.select(*_LOCATION_COLUMNS).where(_locations.c.id == location_id)
        row = (await self._connection.execute(query)).first()
        return Location(*row) if row else None

    async def locations(self) -> list[Location]:
        query = sa.select(*_LOCATION_COLUMNS).order_by(_locations.c.created_at, _locations.c.id)
        return [Location(*row) for row in (await self._connection.execute(query)).all()]

    # --- rollups ----------------------------------------------------------------------------

    async def day_facts(self, location_id: UUID, days: Days) -> DayFacts:
        """The sales, tax, refunds, voids and tenders of a location's days."""
        parameters = {"location": location_id, **days.parameters()}
        sales = [
            SalesFact(
                day=days.day(row.bucket),
                orders=row.orders,
                covers=_money(row.covers),
                gross_minor=_money(row.gross),
                discounts_minor=_money(row.discounts),
                service_charges_minor=_money(row.service_charges),
                tips_minor=_money(row.tips),
                rounding_minor=_money(row.rounding),
            )
            for row in await self._rows(SALES, **parameters)
        ]
        voids: list[VoidFact] = [
            VoidFact(day=days.day(row.bucket), orders=row.orders, orders_minor=_money(row.amount))
            for row in await self._rows(VOIDED_ORDERS, **parameters)
        ] + [
            VoidFact(day=days.day(row.bucket), lines=row.lines, lines_minor=_money(row.amount))
            for row in await self._rows(VOIDED_LINES, **parameters)
        ]
        refunds = [
            DayRefundsFact(
                day=days.day(row.bucket),
                count=row.refunds,
                amount_minor=_money(row.amount),
                tax_minor=_money(row.tax),
            )
            for row in await self._rows(REFUNDS, **parameters)
        ]
        tenders = [
            TenderFact(
                day=days.day(row.bucket),
                tender=row.tender,
                payments=row.payments,
                paid_minor=_money(row.paid),
            )
            for row in await self._rows(PAYMENTS, **parameters)
        ] + [
            TenderFact(
                day=days.day(row.bucket), tender=row.tender, refunded_minor=_money(row.refunded)
            )
            for row in await self._rows(GIVEN_BACK, **parameters)
        ]
        return DayFacts(
            sales=sales,
            tax=await self.tax_facts(location_id, days),
            refunds=refunds,
            voids=voids,
            tenders=tenders,
        )

    async def tax_facts(self, location_id: UUID, days: Days) -> list[TaxFact]:
        """Tax per rate of the sales paid and the refunds given in a location's days."""
        parameters = {"location": location_id, **days.parameters()}
        facts = []
        for statement, refund in ((SALES_TAX, False), (REFUNDS_TAX, True)):
            facts += [
                TaxFact(
                    day=days.day(row.bucket),
                    rate=rate(row.rate),
                    net_minor=_money(row.net),
                    tax_minor=_money(row.tax),
                    gross_minor=_money(row.gross),
                    refund=refund,
                )
                for row in await self._rows(statement, **parameters)
            ]
        return facts

    async def line_facts(
        self, location_id: UUID, days: Days
    ) -> tuple[list[LineFact], list[ModifierFact]]:
        parameters = {"location": location_id, **days.parameters()}
        lines = [
            LineFact(
                item_id=row.item_id,
                name=row.name,
                category=row.category,
                quantity=int(row.quantity),
                gross_minor=_money(row.gross),
                sales_minor=_money(row.sales),
            )
            for row in await self._rows(ITEMS, **parameters)
        ]
        modifiers = [
            ModifierFact(
                modifier_id=row.modifier_id,
                name=row.name,
                quantity=int(row.quantity),
                gross_minor=_money(row.gross),
            )
            for row in await self._rows(MODIFIERS, **parameters)
        ]
        return lines, modifiers

    async def closed_shifts(self, location_id: UUID, days: Days) -> list[ShiftCloseFact]:
        rows = await self._rows(CLOSED_SHIFTS, location=location_id, **days.parameters())
        return [
            ShiftCloseFact(
                shift_id=row.id,
                register_number=row.number,
                opened_by=row.opened_by,
                opened_at=row.opened_at,
                closed_by=row.closed_by,
                closed_at=row.closed_at,
                z_version=row.version,
                expected={k: int(v) for k, v in (row.expected or {}).items()},
                counted={k: int(v) for k, v in (row.counted or {}).items()},
            )
            for row in rows
        ]

    async def open_shift_count(self, location_id: UUID) -> int:
        query = (
            sa.select(sa.func.count())
            .select_from(_shifts)
            .where(_shifts.c.location_id == location_id, _shifts.c.status == "open")
        )
        return int((await self._connection.execute(query)).scalar_one())

    # --- the audit log ----------------------------------------------------------------------

    async def audit_head(self, *, lock: bool = False) -> tuple[int, bytes]:
        """The chain head: (seq, hash); (0, genesis) before the first entry. `lock` holds the
        head row until the transaction ends: every write of the tenant appends to the log
        in its own transaction, so while it is held no write can commit, and every write up
        to the head has."""
        query = sa.select(_chain_heads.c.seq, _chain_heads.c.hash)
        if lock:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).first()
        return (int(row.seq), bytes(row.hash)) if row else (0, GENESIS_HASH)

    async def first_audit_seq_since(self, moment: datetime) -> int | None:
        query = sa.select(sa.func.min(_audit_events.c.seq)).where(
            _audit_events.c.occurred_at >= moment
        )
        seq = (await self._connection.execute(query)).scalar_one()
        return int(seq) if seq is not None else None

    # --- period closures --------------------------------------------------------------------

    async def latest_closure(
        self, location_id: UUID, kind: str, first_day: date
    ) -> dict[str, Any] | None:
        row = (
            await self._connection.execute(
                sa.select(period_closures)
                .where(
                    period_closures.c.location_id == location_id,
                    period_closures.c.kind == kind,
                    period_closures.c.first_day == first_day,
                )
                .order_by(period_closures.c.version.desc())
                .limit(1)
            )
        ).first()
        return row._asdict() if row else None

    async def closure_before(
        self, location_id: UUID, kind: str, first_day: date
    ) -> dict[str, Any] | None:
        """The latest version of the last closed period of this kind that ends before
        `first_day`: the one whose running totals the next closure continues."""
        row = (
            await self._connection.execute(
                sa.select(period_closures)
                .where(
                    period_closures.c.location_id == location_id,
                    period_closures.c.kind == kind,
                    period_closures.c.last_day < first_day,
                )
                .order_by(period_closures.c.last_day.desc(), period_closures.c.version.desc())
                .limit(1)
            )
        ).first()
        return row._asdict() if row else None

    async def closures(
        self,
        location_id: UUID | None,
        kind: str | None,
        limit: int,
        venues: Collection[UUID] | None = None,
    ) -> list[dict[str, Any]]:
        """Latest period first; `venues`: only these locations' (None: every location)."""
        query = sa.select(period_closures)
        if location_id is not None:
            query = query.where(period_closures.c.location_id == location_id)
        if venues is not None:
            query = query.where(period_closures.c.location_id.in_(list(venues)))
        if kind is not None:
            query = query.where(period_closures.c.kind == kind)
        query = query.order_by(
            period_closures.c.first_day.desc(), period_closures.c.version.desc()
        ).limit(limit)
        return [row._asdict() for row in (await self._connection.execute(query)).all()]

    async def insert_closure(self, values: dict[str, Any]) -> dict[str, Any] | None:
        """The new closure; None if this version of the period was just taken."""
        row = (
            await self._connection.execute(
                insert(period_closures)
                .values(**values)
                .on_conflict_do_nothing()
                .returning(period_closures)
            )
        ).first()
        return row._asdict() if row else None
