"""The reports service's SQL: the daily facts the orders service keeps (orders.day_*,
libs/sales/day_facts.py) summed into the facts the pure aggregator adds up
(services/reports/aggregate.py), the audit log's position, and period closures.

Reports read days, not orders: a venue-year is half a million orders but only a few thousand
fact rows (a row per day and register, and per tender, rate or item), kept current as each
sale commits, so a year's report sums them where they are and the pure functions add the
days up. Which business day or calendar date a sale belongs to was decided when its facts
were written, from the location's calendar (libs/sales/business_days.py); a period here is a
range of those dates, so SQL does no time-zone arithmetic at all.

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
from libs.sales.day_facts import NIL, Attribution
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
    "shifts",
    sa.column("location_id", sa.Uuid()),
    sa.column("status", sa.Text()),
    sa.column("opened_at", sa.DateTime(timezone=True)),
    sa.column("closed_at", sa.DateTime(timezone=True)),
    schema="orders",
)
_registers = sa.table(
    "registers",
    sa.column("device_id", sa.Uuid()),
    sa.column("location_id", sa.Uuid()),
    sa.column("number", sa.Integer()),
    schema="orders",
)
# Column grants: a staff member's display name and a device's name, nothing else of them.
_staff = sa.table(
    "staff", sa.column("id", sa.Uuid()), sa.column("display_name", sa.Text()), schema="identity"
)
_devices = sa.table(
    "devices", sa.column("id", sa.Uuid()), sa.column("name", sa.Text()), schema="identity"
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


# The daily facts (libs/sales/day_facts.py), summed per day over the location's registers.
DAY_SALES = sa.text(
    """
    SELECT business_day AS day, sum(orders) AS orders, sum(covers) AS covers,
           sum(gross_sales_minor) AS gross, sum(discounts_minor) AS discounts,
           sum(service_charges_minor) AS service_charges, sum(tips_minor) AS tips,
           sum(rounding_minor) AS rounding, sum(voided_orders) AS voided_orders,
           sum(voided_orders_minor) AS voided_orders_minor, sum(voided_lines) AS voided_lines,
           sum(voided_lines_minor) AS voided_lines_minor, sum(refunds) AS refunds,
           sum(refunds_minor) AS refunds_minor, sum(refunds_tax_minor) AS refunds_tax
      FROM orders.day_sales
     WHERE location_id = :location AND business_day BETWEEN :first AND :last
     GROUP BY 1
    """
)
DAY_TENDERS = sa.text(
    """
    SELECT business_day AS day, tender, sum(payments) AS payments, sum(paid_minor) AS paid,
           sum(refunded_minor) AS refunded
      FROM orders.day_tenders
     WHERE location_id = :location AND business_day BETWEEN :first AND :last
     GROUP BY 1, 2
    """
)
DAY_TAX = sa.text(
    """
    SELECT day, refund, rate, sum(net_minor) AS net, sum(tax_minor) AS tax,
           sum(gross_minor) AS gross
      FROM orders.day_tax
     WHERE location_id = :location AND attribution = :attribution
       AND day BETWEEN :first AND :last
     GROUP BY 1, 2, 3
    """
)
# The category is the menu's now (an item moved to another category reports under it).
DAY_ITEMS = sa.text(
    """
    SELECT f.item_id, f.name, c.name AS category, f.quantity, f.gross, f.discounts,
           f.service_charges, f.net, f.refunded_quantity, f.refunds
      FROM (SELECT item_id, name, sum(quantity) AS quantity, sum(gross_sales_minor) AS gross,
                   sum(discounts_minor) AS discounts,
                   sum(service_charges_minor) AS service_charges,
                   sum(net_sales_minor) AS net, sum(refunded_quantity) AS refunded_quantity,
                   sum(refunds_minor) AS refunds
              FROM orders.day_items
             WHERE location_id = :location AND business_day BETWEEN :first AND :last
             GROUP BY 1, 2) AS f
      LEFT JOIN orders.menu_items AS i ON i.id = f.item_id
      LEFT JOIN orders.menu_categories AS c ON c.id = i.category_id
    """
)
DAY_MODIFIERS = sa.text(
    """
    SELECT modifier_id, name, sum(quantity) AS quantity, sum(gross_minor) AS gross
      FROM orders.day_modifiers
     WHERE location_id = :location AND business_day BETWEEN :first AND :last
     GROUP BY 1, 2
    """
)

# The latest issue of each Z report of the shifts closed in the period.
CLOSED_SHIFTS = sa.text(
    """
    SELECT s.id, g.number, s.opened_by, s.opened_at, s.closed_by, s.closed_at, z.version,
           z.report -> 'expected' AS expected, z.report -> 'counted' AS counted
      FROM orders.shifts s JOIN orders.registers g ON g.device_id = s.register_id
      JOIN LATERAL (
            SELECT version, report FROM orders.z_reports
             WHERE shift_id = s.id ORDER BY version DESC LIMIT 1
           ) z ON true
     WHERE s.location_id = :location AND s.status = 'closed'
       AND s.closed_at >= :start AND s.closed_at < :end
    """
)


def _money(value: Any) -> int:
    return int(value or 0)


def _is_uuid(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True


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

    async def day_facts(self, location_id: UUID, first: date, last: date) -> DayFacts:
        """The sales, tax, refunds, voids and tenders of a location's business days, from
        the daily facts, one row per day (per tender, per rate)."""
        parameters = {"location": location_id, "first": first, "last": last}
        sales, voids, refunds = [], [], []
        for row in await self._rows(DAY_SALES, **parameters):
            sales.append(
                SalesFact(
                    day=row.day,
                    orders=int(row.orders),
                    covers=_money(row.covers),
                    gross_minor=_money(row.gross),
                    discounts_minor=_money(row.discounts),
                    service_charges_minor=_money(row.service_charges),
                    tips_minor=_money(row.tips),
                    rounding_minor=_money(row.rounding),
                )
            )
            voids.append(
                VoidFact(
                    day=row.day,
                    orders=int(row.voided_orders),
                    orders_minor=_money(row.voided_orders_minor),
                    lines=int(row.voided_lines),
                    lines_minor=_money(row.voided_lines_minor),
                )
            )
            refunds.append(
                DayRefundsFact(
                    day=row.day,
                    count=int(row.refunds),
                    amount_minor=_money(row.refunds_minor),
                    tax_minor=_money(row.refunds_tax),
                )
            )
        tenders = [
            TenderFact(
                day=row.day,
                tender=row.tender,
                payments=int(row.payments),
                paid_minor=_money(row.paid),
                refunded_minor=_money(row.refunded),
            )
            for row in await self._rows(DAY_TENDERS, **parameters)
        ]
        return DayFacts(
            sales=sales,
            tax=await self.tax_facts(location_id, first, last, "business"),
            refunds=refunds,
            voids=voids,
            tenders=tenders,
        )

    async def tax_facts(
        self, location_id: UUID, first: date, last: date, attribution: Attribution
    ) -> list[TaxFact]:
        """Tax per rate of the sales and the refunds of a location's days, as `attribution`
        dates them: 'business' by business day; 'accrual' and 'cash' by calendar date at the
        venue, by the business's tax basis (libs/sales/day_facts.py)."""
        rows = await self._rows(
            DAY_TAX, location=location_id, attribution=attribution, first=first, last=last
        )
        return [
            TaxFact(
                day=row.day,
                rate=rate(row.rate),
                net_minor=_money(row.net),
                tax_minor=_money(row.tax),
                gross_minor=_money(row.gross),
                refund=row.refund,
            )
            for row in rows
        ]

    async def line_facts(
        self, location_id: UUID, first: date, last: date
    ) -> tuple[list[LineFact], list[ModifierFact]]:
        """Items sold and refunded, and modifiers chosen, over a location's business days."""
        parameters = {"location": location_id, "first": first, "last": last}
        lines = [
            LineFact(
                item_id=None if row.item_id == NIL else row.item_id,
                name=row.name,
                category=row.category,
                quantity=int(row.quantity),
                gross_sales_minor=_money(row.gross),
                discounts_minor=_money(row.discounts),
                service_charges_minor=_money(row.service_charges),
                net_sales_minor=_money(row.net),
                refunded_quantity=int(row.refunded_quantity),
                refunds_minor=_money(row.refunds),
            )
            for row in await self._rows(DAY_ITEMS, **parameters)
        ]
        modifiers = [
            ModifierFact(
                modifier_id=None if row.modifier_id == NIL else row.modifier_id,
                name=row.name,
                quantity=int(row.quantity),
                gross_minor=_money(row.gross),
            )
            for row in await self._rows(DAY_MODIFIERS, **parameters)
        ]
        return lines, modifiers

    async def closed_shifts(
        self, location_id: UUID, start: datetime, end: datetime
    ) -> list[ShiftCloseFact]:
        rows = await self._rows(CLOSED_SHIFTS, location=location_id, start=start, end=end)
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

    # --- names, shifts open, where the figures start (exports and the audit range) ---------

    async def staff_names(self, subjects: Collection[str]) -> dict[str, str]:
        """Display names of staff, by the id a shift records them by (column grant:
        identity.staff (tenant_id, id, display_name) only)."""
        ids = [UUID(subject) for subject in subjects if _is_uuid(subject)]
        if not ids:
            return {}
        query = sa.select(_staff.c.id, _staff.c.display_name).where(_staff.c.id.in_(ids))
        rows = (await self._connection.execute(query)).all()
        return {str(row.id): row.display_name for row in rows}

    async def register_names(self, location_id: UUID) -> dict[int, str]:
        """A venue's registers by number: the name its device was activated with."""
        query = (
            sa.select(_registers.c.number, _devices.c.name)
            .select_from(_registers.join(_devices, _devices.c.id == _registers.c.device_id))
            .where(_registers.c.location_id == location_id)
        )
        return {row.number: row.name for row in (await self._connection.execute(query)).all()}

    async def open_shifts_at(self, location_id: UUID, moment: datetime) -> int:
        """Shifts of the venue open at `moment`: opened before it, not closed by it."""
        query = (
            sa.select(sa.func.count())
            .select_from(_shifts)
            .where(
                _shifts.c.location_id == location_id,
                _shifts.c.opened_at < moment,
                sa.or_(_shifts.c.closed_at.is_(None), _shifts.c.closed_at >= moment),
            )
        )
        return int((await self._connection.execute(query)).scalar_one())

    async def earliest_shift_opening(
        self, location_ids: Collection[UUID], start: datetime, end: datetime
    ) -> datetime | None:
        """When the earliest shift of these venues open at some time in [start, end) opened:
        every sale, payment, refund and count of the period was made in one of them."""
        query = sa.select(sa.func.min(_shifts.c.opened_at)).where(
            _shifts.c.location_id.in_(list(location_ids)),
            _shifts.c.opened_at < end,
            sa.or_(_shifts.c.closed_at.is_(None), _shifts.c.closed_at >= start),
        )
        opened: datetime | None = (await self._connection.execute(query)).scalar_one()
        return opened

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
