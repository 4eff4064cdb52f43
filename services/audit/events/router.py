from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from libs.rbac import Permission
from libs.rbac.guard import requires
from libs.tenancy import TenantConnection
from services.audit.events.repository import AuditEventRepository
from services.audit.events.schemas import AuditEvent, AuditEventPage

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get("/events", dependencies=[requires(Permission.AUDIT_READ)])
async def list_events(
    connection: TenantConnection,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Annotated[int, Query(ge=0, description="The last seq already seen")] = 0,
) -> AuditEventPage:
    rows = await AuditEventRepository.from_connection(connection).page(
        after_seq=cursor, limit=limit + 1
    )
    items = [
        AuditEvent(**{**row._asdict(), "prev_hash": row.prev_hash.hex(), "hash": row.hash.hex()})
        for row in rows[:limit]
    ]
    more = len(rows) > limit
    return AuditEventPage(items=items, next_cursor=str(items[-1].seq) if more else None)
