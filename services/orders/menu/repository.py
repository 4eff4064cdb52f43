"""SQL for the menu. Nothing here names a tenant: the connection is tenant-bound and row-level
security filters, while `tenant_id` columns default to the transaction's tenant.

Edits are optimistic: an UPDATE matches only the version the client read (`... AND version =
:expected`), so of two concurrent edits exactly one wins; the loser's UPDATE matches no row.
"""

from __future__ import annotations

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
from sqlalchemy.ext.asyncio import AsyncConnection

from services.orders.menu.schemas import (
    LocationPrice,
    MenuCategory,
    MenuItem,
    Modifier,
    ModifierGroup,
    TillCategory,
    TillItem,
    TillModifier,
    TillModifierGroup,
)
from services.orders.models import (
    menu_categories,
    menu_item_location_prices,
    menu_item_modifier_groups,
    menu_items,
    modifier_groups,
    modifiers,
    settings,
    tax_categories,
)

# The foreign key that refuses a venue price for a location the business does not have.
LOCATION_FOREIGN_KEY = "fk_menu_item_location_prices_tenant_id_location_id_locations"

_EDITED = ("archived_at", "version", "created_at", "updated_at")
_CATEGORY = tuple(
    menu_categories.c[name] for name in ("id", "name", "position", "printer_role", *_EDITED)
)
_ITEM = tuple(
    menu_items.c[name]
    for name in ("id", "category_id", "tax_category_id", "name", "price_minor", "position")
) + tuple(menu_items.c[name] for name in _EDITED)
_GROUP = tuple(
    modifier_groups.c[name] for name in ("id", "name", "min_choices", "max_choices", *_EDITED)
)
_MODIFIER = tuple(
    modifiers.c[name] for name in ("id", "group_id", "name", "price_minor", "position", *_EDITED)
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


class MenuRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    @classmethod
    def from_connection(cls, connection: AsyncConnection) -> MenuRepository:
        return cls(connection)

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
        """Items with their modifier groups and venue prices: two queries for any number."""
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
        prices: dict[UUID, list[LocationPrice]] = defaultdict(list)
        venue_prices = await self._connection.execute(
            sa.select(
                menu_item_location_prices.c.item_id,
                menu_item_location_prices.c.location_id,
                menu_item_location_prices.c.price_minor,
            )
            .where(menu_item_location_prices.c.item_id.in_(ids))
            .order_by(menu_item_location_prices.c.item_id, menu_item_location_prices.c.location_id)
        )
        for price in venue_prices:
            prices[price.item_id].append(LocationPrice.model_validate(price._asdict()))
        return [
            MenuItem.model_validate(
                row
                | {"modifier_group_ids": groups[row["id"]], "location_prices": prices[row["id"]]}
            )
            for row in rows
        ]

    # -- venue prices --------------------------------------------------------------------------

    async def location_price(self, item_id: UUID, location_id: UUID) -> int | None:
        price: int | None = (
            await self._connection.execute(
                sa.select(menu_item_location_prices.c.price_minor).where(
                    menu_item_location_prices.c.item_id == item_id,
                    menu_item_location_prices.c.location_id == location_id,
                )
            )
        ).scalar_one_or_none()
        return price

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
            cause = error.orig.__cause__ if error.orig is not None else None
            if getattr(cause, "constraint_name", None) == LOCATION_FOREIGN_KEY:
                raise UnknownLocation(str(location_id)) from None
            raise
        return LocationPrice(item_id=item_id, location_id=location_id, price_minor=price_minor)

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
        by_group: dict[UUID, list[Modifier]] = defaultdict(list)
        for row in await self._connection.execute(
            query.order_by(
                modifiers.c.group_id, modifiers.c.position, modifiers.c.name, modifiers.c.id
            )
        ):
            by_group[row.group_id].append(Modifier.model_validate(_archived(row._mapping)))
        return [
            ModifierGroup.model_validate(row | {"modifiers": by_group[row["id"]]}) for row in rows
        ]

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
        return Modifier.model_validate(row) if row else None

    async def modifier(self, modifier_id: UUID) -> Modifier | None:
        row = await self._one(modifiers, _MODIFIER, modifier_id, None)
        return Modifier.model_validate(row) if row else None

    async def update_modifier(
        self, modifier_id: UUID, *, expected_version: int, changes: Mapping[str, Any]
    ) -> Modifier | None:
        row = await self._update(
            modifiers, _MODIFIER, modifier_id, expected_version=expected_version, changes=changes
        )
        return Modifier.model_validate(row) if row else None

    # -- the till's menu -----------------------------------------------------------------------

    async def pricing_basis(self) -> tuple[str, bool] | None:
        """(currency, prices_include_tax), or None if the business was never provisioned."""
        row = (
            await self._connection.execute(
                sa.select(settings.c.currency, settings.c.prices_include_tax)
            )
        ).first()
        return (row.currency, row.prices_include_tax) if row else None

    async def till_menu(self, location_id: UUID | None) -> list[TillCategory]:
        """Everything sellable now, in display order, priced for the venue: four queries
        whatever the size of the menu."""
        categories = await self._connection.execute(
            sa.select(menu_categories.c.id, menu_categories.c.name)
            .where(menu_categories.c.archived_at.is_(None))
            .order_by(menu_categories.c.position, menu_categories.c.name, menu_categories.c.id)
        )
        menu = [TillCategory(id=row.id, name=row.name, items=[]) for row in categories]
        if not menu:
            return []

        price: sa.ColumnElement[Any] = menu_items.c.price_minor
        sellable = menu_items.join(
            menu_categories,
            sa.and_(
                menu_categories.c.id == menu_items.c.category_id,
                menu_categories.c.archived_at.is_(None),
            ),
        )
        if location_id is not None:
            sellable = sellable.outerjoin(
                menu_item_location_prices,
                sa.and_(
                    menu_item_location_prices.c.item_id == menu_items.c.id,
                    menu_item_location_prices.c.location_id == location_id,
                ),
            )
            price = sa.func.coalesce(menu_item_location_prices.c.price_minor, price)
        item_rows = await self._connection.execute(
            sa.select(
                menu_items.c.id,
                menu_items.c.category_id,
                menu_items.c.tax_category_id,
                menu_items.c.name,
                price.label("price_minor"),
            )
            .select_from(sellable)
            .where(menu_items.c.archived_at.is_(None))
            .order_by(menu_items.c.position, menu_items.c.name, menu_items.c.id)
        )
        items: dict[UUID, TillItem] = {}
        by_category: dict[UUID, list[TillItem]] = defaultdict(list)
        for sold in item_rows:
            item = TillItem(
                id=sold.id,
                name=sold.name,
                price_minor=sold.price_minor,
                tax_category_id=sold.tax_category_id,
                modifier_groups=[],
            )
            items[sold.id] = item
            by_category[sold.category_id].append(item)
        for category in menu:
            category.items = by_category[category.id]
        if not items:
            return menu

        modifier_rows = await self._connection.execute(
            sa.select(
                modifiers.c.id, modifiers.c.group_id, modifiers.c.name, modifiers.c.price_minor
            )
            .select_from(
                modifiers.join(
                    modifier_groups,
                    sa.and_(
                        modifier_groups.c.id == modifiers.c.group_id,
                        modifier_groups.c.archived_at.is_(None),
                    ),
                )
            )
            .where(modifiers.c.archived_at.is_(None))
            .order_by(modifiers.c.group_id, modifiers.c.position, modifiers.c.name, modifiers.c.id)
        )
        choices: dict[UUID, list[TillModifier]] = defaultdict(list)
        for choice in modifier_rows:
            choices[choice.group_id].append(
                TillModifier(id=choice.id, name=choice.name, price_minor=choice.price_minor)
            )

        link_rows = await self._connection.execute(
            sa.select(
                menu_item_modifier_groups.c.item_id,
                modifier_groups.c.id,
                modifier_groups.c.name,
                modifier_groups.c.min_choices,
                modifier_groups.c.max_choices,
            )
            .select_from(
                menu_item_modifier_groups.join(
                    modifier_groups,
                    sa.and_(
                        modifier_groups.c.id == menu_item_modifier_groups.c.group_id,
                        modifier_groups.c.archived_at.is_(None),
                    ),
                )
            )
            .order_by(menu_item_modifier_groups.c.item_id, menu_item_modifier_groups.c.position)
        )
        for link in link_rows:
            linked = items.get(link.item_id)
            if linked is not None:
                linked.modifier_groups.append(
                    TillModifierGroup(
                        id=link.id,
                        name=link.name,
                        min_choices=link.min_choices,
                        max_choices=link.max_choices,
                        modifiers=choices[link.id],
                    )
                )
        return menu
