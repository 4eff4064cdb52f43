"""Orders over HTTP: each write runs one command of the sale (services/orders/sale/commands.py)
in the request's transaction; reads see only the venues the caller reaches."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from libs.api.authentication import CurrentPrincipal
from libs.api.concurrency import VERSIONED_READ, IfMatch, expected_version
from libs.api.openapi import sends
from libs.api.pagination import cut_page, decode_cursor, encode_cursor
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.problems import merge_responses, problems
from libs.rbac import Permission
from services.orders.idempotency import Idempotent
from services.orders.menu.snapshot import MenuChanging
from services.orders.ordering.schemas import (
    DiscountIn,
    LineAdd,
    LineChange,
    Order,
    OrderChange,
    OrderOpen,
    OrderPage,
    VoidRequest,
)
from services.orders.sale import commands, rules
from services.orders.sale.model import order_json
from services.orders.sale.online import ORDER_CHANGE, ApprovedSale, order_answer
from services.orders.sale.repository import SaleRepository
from services.orders.sale.rules import OrderNotFound
from services.orders.shifts.service import OpenShiftRequired, RegisterRequired

router = APIRouter(prefix="/v1/orders", tags=["orders"])

# A discount or void above the business's limit needs X-Override-Token (its refusals are
# declared by the override dependency, libs/api/overrides.py).
CHANGE_RESPONSES = ORDER_CHANGE


@router.post(
    "",
    status_code=201,
    response_model=Order,
    dependencies=[requires(Permission.ORDERS_CREATE)],
    responses=merge_responses(
        {200: {"model": Order, "description": "The order already existed (same id and content)"}},
        problems(
            OpenShiftRequired,
            RegisterRequired,
            rules.OrderIdConflict,
            rules.ItemNotSellable,
            rules.ModifiersInvalid,
            rules.NoTaxRate,
            rules.PricingRefused,
            MenuChanging,
        ),
        sends("ETag"),
    ),
)
async def open_order(body: OrderOpen, sale: ApprovedSale, idempotency: Idempotent) -> JSONResponse:
    """Open an order at the caller's register, in its open shift, optionally with lines.
    Prices, taxes and totals come from the menu and the tax rates in force; a client
    never sends a price or a total."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    status_code, order = await commands.open_order(
        sale.uow,
        sale.till,
        order_id=body.id,
        wanted=[line.wanted() for line in body.lines],
        table_name=body.table_name,
        covers=body.covers,
        discount=DiscountIn.priced(body.discount),
        service_charge_bps=body.service_charge_bps,
    )
    await sale.uow.flush()
    content, headers = order_answer(order)
    return await idempotency.respond_json(content, status_code=status_code, headers=headers)


