"""The business's live sessions, for an owner's review (`/admin/security` in the backoffice):
who is signed in, from what, since when, and a way to end a session that should not be there.

A session is live while it is neither revoked nor expired. Revoking one refuses its refresh
token at once; an access token it already holds stays valid until it expires (at most 10
minutes: tokens are verified without a lookup per request, docs/sessions.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import sqlalchemy as sa
from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from libs.api.authentication import CurrentPrincipal
from libs.api.pagination import cut_page, decode_cursor, encode_cursor
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.audit.append import Actor, AuditLog
from libs.auth.principal import Principal
from libs.problems import NotFound, problems
from libs.rbac import Permission
from libs.tenancy.repository import Repository
from services.identity.models import devices, refresh_tokens, sessions, staff
from services.identity.sessions.repository import SessionRepository

REVOKED_BY_OWNER = "revoked-by-owner"


class SessionNotFound(NotFound):
    code = "session-not-found"
    title = "No such session"


# -- schemas -----------------------------------------------------------------------------------

# Sam at register 1 of Harbour Café; Alex in the backoffice on a laptop.
SESSION_EXAMPLE: JsonDict = {
    "id": "a8d3f6b1-2e9c-4f4a-b7d5-3c8e1a6f9b27",
    "kind": "backoffice",
    "staff_id": "1d7e3b9f-5a2c-4e8d-9b6f-2c4a8e1d7f35",
    "staff_name": "Alex Chen",
    "staff_email": "alex@harbourlane.example",
    "role": "owner",
    "device_id": None,
    "device_name": None,
    "location_id": None,
    "client": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 Safari/605.1.15",
    "started_at": "2026-12-07T21:02:00+00:00",
    "last_refreshed_at": "2026-12-07T22:41:00+00:00",
    "expires_at": "2026-12-08T09:02:00+00:00",
    "revoked_at": None,
    "current": True,
}


class LiveSession(BaseModel):
    """A sign-in session: a till's (PIN) or a browser's (backoffice)."""

    model_config = ConfigDict(json_schema_extra={"examples": [SESSION_EXAMPLE]})

    id: UUID
    kind: Literal["pos", "backoffice"] = Field(
        description="`pos`: signed in with a PIN on a till; `backoffice`: in a browser"
    )
    staff_id: UUID
    staff_name: str
    staff_email: str
    role: str = Field(description="The staff member's role now (the next token carries it)")
    device_id: UUID | None = Field(description="The till, for a `pos` session")
    device_name: str | None
    location_id: UUID | None = Field(description="The till's venue, for a `pos` session")
    client: str | None = Field(
        description="The browser's own description of itself at sign-in (its User-Agent), "
        "for a `backoffice` session; display only, since any program can send any"
    )
    started_at: datetime
    last_refreshed_at: datetime = Field(
        description="When its tokens were last issued: at sign-in, then each refresh (about "
        "every 10 minutes while it is in use)"
    )
    expires_at: datetime = Field(description="When it ends unless revoked first")
    revoked_at: datetime | None
    current: bool = Field(description="The session this request was made in")


class LiveSessionPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [SESSION_EXAMPLE], "next_cursor": None}]}
    )

    items: list[LiveSession]
    next_cursor: str | None = Field(description="For the next page; null on the last")


# -- storage -----------------------------------------------------------------------------------


def _view() -> sa.Select[Any]:
    last_issued = (
        sa.select(sa.func.max(refresh_tokens.c.issued_at))
        .where(refresh_tokens.c.session_id == sessions.c.id)
        .scalar_subquery()
    )
    return sa.select(
        sessions.c.id,
        sessions.c.kind,
        sessions.c.staff_id,
        staff.c.display_name.label("staff_name"),
        staff.c.email.label("staff_email"),
        staff.c.role,
        sessions.c.device_id,
        devices.c.name.label("device_name"),
        sessions.c.location_id,
        sessions.c.client,
        sessions.c.created_at.label("started_at"),
        sa.func.coalesce(last_issued, sessions.c.created_at).label("last_refreshed_at"),
        sessions.c.expires_at,
        sessions.c.revoked_at,
    ).select_from(
        sessions.join(staff, staff.c.id == sessions.c.staff_id).outerjoin(
            devices, devices.c.id == sessions.c.device_id
        )
    )


class LiveSessionRepository(Repository):
    async def page(self, *, limit: int, after: tuple[datetime, UUID] | None) -> list[Any]:
        """Live sessions (not revoked, not expired), newest first."""
        query = (
            _view()
            .where(sessions.c.revoked_at.is_(None), sessions.c.expires_at > sa.func.now())
            .order_by(sessions.c.created_at.desc(), sessions.c.id.desc())
            .limit(limit)
        )
        if after is not None:
            query = query.where(sa.tuple_(sessions.c.created_at, sessions.c.id) < sa.tuple_(*after))
        return list((await self._connection.execute(query)).all())

    async def get(self, session_id: UUID) -> Any:
        return (await self._connection.execute(_view().where(sessions.c.id == session_id))).first()


def _out(row: Any, principal: Principal) -> LiveSession:
    return LiveSession.model_validate({**row._asdict(), "current": row.id == principal.session_id})


# -- routes ------------------------------------------------------------------------------------

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
    rows = await LiveSessionRepository.from_connection(connection).page(
        limit=limit + 1, after=decode_cursor(cursor) if cursor else None
    )
    items, next_cursor = cut_page(
        [_out(row, principal) for row in rows],
        limit,
        lambda item: encode_cursor(item.started_at, item.id),
    )
    return LiveSessionPage(items=items, next_cursor=next_cursor)


@router.post("/{session_id}/revoke", dependencies=MANAGE, responses=problems(SessionNotFound))
async def revoke_session(
    session_id: UUID, connection: TenantConnection, principal: CurrentPrincipal
) -> LiveSession:
    """End a session: its refresh token is refused from now on, so it cannot get another
    access token. The access token it holds already stays valid until it expires (at most 10
    minutes). Revoking a revoked or expired session changes nothing and returns it."""
    repository = LiveSessionRepository.from_connection(connection)
    found = await repository.get(session_id)
    if found is None:
        raise SessionNotFound()
    revoked = await SessionRepository.from_connection(connection).revoke_session(
        session_id, reason=REVOKED_BY_OWNER, only_live=True
    )
    if not revoked:
        return _out(await repository.get(session_id), principal)
    await AuditLog.from_connection(connection, service="identity").append(
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
    return _out(await repository.get(session_id), principal)
