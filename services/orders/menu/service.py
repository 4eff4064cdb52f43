"""Menu rules. No SQL here and no commit: the request's tenant transaction commits once.

Nothing on a menu is deleted: it is archived (`{"archived": true}`), which hides it from the
till and stops new sales of it, while past orders keep the names and prices they were sold
at. Every edit names the version it was made against; a stale one is refused (409).

Prices are never edited either: a price change (an item's, a venue's, a modifier's) is a new
price from a moment on, now or scheduled for later, never earlier, so a sale is priced as it
was when it happened (`services/orders/menu/snapshot.py`).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from libs.api.concurrency import VersionConflict, check_version
from libs.api.pagination import cut_page, decode_cursor, encode_cursor
from libs.audit.append import Actor, AuditLog
from libs.auth.principal import Principal
from libs.problems import Conflict, NotFound, Problem
from services.orders.menu.repository import Lock, MenuRepository, UnknownLocation
from services.orders.menu.schemas import (
    ItemPriceSchedule,
    LocationPrice,
    LocationPriceSet,
    MenuCategory,
    MenuCategoryCreate,
    MenuCategoryPage,
    MenuCategoryUpdate,
    MenuItem,
    MenuItemCreate,
    MenuItemPage,
    MenuItemUpdate,
    Modifier,
    ModifierCreate,
    ModifierGroup,
    ModifierGroupCreate,
    ModifierGroupPage,
    ModifierGroupUpdate,
    ModifierUpdate,
    PriceSchedule,
    TillCategory,
    TillItem,
    TillMenu,
    TillModifier,
    TillModifierGroup,
)
from services.orders.menu.snapshot import MenuSnapshot, SnapshotGroup
from services.orders.tax.service import TaxCategoryArchived, TaxSettingsNotFound


class MenuCategoryNotFound(NotFound):
    code = "menu-category-not-found"
    title = "No such menu category"


class MenuItemNotFound(NotFound):
    code = "menu-item-not-found"
    title = "No such menu item"


class ModifierGroupNotFound(NotFound):
    code = "modifier-group-not-found"
    title = "No such modifier group"


class ModifierNotFound(NotFound):
    code = "modifier-not-found"
    title = "No such modifier"


class LocationNotFound(NotFound):
    code = "location-not-found"
    title = "No such location"


class UnknownReference(Problem):
    status = 422
    code = "unknown-reference"
    title = "The request names a category, tax category or modifier group that does not exist"


class MenuCategoryArchived(Conflict):
    code = "menu-category-archived"
    title = "The menu category is archived; restore it first"


class ModifierGroupArchived(Conflict):
    code = "modifier-group-archived"
    title = "The modifier group is archived; restore it first"


class MenuIdConflict(Conflict):
    code = "menu-id-conflict"
    title = "A record with this id already exists with different content"


class ModifierChoicesInvalid(Problem):
    status = 422
    code = "modifier-choices-invalid"
    title = "min_choices cannot exceed max_choices"


class MenuItemArchived(Conflict):
    code = "menu-item-archived"
    title = "The menu item is archived; restore it first"


class ModifierArchived(Conflict):
    code = "modifier-archived"
    title = "The modifier is archived; restore it first"


class PriceChangeRetroactive(Problem):
    status = 422
    code = "price-change-retroactive"
    title = "A price change applies to sales after it, never retroactively"


class PriceChangeDuplicate(Conflict):
    code = "price-change-duplicate"
    title = "This price already changes at this exact moment"


# Every editable menu resource: an id, a version, archivable.
_Edited = MenuCategory | MenuItem | ModifierGroup | Modifier


def _device(principal: Principal) -> str | None:
    return str(principal.device_id) if principal.device_id else None


def _same(existing: BaseModel, request: BaseModel, **fields: Any) -> bool:
    """Does a replayed create (same client id) carry the content the record has?"""
    sent = request.model_dump(exclude={"id"}) | fields
    return all(getattr(existing, name) == value for name, value in sent.items())


def _change_action(resource: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    if before.get("archived") != after.get("archived"):
        return f"{resource}.archived" if after["archived"] else f"{resource}.restored"
    return f"{resource}.changed"


def _diff(
    before: BaseModel, after: BaseModel, fields: Collection[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What changed, as JSON values: (before, after) of each changed field."""
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    changed = [name for name in fields if old[name] != new[name]]
    return {name: old[name] for name in changed}, {name: new[name] for name in changed}


