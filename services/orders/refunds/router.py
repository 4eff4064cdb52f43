from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from libs.api.problems import problem_doc
from libs.audit.append import AuditLog
from libs.auth.dependencies import CurrentPrincipal
from libs.auth.overrides import ManagerOverride
from libs.rbac import Permission
from libs.rbac.guard import requires
from libs.tenancy import TenantConnection
from services.orders.concurrency import IfMatch, expected_version
from services.orders.idempotency import Idempotent
from services.orders.limits.repository import LimitsRepository
from services.orders.orders.repository import OrderRepository
from services.orders.printing.repository import PrintingRepository
from services.orders.printing.router import Printer
from services.orders.receipts.repository import ReceiptRepository
from services.orders.refunds import service
from services.orders.refunds.repository import RefundRepository
from services.orders.refunds.schemas import RefundRequest, RefundResult
from services.orders.shifts.repository import ShiftRepository

router = APIRouter(prefix="/v1/orders", tags=["refunds"])


@router.post(
    "/{order_id}/refunds",
    status_code=201,
    response_model=RefundResult,
    dependencies=[requires(Permission.REFUNDS_CREATE)],
    responses={
        403: problem_doc("Above the refund limit: X-Override-Token for `refund` on this order"),
        404: problem_doc("No such order (or line) for this tenant"),
        409: problem_doc("Stale version, order not closed, more than is left to refund"),
        422: problem_doc("Lines and amount both or neither, or tenders that do not add up"),
        428: problem_doc("No version sent (body `version` or If-Match)"),
        502: problem_doc("The card terminal did not approve the refund"),
    },
)
async def refund_order(
    order_id: UUID,
    body: RefundRequest,
    request: Request,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    override: ManagerOverride,
    queue: Printer,
    idempotency: Idempotent,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Refund lines (`lines`: line number and quantity) or an amount of a closed order, with
    a reason code. The refund gets its own receipt naming the original, queued for the
    venue's receipt printer."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    result = await service.refund_order(
        orders=OrderRepository.from_connection(connection),
        refunds=RefundRepository.from_connection(connection),
        receipts=ReceiptRepository.from_connection(connection),
        shifts=ShiftRepository.from_connection(connection),
        limits=LimitsRepository.from_connection(connection),
        printing=PrintingRepository.from_connection(connection),
        queue=queue,
        override=override,
        terminal=request.app.state.terminal,
        audit=AuditLog.from_connection(connection, service="orders"),
        principal=principal,
        order_id=order_id,
        version=expected_version(body.version, if_match),
        request=body,
    )
    return await idempotency.respond(result, status_code=201)
