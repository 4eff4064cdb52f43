"""FastAPI dependency: a tenant-bound connection that wraps the whole request.

`scope="function"` makes the commit happen when the endpoint returns, before the response is
sent: a client never receives a 201 for a write that then fails to commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.auth.dependencies import CurrentPrincipal
from libs.billing.entitlement import enforce, read_entitlement
from libs.rbac.matrix import route_of_template
from libs.tenancy.database import TenantDatabase


def refused_when_read_only(request: Request) -> bool:
    """Whether the matched route is one a read-only subscription does not serve."""
    route = request.scope.get("route")
    template = getattr(route, "path", None)
    matched = route_of_template(request.method, template) if template else None
    return matched is not None and not matched.served_read_only


async def ensure_entitled(connection: AsyncConnection, request: Request) -> None:
    """The service's own check of the tenant's subscription (the gateway checked too), in
    the transaction of the write it guards."""
    if refused_when_read_only(request):
        enforce(await read_entitlement(connection), request.scope)


async def _tenant_connection(
    request: Request, principal: CurrentPrincipal
) -> AsyncIterator[AsyncConnection]:
    database: TenantDatabase = request.app.state.database
    async with database.transaction(principal) as connection:
        await ensure_entitled(connection, request)
        yield connection


TenantConnection = Annotated[AsyncConnection, Depends(_tenant_connection, scope="function")]


async def _tenant_snapshot(
    request: Request, principal: CurrentPrincipal
) -> AsyncIterator[AsyncConnection]:
    database: TenantDatabase = request.app.state.database
    async with database.snapshot(principal) as connection:
        yield connection


# A read-only REPEATABLE READ transaction for the whole request: reports whose many queries
# must agree with each other and with the audit position they quote.
TenantSnapshot = Annotated[AsyncConnection, Depends(_tenant_snapshot, scope="function")]
