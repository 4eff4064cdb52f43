from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from libs.api.authentication import CurrentPrincipal
from libs.api.concurrency import VERSIONED, VERSIONED_READ, IfMatch, etag, expected_version
from libs.api.openapi import sends
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.audit.append import AuditLog
from libs.problems import merge_responses, problems
from libs.rbac import Permission
from services.orders.idempotency import Idempotent
from services.orders.menu import service
from services.orders.menu.repository import MenuRepository
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
    TillMenu,
)
from services.orders.menu.snapshot import MenuChanging
from services.orders.tax.service import TaxCategoryArchived, TaxSettingsNotFound

router = APIRouter(prefix="/v1/menu", tags=["menu"])

READ = [requires(Permission.MENU_READ)]
WRITE = [requires(Permission.MENU_WRITE)]

Limit = Annotated[int, Query(ge=1, le=100)]
Cursor = Annotated[str | None, Query(max_length=200)]
IncludeArchived = Annotated[bool, Query(description="List archived records too")]

_EDIT_ERRORS = VERSIONED
# A create with a client id: sent again, it answers 200 with the record as it is.
_CREATE_ERRORS = merge_responses(problems(service.MenuIdConflict), sends("ETag"))
# Naming a category, tax category or modifier group that does not exist or is archived.
_REFERENCES = problems(
    service.UnknownReference,
    service.MenuCategoryArchived,
    service.ModifierGroupArchived,
    TaxCategoryArchived,
)
_SCHEDULE_ERRORS = problems(service.PriceChangeRetroactive, service.PriceChangeDuplicate)


def _menu(connection: TenantConnection) -> MenuRepository:
    return MenuRepository.from_connection(connection)


def _audit(connection: TenantConnection) -> AuditLog:
    return AuditLog.from_connection(connection, service="orders")


def _created(response: Response, created: bool, version: int) -> None:
    # A replayed offline create answers 200 with the record as it is.
    response.status_code = 201 if created else 200
    response.headers["ETag"] = etag(version)


@router.get(
    "",
    dependencies=READ,
    responses=problems(TaxSettingsNotFound, MenuChanging),
)
async def get_till_menu(connection: TenantConnection, principal: CurrentPrincipal) -> TillMenu:
    """What the till sells: categories in display order, each with its items at this
    venue's price (the session's location; the item's price where the venue has none), their
    tax category and their modifier groups and modifiers. Archived records are left out."""
    return await service.till_menu(menu=_menu(connection), principal=principal)


# -- categories --------------------------------------------------------------------------------


@router.get("/categories", dependencies=READ)
async def list_menu_categories(
    connection: TenantConnection,
    limit: Limit = 50,
    cursor: Cursor = None,
    include_archived: IncludeArchived = False,
) -> MenuCategoryPage:
    """Newest first; `GET /v1/menu` has the till's display order."""
    return await service.list_categories(
        menu=_menu(connection), limit=limit, cursor=cursor, include_archived=include_archived
    )


@router.post(
    "/categories",
    response_model=MenuCategory,
    status_code=201,
    dependencies=WRITE,
    responses=merge_responses(
        {200: {"model": MenuCategory, "description": "Sent again"}}, _CREATE_ERRORS
    ),
)
async def create_menu_category(
    body: MenuCategoryCreate,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    response: Response,
    idempotency: Idempotent,
) -> JSONResponse:
    """A new category, with a client-chosen id: sent again with the same content, it answers
    200 with the category as it is."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    category, created = await service.create_category(
        menu=_menu(connection), audit=_audit(connection), principal=principal, request=body
    )
    _created(response, created, category.version)
    answer = category
    return await idempotency.respond_as(answer, response, status_code=201)


@router.patch(
    "/categories/{category_id}",
    dependencies=WRITE,
    responses=merge_responses(_EDIT_ERRORS, problems(service.MenuCategoryNotFound)),
)
async def update_menu_category(
    category_id: UUID,
    body: MenuCategoryUpdate,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> MenuCategory:
    """Rename, reorder, archive (`{"archived": true}`: it and its items leave the till's
    menu) or restore. Send the version you read."""
    version = expected_version(body.version, if_match)
    category = await service.update_category(
        menu=_menu(connection),
        audit=_audit(connection),
        principal=principal,
        category_id=category_id,
        request=body,
        expected_version=version,
    )
    response.headers["ETag"] = etag(category.version)
    return category


# -- items -------------------------------------------------------------------------------------


@router.get("/items", dependencies=READ)
async def list_menu_items(
    connection: TenantConnection,
    limit: Limit = 50,
    cursor: Cursor = None,
    include_archived: IncludeArchived = False,
    category_id: Annotated[UUID | None, Query(description="Only this category's")] = None,
) -> MenuItemPage:
    """Newest first, each with its modifier groups and venue prices."""
    return await service.list_items(
        menu=_menu(connection),
        limit=limit,
        cursor=cursor,
        include_archived=include_archived,
        category_id=category_id,
    )


@router.post(
    "/items",
    response_model=MenuItem,
    status_code=201,
    dependencies=WRITE,
    responses=merge_responses(
        {200: {"model": MenuItem, "description": "Sent again (same id)"}},
        _CREATE_ERRORS,
        _REFERENCES,
    ),
)
async def create_menu_item(
    body: MenuItemCreate,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    response: Response,
    idempotency: Idempotent,
) -> JSONResponse:
    """A new item in an active category and tax category, with its modifier groups in the
    order the till offers them."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    item, created = await service.create_item(
        menu=_menu(connection), audit=_audit(connection), principal=principal, request=body
    )
    _created(response, created, item.version)
    answer = item
    return await idempotency.respond_as(answer, response, status_code=201)


