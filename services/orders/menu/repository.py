"""SQL for the menu. Nothing here names a tenant: the connection is tenant-bound and row-level
security filters, while `tenant_id` columns default to the transaction's tenant.

Edits are optimistic: an UPDATE matches only the version the client read (`... AND version =
:expected`), so of two concurrent edits exactly one wins; the loser's UPDATE matches no row.

Prices are read from their history (`orders.menu_prices`), as in force at the database's
clock; the price columns are what a change made now is written to (triggers record it in the
history, 20261207_0900_menu_prices.py).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError

from libs.tenancy.repository import Repository
from services.orders.menu.schemas import (
    LocationPrice,
    MenuCategory,
    MenuItem,
    Modifier,
    ModifierGroup,
    ScheduledItemPrice,
    ScheduledPrice,
)
from services.orders.menu.snapshot import (
    MenuSnapshot,
    PriceChange,
    business_price,
    item_price,
    snapshots,
    venue_price,
)
from services.orders.models import (
    menu_categories,
    menu_item_location_prices,
    menu_item_modifier_groups,
    menu_items,
    menu_prices,
    modifier_groups,
    modifiers,
    settings,
    tax_categories,
)

# The foreign keys that refuse a venue price for a location the business does not have.
LOCATION_FOREIGN_KEYS = frozenset(
    {
        "fk_menu_item_location_prices_tenant_id_location_id_locations",
        "fk_menu_prices_tenant_id_location_id_locations",
    }
)

_EDITED = ("archived_at", "version", "created_at", "updated_at")
_CATEGORY = tuple(
    menu_categories.c[name] for name in ("id", "name", "position", "printer_role", *_EDITED)
)
# Without price_minor: what an item or modifier costs is read from its price history.
_ITEM = tuple(
    menu_items.c[name] for name in ("id", "category_id", "tax_category_id", "name", "position")
) + tuple(menu_items.c[name] for name in _EDITED)
_GROUP = tuple(
    modifier_groups.c[name] for name in ("id", "name", "min_choices", "max_choices", *_EDITED)
)
_MODIFIER = tuple(modifiers.c[name] for name in ("id", "group_id", "name", "position", *_EDITED))
_PRICE = (
    menu_prices.c.item_id,
    menu_prices.c.modifier_id,
    menu_prices.c.location_id,
    menu_prices.c.price_minor,
    menu_prices.c.effective_from,
    menu_prices.c.created_by,
)

Cursor = tuple[datetime, UUID]


class Lock(StrEnum):
    # Held by whoever builds on a row (an item in a category): an archive of that row waits.
    SHARE = "share"
    # Held by whoever changes a row.
    UPDATE = "update"


@dataclass(frozen=True, slots=True)
class Reference:
    """A row something else points at: does it exist (for this tenant), is it archived."""

    id: UUID
    archived: bool


class UnknownLocation(Exception):
    """The business has no location with this id."""


@dataclass(frozen=True, slots=True)
class PriceRow:
    """One row of a price history."""

    location_id: UUID | None
    price_minor: int | None
    effective_from: datetime
    created_by: str


def _changes(rows: Sequence[PriceRow]) -> list[PriceChange]:
    return [PriceChange(row.effective_from, row.price_minor) for row in rows]


def _scheduled(rows: Sequence[PriceRow], now: datetime) -> list[PriceRow]:
    """Changes still to come, soonest first (the item's own before a venue's at one moment)."""
    coming = [row for row in rows if row.effective_from > now and row.price_minor is not None]
    return sorted(coming, key=lambda row: (row.effective_from, str(row.location_id or "")))


def _priced_item(
    row: Mapping[str, Any], history: Sequence[PriceRow], now: datetime
) -> dict[str, Any]:
    """An item's row with its prices as they are `now`, from its history (oldest first)."""
    venues: dict[UUID, list[PriceRow]] = defaultdict(list)
    for price in history:
        if price.location_id is not None:
            venues[price.location_id].append(price)
    own = business_price(_changes([p for p in history if p.location_id is None]), now)
    assert own is not None, "every item's first price is recorded when it is made"
    location_prices = []
    for location_id in sorted(venues, key=str):
        venue = venue_price(_changes(venues[location_id]), now)
        if venue is not None:
            location_prices.append(
                LocationPrice(item_id=row["id"], location_id=location_id, price_minor=venue)
            )
    return {
        **row,
        "price_minor": own,
        "location_prices": location_prices,
        "scheduled_prices": [
            ScheduledItemPrice(
                location_id=price.location_id,
                price_minor=price.price_minor,
                effective_from=price.effective_from,
                created_by=price.created_by,
            )
            for price in _scheduled(history, now)
        ],
    }


