from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa

from libs.tenancy.repository import Repository
from services.identity.models import devices, refresh_tokens, sessions, staff


def _view() -> sa.Select[Any]:
    """A session as the owner sees it: who, on which till, and when its tokens were last
    issued (its newest refresh token, or its start)."""
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