@router.get(
    "/items/{item_id}",
    dependencies=READ,
    responses=merge_responses(problems(service.MenuItemNotFound), VERSIONED_READ),
)
async def get_menu_item(
    item_id: UUID, connection: TenantConnection, response: Response
) -> MenuItem:
    """A menu item with its venue prices and scheduled price changes; its ETag is the version
    to send when changing it."""
    item = await service.get_item(menu=_menu(connection), item_id=item_id)
    response.headers["ETag"] = etag(item.version)
    return item


@router.patch(
    "/items/{item_id}",
    dependencies=WRITE,
    responses=merge_responses(_EDIT_ERRORS, problems(service.MenuItemNotFound), _REFERENCES),
)
async def update_menu_item(
    item_id: UUID,
    body: MenuItemUpdate,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> MenuItem:
    """Change any of the item's fields; `modifier_group_ids` replaces its groups. Archive
    with `{"archived": true}`: it leaves the till's menu and cannot be sold again, while past
    orders keep it as sold. Send the version you read."""
    version = expected_version(body.version, if_match)
    item = await service.update_item(
        menu=_menu(connection),
        audit=_audit(connection),
        principal=principal,
        item_id=item_id,
        request=body,
        expected_version=version,
    )
    response.headers["ETag"] = etag(item.version)
    return item


@router.put(
    "/items/{item_id}/location-prices/{location_id}",
    dependencies=WRITE,
    responses=problems(service.MenuItemNotFound, service.LocationNotFound),
)
async def set_menu_item_location_price(
    item_id: UUID,
    location_id: UUID,
    body: LocationPriceSet,
    connection: TenantConnection,
    principal: CurrentPrincipal,
) -> LocationPrice:
    """The item's price at one venue, instead of its own price there, from now on (a price
    for later: `POST /v1/menu/items/{item_id}/prices` with `location_id`)."""
    return await service.set_location_price(
        menu=_menu(connection),
        audit=_audit(connection),
        principal=principal,
        item_id=item_id,
        location_id=location_id,
        request=body,
    )


@router.delete(
    "/items/{item_id}/location-prices/{location_id}",
    status_code=204,
    dependencies=WRITE,
    responses=problems(service.MenuItemNotFound),
)
async def remove_menu_item_location_price(
    item_id: UUID, location_id: UUID, connection: TenantConnection, principal: CurrentPrincipal
) -> None:
    """The venue goes back to the item's own price from now on (idempotent)."""
    await service.remove_location_price(
        menu=_menu(connection),
        audit=_audit(connection),
        principal=principal,
        item_id=item_id,
        location_id=location_id,
    )


@router.post(
    "/items/{item_id}/prices",
    response_model=MenuItem,
    status_code=201,
    dependencies=WRITE,
    responses=merge_responses(
        _SCHEDULE_ERRORS,
        problems(service.MenuItemNotFound, service.LocationNotFound, service.MenuItemArchived),
    ),
)
async def schedule_menu_item_price(
    item_id: UUID,
    body: ItemPriceSchedule,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    idempotency: Idempotent,
    response: Response,
) -> JSONResponse:
    """Schedule a price change: from `effective_from` (strictly in the future, by the
    database's clock) the item costs `price_minor`, at the venue `location_id` if one is
    named (its own price there), else wherever no venue price applies. Sales before it keep
    the price they had; prices are never edited. Returns the item with `scheduled_prices`."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    answer = await service.schedule_item_price(
        menu=_menu(connection),
        audit=_audit(connection),
        principal=principal,
        item_id=item_id,
        request=body,
    )
    return await idempotency.respond_as(answer, response, status_code=201)


# -- modifier groups and modifiers -------------------------------------------------------------


@router.get("/modifier-groups", dependencies=READ)
async def list_modifier_groups(
    connection: TenantConnection,
    limit: Limit = 50,
    cursor: Cursor = None,
    include_archived: IncludeArchived = False,
) -> ModifierGroupPage:
    """Newest first, each with its modifiers by position (archived ones only with
    `include_archived`)."""
    return await service.list_groups(
        menu=_menu(connection), limit=limit, cursor=cursor, include_archived=include_archived
    )


@router.post(
    "/modifier-groups",
    response_model=ModifierGroup,
    status_code=201,
    dependencies=WRITE,
    responses=merge_responses(
        {200: {"model": ModifierGroup, "description": "Sent again"}},
        _CREATE_ERRORS,
        problems(service.ModifierChoicesInvalid),
    ),
)
async def create_modifier_group(
    body: ModifierGroupCreate,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    response: Response,
    idempotency: Idempotent,
) -> JSONResponse:
    """A choice offered with items ("Milk", "Size"): the customer picks between
    `min_choices` and `max_choices` of its modifiers."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    group, created = await service.create_group(
        menu=_menu(connection), audit=_audit(connection), principal=principal, request=body
    )
    _created(response, created, group.version)
    answer = group
    return await idempotency.respond_as(answer, response, status_code=201)


