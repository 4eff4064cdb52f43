"""Connections as the services' own login roles, bound to one tenant: the one place tests and
benches write `set_config('app.tenant_id', ...)`, as libs/tenancy does for the services."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

# The statement libs/tenancy/database.py binds every service transaction with, in asyncpg's
# placeholder style (that module's is SQLAlchemy's, and private). Transaction-local (`true`),
# so the binding ends with the transaction, as in the services.
BIND_TENANT = "SELECT set_config('app.tenant_id', $1, true)"

# `connect_as("orders")`: a raw asyncpg connection as that service's login role.
Connect = Callable[[str], Awaitable[asyncpg.Connection]]
# `await provision(region="au")`: a new tenant, provisioned as the operator does.
Provision = Callable[..., Awaitable[uuid.UUID]]


async def bind_tenant(connection: asyncpg.Connection, tenant: uuid.UUID | str) -> None:
    """Bind the transaction already open on `connection` to `tenant` (for tests that hold a
    transaction open across awaits; otherwise use `as_tenant`)."""
    await connection.execute(BIND_TENANT, str(tenant))


@asynccontextmanager
async def as_tenant(connection: asyncpg.Connection, tenant: uuid.UUID | str) -> AsyncIterator[None]:
    """A transaction on `connection` bound to `tenant`: row-level security sees only its rows;
    leaving the block commits, an exception rolls back."""
    async with connection.transaction():
        await bind_tenant(connection, tenant)
        yield


async def as_service(
    connect_as: Connect, service: str, tenant: uuid.UUID, query: str, *args: Any
) -> list[Any]:
    """The rows of `query`, run as `service`'s role in a transaction bound to `tenant`."""
    connection = await connect_as(service)
    async with as_tenant(connection, tenant):
        return list(await connection.fetch(query, *args))


async def as_identity(connect_as: Connect, tenant: uuid.UUID, query: str, *args: Any) -> list[Any]:
    """`as_service` as the identity service, whose tables most identity tests read."""
    return await as_service(connect_as, "identity", tenant, query, *args)


@asynccontextmanager
async def service_connections(service_urls: Mapping[str, str]) -> AsyncIterator[Connect]:
    """A `Connect` outside any test's `connect_as` fixture (benches, module-scoped fixtures):
    one connection per service's role, opened on first use and reused after (a bench arranges
    a hundred businesses; a connection each would exhaust the server); leaving the block closes
    them."""
    opened: dict[str, asyncpg.Connection] = {}

    async def connect(service: str) -> asyncpg.Connection:
        if service not in opened:
            opened[service] = await asyncpg.connect(service_urls[service])
        return opened[service]

    try:
        yield connect
    finally:
        for connection in opened.values():
            await connection.close()