async def _audit_change(
    audit: AuditLog,
    principal: Principal,
    *,
    resource: str,
    before: BaseModel,
    after: _Edited,
    fields: Collection[str],
    extra: Mapping[str, Any] | None = None,
) -> None:
    old, new = _diff(before, after, fields)
    await audit.append(
        actor=Actor.of(principal),
        action=_change_action(resource, old, new),
        resource_type=resource,
        resource_id=str(after.id),
        payload={
            "before": old,
            "after": new,
            "version": after.version,
            **(extra or {}),
            "device_id": _device(principal),
        },
    )


async def _audit_created(
    audit: AuditLog, principal: Principal, *, resource: str, created: BaseModel
) -> None:
    payload = created.model_dump(
        mode="json",
        exclude={
            "created_at",
            "updated_at",
            "archived_at",
            "archived",
            "version",
            "scheduled_prices",
        },
    )
    await audit.append(
        actor=Actor.of(principal),
        action=f"{resource}.created",
        resource_type=resource,
        resource_id=str(payload.pop("id")),
        payload=payload | {"device_id": _device(principal)},
    )


def _lost_race(current: _Edited | None, not_found: Problem) -> Problem:
    """Why a version-checked UPDATE matched no row: gone (another tenant's, never existed) or
    changed by someone else first."""
    if current is None:
        return not_found
    return VersionConflict(current.version)


def _after(cursor: str | None) -> Any:
    return decode_cursor(cursor) if cursor else None


def _cursor(row: Any) -> str:
    return encode_cursor(row.created_at, row.id)


# -- the till's menu ---------------------------------------------------------------------------


def till_categories(snapshot: MenuSnapshot, at: datetime) -> list[TillCategory]:
    """What the till offers at `at`, from the venue's snapshot: categories, items, groups and
    modifiers on sale then, in display order, at the prices in force then (the venue's own
    where it has one). Pure: the same snapshot prices the sale."""

    def offered(group: SnapshotGroup) -> TillModifierGroup:
        choices = []
        for modifier in snapshot.modifiers_of(group.id):
            price = snapshot.modifier_price(modifier.id, at)
            if modifier.sellable_at(at) and price is not None:
                choices.append(TillModifier(id=modifier.id, name=modifier.name, price_minor=price))
        return TillModifierGroup(
            id=group.id,
            name=group.name,
            min_choices=group.min_choices,
            max_choices=group.max_choices,
            modifiers=choices,
        )

    by_category: dict[UUID, list[TillItem]] = defaultdict(list)
    for item in snapshot.items:
        price = snapshot.unit_price(item.id, at)
        rate = snapshot.tax_rate(item.tax_category_id, at)
        # An item without a rate in force cannot be priced: the server refuses its sale too.
        if not item.sellable_at(at) or price is None or rate is None:
            continue
        by_category[item.category_id].append(
            TillItem(
                id=item.id,
                name=item.name,
                price_minor=price,
                tax_category_id=item.tax_category_id,
                tax_rate_percent=rate,
                modifier_groups=[offered(group) for group in snapshot.offered_groups(item, at)],
            )
        )
    return [
        TillCategory(id=category.id, name=category.name, items=by_category[category.id])
        for category in snapshot.categories
        if category.sellable_at(at)
    ]


async def till_menu(*, menu: MenuRepository, principal: Principal) -> TillMenu:
    found = await menu.snapshot(tenant_id=principal.tenant_id, location_id=principal.location_id)
    if found is None:
        raise TaxSettingsNotFound()
    snapshot, now = found
    return TillMenu(
        currency=snapshot.currency,
        prices_include_tax=snapshot.prices_include_tax,
        cash_rounding_minor=snapshot.cash_rounding_minor,
        catalog_version=snapshot.version,
        location_id=principal.location_id,
        categories=till_categories(snapshot, now),
    )


