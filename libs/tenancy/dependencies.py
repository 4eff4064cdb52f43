"""FastAPI dependency: a tenant-bound connection that wraps the whole request.

`scope="function"` makes the commit happen when the endpoint returns, before the response is
sent: a client never receives a 201 for a write that then fails to commit. The transaction's
first statement spends the request's DPoP proof (libs/api/authentication.py), so that spend
commits with the request's writes and costs no commit of its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.api.authentication import (
    CurrentPrincipal,
    request_transaction_committed,
    spend_request_proof,
    spends_proof_in_transaction,
)
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


async def ensure_entitled_when_due(connection: AsyncConnection, request: Request) -> None:
    """The check `_tenant_connection` held back for a request with an Idempotency-Key: the
    handler runs it once it knows the request is not a retry of one answered before (whose
    first answer is replayed, whatever the subscription has become since); at the latest it
    runs before the commit."""
    if getattr(request.state, "entitlement_due", False):
        request.state.entitlement_due = False
        await ensure_entitled(connection, request)


@spends_proof_in_transaction
async def _tenant_connection(
    request: Request, principal: CurrentPrincipal
) -> AsyncIterator[AsyncConnection]:
    database: TenantDatabase = request.app.state.database
    async with database.transaction(principal) as connection:
        await spend_request_proof(request, connection)
        if "idempotency-key" in request.headers:
            request.state.entitlement_due = True
        else:
            await ensure_entitled(connection, request)
        yield connection
        # Whatever the handler did, nothing commits unchecked.
        await ensure_entitled_when_due(connection, request)
    request_transaction_committed(request)


TenantConnection = Annotated[AsyncConnection, Depends(_tenant_connection, scope="function")]


async def entitled_up_front(request: Request, principal: CurrentPrincipal) -> None:
    """For a route that opens its own transactions (one that calls a card terminal between
    them): the subscription check a request without an Idempotency-Key gets before its body is
    read, as on every route with a TenantConnection. The handler checks again in the
    transaction of its write; a keyed request waits for that check, after its replay."""
    if "idempotency-key" in request.headers or not refused_when_read_only(request):
        return
    database: TenantDatabase = request.app.state.database
    async with database.transaction(principal) as connection:
        await ensure_entitled(connection, request)


EntitledUpFront = Depends(entitled_up_front)


async def _tenant_snapshot(
    request: Request, principal: CurrentPrincipal
) -> AsyncIterator[AsyncConnection]:
    database: TenantDatabase = request.app.state.database
    async with database.snapshot(principal) as connection:
        yield connection


# A read-only REPEATABLE READ transaction for the whole request: reports whose many queries
# must agree with each other and with the audit position they quote.
TenantSnapshot = Annotated[AsyncConnection, Depends(_tenant_snapshot, scope="function")]
