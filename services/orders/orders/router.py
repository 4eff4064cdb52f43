from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from libs.api.problems import problem_doc
from libs.audit.append import AuditLog
from libs.auth.dependencies import CurrentPrincipal
from libs.auth.overrides import ManagerOverride
from libs.rbac import Permission
from libs.rbac.guard import requires
from libs.tenancy import TenantConnection
from services.orders.concurrency import IfMatch, etag, expected_version
from services.orders.idempotency import Idempotent
from services.orders.limits.repository import LimitsRepository
from services.orders.orders import service
from services.orders.orders.repository import OrderRepository
from services.orders.orders.schemas import (
    LineAdd,
    LineChange,
    Order,
    OrderChange,
    OrderOpen,
    OrderPage,
    VoidRequest,
)
from services.orders.shifts.repository import ShiftRepository
from services.orders.tax.repository import TaxRepository

router = APIRouter(prefix="/v1/orders", tags=["orders"])

CHANGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    403: problem_doc("A discount or void above the business's limit needs X-Override-Token"),
    404: problem_doc("No such order (or line) for this tenant"),
    409: problem_doc("Stale version, or the order is not open"),
    422: problem_doc("Unknown or archived item, invalid modifiers, or a refused discount"),
    428: problem_doc("No version sent (body `version` or If-Match)"),
}


def _audit(connection: TenantConnection) -> AuditLog:
    return AuditLog.from_connection(connection, service="orders")


async def _answer(idempotency: Idempotent, order: Order, status_code: int = 200) -> JSONResponse:
    return await idempotency.respond(
        order, status_code=status_code, headers={"ETag": etag(order.version)}
    )


@router.post(
    "",
    status_code=201,
    response_model=Order,
    dependencies=[requires(Permission.ORDERS_CREATE)],
    responses={
        200: {"model": Order, "description": "The order already existed (same id and content)"},
        409: problem_doc("No open shift at this register, or the id exists with other content"),
        422: problem_doc("Unknown or archived item, or invalid modifiers"),
    },
)
async def open_order(
    body: OrderOpen,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    override: ManagerOverride,
    idempotency: Idempotent,
) -> JSONResponse:
    """Open an order at the caller's register, in its open shift, optionally with lines.
    Prices, taxes and totals come from the menu and the tax rates in force; a client
    never sends a price or a total."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    status_code, order = await service.open_order(
        orders=OrderRepository.from_connection(connection),
        shifts=ShiftRepository.from_connection(connection),
        taxes=TaxRepository.from_connection(connection),
        limits=LimitsRepository.from_connection(connection),
        override=override,
        audit=_audit(connection),
        principal=principal,
        request=body,
    )
    return await _answer(idempotency, order, status_code)


@router.get("", dependencies=[requires(Permission.ORDERS_READ)])
async def list_orders(
    connection: TenantConnection,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> OrderPage:
    return await service.list_orders(
        orders=OrderRepository.from_connection(connection), limit=limit, cursor=cursor
    )


@router.get(
    "/{order_id}",
    dependencies=[requires(Permission.ORDERS_READ)],
    responses={404: problem_doc("No such order for this tenant")},
)
async def get_order(order_id: UUID, connection: TenantConnection, response: Response) -> Order:
    order = await service.get_order(
        orders=OrderRepository.from_connection(connection), order_id=order_id
    )
    response.headers["ETag"] = etag(order.version)
    return order


@router.patch(
    "/{order_id}",
    response_model=Order,
    dependencies=[requires(Permission.ORDERS_UPDATE)],
    responses=CHANGE_RESPONSES,
)
async def change_order(
    order_id: UUID,
    body: OrderChange,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    override: ManagerOverride,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Table, covers, order discount (above the discount limit: X-Override-Token for
    action `discount` on this order), service charge, tip."""
    order = await service.change_order(
        orders=OrderRepository.from_connection(connection),
        limits=LimitsRepository.from_connection(connection),
        override=override,
        audit=_audit(connection),
        principal=principal,
        order_id=order_id,
        version=expected_version(body.version, if_match),
        request=body,
    )
    return JSONResponse(order.model_dump(mode="json"), headers={"ETag": etag(order.version)})


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
    connection: TenantConnection,
    principal: CurrentPrincipal,
    override: ManagerOverride,
    idempotency: Idempotent,
    if_match: IfMatch = None,
) -> JSONResponse:
    if (replay := await idempotency.replay()) is not None:
        return replay
    order = await service.add_line(
        orders=OrderRepository.from_connection(connection),
        taxes=TaxRepository.from_connection(connection),
        limits=LimitsRepository.from_connection(connection),
        override=override,
        audit=_audit(connection),
        principal=principal,
        order_id=order_id,
        version=expected_version(body.version, if_match),
        request=body,
    )
    return await _answer(idempotency, order, 201)


@router.patch(
    "/{order_id}/lines/{line_number}",
    response_model=Order,
    dependencies=[requires(Permission.ORDERS_UPDATE)],
    responses=CHANGE_RESPONSES,
)
async def change_line(
    order_id: UUID,
    line_number: int,
    body: LineChange,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    override: ManagerOverride,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Quantity or the line's discount. Fewer than before voids the difference: send a
    reason_code, and above the void limit X-Override-Token for action `void` on resource
    `<order id>/lines/<line number>`."""
    order = await service.change_line(
        orders=OrderRepository.from_connection(connection),
        limits=LimitsRepository.from_connection(connection),
        override=override,
        audit=_audit(connection),
        principal=principal,
        order_id=order_id,
        line_number=line_number,
        version=expected_version(body.version, if_match),
        request=body,
    )
    return JSONResponse(order.model_dump(mode="json"), headers={"ETag": etag(order.version)})


@router.post(
    "/{order_id}/lines/{line_number}/void",
    response_model=Order,
    dependencies=[requires(Permission.ORDERS_VOID)],
    responses=CHANGE_RESPONSES,
)
async def void_line(
    order_id: UUID,
    line_number: int,
    body: VoidRequest,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    override: ManagerOverride,
    idempotency: Idempotent,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Remove a line from an unpaid order (it stays, voided, with its reason). Above the
    void limit: X-Override-Token for action `void` on `<order id>/lines/<line number>`."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    order = await service.void_line(
        orders=OrderRepository.from_connection(connection),
        limits=LimitsRepository.from_connection(connection),
        override=override,
        audit=_audit(connection),
        principal=principal,
        order_id=order_id,
        line_number=line_number,
        version=expected_version(body.version, if_match),
        request=body,
    )
    return await _answer(idempotency, order)


@router.post(
    "/{order_id}/void",
    response_model=Order,
    dependencies=[requires(Permission.ORDERS_VOID)],
    responses={
        **CHANGE_RESPONSES,
        403: problem_doc("No valid manager override for voiding this order (X-Override-Token)"),
        409: problem_doc("Stale version, the order is not open, or it has payments"),
    },
)
async def void_order(
    order_id: UUID,
    body: VoidRequest,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    override: ManagerOverride,
    idempotency: Idempotent,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Void an unpaid open order. Above the business's void limit (`GET
    /v1/settings/override-limits`; by default every order) it needs a manager's override
    token for action `void` on this order (`POST /v1/auth/overrides`), sent as
    `X-Override-Token` from the same device; it is used up by the void."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    order = await service.void_order(
        orders=OrderRepository.from_connection(connection),
        audit=_audit(connection),
        limits=LimitsRepository.from_connection(connection),
        override=override,
        principal=principal,
        order_id=order_id,
        version=expected_version(body.version, if_match),
        request=body,
    )
    return await _answer(idempotency, order)