# -- categories --------------------------------------------------------------------------------


async def list_categories(
    *, menu: MenuRepository, limit: int, cursor: str | None, include_archived: bool
) -> MenuCategoryPage:
    page = await menu.categories_page(
        limit=limit + 1, after=_after(cursor), include_archived=include_archived
    )
    items, next_cursor = cut_page(page, limit, _cursor)
    return MenuCategoryPage(items=items, next_cursor=next_cursor)


async def create_category(
    *, menu: MenuRepository, audit: AuditLog, principal: Principal, request: MenuCategoryCreate
) -> tuple[MenuCategory, bool]:
    """(the category, whether it was created now) — False for an offline record sent again."""
    category_id = request.id or uuid.uuid4()
    created = await menu.insert_category(
        category_id=category_id,
        name=request.name,
        position=request.position,
        printer_role=request.printer_role,
    )
    if created is None:
        existing = await menu.category(category_id)
        assert existing is not None, "the insert conflicted on this id"
        if not _same(existing, request):
            raise MenuIdConflict(id=str(category_id))
        return existing, False
    await _audit_created(audit, principal, resource="menu_category", created=created)
    return created, True


async def update_category(
    *,
    menu: MenuRepository,
    audit: AuditLog,
    principal: Principal,
    category_id: UUID,
    request: MenuCategoryUpdate,
    expected_version: int,
) -> MenuCategory:
    before = await menu.category(category_id)
    if before is None:
        raise MenuCategoryNotFound()
    check_version(before.version, expected_version)
    changes = request.changes()
    after = await menu.update_category(
        category_id, expected_version=expected_version, changes=changes
    )
    if after is None:
        raise _lost_race(await menu.category(category_id), MenuCategoryNotFound())
    await _audit_change(
        audit, principal, resource="menu_category", before=before, after=after, fields=changes
    )
    return after


# -- items -------------------------------------------------------------------------------------


async def _check_item_references(
    menu: MenuRepository,
    *,
    category_id: UUID | None,
    tax_category_id: UUID | None,
    new_group_ids: Collection[UUID],
) -> None:
    """What a new or changed item points at must exist and be in use. Held FOR SHARE until
    the transaction ends, so none of them is archived in between."""
    if category_id is not None:
        category = await menu.category_reference(category_id, lock=Lock.SHARE)
        if category is None:
            raise UnknownReference("No such menu category.", category_id=str(category_id))
        if category.archived:
            raise MenuCategoryArchived(category_id=str(category_id))
    if tax_category_id is not None:
        tax_category = await menu.tax_category_reference(tax_category_id, lock=Lock.SHARE)
        if tax_category is None:
            raise UnknownReference("No such tax category.", tax_category_id=str(tax_category_id))
        if tax_category.archived:
            raise TaxCategoryArchived(tax_category_id=str(tax_category_id))
    if new_group_ids:
        groups = await menu.group_references(new_group_ids, lock=Lock.SHARE)
        missing = [str(group_id) for group_id in new_group_ids if group_id not in groups]
        if missing:
            raise UnknownReference("No such modifier group.", modifier_group_ids=missing)
        archived = [str(group.id) for group in groups.values() if group.archived]
        if archived:
            raise ModifierGroupArchived(modifier_group_ids=archived)


async def list_items(
    *,
    menu: MenuRepository,
    limit: int,
    cursor: str | None,
    include_archived: bool,
    category_id: UUID | None,
) -> MenuItemPage:
    page = await menu.items_page(
        limit=limit + 1,
        after=_after(cursor),
        include_archived=include_archived,
        category_id=category_id,
    )
    items, next_cursor = cut_page(page, limit, _cursor)
    return MenuItemPage(items=items, next_cursor=next_cursor)


async def get_item(*, menu: MenuRepository, item_id: UUID) -> MenuItem:
    # Another tenant's item is invisible under RLS, so it is "not found", never "forbidden".
    item = await menu.item(item_id)
    if item is None:
        raise MenuItemNotFound()
    return item