def _priced_modifier(
    row: Mapping[str, Any], history: Sequence[PriceRow], now: datetime
) -> Modifier:
    price = business_price(_changes(history), now)
    assert price is not None, "every modifier's first price is recorded when it is made"
    return Modifier.model_validate(
        {
            **row,
            "price_minor": price,
            "scheduled_prices": [
                ScheduledPrice(
                    price_minor=scheduled.price_minor,
                    effective_from=scheduled.effective_from,
                    created_by=scheduled.created_by,
                )
                for scheduled in _scheduled(history, now)
            ],
        }
    )


def _unknown_location(error: IntegrityError) -> bool:
    cause = error.orig.__cause__ if error.orig is not None else None
    return getattr(cause, "constraint_name", None) in LOCATION_FOREIGN_KEYS


def _locked(query: sa.Select[Any], lock: Lock | None) -> sa.Select[Any]:
    if lock is Lock.SHARE:
        return query.with_for_update(read=True)
    if lock is Lock.UPDATE:
        return query.with_for_update()
    return query


def _archived(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {**row, "archived": row["archived_at"] is not None}


def _page(
    query: sa.Select[Any], table: sa.Table, *, limit: int, after: Cursor | None
) -> sa.Select[Any]:
    """Newest first over (created_at, id); `after` is the last (created_at, id) already seen."""
    if after is not None:
        query = query.where(sa.tuple_(table.c.created_at, table.c.id) < sa.tuple_(*after))
    return query.order_by(table.c.created_at.desc(), table.c.id.desc()).limit(limit)


def _edit_values(table: sa.Table, changes: Mapping[str, Any]) -> dict[str, Any]:
    values = {name: value for name, value in changes.items() if name != "archived"}
    if "archived" in changes:
        # Archiving again keeps the first archive time.
        values["archived_at"] = (
            sa.func.coalesce(table.c.archived_at, sa.func.now()) if changes["archived"] else None
        )
    return values | {"version": table.c.version + 1, "updated_at": sa.func.now()}


class MenuRepository(Repository):
    async def database_now(self) -> datetime:
        """The database's clock as it is now (`clock_timestamp()`, the clock a change made now
        is recorded at), so a price changed earlier in this transaction is in force."""
        moment: datetime = (
            await self._connection.execute(sa.select(sa.func.clock_timestamp()))
        ).scalar_one()
        return moment

    async def attribute_prices_to(self, subject: str) -> None:
        """Name who changes prices in this transaction: the price history's `created_by` for
        the changes the triggers record (transaction-local, like the tenant)."""
        await self._connection.execute(
            sa.select(sa.func.set_config("halopos.actor", subject, True))
        )

    async def _price_history(
        self, column: sa.Column[Any], ids: Collection[UUID]
    ) -> dict[UUID, list[PriceRow]]:
        """The price histories of these items or modifiers, each oldest first: one query."""
        history: dict[UUID, list[PriceRow]] = defaultdict(list)
        if not ids:
            return history
        rows = await self._connection.execute(
            sa.select(*_PRICE).where(column.in_(list(ids))).order_by(menu_prices.c.effective_from)
        )
        for row in rows:
            history[row.item_id or row.modifier_id].append(
                PriceRow(row.location_id, row.price_minor, row.effective_from, row.created_by)
            )
        return history

    async def _insert(
        self, table: sa.Table, columns: Sequence[sa.Column[Any]], values: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Insert a row; None if one with this id exists (an offline record sent again)."""
        row = (
            await self._connection.execute(
                insert(table)
                .values(**values)
                .on_conflict_do_nothing(index_elements=[table.c.tenant_id, table.c.id])
                .returning(*columns)
            )
        ).first()
        return _archived(row._mapping) if row else None

    async def _update(
        self,
        table: sa.Table,
        columns: Sequence[sa.Column[Any]],
        row_id: UUID,
        *,
        expected_version: int,
        changes: Mapping[str, Any],
    ) -> dict[str, Any] | None:
        """Apply the changes if the row is still at `expected_version`; None if it is not (or
        does not exist): the caller re-reads to tell which."""
        row = (
            await self._connection.execute(
                sa.update(table)
                .where(table.c.id == row_id, table.c.version == expected_version)
                .values(**_edit_values(table, changes))
                .returning(*columns)
            )
        ).first()
        return _archived(row._mapping) if row else None

    async def _one(
        self, table: sa.Table, columns: Sequence[sa.Column[Any]], row_id: UUID, lock: Lock | None
    ) -> dict[str, Any] | None:
        query = _locked(sa.select(*columns).where(table.c.id == row_id), lock)
        row = (await self._connection.execute(query)).first()
        return _archived(row._mapping) if row else None

    async def _references(
        self, table: sa.Table, ids: Collection[UUID], lock: Lock | None
    ) -> dict[UUID, Reference]:
        if not ids:
            return {}
        query = sa.select(table.c.id, table.c.archived_at).where(table.c.id.in_(list(ids)))
        rows = await self._connection.execute(_locked(query.order_by(table.c.id), lock))
        return {row.id: Reference(row.id, row.archived_at is not None) for row in rows}

    # -- categories ----------------------------------------------------------------------------

    async def insert_category(
        self, *, category_id: UUID, name: str, position: int, printer_role: str | None
    ) -> MenuCategory | None:
        row = await self._insert(
            menu_categories,
            _CATEGORY,
            {"id": category_id, "name": name, "position": position, "printer_role": printer_role},
        )
        return MenuCategory.model_validate(row) if row else None

    async def category(self, category_id: UUID) -> MenuCategory | None:
        row = await self._one(menu_categories, _CATEGORY, category_id, None)
        return MenuCategory.model_validate(row) if row else None

    async def category_reference(self, category_id: UUID, *, lock: Lock | None) -> Reference | None:
        return (await self._references(menu_categories, [category_id], lock)).get(category_id)

    async def categories_page(
        self, *, limit: int, after: Cursor | None, include_archived: bool
    ) -> list[MenuCategory]:
        query = sa.select(*_CATEGORY)
        if not include_archived:
            query = query.where(menu_categories.c.archived_at.is_(None))
        rows = await self._connection.execute(
            _page(query, menu_categories, limit=limit, after=after)
        )
        return [MenuCategory.model_validate(_archived(row._mapping)) for row in rows]

    async def update_category(
        self, category_id: UUID, *, expected_version: int, changes: Mapping[str, Any]
    ) -> MenuCategory | None:
        row = await self._update(
            menu_categories,
            _CATEGORY,
            category_id,
            expected_version=expected_version,
            changes=changes,
        )
        return MenuCategory.model_validate(row) if row else None

    # -- tax categories (what an item may be taxed as) -----------------------------------------

    async def tax_category_reference(
        self, tax_category_id: UUID, *, lock: Lock | None
    ) -> Reference | None:
        return (await self._references(tax_categories, [tax_category_id], lock)).get(
            tax_category_id
        )

    # -- items ---------------------------------------------------------------------------------

    async def insert_item(
        self,
        *,
        item_id: UUID,
        category_id: UUID,
        tax_category_id: UUID,
        name: str,
        price_minor: int,
        position: int,
        modifier_group_ids: Sequence[UUID],
    ) -> MenuItem | None:
        row = await self._insert(
            menu_items,
            _ITEM,
            {
                "id": item_id,
                "category_id": category_id,
                "tax_category_id": tax_category_id,
                "name": name,
                "price_minor": price_minor,
                "position": position,
            },
        )
        if row is None:
            return None
        await self.replace_modifier_groups(item_id, modifier_group_ids)
        return (await self._items_with_links([row]))[0]

    async def item(self, item_id: UUID) -> MenuItem | None:
        row = await self._one(menu_items, _ITEM, item_id, None)
        return (await self._items_with_links([row]))[0] if row else None

    async def item_reference(self, item_id: UUID, *, lock: Lock | None) -> Reference | None:
        return (await self._references(menu_items, [item_id], lock)).get(item_id)

    async def items_page(
        self,
        *,
        limit: int,
        after: Cursor | None,
        include_archived: bool,
        category_id: UUID | None,
    ) -> list[MenuItem]:
        query = sa.select(*_ITEM)
        if not include_archived:
            query = query.where(menu_items.c.archived_at.is_(None))
        if category_id is not None:
            query = query.where(menu_items.c.category_id == category_id)
        rows = await self._connection.execute(_page(query, menu_items, limit=limit, after=after))
        return await self._items_with_links([_archived(row._mapping) for row in rows])

    async def update_item(
        self, item_id: UUID, *, expected_version: int, changes: Mapping[str, Any]
    ) -> MenuItem | None:
        """Changes to the item's own columns; its modifier groups are replaced separately,
        after this has won the version check (and so holds the row)."""
        row = await self._update(
            menu_items, _ITEM, item_id, expected_version=expected_version, changes=changes
        )
        return (await self._items_with_links([row]))[0] if row else None

    async def replace_modifier_groups(self, item_id: UUID, group_ids: Sequence[UUID]) -> None:
        await self._connection.execute(
            sa.delete(menu_item_modifier_groups).where(
                menu_item_modifier_groups.c.item_id == item_id
            )
        )
        if group_ids:
            await self._connection.execute(
                menu_item_modifier_groups.insert(),
                [
                    {"item_id": item_id, "group_id": group_id, "position": position}
                    for position, group_id in enumerate(group_ids)
                ],
            )

    async def _items_with_links(self, rows: list[dict[str, Any]]) -> list[MenuItem]:
        """Items with their modifier groups and prices now: three queries for any number."""
        if not rows:
            return []
        ids = [row["id"] for row in rows]
        groups: dict[UUID, list[UUID]] = defaultdict(list)
        links = await self._connection.execute(
            sa.select(menu_item_modifier_groups.c.item_id, menu_item_modifier_groups.c.group_id)
            .where(menu_item_modifier_groups.c.item_id.in_(ids))
            .order_by(
                menu_item_modifier_groups.c.item_id,
                menu_item_modifier_groups.c.position,
                menu_item_modifier_groups.c.group_id,
            )
        )
        for link in links:
            groups[link.item_id].append(link.group_id)
        history = await self._price_history(menu_prices.c.item_id, ids)
        now = await self.database_now()
        return [
            MenuItem.model_validate(
                _priced_item(row, history[row["id"]], now)
                | {"modifier_group_ids": groups[row["id"]]}
            )
            for row in rows
        ]

    # -- venue prices --------------------------------------------------------------------------

    async def location_price(self, item_id: UUID, location_id: UUID) -> int | None:
        """The venue's own price for the item in force now; None if it has none."""
        history = (await self._price_history(menu_prices.c.item_id, [item_id]))[item_id]
        venue = [row for row in history if row.location_id == location_id]
        return venue_price(_changes(venue), await self.database_now())

    async def set_location_price(
        self, item_id: UUID, location_id: UUID, price_minor: int
    ) -> LocationPrice:
        """Insert or replace; raises UnknownLocation if the business has no such location.

        This service cannot read identity.locations: the foreign key (checked by Postgres
        outside row-level security, within the tenant) is what knows. In a savepoint, so the
        request's transaction survives the refusal."""
        statement = insert(menu_item_location_prices).values(
            item_id=item_id, location_id=location_id, price_minor=price_minor
        )
        statement = statement.on_conflict_do_update(
            index_elements=[
                menu_item_location_prices.c.tenant_id,
                menu_item_location_prices.c.item_id,
                menu_item_location_prices.c.location_id,
            ],
            set_={"price_minor": statement.excluded.price_minor},
        )
        try:
            async with self._connection.begin_nested():
                await self._connection.execute(statement)
        except IntegrityError as error:
            if _unknown_location(error):
                raise UnknownLocation(str(location_id)) from None
            raise
        return LocationPrice(item_id=item_id, location_id=location_id, price_minor=price_minor)

    async def price_at(self, item_id: UUID, location_id: UUID | None, at: datetime) -> int | None:
        """What one of the item costs at `at`, at the venue if one is named."""
        history = (await self._price_history(menu_prices.c.item_id, [item_id]))[item_id]
        return item_price(
            _changes([row for row in history if row.location_id is None]),
            _changes([row for row in history if row.location_id == location_id])
            if location_id is not None
            else [],
            at,
        )

    async def modifier_price_at(self, modifier_id: UUID, at: datetime) -> int | None:
        history = await self._price_history(menu_prices.c.modifier_id, [modifier_id])
        return business_price(_changes(history[modifier_id]), at)

    async def insert_scheduled_price(
        self,
        *,
        item_id: UUID | None = None,
        modifier_id: UUID | None = None,
        location_id: UUID | None = None,
        price_minor: int,
        effective_from: datetime,
        created_by: str,
    ) -> bool:
        """A price from a later moment on (an item's, a venue's for an item, or a
        modifier's); False if that one already has a price from that exact moment. Raises
        UnknownLocation for a venue the business does not have (in a savepoint, as above)."""
        statement = (
            insert(menu_prices)
            .values(
                id=uuid.uuid4(),
                item_id=item_id,
                modifier_id=modifier_id,
                location_id=location_id,
                price_minor=price_minor,
                effective_from=effective_from,
                created_by=created_by,
            )
            .on_conflict_do_nothing()
            .returning(menu_prices.c.id)
        )
        try:
            async with self._connection.begin_nested():
                inserted = (await self._connection.execute(statement)).first()
        except IntegrityError as error:
            if _unknown_location(error):
                raise UnknownLocation(str(location_id)) from None
            raise
        return inserted is not None

    async def delete_location_price(self, item_id: UUID, location_id: UUID) -> int | None:
        """The removed price, or None if there was none."""
        price: int | None = (
            await self._connection.execute(
                sa.delete(menu_item_location_prices)
                .where(
                    menu_item_location_prices.c.item_id == item_id,
                    menu_item_location_prices.c.location_id == location_id,
                )
                .returning(menu_item_location_prices.c.price_minor)
            )
        ).scalar_one_or_none()
        return price

    # -- modifier groups and modifiers ---------------------------------------------------------

    async def insert_group(
        self, *, group_id: UUID, name: str, min_choices: int, max_choices: int
    ) -> ModifierGroup | None:
        row = await self._insert(
            modifier_groups,
            _GROUP,
            {"id": group_id, "name": name, "min_choices": min_choices, "max_choices": max_choices},
        )
        return ModifierGroup.model_validate(row | {"modifiers": []}) if row else None

    async def group(self, group_id: UUID) -> ModifierGroup | None:
        row = await self._one(modifier_groups, _GROUP, group_id, None)
        return (await self._groups_with_modifiers([row], include_archived=True))[0] if row else None

    async def group_references(
        self, group_ids: Collection[UUID], *, lock: Lock | None
    ) -> dict[UUID, Reference]:
        return await self._references(modifier_groups, group_ids, lock)

    async def groups_page(
        self, *, limit: int, after: Cursor | None, include_archived: bool
    ) -> list[ModifierGroup]:
        query = sa.select(*_GROUP)
        if not include_archived:
            query = query.where(modifier_groups.c.archived_at.is_(None))
        rows = await self._connection.execute(
            _page(query, modifier_groups, limit=limit, after=after)
        )
        return await self._groups_with_modifiers(
            [_archived(row._mapping) for row in rows], include_archived=include_archived
        )

    async def update_group(
        self, group_id: UUID, *, expected_version: int, changes: Mapping[str, Any]
    ) -> ModifierGroup | None:
        row = await self._update(
            modifier_groups, _GROUP, group_id, expected_version=expected_version, changes=changes
        )
        return (await self._groups_with_modifiers([row], include_archived=True))[0] if row else None

    async def _groups_with_modifiers(
        self, rows: list[dict[str, Any]], *, include_archived: bool
    ) -> list[ModifierGroup]:
        if not rows:
            return []
        query = sa.select(*_MODIFIER).where(modifiers.c.group_id.in_([row["id"] for row in rows]))
        if not include_archived:
            query = query.where(modifiers.c.archived_at.is_(None))
        found = await self._connection.execute(
            query.order_by(
                modifiers.c.group_id, modifiers.c.position, modifiers.c.name, modifiers.c.id
            )
        )
        by_group: dict[UUID, list[Modifier]] = defaultdict(list)
        for modifier in await self._modifiers_with_prices(
            [_archived(row._mapping) for row in found]
        ):
            by_group[modifier.group_id].append(modifier)
        return [
            ModifierGroup.model_validate(row | {"modifiers": by_group[row["id"]]}) for row in rows
        ]

    async def _modifiers_with_prices(self, rows: list[dict[str, Any]]) -> list[Modifier]:
        """Modifiers with their prices now: two queries for any number."""
        if not rows:
            return []
        history = await self._price_history(menu_prices.c.modifier_id, [row["id"] for row in rows])
        now = await self.database_now()
        return [_priced_modifier(row, history[row["id"]], now) for row in rows]

    async def insert_modifier(
        self, *, modifier_id: UUID, group_id: UUID, name: str, price_minor: int, position: int
    ) -> Modifier | None:
        row = await self._insert(
            modifiers,
            _MODIFIER,
            {
                "id": modifier_id,
                "group_id": group_id,
                "name": name,
                "price_minor": price_minor,
                "position": position,
            },
        )
        return (await self._modifiers_with_prices([row]))[0] if row else None

    async def modifier(self, modifier_id: UUID) -> Modifier | None:
        row = await self._one(modifiers, _MODIFIER, modifier_id, None)
        return (await self._modifiers_with_prices([row]))[0] if row else None

    async def update_modifier(
        self, modifier_id: UUID, *, expected_version: int, changes: Mapping[str, Any]
    ) -> Modifier | None:
        row = await self._update(
            modifiers, _MODIFIER, modifier_id, expected_version=expected_version, changes=changes
        )
        return (await self._modifiers_with_prices([row]))[0] if row else None

    # -- the till's menu -----------------------------------------------------------------------

    async def snapshot(
        self, *, tenant_id: UUID, location_id: UUID | None
    ) -> tuple[MenuSnapshot, datetime] | None:
        """The venue's menu snapshot (from the process's cache when the catalog version has
        not moved: then a single query) and the database's clock; None if the business was
        never provisioned."""
        row = (
            await self._connection.execute(
                sa.select(settings.c.catalog_version, sa.func.clock_timestamp())
            )
        ).first()
        if row is None:
            return None
        version, now = row
        snapshot = await snapshots.get(
            self._connection, tenant_id=tenant_id, location_id=location_id, version=version
        )
        return snapshot, now