@router.patch(
    "/modifier-groups/{group_id}",
    dependencies=WRITE,
    responses=merge_responses(
        _EDIT_ERRORS, problems(service.ModifierGroupNotFound, service.ModifierChoicesInvalid)
    ),
)
async def update_modifier_group(
    group_id: UUID,
    body: ModifierGroupUpdate,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> ModifierGroup:
    """Rename, change the choices, archive or restore. Send the version you read."""
    version = expected_version(body.version, if_match)
    group = await service.update_group(
        menu=_menu(connection),
        audit=_audit(connection),
        principal=principal,
        group_id=group_id,
        request=body,
        expected_version=version,
    )
    response.headers["ETag"] = etag(group.version)
    return group


@router.post(
    "/modifier-groups/{group_id}/modifiers",
    response_model=Modifier,
    status_code=201,
    dependencies=WRITE,
    responses=merge_responses(
        {200: {"model": Modifier, "description": "Sent again (same id)"}},
        _CREATE_ERRORS,
        problems(service.ModifierGroupNotFound, service.ModifierGroupArchived),
    ),
)
async def create_modifier(
    group_id: UUID,
    body: ModifierCreate,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    response: Response,
    idempotency: Idempotent,
) -> JSONResponse:
    """A choice in the group ("Oat milk", +60c); taxed with the item it modifies."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    modifier, created = await service.create_modifier(
        menu=_menu(connection),
        audit=_audit(connection),
        principal=principal,
        group_id=group_id,
        request=body,
    )
    _created(response, created, modifier.version)
    answer = modifier
    return await idempotency.respond_as(answer, response, status_code=201)


@router.patch(
    "/modifiers/{modifier_id}",
    dependencies=WRITE,
    responses=merge_responses(_EDIT_ERRORS, problems(service.ModifierNotFound)),
)
async def update_modifier(
    modifier_id: UUID,
    body: ModifierUpdate,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> Modifier:
    """Rename, reprice, reorder, archive or restore. Send the version you read."""
    version = expected_version(body.version, if_match)
    modifier = await service.update_modifier(
        menu=_menu(connection),
        audit=_audit(connection),
        principal=principal,
        modifier_id=modifier_id,
        request=body,
        expected_version=version,
    )
    response.headers["ETag"] = etag(modifier.version)
    return modifier


@router.post(
    "/modifiers/{modifier_id}/prices",
    response_model=Modifier,
    status_code=201,
    dependencies=WRITE,
    responses=merge_responses(
        _SCHEDULE_ERRORS, problems(service.ModifierNotFound, service.ModifierArchived)
    ),
)
async def schedule_modifier_price(
    modifier_id: UUID,
    body: PriceSchedule,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    idempotency: Idempotent,
    response: Response,
) -> JSONResponse:
    """Schedule a price change: from `effective_from` (strictly in the future) the modifier
    adds `price_minor`. Sales before it keep the price they had."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    answer = await service.schedule_modifier_price(
        menu=_menu(connection),
        audit=_audit(connection),
        principal=principal,
        modifier_id=modifier_id,
        request=body,
    )
    return await idempotency.respond_as(answer, response, status_code=201)
