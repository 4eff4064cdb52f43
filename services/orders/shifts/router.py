from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from libs.api.authentication import CurrentPrincipal
from libs.api.concurrency import VERSIONED, VERSIONED_READ, IfMatch, etag, expected_version
from libs.api.openapi import sends
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.audit.append import AuditLog
from libs.problems import Conflict, merge_responses, problems
from libs.rbac import Permission
from libs.sales.shift_report import ShiftReport, TenderAmounts, ZReport
from services.orders.idempotency import Idempotent
from services.orders.sale import commands
from services.orders.sale.online import ApprovedSale, SaleAtTill
from services.orders.shifts import service
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

_NOT_FOUND = problems(service.ShiftNotFound)
# `register-required`: the session is not on an activated device.
_NO_REGISTER = problems(service.RegisterRequired)


def _audit(connection: TenantConnection) -> AuditLog:
    return AuditLog.from_connection(connection, service="orders")


@router.post(
    "",
    response_model=Shift,
    status_code=201,
    dependencies=[requires(Permission.SHIFTS_OPERATE)],
    # `shift-already-open` carries the open shift's `shift_id`.
    responses=merge_responses(
        {200: {"model": Shift, "description": "The shift already existed (same client id)"}},
        _NO_REGISTER,
        problems(service.ShiftAlreadyOpen, service.ShiftIdConflict, Conflict),
        sends("ETag"),
    ),
)
async def open_shift(
    body: ShiftOpen,
    sale: SaleAtTill,
    response: Response,
    idempotency: Idempotent,
) -> JSONResponse:
    """Open a shift with a float at the caller's register: the device this session is
    bound to. The register is numbered (R1, R2, ...) on its first shift."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    shift, created = await commands.open_shift(
        sale.uow, sale.till, shift_id=body.id, opening_float_minor=body.opening_float_minor
    )
    await sale.uow.flush()
    if not created:
        response.status_code = 200
    response.headers["ETag"] = etag(shift.version)
    return await idempotency.respond_as(shift, response, status_code=201)


@router.get("", dependencies=[requires(Permission.SHIFTS_READ)])
async def list_shifts(
    connection: TenantConnection,
    principal: CurrentPrincipal,
    status: Literal["open", "closed"] | None = None,
    location_id: Annotated[
        UUID | None, Query(description="Only this venue's shifts (one you reach)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> ShiftPage:
    """Shifts of the venues you reach (a till: its own), newest first; `location_id`: of
    that venue only (a venue you do not reach lists none)."""
    return await service.list_shifts(
        shifts=ShiftRepository.from_connection(connection),
        principal=principal,
        limit=limit,
        cursor=cursor,
        status=status,
        location_id=location_id,
    )


# Declared before /{shift_id}, which would otherwise take "current" for an id.
@router.get(
    "/current",
    dependencies=[requires(Permission.SHIFTS_OPERATE)],
    responses=merge_responses(problems(service.NoOpenShift), _NO_REGISTER, VERSIONED_READ),
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
    responses=merge_responses(_NOT_FOUND, VERSIONED_READ),
)
async def get_shift(
    shift_id: UUID, connection: TenantConnection, principal: CurrentPrincipal, response: Response
) -> Shift:
    """A shift of a venue you reach, open or closed; its ETag is the version to send when
    closing it."""
    shift = await service.get_shift(
        shifts=ShiftRepository.from_connection(connection), principal=principal, shift_id=shift_id
    )
    response.headers["ETag"] = etag(shift.version)
    return shift


@router.post(
    "/{shift_id}/cash-movements",
    response_model=CashMovement,
    status_code=201,
    dependencies=[requires(Permission.SHIFTS_OPERATE)],
    responses=merge_responses(
        _NOT_FOUND, _NO_REGISTER, problems(service.ShiftClosed, service.WrongRegister)
    ),
)
async def add_cash_movement(
    shift_id: UUID,
    body: CashMovementCreate,
    sale: SaleAtTill,
    idempotency: Idempotent,
    response: Response,
) -> JSONResponse:
    """Paid in (cash put into the drawer) or paid out (cash taken out), with a reason, at
    the shift's own register. Bumps the shift's version."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    answer = await commands.move_cash(
        sale.uow,
        sale.till,
        shift_id=shift_id,
        kind=body.kind,
        amount_minor=body.amount_minor,
        reason=body.reason,
    )
    await sale.uow.flush()
    return await idempotency.respond_as(answer, response, status_code=201)


