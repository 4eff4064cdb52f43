"""Listing the business's live sessions and ending one. Ending goes through the sessions'
own revocation (sessions/repository.py), limited to a live session: an expired one has ended
already and is neither revoked again nor audited."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from libs.api.pagination import cut_page, decode_cursor, encode_cursor
from libs.audit.append import Actor, AuditLog
from libs.auth.principal import Principal
from libs.problems import NotFound
from services.identity.live_sessions.repository import LiveSessionRepository
from services.identity.live_sessions.schemas import LiveSession, LiveSessionPage
from services.identity.sessions.repository import SessionRepository

REVOKED_BY_OWNER = "revoked-by-owner"


class SessionNotFound(NotFound):
    code = "session-not-found"
    title = "No such session"


def _out(row: Any, principal: Principal) -> LiveSession:
    return LiveSession.model_validate({**row._asdict(), "current": row.id == principal.session_id})


async def list_live_sessions(
    *,
    live_sessions: LiveSessionRepository,
    principal: Principal,
    limit: int,
    cursor: str | None,
) -> LiveSessionPage:
    rows = await live_sessions.page(
        limit=limit + 1, after=decode_cursor(cursor) if cursor else None
    )
    items, next_cursor = cut_page(
        [_out(row, principal) for row in rows],
        limit,
        lambda item: encode_cursor(item.started_at, item.id),
    )
    return LiveSessionPage(items=items, next_cursor=next_cursor)


async def revoke_session(
    *,
    live_sessions: LiveSessionRepository,
    sessions: SessionRepository,
    audit: AuditLog,
    principal: Principal,
    session_id: UUID,
) -> LiveSession:
    """Ends a live session and audits it; a revoked or expired one is returned as it is,
    with no second revocation and no audit row."""
    found = await live_sessions.get(session_id)
    if found is None:
        raise SessionNotFound()
    revoked = await sessions.revoke_session(session_id, reason=REVOKED_BY_OWNER, only_live=True)
    if not revoked:
        return _out(await live_sessions.get(session_id), principal)
    await audit.append(
        actor=Actor.of(principal),
        action="session.revoked",
        resource_type="session",
        resource_id=str(session_id),
        payload={
            "reason": REVOKED_BY_OWNER,
            "kind": found.kind,
            "staff_id": str(found.staff_id),
            "device_id": str(found.device_id) if found.device_id else None,
        },
    )
    return _out(await live_sessions.get(session_id), principal)
