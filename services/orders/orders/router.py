from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse

from libs.api.problems import problem_doc
from libs.audit.append import AuditLog
from libs.auth.dependencies import CurrentPrincipal
from libs.auth.overrides import ManagerOverride
from libs.rbac import Permission
from libs.rbac.guard import requires
from libs.tenancy import TenantConnection
from services.orders.limits.repository import LimitsRepository
from services.orders.orders import service
from services.orders.orders.repository import IdempotencyRepository, OrderRepository
from services.orders.orders.schemas import Order, OrderCreate, OrderPage, OrderVoid

router = APIRouter(prefix="/v1/orders", tags=["orders"])


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="A replay with the same key and body returns the first response",
    ),
]


@router.post(
    "",
    status_code=201,
    response_model=Order,
    dependencies=[requires(Permission.ORDERS_CREATE)],
    responses={
        200: {"model": Order, "description": "The order already existed (same id)"},
        409: problem_doc("The id exists with other content, or the key is in flight"),
    },
)
async def create_order(
    body: OrderCreate,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    result = await service.create_order(
        orders=OrderRepository.from_connection(connection),
        idempotency=IdempotencyRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service="orders"),
        principal=principal,
        request=body,
        idempotency_key=idempotency_key,
    )
    return JSONResponse(result.body, status_code=result.status_code)


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
async def get_order(order_id: UUID, connection: TenantConnection) -> Order:
    return await service.get_order(
        orders=OrderRepository.from_connection(connection), order_id=order_id
    )


@router.post(
    "/{order_id}/void",
    dependencies=[requires(Permission.ORDERS_VOID)],
    responses={
        403: problem_doc("No valid manager override for voiding this order (X-Override-Token)"),
        404: problem_doc("No such order for this tenant"),
        409: problem_doc("The order is not open"),
    },
)
async def void_order(
    order_id: UUID,
    body: OrderVoid,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    override: ManagerOverride,
) -> Order:
    """Void an open order. Above the business's void limit (`GET
    /v1/settings/override-limits`; by default every order) it needs a manager's override
    token for action `void` on this order (`POST /v1/auth/overrides`), sent as
    `X-Override-Token` from the same device; it is used up by the void."""
    return await service.void_order(
        orders=OrderRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service="orders"),
        limits=LimitsRepository.from_connection(connection),
        override=override,
        principal=principal,
        order_id=order_id,
        request=body,
    )
