"""Offline sync: `POST /v1/sync/batches` takes the till's queue; managers review what it
flagged. See docs/sync.md."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from libs.api.authentication import CurrentPrincipal
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.audit.append import AuditLog
from libs.problems import merge_responses, problems
from libs.rbac import Permission
from services.orders.idempotency import Idempotent
from services.orders.shifts.service import RegisterRequired
from services.orders.sync import service
from services.orders.sync.repository import SyncRepository
from services.orders.sync.schemas import (
    ApprovalDispute,
    ApprovalReview,
    Batch,
    BatchResult,
    Flag,
    FlagPage,
    FlagResolve,
    OfflineApproval,
    OfflineApprovalPage,
    OperationPage,
    OperationState,
    SyncRegister,
    SyncStatus,
)
from services.orders.sync.settings import SyncSettings

router = APIRouter(prefix="/v1/sync", tags=["sync"])

# `register-required`: the session is not on an activated device.
_TILL_ONLY = problems(RegisterRequired)


@router.post(
    "/batches",
    response_model=BatchResult,
    dependencies=[requires(Permission.SYNC_UPLOAD)],
    # A 503 (or the gateway giving up waiting) leaves what was committed: send the batch
    # again as it was, and those operations answer `duplicate`. A refused operation is a
    # problem in the 200's results, not an answer of the route.
    responses=_TILL_ONLY,
)
async def upload_batch(
    body: Batch,
    request: Request,
    principal: CurrentPrincipal,
) -> BatchResult:
    """Upload operations the till did offline. The answer is per operation, in the order
    sent: `accepted` (with `state` applied, pending or rejected), `duplicate` (the original
    outcome) or `rejected`. One bad operation never holds up the others; the whole batch
    fails only on a transient error (5xx), and is then safe to send again as it was.

    Unlike the other POSTs this takes no Idempotency-Key: every operation is exactly-once by
    its own id, and the request holds no transaction of its own (a key would need one, held
    open beside the batch's, for nothing)."""
    settings: SyncSettings = request.app.state.sync_settings
    # Not the request's own transaction: the batch is taken in, then applied in chunks, each
    # committed on its own (services/orders/sync/service.py).
    return await service.receive_batch(
        database=request.app.state.database,
        principal=principal,
        request=body,
        settings=settings,
        # A live operation's override token is verified as X-Override-Token is online,
        # and a live close's paper is queued as online.
        keys=request.app.state.authenticator.tokens.keys,
        print_settings=request.app.state.print_settings,
    )


@router.post(
    "/register",
    response_model=SyncRegister,
    dependencies=[requires(Permission.SYNC_UPLOAD)],
    responses=_TILL_ONLY,
)
async def register(
    response: Response,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    idempotency: Idempotent,
) -> JSONResponse:
    """The till's register, numbered now if it has none, and its offline receipt series
    (`R1-O-000001`, ...): call after activation, and whenever the till is back online."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    answer = await service.register(connection=connection, principal=principal)
    return await idempotency.respond_as(answer, response, status_code=200)


@router.get(
    "/status",
    dependencies=[requires(Permission.SYNC_UPLOAD)],
    # `register-not-numbered`: POST /v1/sync/register first.
    responses=merge_responses(_TILL_ONLY, problems(service.RegisterNotNumbered)),
)
async def status(connection: TenantConnection, principal: CurrentPrincipal) -> SyncStatus:
    """How far this till's operations are applied, and which wait for an earlier one."""
    return await service.status(connection=connection, principal=principal)


@router.get("/operations", dependencies=[requires(Permission.SYNC_REVIEW)])
async def list_operations(
    connection: TenantConnection,
    principal: CurrentPrincipal,
    device_id: UUID | None = None,
    status: OperationState | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> OperationPage:
    """The operation log, newest first: what each till at the venues you reach uploaded and
    what came of it."""
    return await service.list_operations(
        sync=SyncRepository.from_connection(connection),
        principal=principal,
        limit=limit,
        cursor=cursor,
        device_id=device_id,
        status=status,
    )


@router.get("/flags", dependencies=[requires(Permission.SYNC_REVIEW)])
async def list_flags(
    connection: TenantConnection,
    principal: CurrentPrincipal,
    unresolved: bool = True,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> FlagPage:
    """What offline sync flagged for review at the venues you reach, newest first
    (unresolved only, by default)."""
    return await service.list_flags(
        sync=SyncRepository.from_connection(connection),
        principal=principal,
        limit=limit,
        cursor=cursor,
        unresolved=unresolved,
    )


@router.post(
    "/flags/{flag_id}/resolve",
    response_model=Flag,
    dependencies=[requires(Permission.SYNC_RESOLVE)],
    responses=problems(service.FlagNotFound, service.FlagAlreadyResolved),
)
async def resolve_flag(
    flag_id: UUID,
    body: FlagResolve,
    response: Response,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    idempotency: Idempotent,
) -> JSONResponse:
    """Mark a flag as reviewed, saying what was found and done (audited)."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    answer = await service.resolve_flag(
        sync=SyncRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service="orders"),
        principal=principal,
        flag_id=flag_id,
        request=body,
    )
    return await idempotency.respond_as(answer, response, status_code=200)


@router.get("/approvals", dependencies=[requires(Permission.SYNC_REVIEW)])
async def list_approvals(
    connection: TenantConnection,
    principal: CurrentPrincipal,
    status: Literal["pending", "confirmed", "disputed"] | None = "pending",
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> OfflineApprovalPage:
    """Actions tills did offline on a manager's word (up to the business's offline approval
    limit), newest first: pending review by default."""
    return await service.list_approvals(
        sync=SyncRepository.from_connection(connection),
        principal=principal,
        limit=limit,
        cursor=cursor,
        status=status,
    )


_REVIEW_RESPONSES = problems(service.ApprovalNotFound, service.ApprovalAlreadyReviewed)


@router.post(
    "/approvals/{approval_id}/confirm",
    response_model=OfflineApproval,
    dependencies=[requires(Permission.SYNC_RESOLVE)],
    responses=_REVIEW_RESPONSES,
)
async def confirm_approval(
    approval_id: UUID,
    body: ApprovalReview,
    response: Response,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    idempotency: Idempotent,
) -> JSONResponse:
    """The manager named did approve it (audited)."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    answer = await service.review_approval(
        sync=SyncRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service="orders"),
        principal=principal,
        approval_id=approval_id,
        confirmed=True,
        note=body.note,
    )
    return await idempotency.respond_as(answer, response, status_code=200)


@router.post(
    "/approvals/{approval_id}/dispute",
    response_model=OfflineApproval,
    dependencies=[requires(Permission.SYNC_RESOLVE)],
    responses=_REVIEW_RESPONSES,
)
async def dispute_approval(
    approval_id: UUID,
    body: ApprovalDispute,
    response: Response,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    idempotency: Idempotent,
) -> JSONResponse:
    """It was not approved, or not like that: say what was wrong (audited). The books keep
    what happened at the counter; the dispute is for the business to follow up."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    answer = await service.review_approval(
        sync=SyncRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service="orders"),
        principal=principal,
        approval_id=approval_id,
        confirmed=False,
        note=body.note,
    )
    return await idempotency.respond_as(answer, response, status_code=200)
