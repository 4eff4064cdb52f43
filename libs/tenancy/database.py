"""The only way a service touches Postgres.

`TenantDatabase.transaction(principal)` opens a transaction, binds it to the caller's tenant
(anything with a `tenant_id`: the verified principal of a request, in practice) with
`set_config('app.tenant_id', ..., true)` and yields the connection; leaving the block commits,
an exception rolls back. The setting is transaction-local, so it ends with the
transaction and never follows a pooled connection into another request (PgBouncer's
transaction mode is safe for the same reason). Row-level security in Postgres does the
filtering; repositories never name a tenant.

Work that takes a lock other writers queue for (the tenant's audit chain head) can be held
back until just before COMMIT with `before_commit(connection)`: then the lock is held from that
last statement to the commit, not for the whole transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, Protocol
from uuid import UUID
from weakref import WeakKeyDictionary

import asyncpg
from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine


class TenantScoped(Protocol):
    """Whoever a transaction is opened for: only its tenant matters here. Requests pass their
    verified principal (libs/auth/principal.py); this library stays below auth and never
    learns what a principal is."""

    @property
    def tenant_id(self) -> UUID: ...


_BIND_TENANT = text("SELECT set_config('app.tenant_id', :tenant_id, true)")


# Writes one kind of held-back work: given the transaction's connection, its tenant and every
# item added (in the order added), as the transaction's last statements.
Flush = Callable[[AsyncConnection, UUID, list[Any]], Awaitable[None]]


class BeforeCommit:
    """The work an open transaction holds back until just before its COMMIT.

    Each kind of work is a `Flush` function, called once with all of its items; kinds run in
    the order their first item was added. An item added inside a savepoint
    (`connection.begin_nested()`) that rolls back is dropped with it, as its rows would be.
    Savepoints taken on the asyncpg connection underneath (`driver_connection`) are invisible
    here: take them through SQLAlchemy.
    """

    def __init__(self, tenant_id: UUID) -> None:
        self.tenant_id = tenant_id
        self._items: dict[Flush, list[Any]] = {}
        # How many items every kind had when each open savepoint began, innermost last.
        # Savepoints nest strictly (SQLAlchemy closes the inner before the outer, and warns
        # otherwise), so each release or rollback closes the innermost. (SQLAlchemy names a
        # savepoint only after announcing it, so the name cannot pair them.)
        self._savepoints: list[dict[Flush, int]] = []

    def add(self, flush: Flush, item: Any) -> None:
        self._items.setdefault(flush, []).append(item)

    def savepoint_began(self) -> None:
        self._savepoints.append({flush: len(items) for flush, items in self._items.items()})

    def savepoint_released(self) -> None:
        if self._savepoints:
            self._savepoints.pop()

    def savepoint_rolled_back(self) -> None:
        if not self._savepoints:
            return
        counts = self._savepoints.pop()
        for flush, items in self._items.items():
            del items[counts.get(flush, 0) :]

    async def run(self, connection: AsyncConnection) -> None:
        while self._items:
            flush, items = next(iter(self._items.items()))
            del self._items[flush]
            if items:
                await flush(connection, self.tenant_id, items)


# The held-back work of every transaction `TenantDatabase` has open, by its connection.
_OPEN: WeakKeyDictionary[Connection, BeforeCommit] = WeakKeyDictionary()


def before_commit(connection: AsyncConnection) -> BeforeCommit | None:
    """The open transaction's held-back work, or None for a connection `TenantDatabase` did
    not open its transaction on: the caller must then write at once, never drop the work."""
    sync_connection = connection.sync_connection
    return _OPEN.get(sync_connection) if sync_connection is not None else None


def _savepoint_began(connection: Connection, _name: str | None) -> None:
    if (work := _OPEN.get(connection)) is not None:
        work.savepoint_began()


def _savepoint_released(connection: Connection, _name: str, _context: Any) -> None:
    if (work := _OPEN.get(connection)) is not None:
        work.savepoint_released()


def _savepoint_rolled_back(connection: Connection, _name: str, _context: Any) -> None:
    if (work := _OPEN.get(connection)) is not None:
        work.savepoint_rolled_back()


def async_dsn(url: str) -> str:
    """Accept a plain postgresql:// DSN and pick the asyncpg driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    return url


# Seconds to open a new connection to Postgres before giving up.
CONNECT_TIMEOUT_SECONDS = 5.0


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
            # A Postgres that does not answer (a host gone, not a refused port) fails a new
            # connection in seconds, not asyncpg's minute: the request answers 503
            # database-unavailable (libs/tenancy/outage.py) well before the gateway gives up.
            connect_args={"timeout": CONNECT_TIMEOUT_SECONDS},
        )
        # Held-back work follows the transaction's savepoints (BeforeCommit).
        for name, listener in (
            ("savepoint", _savepoint_began),
            ("release_savepoint", _savepoint_released),
            ("rollback_savepoint", _savepoint_rolled_back),
        ):
            event.listen(self.engine.sync_engine, name, listener)

    @asynccontextmanager
    async def transaction(self, principal: TenantScoped) -> AsyncIterator[AsyncConnection]:
        async with self._bound(principal.tenant_id) as connection:
            yield connection

    @asynccontextmanager
    async def snapshot(self, principal: TenantScoped) -> AsyncIterator[AsyncConnection]:
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
        (libs/auth/opaque_credentials.py), in which that credential is then verified. A wrong tenant
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
                sync_connection = connection.sync_connection
                assert sync_connection is not None  # begun above
                work = _OPEN[sync_connection] = BeforeCommit(tenant_id)
                try:
                    yield connection
                    # Only when the block succeeded: its last statements, then the COMMIT.
                    await work.run(connection)
                finally:
                    del _OPEN[sync_connection]

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
