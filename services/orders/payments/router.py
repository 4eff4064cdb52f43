from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from libs.api.problems import problem_doc
from libs.audit.append import AuditLog
from libs.auth.dependencies import CurrentPrincipal
from libs.rbac import Permission
from libs.rbac.guard import requires
from libs.tenancy import TenantConnection
from services.orders.concurrency import IfMatch, expected_version
from services.orders.idempotency import Idempotent
from services.orders.orders.repository import OrderRepository
from services.orders.payments import service
from services.orders.payments.schemas import (
    ClosedOrder,
    CloseRequest,
    PaymentRequest,
    PaymentResult,
)
from services.orders.payments.terminal import PaymentTerminal
from services.orders.printing.repository import PrintingRepository
from services.orders.printing.router import Printer
from services.orders.receipts.repository import ReceiptRepository
from services.orders.shifts.repository import ShiftRepository

router = APIRouter(prefix="/v1/orders", tags=["payments"])


@router.post(
    "/{order_id}/payments",
    status_code=201,
    response_model=PaymentResult,
    dependencies=[requires(Permission.PAYMENTS_TAKE)],
    responses={
        404: problem_doc("No such order for this tenant"),
        409: problem_doc("Stale version, order not open, no balance, over the balance on card"),
        428: problem_doc("No version sent (body `version` or If-Match)"),
    },
)
async def take_payment(
    order_id: UUID,
    body: PaymentRequest,
    request: Request,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    idempotency: Idempotent,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Cash or card, towards the order's balance; split tenders are several payments. A
    declined or timed-out card attempt is answered 201 too, with its status: it is recorded
    and pays nothing. Retry a lost answer with the same Idempotency-Key, never without: the
    card is charged once."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    terminal: PaymentTerminal = request.app.state.terminal
    result = await service.take_payment(
        orders=OrderRepository.from_connection(connection),
        shifts=ShiftRepository.from_connection(connection),
        terminal=terminal,
        audit=AuditLog.from_connection(connection, service="orders"),
        principal=principal,
        order_id=order_id,
        version=expected_version(body.version, if_match),
        request=body,
    )
    return await idempotency.respond(result, status_code=201)


@router.post(
    "/{order_id}/close",
    response_model=ClosedOrder,
    dependencies=[requires(Permission.PAYMENTS_TAKE)],
    responses={
        404: problem_doc("No such order for this tenant"),
        409: problem_doc("Stale version, order not open, or payments do not equal the total"),
        428: problem_doc("No version sent (body `version` or If-Match)"),
    },
)
async def close_order(
    order_id: UUID,
    body: CloseRequest,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    queue: Printer,
    idempotency: Idempotent,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Close a fully paid order: its receipt is issued with the next number of the
    caller's register and never changes. Lines not yet sent to the kitchen or bar are sent,
    and the receipt is queued for the venue's receipt printer (`"print_receipt": false`: the
    customer wants no paper)."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    closed = await service.close_order(
        orders=OrderRepository.from_connection(connection),
        shifts=ShiftRepository.from_connection(connection),
        receipts=ReceiptRepository.from_connection(connection),
        printing=PrintingRepository.from_connection(connection),
        queue=queue,
        audit=AuditLog.from_connection(connection, service="orders"),
        principal=principal,
        order_id=order_id,
        version=expected_version(body.version, if_match),
        print_receipt=body.print_receipt,
    )
    return await idempotency.respond(closed, status_code=200)
