"""The tenant setting never outlives its transaction on a pooled connection: not after a
normal request, not after an exception, not after a cancelled request."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import text

from libs.auth.principal import Principal
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from ops.platform import PreparedDatabase

SETTING = text("SELECT current_setting('app.tenant_id', true) AS tenant, pg_backend_pid() AS pid")


def principal(tenant: uuid.UUID) -> Principal:
    return Principal(subject="pool-test", tenant_id=tenant, role=Role.CASHIER)


@pytest.fixture
async def single_connection_pool(database: PreparedDatabase) -> TenantDatabase:
    pool = TenantDatabase(database.service_urls["orders"], pool_size=1)
    yield pool  # type: ignore[misc]
    await pool.dispose()


async def unbound_setting(pool: TenantDatabase) -> tuple[str | None, int]:
    """What a pooled connection carries when no tenant transaction is open."""
    async with pool.engine.connect() as connection:
        row = (await connection.execute(SETTING)).one()
        await connection.rollback()
    return row.tenant or None, row.pid


async def test_next_request_sees_its_own_tenant(single_connection_pool: TenantDatabase) -> None:
    tenant_a, tenant_b = uuid.uuid4(), uuid.uuid4()
    async with single_connection_pool.transaction(principal(tenant_a)) as connection:
        first = (await connection.execute(SETTING)).one()
    async with single_connection_pool.transaction(principal(tenant_b)) as connection:
        second = (await connection.execute(SETTING)).one()
    assert first.pid == second.pid, "pool size 1 must reuse the same backend"
    assert (first.tenant, second.tenant) == (str(tenant_a), str(tenant_b))
    assert await unbound_setting(single_connection_pool) == (None, first.pid)


async def test_setting_is_gone_after_an_exception(single_connection_pool: TenantDatabase) -> None:
    tenant_a = uuid.uuid4()
    with pytest.raises(RuntimeError):
        async with single_connection_pool.transaction(principal(tenant_a)) as connection:
            assert (await connection.execute(SETTING)).one().tenant == str(tenant_a)
            raise RuntimeError("the handler failed mid-request")
    tenant, _ = await unbound_setting(single_connection_pool)
    assert tenant is None


async def test_setting_is_gone_after_a_failed_statement(
    single_connection_pool: TenantDatabase,
) -> None:
    tenant_a = uuid.uuid4()
    with pytest.raises(Exception, match="division by zero"):
        async with single_connection_pool.transaction(principal(tenant_a)) as connection:
            await connection.execute(text("SELECT 1 / 0"))
    tenant, _ = await unbound_setting(single_connection_pool)
    assert tenant is None


async def test_setting_is_gone_after_a_cancelled_request(
    single_connection_pool: TenantDatabase,
) -> None:
    tenant_a, tenant_b = uuid.uuid4(), uuid.uuid4()
    inside = asyncio.Event()

    async def slow_request() -> None:
        async with single_connection_pool.transaction(principal(tenant_a)) as connection:
            inside.set()
            await connection.execute(text("SELECT pg_sleep(10)"))

    task = asyncio.create_task(slow_request())
    await inside.wait()
    await asyncio.sleep(0.1)  # let the query reach the server
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    # The pool's one connection is either reset or replaced; either way it carries no tenant.
    async with single_connection_pool.transaction(principal(tenant_b)) as connection:
        assert (await connection.execute(SETTING)).one().tenant == str(tenant_b)
    tenant, _ = await unbound_setting(single_connection_pool)
    assert tenant is None
