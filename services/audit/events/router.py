from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from libs.api.pagination import MAX_SEQ_CURSOR, cut_page
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.problems import problems
from libs.rbac import Permission
from libs.text import FilterType, FilterValue
from services.audit.events.schemas import AuditEvent, AuditEventPage, NaiveTimestamp
from services.audit.log import AuditLogReader, EventFilters

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get(
    "/events", dependencies=[requires(Permission.AUDIT_READ)], responses=problems(NaiveTimestamp)
)
async def list_events(
    connection: TenantConnection,
    occurred_from: Annotated[datetime | None, Query(description="Inclusive, with offset")] = None,
    occurred_before: Annotated[datetime | None, Query(description="Exclusive")] = None,
    actor_type: Annotated[FilterType | None, Query()] = None,
    actor_id: Annotated[FilterValue | None, Query()] = None,
    action: Annotated[
        FilterValue | None, Query(description='Exact, or a family: "order.*"')
    ] = None,
    resource_type: Annotated[FilterType | None, Query()] = None,
    resource_id: Annotated[FilterValue | None, Query()] = None,
    order: Literal["asc", "desc"] = "asc",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Annotated[
        int | None, Query(ge=0, le=MAX_SEQ_CURSOR, description="The last seq already seen")
    ] = None,
) -> AuditEventPage:
    """The tenant's audit entries in seq order (`order=desc`: newest first), filtered."""
    for moment in (occurred_from, occurred_before):
        if moment is not None and moment.tzinfo is None:
            raise NaiveTimestamp()
    filters = EventFilters(
        occurred_from=occurred_from,
        occurred_before=occurred_before,
        actor_type=actor_type,
        actor_id=actor_id,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
    )
    rows = await AuditLogReader.from_connection(connection).page(
        filters=filters, after_seq=cursor, newest_first=order == "desc", limit=limit + 1
    )
    page, next_cursor = cut_page(rows, limit, lambda row: str(row.seq))
    return AuditEventPage(items=[AuditEvent.of(row) for row in page], next_cursor=next_cursor)
