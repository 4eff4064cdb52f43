"""Audit appends are held back and written last: one statement just before COMMIT, so the
tenant's chain head is locked only from there to the commit (libs/audit/append.py,
libs/tenancy/database.py `before_commit`).

Everything runs under the services' own logins; the chain is read back as the audit service
reads it and recomputed in Python (tests/support/audit.py).
"""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import UTC, datetime

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.audit.append import Actor, AuditLog
from libs.audit.chain import CHAINED_FIELDS, canonical_around_seq, canonical_entry
from libs.auth.principal import Principal
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase, before_commit
from services.identity.tenants.repository import TenantRepository
from services.identity.tenants.service import REGIONS
from tests.support.audit import assert_valid_chain, read_chain
from tests.support.database import Connect, Provision

ACTOR = Actor(type="manager", id="manager-1")


async def append(connection: AsyncConnection, resource_id: str, **payload: object) -> None:
    await AuditLog.from_connection(connection, service="orders").append(
        actor=ACTOR,
        action="test.deferred",
        resource_type="test",
        resource_id=resource_id,
        payload=dict(payload),
    )


def written(rows: list[asyncpg.Record]) -> list[str]:
    return [row["resource_id"] for row in rows if row["action"] == "test.deferred"]


def writer(tenant: uuid.UUID) -> Principal:
    return Principal(subject="deferred-test", tenant_id=tenant, role=Role.MANAGER)


async def test_a_transaction_s_entries_are_written_only_at_its_commit_in_append_order(
    provision: Provision, service_databases: dict[str, TenantDatabase], connect_as: Connect
) -> None:
    tenant = await provision()
    reader = await connect_as("audit")
    async with service_databases["orders"].transaction(writer(tenant)) as connection:
        for name in ("first", "second", "third"):
            await append(connection, name)
        work = before_commit(connection)
        assert work is not None
        inside = await connection.scalar(text("SELECT count(*) FROM audit.events"))
        assert written(await read_chain(reader, tenant)) == []
    assert inside == 2, "only provisioning's entries until the commit"
    rows = await read_chain(reader, tenant)
    assert written(rows) == ["first", "second", "third"]
    assert [row["seq"] for row in rows][-3:] == [3, 4, 5]
    assert_valid_chain(rows)


async def test_the_chain_head_is_not_held_while_the_transaction_does_its_work(
    provision: Provision, service_databases: dict[str, TenantDatabase], connect_as: Connect
) -> None:
    """A write that has appended but not committed does not hold the head: another write of
    the same business appends and commits meanwhile. Its entry gets the earlier seq (seq order
    is the order the head was advanced, at each commit), so occurred_at is not monotonic."""
    tenant = await provision()
    orders = service_databases["orders"]
    async with orders.transaction(writer(tenant)) as slow:
        await append(slow, "appended first, committed last")

        async def quick() -> None:
            async with orders.transaction(writer(tenant)) as connection:
                await append(connection, "appended last, committed first")

        # Before appends were held back, this waited for `slow` to commit: a deadlock here.
        await asyncio.wait_for(quick(), timeout=10)
    rows = await read_chain(await connect_as("audit"), tenant)
    assert written(rows) == ["appended last, committed first", "appended first, committed last"]
    assert rows[-1]["occurred_at"] < rows[-2]["occurred_at"]
    assert_valid_chain(rows)


async def test_entries_appended_in_a_savepoint_that_rolls_back_are_dropped_with_it(
    provision: Provision, service_databases: dict[str, TenantDatabase], connect_as: Connect
) -> None:
    tenant = await provision()
    async with service_databases["orders"].transaction(writer(tenant)) as connection:
        await append(connection, "before")
        with pytest.raises(RuntimeError):
            async with connection.begin_nested():
                await append(connection, "rolled back")
                raise RuntimeError("this operation alone is refused")
        async with connection.begin_nested():
            await append(connection, "released")
            with pytest.raises(RuntimeError):
                async with connection.begin_nested():
                    await append(connection, "inner, rolled back")
                    async with connection.begin_nested():
                        await append(connection, "released inside the rolled-back one")
                    raise RuntimeError("the inner savepoint rolls back")
            await append(connection, "after the inner one")
        with pytest.raises(RuntimeError):
            async with connection.begin_nested():
                async with connection.begin_nested():
                    await append(connection, "released, then its outer one rolls back")
                raise RuntimeError("the outer savepoint rolls back")
        await append(connection, "after")
    rows = await read_chain(await connect_as("audit"), tenant)
    assert written(rows) == ["before", "released", "after the inner one", "after"]
    assert_valid_chain(rows)