@router.get("", dependencies=[requires(Permission.ORDERS_READ)])
async def list_orders(
    connection: TenantConnection,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> OrderPage:
    """Newest first, of the venues you reach (a till: its own)."""
    after = decode_cursor(cursor) if cursor else None
    page = await SaleRepository.from_connection(connection).page(
        limit=limit + 1, after=after, venues=principal.venues
    )
    items, next_cursor = cut_page(
        page, limit, lambda order: encode_cursor(order.created_at, order.id)
    )
    return OrderPage.model_validate(
        {"items": [order_json(order) for order in items], "next_cursor": next_cursor}
    )


@router.get(
    "/{order_id}",
    response_model=Order,
    dependencies=[requires(Permission.ORDERS_READ)],
    responses=merge_responses(problems(OrderNotFound), VERSIONED_READ),
)
async def get_order(
    order_id: UUID, connection: TenantConnection, principal: CurrentPrincipal
) -> JSONResponse:
    """The order as it is now: lines, discounts, payments and totals. Its ETag is the version
    to send back when changing it. Another venue's order is not found."""
    # Another venue's or another business's order is "not found", never "forbidden".
    sales = await SaleRepository.from_connection(connection).sales([order_id], lock=False)
    found = sales[0] if sales else None
    if found is None or found.location_id is None or not principal.reaches(found.location_id):
        raise OrderNotFound()
    content, headers = order_answer(found)
    return JSONResponse(content, headers=headers)


@router.patch(
    "/{order_id}",
    response_model=Order,
    dependencies=[requires(Permission.ORDERS_UPDATE)],
    responses=CHANGE_RESPONSES,
)
async def change_order(
    order_id: UUID, body: OrderChange, sale: ApprovedSale, if_match: IfMatch = None
) -> JSONResponse:
    """Table, covers, order discount (above the discount limit: X-Override-Token for
    action `discount` on this order), service charge, tip."""
    sent = body.model_fields_set - {"version"}
    changes: dict[str, Any] = {
        name: getattr(body, name)
        for name in sent & {"table_name", "covers", "service_charge_bps", "tip_minor"}
    }
    if "discount" in sent:
        changes["discount"] = DiscountIn.priced(body.discount)
    order = await commands.change_order(
        sale.uow,
        sale.till,
        order_id=order_id,
        version=expected_version(body.version, if_match),
        changes=changes,
        sent=body.model_dump(mode="json", include=sent),
    )
    await sale.uow.flush()
    content, headers = order_answer(order)
    return JSONResponse(content, headers=headers)


@router.post(
    "/{order_id}/lines",
    status_code=201,
    response_model=Order,
    dependencies=[requires(Permission.ORDERS_UPDATE)],
    responses=CHANGE_RESPONSES,
)
async def add_line(
    order_id: UUID,
    body: LineAdd,
    sale: ApprovedSale,
    idempotency: Idempotent,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Add an item (with its modifiers) to an open order, priced from the menu in force.
    Send the order's version; the answer is the whole order with its new version."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    order = await commands.add_line(
        sale.uow,
        sale.till,
        order_id=order_id,
        version=expected_version(body.version, if_match),
        wanted=body.wanted(),
    )
    await sale.uow.flush()
    content, headers = order_answer(order)
    return await idempotency.respond_json(content, status_code=201, headers=headers)


@router.patch(
    "/{order_id}/lines/{line_number}",
    response_model=Order,
    dependencies=[requires(Permission.ORDERS_UPDATE)],
    responses=CHANGE_RESPONSES,
)
async def change_line(
    order_id: UUID, line_number: int, body: LineChange, sale: ApprovedSale, if_match: IfMatch = None
) -> JSONResponse:
    """Quantity or the line's discount. Fewer than before voids the difference: send a
    reason_code, and above the void limit X-Override-Token for action `void` on resource
    `<order id>/lines/<line number>`; what was sent to the kitchen or bar is cancelled there
    with a VOID ticket."""
    sent = body.model_fields_set - {"version", "reason_code"}
    order = await commands.change_line(
        sale.uow,
        sale.till,
        order_id=order_id,
        line_number=line_number,
        version=expected_version(body.version, if_match),
        quantity=body.quantity if "quantity" in sent else None,
        discount=DiscountIn.priced(body.discount) if "discount" in sent else commands.UNCHANGED,
        reason_code=body.reason_code.value if body.reason_code else None,
        sent=body.model_dump(mode="json", include=sent),
    )
    await sale.uow.flush()
    content, headers = order_answer(order)
    return JSONResponse(content, headers=headers)


@router.post(
    "/{order_id}/lines/{line_number}/void",
    response_model=Order,
    dependencies=[requires(Permission.ORDERS_VOID)],
    responses=merge_responses(CHANGE_RESPONSES, problems(rules.OrderHasPayments)),
)
async def void_line(
    order_id: UUID,
    line_number: int,
    body: VoidRequest,
    sale: ApprovedSale,
    idempotency: Idempotent,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Remove a line from an unpaid order (it stays, voided, with its reason). Above the
    void limit: X-Override-Token for action `void` on `<order id>/lines/<line number>`. A
    line already sent to the kitchen or bar is cancelled there with a VOID ticket."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    order = await commands.void_line(
        sale.uow,
        sale.till,
        order_id=order_id,
        line_number=line_number,
        version=expected_version(body.version, if_match),
        reason_code=body.reason_code.value,
        note=body.note,
    )
    await sale.uow.flush()
    content, headers = order_answer(order)
    return await idempotency.respond_json(content, status_code=200, headers=headers)


@router.post(
    "/{order_id}/void",
    response_model=Order,
    dependencies=[requires(Permission.ORDERS_VOID)],
    responses=merge_responses(CHANGE_RESPONSES, problems(rules.OrderHasPayments)),
)
async def void_order(
    order_id: UUID,
    body: VoidRequest,
    sale: ApprovedSale,
    idempotency: Idempotent,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Void an unpaid open order. Above the business's void limit (`GET
    /v1/settings/override-limits`; by default every order) it needs a manager's override
    token for action `void` on this order (`POST /v1/auth/overrides`), sent as
    `X-Override-Token` from the same device; it is used up by the void."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    order = await commands.void_order(
        sale.uow,
        sale.till,
        order_id=order_id,
        version=expected_version(body.version, if_match),
        reason_code=body.reason_code.value,
        note=body.note,
    )
    await sale.uow.flush()
    content, headers = order_answer(order)
    return await idempotency.respond_json(content, status_code=200, headers=headers)