async def create_item(
    *, menu: MenuRepository, audit: AuditLog, principal: Principal, request: MenuItemCreate
) -> tuple[MenuItem, bool]:
    """(the item, whether it was created now) — False for an offline record sent again."""
    if request.id is not None:
        # A replay is answered from what exists, even if its category was archived since.
        existing = await menu.item(request.id)
        if existing is not None:
            if not _same(existing, request):
                raise MenuIdConflict(id=str(request.id))
            return existing, False
    await _check_item_references(
        menu,
        category_id=request.category_id,
        tax_category_id=request.tax_category_id,
        new_group_ids=request.modifier_group_ids,
    )
    item_id = request.id or uuid.uuid4()
    await menu.attribute_prices_to(principal.subject)
    created = await menu.insert_item(
        item_id=item_id,
        category_id=request.category_id,
        tax_category_id=request.tax_category_id,
        name=request.name,
        price_minor=request.price_minor,
        position=request.position,
        modifier_group_ids=request.modifier_group_ids,
    )
    if created is None:
        # The same id, inserted concurrently.
        existing = await menu.item(item_id)
        assert existing is not None, "the insert conflicted on this id"
        if not _same(existing, request):
            raise MenuIdConflict(id=str(item_id))
        return existing, False
    await _audit_created(audit, principal, resource="menu_item", created=created)
    return created, True


async def update_item(
    *,
    menu: MenuRepository,
    audit: AuditLog,
    principal: Principal,
    item_id: UUID,
    request: MenuItemUpdate,
    expected_version: int,
) -> MenuItem:
    before = await menu.item(item_id)
    if before is None:
        raise MenuItemNotFound()
    check_version(before.version, expected_version)
    changes = request.changes()
    group_ids = changes.pop("modifier_group_ids", None)
    # Only what changes is checked: an item may keep a link to a group archived since. An
    # item restored must be taxable: no active item is in an archived tax category.
    restored = before.archived and request.archived is False
    tax_category_id = request.tax_category_id or before.tax_category_id
    await _check_item_references(
        menu,
        category_id=request.category_id if request.category_id != before.category_id else None,
        tax_category_id=(
            tax_category_id if restored or tax_category_id != before.tax_category_id else None
        ),
        new_group_ids=[g for g in group_ids or [] if g not in before.modifier_group_ids],
    )
    if "price_minor" in changes:
        await menu.attribute_prices_to(principal.subject)
    after = await menu.update_item(item_id, expected_version=expected_version, changes=changes)
    if after is None:
        raise _lost_race(await menu.item(item_id), MenuItemNotFound())
    if group_ids is not None:
        await menu.replace_modifier_groups(item_id, group_ids)
        after = after.model_copy(update={"modifier_group_ids": group_ids})
    await _audit_change(
        audit,
        principal,
        resource="menu_item",
        before=before,
        after=after,
        fields=request.changes(),
    )
    return after


# -- venue prices ------------------------------------------------------------------------------


async def set_location_price(
    *,
    menu: MenuRepository,
    audit: AuditLog,
    principal: Principal,
    item_id: UUID,
    location_id: UUID,
    request: LocationPriceSet,
) -> LocationPrice:
    if await menu.item_reference(item_id, lock=None) is None:
        raise MenuItemNotFound()
    before = await menu.location_price(item_id, location_id)
    await menu.attribute_prices_to(principal.subject)
    try:
        price = await menu.set_location_price(item_id, location_id, request.price_minor)
    except UnknownLocation:
        raise LocationNotFound(location_id=str(location_id)) from None
    await audit.append(
        actor=Actor.of(principal),
        action="menu_item.location_price_set",
        resource_type="menu_item",
        resource_id=str(item_id),
        payload={
            "location_id": str(location_id),
            "before": {"price_minor": before},
            "after": {"price_minor": price.price_minor},
            "device_id": _device(principal),
        },
    )
    return price


