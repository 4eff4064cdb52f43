from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from libs.api.authentication import CurrentPrincipal
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.audit.append import AuditLog
from libs.problems import problems
from libs.rbac import Permission
from services.identity.live_sessions import service
from services.identity.live_sessions.repository import LiveSessionRepository
from services.identity.live_sessions.schemas import LiveSession, LiveSessionPage
from services.identity.sessions.repository import SessionRepository

router = APIRouter(prefix="/v1/admin/security/sessions", tags=["security"])
MANAGE = [requires(Permission.SECURITY_MANAGE)]


@router.get("", dependencies=MANAGE)
async def list_sessions(
    connection: TenantConnection,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> LiveSessionPage:
    """The business's live sessions, tills and browsers, newest first: who, from what, since
    when, when last refreshed, and when each ends."""
    return await service.list_live_sessions(
        live_sessions=LiveSessionRepository.from_connection(connection),
        principal=principal,
        limit=limit,
        cursor=cursor,
    )


@router.post(
    "/{session_id}/revoke", dependencies=MANAGE, responses=problems(service.SessionNotFound)
)
async def revoke_session(
    session_id: UUID, connection: TenantConnection, principal: CurrentPrincipal
) -> LiveSession:
    """End a session: its refresh token is refused from now on, so it cannot get another
    access token. The access token it holds already stays valid until it expires (at most 10
    minutes). Revoking a revoked or expired session changes nothing and returns it."""
    return await service.revoke_session(
        live_sessions=LiveSessionRepository.from_connection(connection),
        sessions=SessionRepository.from_connection(connection),
        audit=AuditLog.from_connection(connection, service="identity"),
        principal=principal,
        session_id=session_id,
    )
