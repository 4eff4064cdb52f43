from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from libs.api.authentication import CurrentPrincipal
from libs.api.openapi import binary, sends
from libs.api.permissions import requires
from libs.auth.principal import Principal
from libs.problems import merge_responses
from libs.rbac import Permission
from libs.tenancy import TenantDatabase
from services.audit.log import AuditLogReader, exported

router = APIRouter(prefix="/v1/audit", tags=["audit"])

JSON_LINES = "application/jsonl"


async def _lines(database: TenantDatabase, principal: Principal) -> AsyncIterator[bytes]:
    # One snapshot for the whole download: the export is the log as it was at one moment.
    async with database.snapshot(principal) as connection:
        async for row in AuditLogReader.from_connection(connection).entries():
            line = json.dumps(exported(row), ensure_ascii=False, separators=(",", ":"))
            yield line.encode() + b"\n"


@router.get(
    "/export",
    dependencies=[requires(Permission.AUDIT_READ)],
    response_class=Response,
    responses=merge_responses(
        binary(JSON_LINES, "The log as JSON Lines: one entry per line, in seq order"),
        sends("Content-Disposition"),
    ),
)
async def export(request: Request, principal: CurrentPrincipal) -> StreamingResponse:
    """Every entry of the tenant's log in seq order, as JSON Lines with every chained field
    and both hashes (docs/audit-chain.md): the input of `tools/verify_audit.py`."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    filename = f"audit-{principal.tenant_id}-{stamp}.jsonl"
    return StreamingResponse(
        _lines(request.app.state.database, principal),
        media_type=JSON_LINES,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