async def test_an_append_outside_a_tenant_database_transaction_is_written_at_once(
    provision: Provision, service_databases: dict[str, TenantDatabase], connect_as: Connect
) -> None:
    """Never held back where nothing would write it: on a connection whose transaction
    `TenantDatabase` did not open, the entry is in the table when `append` returns."""
    tenant = await provision()
    async with service_databases["orders"].engine.connect() as connection, connection.begin():
        await connection.execute(
            text("SELECT set_config('app.tenant_id', :tenant, true)"), {"tenant": str(tenant)}
        )
        assert before_commit(connection) is None
        await append(connection, "at once")
        seen = await connection.scalar(
            text("SELECT count(*) FROM audit.events WHERE action = 'test.deferred'")
        )
        assert seen == 1
    rows = await read_chain(await connect_as("audit"), tenant)
    assert written(rows) == ["at once"]
    assert_valid_chain(rows)


async def test_an_append_without_a_tenant_is_refused_not_lost(
    service_databases: dict[str, TenantDatabase],
) -> None:
    async with service_databases["orders"].engine.connect() as connection, connection.begin():
        with pytest.raises(RuntimeError, match="bound to a tenant"):
            await append(connection, "nowhere")


async def test_a_payload_the_chain_refuses_fails_at_the_append_not_at_the_commit(
    provision: Provision, service_databases: dict[str, TenantDatabase], connect_as: Connect
) -> None:
    tenant = await provision()
    async with service_databases["orders"].transaction(writer(tenant)) as connection:
        with pytest.raises(ValueError, match="float"):
            await append(connection, "money as a float", amount=12.5)
        await append(connection, "kept")
    assert written(await read_chain(await connect_as("audit"), tenant)) == ["kept"]


async def test_changing_a_payload_after_its_append_changes_nothing_written(
    provision: Provision, service_databases: dict[str, TenantDatabase], connect_as: Connect
) -> None:
    tenant = await provision()
    payload: dict[str, object] = {"total_minor": 1250}
    async with service_databases["orders"].transaction(writer(tenant)) as connection:
        await AuditLog.from_connection(connection, service="orders").append(
            actor=ACTOR,
            action="test.deferred",
            resource_type="test",
            resource_id="x",
            payload=payload,
        )
        payload["total_minor"] = 0
    rows = await read_chain(await connect_as("audit"), tenant)
    assert rows[-1]["payload"] == '{"total_minor": 1250}'
    assert_valid_chain(rows)


async def test_concurrent_first_entries_of_a_business_start_one_chain(
    service_databases: dict[str, TenantDatabase], connect_as: Connect
) -> None:
    """A business with no entry yet has no chain head: the first writers create it once."""
    tenant = uuid.uuid4()
    async with service_databases["identity"].provisioning_transaction(tenant) as connection:
        await TenantRepository(connection).insert_tenant(
            name="No entries yet", region=REGIONS["au"], currency="AUD"
        )

    async def first_writer(name: str) -> None:
        async with service_databases["orders"].transaction(writer(tenant)) as connection:
            await append(connection, name)
            await asyncio.sleep(0.05)  # all four are open before any commits

    await asyncio.gather(*(first_writer(f"writer {n}") for n in range(4)))
    rows = await read_chain(await connect_as("audit"), tenant)
    assert sorted(written(rows)) == [f"writer {n}" for n in range(4)]
    assert_valid_chain(rows)


def test_the_canonical_entry_splits_around_its_seq() -> None:
    """What the append prepares, and Postgres finishes with the seq, is canonical_entry."""
    generator = random.Random(20)
    for _ in range(200):
        entry = {
            "tenant_id": str(uuid.uuid4()),
            "id": str(uuid.uuid4()),
            "occurred_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "service": generator.choice(["orders", "identity", "reports"]),
            "actor_type": "cashier",
            "actor_id": "till-7 \u00e9\u2028",
            "action": "order.closed",
            "resource_type": "order",
            "resource_id": '"quoted" \\ and \U0001f600',
            "request_id": generator.choice([None, "req-1"]),
            "payload": {"seq": 0, "z": [1, {"seq": "9"}], "\ue000": True},
        }
        before, after = canonical_around_seq(entry)
        seq = generator.choice([1, 9, 10, 99, 2**40, 2**53 - 1])
        assert before + str(seq).encode() + after == canonical_entry({**entry, "seq": seq})
    assert set(CHAINED_FIELDS) - set(entry) == {"seq"}
