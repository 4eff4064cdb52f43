from __future__ import annotations

from typing import Annotated, Literal
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
from services.orders.concurrency import IfMatch, etag
from services.orders.idempotency import Idempotent
from services.orders.shifts import service
from services.orders.shifts.reports import ShiftReport, ZReport
from services.orders.shifts.repository import ShiftRepository
from services.orders.shifts.schemas import (
    CashMovement,
    CashMovementCreate,
    ClosedShift,
    Shift,
    ShiftClose,
    ShiftOpen,
    ShiftPage,
    ZReportIssue,
)

router = APIRouter(prefix="/v1/shifts", tags=["shifts"])

_NOT_FOUND = problem_doc("No such shift for this tenant")
_NO_REGISTER = "The session is not on an activated device (`register-required`)"


def _audit(connection: TenantConnection) -> AuditLog:
    return AuditLog.from_connection(connection, service="orders")


@router.post(
    "",
    response_model=Shift,
    status_code=201,
    dependencies=[requires(Permission.SHIFTS_OPERATE)],
    responses={
        200: {"model": Shift, "description": "The shift already existed (same client id)"},
        409: problem_doc(
            "This register already has an open shift (`shift-already-open`, with its "
            f"`shift_id`); {_NO_REGISTER}; or the id exists with other content"
        ),
    },
)
async def open_shift(
    body: ShiftOpen,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    response: Response,
    idempotency: Idempotent,
) -> JSONResponse:
    """Open a shift with a float at the caller's register: the device this session is
    bound to. The register is numbered (R1, R2, ...) on its first shift."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    result = await service.open_shift(
        shifts=ShiftRepository.from_connection(connection),
        audit=_audit(connection),
        principal=principal,
        request=body,
    )
    if not result.created:
        response.status_code = 200
    response.headers["ETag"] = etag(result.shift.version)
    answer = result.shift
    return await idempotency.respond_as(answer, response, status_code=201)


@router.get("", dependencies=[requires(Permission.SHIFTS_READ)])
async def list_shifts(
    connection: TenantConnection,
    status: Literal["open", "closed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> ShiftPage:
    """Shifts of the business, newest first."""
    return await service.list_shifts(
        shifts=ShiftRepository.from_connection(connection),
        limit=limit,
        cursor=cursor,
        status=status,
    )


# Declared before /{shift_id}, which would otherwise take "current" for an id.
@router.get(
    "/current",
    dependencies=[requires(Permission.SHIFTS_OPERATE)],
    responses={
        404: problem_doc("This register has no open shift (`no-open-shift`)"),
        409: problem_doc(_NO_REGISTER),
    },
)
async def current_shift(
    connection: TenantConnection, principal: CurrentPrincipal, response: Response
) -> Shift:
    """The open shift of the caller's register."""
    shift = await service.current_shift(
        shifts=ShiftRepository.from_connection(connection), principal=principal
    )
    response.headers["ETag"] = etag(shift.version)
    return shift


@router.get(
    "/{shift_id}",
    dependencies=[requires(Permission.SHIFTS_READ)],
    responses={404: _NOT_FOUND},
)
async def get_shift(shift_id: UUID, connection: TenantConnection, response: Response) -> Shift:
    shift = await service.get_shift(
        shifts=ShiftRepository.from_connection(connection), shift_id=shift_id
    )
    response.headers["ETag"] = etag(shift.version)
    return shift


@router.post(
    "/{shift_id}/cash-movements",
    response_model=CashMovement,
    status_code=201,
    dependencies=[requires(Permission.SHIFTS_OPERATE)],
    responses={
        404: _NOT_FOUND,
        409: problem_doc(
            f"The shift is closed (`shift-closed`); this is not its register "
            f"(`wrong-register`); or {_NO_REGISTER}"
        ),
    },
)
async def add_cash_movement(
    shift_id: UUID,
    body: CashMovementCreate,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    idempotency: Idempotent,
    response: Response,
) -> JSONResponse:
    """Paid in (cash put into the drawer) or paid out (cash taken out), with a reason, at
    the shift's own register. Bumps the shift's version."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    answer = await service.add_cash_movement(
        shifts=ShiftRepository.from_connection(connection),
        audit=_audit(connection),
        principal=principal,
        shift_id=shift_id,
        request=body,
    )
    return await idempotency.respond_as(answer, response, status_code=201)


@router.get(
    "/{shift_id}/x-report",
    dependencies=[requires(Permission.SHIFTS_READ)],
    responses={404: _NOT_FOUND},
)
async def x_report(shift_id: UUID, connection: TenantConnection) -> ShiftReport:
    """The shift's numbers so far: sales, tax per rate, refunds, voids, payments per
    tender, paid in/out and the cash and card expected at close. Computed live."""
    return await service.x_report(
        shifts=ShiftRepository.from_connection(connection), shift_id=shift_id
    )


@router.post(
    "/{shift_id}/close",
    response_model=ClosedShift,
    dependencies=[requires(Permission.SHIFTS_OPERATE)],
    responses={
        403: problem_doc(
            "Closing someone else's shift needs a manager override for action "
            "`shift_force_close` on this shift (X-Override-Token)"
        ),
        404: _NOT_FOUND,
        409: problem_doc(
            "The shift is closed (`shift-closed`), was changed since the version sent "
            "(`version-conflict`), or has open orders (`shift-has-open-orders`, with "
            "`order_ids`)"
        ),
        428: problem_doc("Send the shift's version, as `version` or If-Match"),
    },
)
async def close_shift(
    shift_id: UUID,
    body: ShiftClose,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    override: ManagerOverride,
    idempotency: Idempotent,
    response: Response,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Close the shift with the cash counted in the drawer and the card batch total; the
    answer carries the Z report (expected, counted and difference per tender), which is
    stored and can be read again at `/z-report`. The opener closes their own shift; anyone
    else needs a manager's override (`POST /v1/auth/overrides`, action
    `shift_force_close`, resource the shift's id)."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    answer = await service.close_shift(
        shifts=ShiftRepository.from_connection(connection),
        audit=_audit(connection),
        override=override,
        principal=principal,
        shift_id=shift_id,
        request=body,
        if_match=if_match,
    )
    return await idempotency.respond_as(answer, response, status_code=200)


@router.get(
    "/{shift_id}/z-report",
    dependencies=[requires(Permission.SHIFTS_READ)],
    responses={
        404: _NOT_FOUND,
        409: problem_doc("The shift is still open (`shift-open`): read its X report"),
    },
)
async def z_report(shift_id: UUID, connection: TenantConnection) -> ZReport:
    """The shift's Z report: as issued when it closed, or its latest re-issue (`version`)
    when sales recorded offline in the shift arrived after the close."""
    return await service.stored_z_report(
        shifts=ShiftRepository.from_connection(connection), shift_id=shift_id
    )


@router.get(
    "/{shift_id}/z-reports",
    dependencies=[requires(Permission.SHIFTS_READ)],
    responses={
        404: _NOT_FOUND,
        409: problem_doc("The shift is still open (`shift-open`): read its X report"),
    },
)
async def z_report_versions(shift_id: UUID, connection: TenantConnection) -> list[ZReportIssue]:
    """Every issue of the shift's Z report, oldest first: version 1 at close, then one per
    re-issue. Nothing issued is ever changed."""
    return await service.z_report_versions(
        shifts=ShiftRepository.from_connection(connection), shift_id=shift_id
    )