async def remove_location_price(
    *, menu: MenuRepository, audit: AuditLog, principal: Principal, item_id: UUID, location_id: UUID
) -> None:
    """Idempotent: removing a price that is not there changes (and audits) nothing."""
    if await menu.item_reference(item_id, lock=None) is None:
        raise MenuItemNotFound()
    await menu.attribute_prices_to(principal.subject)
    removed = await menu.delete_location_price(item_id, location_id)
    if removed is None:
        return
    await audit.append(
        actor=Actor.of(principal),
        action="menu_item.location_price_removed",
        resource_type="menu_item",
        resource_id=str(item_id),
        payload={
            "location_id": str(location_id),
            "before": {"price_minor": removed},
            "device_id": _device(principal),
        },
    )


# -- modifier groups and modifiers -------------------------------------------------------------


async def list_groups(
    *, menu: MenuRepository, limit: int, cursor: str | None, include_archived: bool
) -> ModifierGroupPage:
    page = await menu.groups_page(
        limit=limit + 1, after=_after(cursor), include_archived=include_archived
    )
    items, next_cursor = cut_page(page, limit, _cursor)
    return ModifierGroupPage(items=items, next_cursor=next_cursor)


async def create_group(
    *, menu: MenuRepository, audit: AuditLog, principal: Principal, request: ModifierGroupCreate
) -> tuple[ModifierGroup, bool]:
    if request.min_choices > request.max_choices:
        raise ModifierChoicesInvalid(
            min_choices=request.min_choices, max_choices=request.max_choices
        )
    group_id = request.id or uuid.uuid4()
    created = await menu.insert_group(
        group_id=group_id,
        name=request.name,
        min_choices=request.min_choices,
        max_choices=request.max_choices,
    )
    if created is None:
        existing = await menu.group(group_id)
        assert existing is not None, "the insert conflicted on this id"
        if not _same(existing, request):
            raise MenuIdConflict(id=str(group_id))
        return existing, False
    await _audit_created(audit, principal, resource="modifier_group", created=created)
    return created, True


async def update_group(
    *,
    menu: MenuRepository,
    audit: AuditLog,
    principal: Principal,
    group_id: UUID,
    request: ModifierGroupUpdate,
    expected_version: int,
) -> ModifierGroup:
    before = await menu.group(group_id)
    if before is None:
        raise ModifierGroupNotFound()
    check_version(before.version, expected_version)
    changes = request.changes()
    min_choices = changes.get("min_choices", before.min_choices)
    max_choices = changes.get("max_choices", before.max_choices)
    if min_choices > max_choices:
        raise ModifierChoicesInvalid(min_choices=min_choices, max_choices=max_choices)
    after = await menu.update_group(group_id, expected_version=expected_version, changes=changes)
    if after is None:
        raise _lost_race(await menu.group(group_id), ModifierGroupNotFound())
    await _audit_change(
        audit, principal, resource="modifier_group", before=before, after=after, fields=changes
    )
    return after


async def create_modifier(
    *,
    menu: MenuRepository,
    audit: AuditLog,
    principal: Principal,
    group_id: UUID,
    request: ModifierCreate,
) -> tuple[Modifier, bool]:
    if request.id is not None:
        existing = await menu.modifier(request.id)
        if existing is not None:
            if not _same(existing, request, group_id=group_id):
                raise MenuIdConflict(id=str(request.id))
            return existing, False
    group = (await menu.group_references([group_id], lock=Lock.SHARE)).get(group_id)
    if group is None:
        raise ModifierGroupNotFound()
    if group.archived:
        raise ModifierGroupArchived(modifier_group_ids=[str(group_id)])
    modifier_id = request.id or uuid.uuid4()
    await menu.attribute_prices_to(principal.subject)
    created = await menu.insert_modifier(
        modifier_id=modifier_id,
        group_id=group_id,
        name=request.name,
        price_minor=request.price_minor,
        position=request.position,
    )
    if created is None:
        existing = await menu.modifier(modifier_id)
        assert existing is not None, "the insert conflicted on this id"
        if not _same(existing, request, group_id=group_id):
            raise MenuIdConflict(id=str(modifier_id))
        return existing, False
    await _audit_created(audit, principal, resource="modifier", created=created)
    return created, True


