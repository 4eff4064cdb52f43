"""SQL for tax configuration. Nothing here names a tenant: the connection is tenant-bound and
row-level security filters, while `tenant_id` columns default to the transaction's tenant."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import distinct_on, insert

from libs.tenancy.repository import Repository
from services.orders.models import menu_items, settings, tax_categories, tax_rates
from services.orders.tax.schemas import TaxSettings

_SETTINGS = (
    settings.c.currency,
    settings.c.prices_include_tax,
    settings.c.cash_rounding_minor,
    settings.c.tax_basis,
    settings.c.tax_id,
    settings.c.version,
)
# The region decides which tax number the business has (libs/sales/tax_ids.py).
_tenants = sa.table("tenants", sa.column("region", sa.Text()), schema="identity")
_CATEGORY = (
    tax_categories.c.id,
    tax_categories.c.code,
    tax_categories.c.name,
    tax_categories.c.created_at,
    tax_categories.c.archived_at,
)


@dataclass(frozen=True, slots=True)
class CategoryRow:
    id: UUID
    code: str
    name: str
    created_at: datetime
    archived_at: datetime | None


@dataclass(frozen=True, slots=True)
class RateRow:
    tax_category_id: UUID
    rate_percent: Decimal
    effective_from: datetime
    created_by: str
    created_at: datetime


class TaxRepository(Repository):
    async def database_now(self) -> datetime:
        """The transaction's time (`now()`): what "in force now" and "in the future" mean."""
        moment: datetime = (await self._connection.execute(sa.select(sa.func.now()))).scalar_one()
        return moment

    # -- rates ---------------------------------------------------------------------------------

    async def rates_in_force(
        self, category_ids: Collection[UUID], at: datetime
    ) -> dict[UUID, Decimal]:
        """For each category, the rate with the latest `effective_from <= at`: the rate a sale
        made at `at` is taxed at. A category with no rate in force then (or unknown, or
        another tenant's) is absent from the result. One query (DISTINCT ON over the unique
        index on (tenant, category, effective_from))."""
        if at.tzinfo is None:
            raise ValueError("`at` must be timezone-aware")
        if not category_ids:
            return {}
        rows = await self._connection.execute(
            sa.select(tax_rates.c.tax_category_id, tax_rates.c.rate_percent)
            .where(
                tax_rates.c.tax_category_id.in_(list(category_ids)),
                tax_rates.c.effective_from <= at,
            )
            .order_by(tax_rates.c.tax_category_id, tax_rates.c.effective_from.desc())
            .ext(distinct_on(tax_rates.c.tax_category_id))
        )
        return {row.tax_category_id: row.rate_percent for row in rows}

    async def rates(self, category_ids: Collection[UUID]) -> list[RateRow]:
        """Every rate of these categories, oldest first."""
        if not category_ids:
            return []
        rows = await self._connection.execute(
            sa.select(
                tax_rates.c.tax_category_id,
                tax_rates.c.rate_percent,
                tax_rates.c.effective_from,
                tax_rates.c.created_by,
                tax_rates.c.created_at,
            )
            .where(tax_rates.c.tax_category_id.in_(list(category_ids)))
            .order_by(tax_rates.c.tax_category_id, tax_rates.c.effective_from)
        )
        return [RateRow(**row._asdict()) for row in rows]

    async def insert_rate(
        self,
        *,
        category_id: UUID,
        rate_percent: Decimal,
        effective_from: datetime | None,
        created_by: str,
    ) -> RateRow | None:
        """A new rate (`effective_from` None: from now()); None if the category already has a
        rate from that exact moment."""
        row = (
            await self._connection.execute(
                insert(tax_rates)
                .values(
                    id=uuid.uuid4(),
                    tax_category_id=category_id,
                    rate_percent=rate_percent,
                    effective_from=sa.func.now() if effective_from is None else effective_from,
                    created_by=created_by,
                )
                .on_conflict_do_nothing(
                    index_elements=[
                        tax_rates.c.tenant_id,
                        tax_rates.c.tax_category_id,
                        tax_rates.c.effective_from,
                    ]
                )
                .returning(
                    tax_rates.c.tax_category_id,
                    tax_rates.c.rate_percent,
                    tax_rates.c.effective_from,
                    tax_rates.c.created_by,
                    tax_rates.c.created_at,
                )
            )
        ).first()
        return RateRow(**row._asdict()) if row else None

    # -- categories ----------------------------------------------------------------------------

    async def categories(self) -> list[CategoryRow]:
        rows = await self._connection.execute(sa.select(*_CATEGORY).order_by(tax_categories.c.code))
        return [CategoryRow(**row._asdict()) for row in rows]

    async def category(self, category_id: UUID, *, for_update: bool = False) -> CategoryRow | None:
        query = sa.select(*_CATEGORY).where(tax_categories.c.id == category_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._connection.execute(query)).first()
        return CategoryRow(**row._asdict()) if row else None

    async def insert_category(self, *, code: str, name: str) -> CategoryRow | None:
        """None if the business has a category with this code already."""
        row = (
            await self._connection.execute(
                insert(tax_categories)
                .values(id=uuid.uuid4(), code=code, name=name)
                .on_conflict_do_nothing(
                    index_elements=[tax_categories.c.tenant_id, tax_categories.c.code]
                )
                .returning(*_CATEGORY)
            )
        ).first()
        return CategoryRow(**row._asdict()) if row else None

    async def update_category(
        self, category_id: UUID, *, name: str | None, archived: bool | None
    ) -> CategoryRow | None:
        values: dict[str, Any] = {}
        if name is not None:
            values["name"] = name
        if archived is not None:
            # Archiving again keeps the first archive time.
            values["archived_at"] = (
                sa.func.coalesce(tax_categories.c.archived_at, sa.func.now()) if archived else None
            )
        row = (
            await self._connection.execute(
                sa.update(tax_categories)
                .where(tax_categories.c.id == category_id)
                .values(**values)
                .returning(*_CATEGORY)
            )
        ).first()
        return CategoryRow(**row._asdict()) if row else None

    async def active_items_using(self, category_id: UUID) -> int:
        """How many menu items, not archived, are taxed in this category."""
        count: int = (
            await self._connection.execute(
                sa.select(sa.func.count())
                .select_from(menu_items)
                .where(
                    menu_items.c.tax_category_id == category_id, menu_items.c.archived_at.is_(None)
                )
            )
        ).scalar_one()
        return count

    # -- settings ------------------------------------------------------------------------------

    async def settings(self) -> TaxSettings | None:
        row = (await self._connection.execute(sa.select(*_SETTINGS))).first()
        return TaxSettings.model_validate(row._asdict()) if row else None

    async def region(self) -> str:
        return str((await self._connection.execute(sa.select(_tenants.c.region))).scalar_one())

    async def update_settings(
        self, changes: dict[str, Any], *, expected_version: int, updated_by: str
    ) -> TaxSettings | None:
        """Apply the changes if the settings are still at `expected_version`; None if not."""
        row = (
            await self._connection.execute(
                sa.update(settings)
                .where(settings.c.version == expected_version)
                .values(
                    **changes,
                    version=settings.c.version + 1,
                    updated_by=updated_by,
                    updated_at=sa.func.now(),
                )
                .returning(*_SETTINGS)
            )
        ).first()
        return TaxSettings.model_validate(row._asdict()) if row else None
