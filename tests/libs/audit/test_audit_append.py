"""The audit log: append-only, hash-chained per tenant, correct under concurrent writers."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.audit.append import Actor, AuditLog
from libs.audit.chain import GENESIS_HASH
from libs.auth.principal import Principal
from libs.config import DATABASE_LOGINS
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from services.audit.checkpoints.service import CheckpointService
from tests.conftest import AUDIT_SIGNER
from tests.support.audit import assert_valid_chain, read_chain
from tests.support.database import Connect, Provision, as_tenant

WRITERS = 8
APPENDS_PER_WRITER = 200


async def test_concurrent_writers_of_one_tenant_keep_one_unbroken_chain(
    provision: Provision, service_databases: dict[str, TenantDatabase], connect_as: Connect
) -> None:
    tenant = await provision()
    other_tenant = await provision()
    orders = service_databases["orders"]

    async def writer(number: int, for_tenant: uuid.UUID) -> None:
        who = Principal(subject=f"writer-{number}", tenant_id=for_tenant, role=Role.CASHIER)
        for index in range(APPENDS_PER_WRITER):
            async with orders.transaction(who) as connection:
                await AuditLog.from_connection(connection, service="orders").append(
                    actor=Actor.of(who),
                    action="test.appended",
                    resource_type="test",
                    resource_id=f"{number}-{index}",
                    payload={"writer": number, "index": index, "amount_minor": 1999},
                )

    await asyncio.gather(
        *(writer(n, tenant) for n in range(WRITERS)),
        *(writer(n, other_tenant) for n in range(2)),
    )
    reader = await connect_as("audit")
    rows = await read_chain(reader, tenant)
    assert_valid_chain(rows)
    assert_valid_chain(await read_chain(reader, other_tenant))
    written = {row["resource_id"] for row in rows if row["action"] == "test.appended"}
    assert len(written) == WRITERS * APPENDS_PER_WRITER, "no append may be lost"
    # After provisioning's entries: tenant.created and orders.provisioned.
    assert len(rows) == WRITERS * APPENDS_PER_WRITER + 2


async def test_a_rolled_back_write_leaves_no_audit_row_and_no_gap(
    provision: Provision, service_databases: dict[str, TenantDatabase], connect_as: Connect
) -> None:
    tenant = await provision()
    who = Principal(subject="rollback", tenant_id=tenant, role=Role.CASHIER)
    orders = service_databases["orders"]

    async def append(connection: AsyncConnection, resource_id: str) -> None:
        await AuditLog.from_connection(connection, service="orders").append(
            actor=Actor.of(who), action="t", resource_type="t", resource_id=resource_id, payload={}
        )

    async with orders.transaction(who) as connection:
        await append(connection, "kept-1")
    with pytest.raises(RuntimeError):
        async with orders.transaction(who) as connection:
            await append(connection, "rolled-back")
            raise RuntimeError("the business write failed")
    async with orders.transaction(who) as connection:
        await append(connection, "kept-2")
    rows = await read_chain(await connect_as("audit"), tenant)
    assert [row["resource_id"] for row in rows if row["action"] == "t"] == ["kept-1", "kept-2"]
    assert_valid_chain(rows)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit.events SET action = 'tampered'",
        "DELETE FROM audit.events",
        "TRUNCATE audit.events",
        "ALTER TABLE audit.events DISABLE TRIGGER events_append_only",
        "ALTER TABLE audit.events DISABLE TRIGGER ALL",
        "DROP TRIGGER events_no_truncate ON audit.events",
        "UPDATE audit.checkpoints SET size = 0",
        "DELETE FROM audit.checkpoints",
        "TRUNCATE audit.checkpoints",
        "ALTER TABLE audit.checkpoints DISABLE TRIGGER checkpoints_append_only",
        "SET session_replication_role = replica",
    ],
)
@pytest.mark.parametrize("service", sorted(DATABASE_LOGINS))
async def test_service_roles_cannot_alter_the_log(
    statement: str, service: str, connect_as: Connect
) -> None:
    connection = await connect_as(service)
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await connection.execute(statement)


async def test_even_the_owner_is_refused_by_the_triggers(
    provision: Provision, service_databases: dict[str, TenantDatabase], admin: asyncpg.Connection
) -> None:
    tenant = await provision()
    who = Principal(subject="owner-test", tenant_id=tenant, role=Role.OWNER)
    async with service_databases["orders"].transaction(who) as connection:
        await AuditLog.from_connection(connection, service="orders").append(
            actor=Actor.of(who), action="t", resource_type="t", resource_id="x", payload={}
        )
    async with service_databases["audit"].transaction(who) as connection:
        await CheckpointService(AUDIT_SIGNER, "test").sign(
            connection, tenant_id=tenant, requested_by="test"
        )
    await admin.execute("SET ROLE halopos_owner")
    for statement in (
        "UPDATE audit.events SET action = 'tampered'",
        "DELETE FROM audit.events",
        "TRUNCATE audit.events",
        "UPDATE audit.checkpoints SET requested_by = 'tampered'",
        "DELETE FROM audit.checkpoints",
        "TRUNCATE audit.checkpoints",
    ):
        async with as_tenant(admin, tenant):
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
                await admin.execute(statement)
    await admin.execute("RESET ROLE")


async def test_an_entry_that_does_not_link_is_refused(
    connect_as: Connect, provision: Provision
) -> None:
    connection = await connect_as("orders")
    tenant = await provision()
    insert = (
        "INSERT INTO audit.events (seq, id, occurred_at, service, actor_type, actor_id, action,"
        " resource_type, resource_id, payload, prev_hash, hash)"
        " VALUES ($1, gen_random_uuid(), now(), 's', 'a', 'a', 'a', 'r', 'r', '{}', $2, $3)"
    )
    for seq, prev_hash in [(1, b"\x01" * 32), (2, GENESIS_HASH)]:
        with pytest.raises(asyncpg.IntegrityConstraintViolationError, match="does not link"):
            async with as_tenant(connection, tenant):
                await connection.execute(insert, seq, prev_hash, b"\x02" * 32)