async def update_modifier(
    *,
    menu: MenuRepository,
    audit: AuditLog,
    principal: Principal,
    modifier_id: UUID,
    request: ModifierUpdate,
    expected_version: int,
) -> Modifier:
    before = await menu.modifier(modifier_id)
    if before is None:
        raise ModifierNotFound()
    check_version(before.version, expected_version)
    changes = request.changes()
    if "price_minor" in changes:
        await menu.attribute_prices_to(principal.subject)
    after = await menu.update_modifier(
        modifier_id, expected_version=expected_version, changes=changes
    )
    if after is None:
        raise _lost_race(await menu.modifier(modifier_id), ModifierNotFound())
    await _audit_change(
        audit,
        principal,
        resource="modifier",
        before=before,
        after=after,
        fields=changes,
        extra={"group_id": str(after.group_id)},
    )
    return after


# -- price changes scheduled for later ---------------------------------------------------------


async def _check_future(menu: MenuRepository, effective_from: datetime) -> None:
    # The database's clock, the one a change made now is recorded at.
    now = await menu.database_now()
    if effective_from <= now:
        raise PriceChangeRetroactive(
            f"effective_from must be after {now.isoformat()}.", database_now=now.isoformat()
        )


async def schedule_item_price(
    *,
    menu: MenuRepository,
    audit: AuditLog,
    principal: Principal,
    item_id: UUID,
    request: ItemPriceSchedule,
) -> MenuItem:
    """From `effective_from` (strictly in the future) the item costs `price_minor`, at one
    venue (`location_id`) or wherever no venue price applies. Sales before keep the price
    they had."""
    item = await menu.item(item_id)
    if item is None:
        raise MenuItemNotFound()
    if item.archived:
        raise MenuItemArchived()
    await _check_future(menu, request.effective_from)
    # What it would have cost then without this change (a venue without its own price then
    # charges the item's).
    replaces = await menu.price_at(item_id, request.location_id, request.effective_from)
    try:
        inserted = await menu.insert_scheduled_price(
            item_id=item_id,
            location_id=request.location_id,
            price_minor=request.price_minor,
            effective_from=request.effective_from,
            created_by=principal.subject,
        )
    except UnknownLocation:
        raise LocationNotFound(location_id=str(request.location_id)) from None
    if not inserted:
        raise PriceChangeDuplicate(effective_from=request.effective_from.isoformat())
    await audit.append(
        actor=Actor.of(principal),
        action="menu_item.price_scheduled",
        resource_type="menu_item",
        resource_id=str(item_id),
        payload={
            "location_id": str(request.location_id) if request.location_id else None,
            "price_minor": request.price_minor,
            "effective_from": request.effective_from.isoformat(),
            "replaces_price_minor": replaces,
            "device_id": _device(principal),
        },
    )
    updated = await menu.item(item_id)
    assert updated is not None, "read in this transaction"
    return updated


async def schedule_modifier_price(
    *,
    menu: MenuRepository,
    audit: AuditLog,
    principal: Principal,
    modifier_id: UUID,
    request: PriceSchedule,
) -> Modifier:
    """From `effective_from` (strictly in the future) the modifier adds `price_minor`."""
    modifier = await menu.modifier(modifier_id)
    if modifier is None:
        raise ModifierNotFound()
    if modifier.archived:
        raise ModifierArchived()
    await _check_future(menu, request.effective_from)
    replaces = await menu.modifier_price_at(modifier_id, request.effective_from)
    inserted = await menu.insert_scheduled_price(
        modifier_id=modifier_id,
        price_minor=request.price_minor,
        effective_from=request.effective_from,
        created_by=principal.subject,
    )
    if not inserted:
        raise PriceChangeDuplicate(effective_from=request.effective_from.isoformat())
    await audit.append(
        actor=Actor.of(principal),
        action="modifier.price_scheduled",
        resource_type="modifier",
        resource_id=str(modifier_id),
        payload={
            "group_id": str(modifier.group_id),
            "price_minor": request.price_minor,
            "effective_from": request.effective_from.isoformat(),
            "replaces_price_minor": replaces,
            "device_id": _device(principal),
        },
    )
    updated = await menu.modifier(modifier_id)
    assert updated is not None, "read in this transaction"
    return updated
