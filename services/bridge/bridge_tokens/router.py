"""Bridge tokens: owners create, list, rotate and revoke the tokens their venues' print
Bridges use. The secret is in the answer to create and rotate only."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from libs.api.authentication import CurrentPrincipal
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.audit.append import AuditLog
from libs.problems import merge_responses, problems
from libs.rbac import Permission
from services.bridge.bridge_tokens import service
from services.bridge.bridge_tokens.repository import BridgeTokenRepository
from services.bridge.bridge_tokens.schemas import (
    BridgeToken,
    BridgeTokenCreate,
    BridgeTokenCreated,
    BridgeTokenPage,
    BridgeTokenRevocation,
    BridgeTokenRotation,
)

router = APIRouter(prefix="/v1/admin/security/bridge-tokens", tags=["bridge tokens"])

MANAGE = [requires(Permission.BRIDGE_TOKENS_MANAGE)]
NOT_FOUND = problems(service.BridgeTokenNotFound)
AUDIT_SERVICE = "bridge"


def _not_stored(response: Response) -> None:
    # The answer carries a secret: no cache on the way may keep it (RFC 9111 section 5.2.2.5).
    response.headers["Cache-Control"] = "no-store"


@router.post(
    "",
    status_code=201,
    dependencies=MANAGE,
    responses=problems(service.LocationNotFound),
)
async def create_bridge_token(
    body: BridgeTokenCreate,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    response: Response,
) -> BridgeTokenCreated:
    """A token for one venue's Bridge. The answer is the only time `token` is shown: put it
    on the Bridge now. Only a hash of it is kept."""
    _not_stored(response)
    return await service.create_token(
        tokens=BridgeTokenRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service=AUDIT_SERVICE),
        principal=principal,
        request=body,
    )


@router.get("", dependencies=MANAGE)
async def list_bridge_tokens(
    connection: TenantConnection,
    location_id: Annotated[UUID | None, Query(description="Only this venue's tokens")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> BridgeTokenPage:
    """The business's Bridge tokens, revoked ones included, newest first, with when and
    from where each was last used."""
    return await service.list_tokens(
        tokens=BridgeTokenRepository.from_connection(connection),
        limit=limit,
        cursor=cursor,
        location_id=location_id,
    )


@router.get("/{token_id}", dependencies=MANAGE, responses=NOT_FOUND)
async def get_bridge_token(token_id: UUID, connection: TenantConnection) -> BridgeToken:
    """One Bridge token: its venue, status and when it was last used (never the token itself)."""
    return await service.get_token(
        tokens=BridgeTokenRepository.from_connection(connection), token_id=token_id
    )


@router.post(
    "/{token_id}/rotate",
    dependencies=MANAGE,
    responses=merge_responses(NOT_FOUND, problems(service.BridgeTokenRevoked)),
)
async def rotate_bridge_token(
    token_id: UUID,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    response: Response,
    body: BridgeTokenRotation | None = None,
) -> BridgeTokenCreated:
    """A new secret for the token, shown only in this answer. The old one keeps working for
    `grace_period_seconds` (default 0: it stops now). No body means the defaults."""
    _not_stored(response)
    return await service.rotate_token(
        tokens=BridgeTokenRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service=AUDIT_SERVICE),
        principal=principal,
        token_id=token_id,
        request=body or BridgeTokenRotation(),
    )


@router.post("/{token_id}/revoke", dependencies=MANAGE, responses=NOT_FOUND)
async def revoke_bridge_token(
    token_id: UUID,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    body: BridgeTokenRevocation | None = None,
) -> BridgeToken:
    """Stop the token now, every secret of it, for good. Revoking a revoked token changes
    nothing and returns it."""
    return await service.revoke_token(
        tokens=BridgeTokenRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service=AUDIT_SERVICE),
        principal=principal,
        token_id=token_id,
    )
