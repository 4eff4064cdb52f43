"""The only way a service touches Postgres.

`TenantDatabase.transaction(principal)` opens a transaction, binds it to the principal's tenant
with `set_config('app.tenant_id', ..., true)` and yields the connection; leaving the block
commits, an exception rolls back. The setting is transaction-local, so it ends with the
transaction and never follows a pooled connection into another request (PgBouncer's
transaction mode is safe for the same reason). Row-level security in Postgres does the
filtering; repositories never name a tenant.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from uuid import UUID

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from libs.auth.principal import Principal

_BIND_TENANT = text("SELECT set_config('app.tenant_id', :tenant_id, true)")


def async_dsn(url: str) -> str:
    """Accept a plain postgresql:// DSN and pick the asyncpg driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    return url


class TenantDatabase:
    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.engine: AsyncEngine = create_async_engine(
            async_dsn(url),
            pool_size=pool_size,
            max_overflow=0,
            pool_recycle=1800,
            # On return to the pool an open transaction is rolled back (and with it the
            # transaction-local tenant setting); a connection that cannot roll back is discarded.
            pool_reset_on_return="rollback",
        )

    @asynccontextmanager
    async def transaction(self, principal: Principal) -> AsyncIterator[AsyncConnection]:
        async with self._bound(principal.tenant_id) as connection:
            yield connection

    @asynccontextmanager
    async def snapshot(self, principal: Principal) -> AsyncIterator[AsyncConnection]:
        """A read-only REPEATABLE READ transaction: every statement sees the database as of
        the first one. For reads that must agree with themselves across many statements (the
        audit export and verification)."""
        async with self._bound(principal.tenant_id, snapshot=True) as connection:
            yield connection

    @asynccontextmanager
    async def scheduled_transaction(self, tenant_id: UUID) -> AsyncIterator[AsyncConnection]:
        """For a service's own background jobs only (the audit service's periodic
        checkpoints), never for requests: binds a transaction to a tenant that the database
        itself named to the job (`audit.tenants_awaiting_checkpoint()`)."""
        async with self._bound(tenant_id) as connection:
            yield connection

    @asynccontextmanager
    async def provisioning_transaction(self, tenant_id: UUID) -> AsyncIterator[AsyncConnection]:
        """For operator tooling only (tenant provisioning, demo seeding), never for requests:
        binds a transaction to a tenant the operator names on the command line."""
        async with self._bound(tenant_id) as connection:
            yield connection

    @asynccontextmanager
    async def credential_transaction(self, tenant_id: UUID) -> AsyncIterator[AsyncConnection]:
        """For verifying an opaque credential only, where no session exists yet (the identity
        service's sign-in and activation endpoints, and Bridge tokens at the gateway and the
        bridge service): binds a transaction to the tenant a presented credential names
        (libs/auth/credentials.py), in which that credential is then verified. A wrong tenant
        finds nothing to verify; the caller answers exactly as for a wrong secret."""
        async with self._bound(tenant_id) as connection:
            yield connection

    @asynccontextmanager
    async def event_transaction(self, tenant_id: UUID) -> AsyncIterator[AsyncConnection]:
        """For a third party's signed event only (Stripe's webhooks to the billing service,
        after their signature was verified): binds a transaction to the tenant the event
        names, which is the tenant id we gave Stripe when we created the object. Nothing in
        the event can reach another tenant: the binding is row-level security's, and an id
        that names no tenant finds nothing (the tenant foreign key refuses the row)."""
        async with self._bound(tenant_id) as connection:
            yield connection

    @asynccontextmanager
    async def _bound(
        self, tenant_id: UUID, *, snapshot: bool = False
    ) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as connection:
            if snapshot:
                # Connection characteristics: SQLAlchemy resets both on return to the pool.
                await connection.execution_options(
                    isolation_level="REPEATABLE READ", postgresql_readonly=True
                )
            async with connection.begin():
                await connection.execute(_BIND_TENANT, {"tenant_id": str(tenant_id)})
                yield connection

    async def dispose(self) -> None:
        await self.engine.dispose()


async def driver_connection(connection: AsyncConnection) -> asyncpg.Connection:
    """The asyncpg connection under a tenant-bound SQLAlchemy connection: the same
    transaction and the same tenant setting, without SQLAlchemy's per-statement cost.

    For the till's hot write paths (measured: a third of the CPU per order); everything else
    uses SQLAlchemy Core. asyncpg keeps its own prepared-statement cache per connection.
    """
    raw = await connection.get_raw_connection()
    driver: asyncpg.Connection = raw.driver_connection
    return driver