@router.get(
    "/{shift_id}/x-report",
    dependencies=[requires(Permission.SHIFTS_READ)],
    responses=_NOT_FOUND,
)
async def x_report(
    shift_id: UUID, connection: TenantConnection, principal: CurrentPrincipal
) -> ShiftReport:
    """The shift's numbers so far: sales, tax per rate, refunds, voids, payments per
    tender, paid in/out and the cash and card expected at close. Computed live."""
    return await service.x_report(
        shifts=ShiftRepository.from_connection(connection), principal=principal, shift_id=shift_id
    )


@router.post(
    "/{shift_id}/close",
    response_model=ClosedShift,
    dependencies=[requires(Permission.SHIFTS_OPERATE)],
    # Closing someone else's shift needs a manager override for action `shift_force_close`
    # (declared by the override dependency); `shift-has-open-orders` lists their `order_ids`.
    responses=merge_responses(
        VERSIONED,
        _NOT_FOUND,
        problems(service.ShiftClosed, service.WrongRegister, service.ShiftHasOpenOrders),
    ),
)
async def close_shift(
    shift_id: UUID,
    body: ShiftClose,
    sale: ApprovedSale,
    idempotency: Idempotent,
    response: Response,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Close the shift with the cash counted in the drawer and the card batch total; the
    answer carries the Z report (expected, counted and difference per tender), which is
    stored and can be read again at `/z-report`. The opener closes their own shift; anyone
    else needs a manager's override (`POST /v1/auth/overrides`, action
    `shift_force_close`, resource the shift's id). A card total that matches what the shift
    expects settles the card payments a till recorded offline (`card_settlement_confirmed`);
    any still unconfirmed are shown as `unverified_card`."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    closing = await commands.close_shift(
        sale.uow,
        sale.till,
        shift_id=shift_id,
        version=expected_version(body.version, if_match),
        counted=TenderAmounts(cash=body.counted.cash, card=body.counted.card),
        note=body.note,
    )
    await sale.uow.flush()
    assert closing.z_report is not None, "online, a closed shift is refused before this"
    answer = ClosedShift(**closing.shift.model_dump(), z_report=closing.z_report)
    return await idempotency.respond_as(answer, response, status_code=200)


@router.get(
    "/{shift_id}/z-report",
    dependencies=[requires(Permission.SHIFTS_READ)],
    responses=merge_responses(_NOT_FOUND, problems(service.ShiftStillOpen)),
)
async def z_report(
    shift_id: UUID, connection: TenantConnection, principal: CurrentPrincipal
) -> ZReport:
    """The shift's Z report: as issued when it closed, or its latest re-issue (`version`)
    when sales recorded offline in the shift arrived after the close."""
    return await service.stored_z_report(
        shifts=ShiftRepository.from_connection(connection), principal=principal, shift_id=shift_id
    )


@router.get(
    "/{shift_id}/z-reports",
    dependencies=[requires(Permission.SHIFTS_READ)],
    responses=merge_responses(_NOT_FOUND, problems(service.ShiftStillOpen)),
)
async def z_report_versions(
    shift_id: UUID, connection: TenantConnection, principal: CurrentPrincipal
) -> list[ZReportIssue]:
    """Every issue of the shift's Z report, oldest first: version 1 at close, then one per
    re-issue. Nothing issued is ever changed."""
    return await service.z_report_versions(
        shifts=ShiftRepository.from_connection(connection), principal=principal, shift_id=shift_id
    )
