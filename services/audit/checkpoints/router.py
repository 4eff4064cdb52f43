from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from libs.api.authentication import CurrentPrincipal
from libs.api.pagination import MAX_SEQ_CURSOR, cut_page
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.audit.append import Actor, AuditLog
from libs.problems import merge_responses, problems
from libs.rbac import Permission
from services.audit.checkpoints.repository import CheckpointRepository
from services.audit.checkpoints.schemas import CheckpointOut, CheckpointPage, PublicKeyOut
from services.audit.checkpoints.service import ChainBroken, CheckpointService

router = APIRouter(prefix="/v1/audit", tags=["audit"])


def _service(request: Request) -> CheckpointService:
    service: CheckpointService = request.app.state.checkpoints
    return service


@router.get("/checkpoints", dependencies=[requires(Permission.AUDIT_READ)])
async def list_checkpoints(
    connection: TenantConnection,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Annotated[
        int | None, Query(ge=0, le=MAX_SEQ_CURSOR, description="List sizes below this")
    ] = None,
) -> CheckpointPage:
    """Signed checkpoints of the tenant's log, newest first. Keep copies: a checkpoint you
    hold is what proves later that no entry up to its size was removed or rewritten."""
    rows = await CheckpointRepository.from_connection(connection).page(
        before_size=cursor, limit=limit + 1
    )
    page, next_cursor = cut_page(rows, limit, lambda row: str(row.size))
    return CheckpointPage(items=[CheckpointOut.of(row) for row in page], next_cursor=next_cursor)


@router.post(
    "/checkpoints",
    dependencies=[requires(Permission.AUDIT_CHECKPOINT)],
    status_code=201,
    responses=merge_responses(
        {200: {"description": "The latest checkpoint already covers the whole log"}},
        problems(ChainBroken),
    ),
)
async def sign_checkpoint(
    request: Request, response: Response, connection: TenantConnection, principal: CurrentPrincipal
) -> CheckpointOut:
    """Sign the log's current size and head now (409 `audit-chain-broken` if the chain since
    the latest checkpoint does not verify: nothing is signed then). The request itself is
    audited, after the signed size, so the next checkpoint covers it."""
    signed = await _service(request).sign(
        connection, tenant_id=principal.tenant_id, requested_by=principal.subject
    )
    if not signed.new:
        response.status_code = 200
        return CheckpointOut.of(signed.checkpoint)
    await AuditLog.from_connection(connection, service="audit").append(
        actor=Actor.of(principal),
        action="audit.checkpoint_signed",
        resource_type="audit_checkpoint",
        resource_id=str(signed.checkpoint.size),
        payload={"size": signed.checkpoint.size, "hash": signed.checkpoint.hash.hex()},
    )
    return CheckpointOut.of(signed.checkpoint)


@router.get("/public-key", dependencies=[requires(Permission.AUDIT_READ)])
async def public_key(request: Request, principal: CurrentPrincipal) -> PublicKeyOut:
    """The key that signs this tenant's checkpoints. Compare it with the one halopos
    publishes elsewhere before trusting it."""
    return PublicKeyOut.of(_service(request), principal.tenant_id)
