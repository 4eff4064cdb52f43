from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from libs.api.authentication import CurrentPrincipal
from libs.api.concurrency import VERSIONED, IfMatch, expected_version
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.audit.append import AuditLog
from libs.bridge.queue import PrintQueue
from libs.bridge.settings import PrintSettings
from libs.problems import merge_responses, problems
from libs.rbac import Permission
from services.orders.idempotency import Idempotent
from services.orders.menu.snapshot import MenuChanging
from services.orders.printing import service
from services.orders.printing.repository import PrintingRepository
from services.orders.printing.schemas import FireRequest, FireResult, PrintQueued, ReprintRequest
from services.orders.receipts.repository import ReceiptRepository
from services.orders.receipts.service import ReceiptNotFound
from services.orders.sale import commands
from services.orders.sale.online import SaleAtTill, order_answer
from services.orders.sale.rules import OrderNotFound, OrderNotOpen, PaymentInProgress

router = APIRouter(tags=["printing"])


def _print_queue(request: Request, connection: TenantConnection) -> PrintQueue:
    settings: PrintSettings = request.app.state.print_settings
    audit = AuditLog.from_connection(connection, service="orders")
    return PrintQueue.from_connection(connection, audit=audit, settings=settings)


# The venue's print queue, in the request's transaction: a job commits with its event.
Printer = Annotated[PrintQueue, Depends(_print_queue)]


@router.post(
    "/v1/orders/{order_id}/fire",
    response_model=FireResult,
    dependencies=[requires(Permission.ORDERS_UPDATE)],
    responses=merge_responses(
        VERSIONED, problems(OrderNotFound, OrderNotOpen, PaymentInProgress, MenuChanging)
    ),
)
async def fire_order(
    order_id: UUID,
    body: FireRequest,
    sale: SaleAtTill,
    idempotency: Idempotent,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Send the order's lines not sent yet to the kitchen and bar printers: one ticket per
    printer role (the menu category's `printer_role`), with table, covers and each line's
    quantity, name and modifiers. Each line goes once; lines of categories with no role never
    print. Nothing new to send: 200 with no tickets, and the order (and its version) is left
    as it was. Closing an order sends what is left, too."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    order, tickets = await commands.fire(
        sale.uow, sale.till, order_id=order_id, version=expected_version(body.version, if_match)
    )
    await sale.uow.flush()
    content, headers = order_answer(order)
    answer = {
        "order": content,
        "tickets": [
            {
                "printer_role": ticket.printer_role,
                "line_numbers": ticket.line_numbers,
                "print_job_id": str(ticket.print_job_id),
            }
            for ticket in tickets
        ],
    }
    return await idempotency.respond_json(answer, status_code=200, headers=headers)


@router.post(
    "/v1/receipts/{receipt_id}/reprint",
    status_code=202,
    response_model=PrintQueued,
    dependencies=[requires(Permission.RECEIPTS_REPRINT)],
    responses=problems(ReceiptNotFound),
)
async def reprint_receipt(
    receipt_id: UUID,
    body: ReprintRequest,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    queue: Printer,
    idempotency: Idempotent,
) -> JSONResponse:
    """Print a receipt again, from what it said when issued, under a COPY banner (managers
    and owners). It prints at the caller's register's venue, or else where it was issued.
    202: the copy is queued for the venue's Bridge; one that is not printed in time expires."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    queued = await service.reprint_receipt(
        receipts=ReceiptRepository.from_connection(connection),
        printing=PrintingRepository.from_connection(connection),
        queue=queue,
        audit=AuditLog.from_connection(connection, service="orders"),
        principal=principal,
        receipt_id=receipt_id,
        request=body,
    )
    return await idempotency.respond(queued, status_code=202)
