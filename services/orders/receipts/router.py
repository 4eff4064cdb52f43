from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from libs.api.authentication import CurrentPrincipal
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.problems import problems
from libs.rbac import Permission
from services.orders.receipts import service
from services.orders.receipts.repository import ReceiptRepository
from services.orders.receipts.schemas import Receipt, ReceiptPage

router = APIRouter(prefix="/v1/receipts", tags=["receipts"])


@router.get("", dependencies=[requires(Permission.ORDERS_READ)])
async def list_receipts(
    connection: TenantConnection,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> ReceiptPage:
    """Newest first, of the venues you reach (a till: its own). Receipts are issued by
    closing an order or refunding one."""
    return await service.list_receipts(
        receipts=ReceiptRepository.from_connection(connection),
        principal=principal,
        limit=limit,
        cursor=cursor,
    )


@router.get(
    "/{receipt_id}",
    dependencies=[requires(Permission.ORDERS_READ)],
    responses=problems(service.ReceiptNotFound),
)
async def get_receipt(
    receipt_id: UUID, connection: TenantConnection, principal: CurrentPrincipal
) -> Receipt:
    """A receipt as issued: its number, lines, taxes, payments and the snapshot printed.
    Another venue's receipt is not found."""
    return await service.get_receipt(
        receipts=ReceiptRepository.from_connection(connection),
        principal=principal,
        receipt_id=receipt_id,
    )
