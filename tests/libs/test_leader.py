"""Jobs that must run once per deployment elect a leader through a Postgres advisory lock
(libs/leader.py, docs/operations.md): two replicas against one database run the job once,
the other takes over when the leader's connection goes, and a clean stop hands it over.

Each "replica" is a `run_as_leader` task with its own connection; Postgres cannot tell them
from two processes. Nothing here waits a fixed time to assert: conditions are awaited with a
generous timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import asyncpg
import pytest

from libs.audit.append import Actor, AuditLog
from libs.auth.access_tokens import TokenVerifier
from libs.auth.principal import Principal
from libs.leader import LeaderLock, application_name, run_as_leader
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from ops.platform import PreparedDatabase
from services.audit.app import create_app as create_audit
from services.audit.checkpoints.scheduler import sign_due_checkpoints, signing_as_leader
from services.audit.checkpoints.service import CheckpointService
from services.audit.settings import AuditSettings
from services.billing.app import create_app as create_billing
from services.billing.settings import BillingSettings
from tests.conftest import AUDIT_SETTINGS, AUDIT_SIGNER
from tests.support.database import Provision

# The test apps run no periodic signer (AUDIT_SETTINGS.checkpoint_interval = 0), so in the
# test database nothing else competes for this lock.
LOCK = LeaderLock.AUDIT_CHECKPOINTS
RETRY = 0.1
PATIENCE = 30.0


async def eventually(condition: Callable[[], Awaitable[bool]], what: str) -> None:
    async with asyncio.timeout(PATIENCE):
        while not await condition():  # noqa: ASYNC110 - the state of other sessions
            await asyncio.sleep(0.02)
    assert await condition(), what


class Replica:
    """One process's copy of a job: `running` while its job runs, `runs` how often it began."""

    def __init__(self, dsn: str) -> None:
        self.running = False
        self.runs = 0
        self._task = asyncio.create_task(run_as_leader(dsn, LOCK, self._job, retry_seconds=RETRY))

    async def _job(self) -> None:
        self.running, self.runs = True, self.runs + 1
        try:
            await asyncio.Event().wait()
        finally:
            self.running = False

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


@pytest.fixture
async def replicas(database: PreparedDatabase) -> AsyncIterator[Callable[[], Replica]]:
    started: list[Replica] = []

    def start() -> Replica:
        started.append(Replica(database.service_urls["audit"]))
        return started[-1]

    yield start
    for replica in started:
        await replica.stop()


async def lock_holders(admin: asyncpg.Connection, lock: LeaderLock = LOCK) -> list[int]:
    """The backends holding the job's lock (a bigint key shows as classid, objid)."""
    key = await admin.fetchval("SELECT hashtextextended($1, 0)", lock.value)
    rows = await admin.fetch(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND classid = $1::bigint::oid AND objid = $2::bigint::oid AND objsubid = 1",
        (key >> 32) & 0xFFFFFFFF,
        key & 0xFFFFFFFF,
    )
    return [row["pid"] for row in rows]


async def waiting_followers(admin: asyncpg.Connection) -> int:
    """How many lock connections exist that do not hold the lock (followers mid-attempt)."""
    count: int = await admin.fetchval(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
        application_name(LOCK),
    )
    return count - len(await lock_holders(admin))


async def test_two_replicas_run_the_job_once(
    replicas: Callable[[], Replica], admin: asyncpg.Connection
) -> None:
    first, second = replicas(), replicas()

    async def one_leads() -> bool:
        return first.running or second.running

    await eventually(one_leads, "a leader is elected")
    # The follower keeps trying (its attempts show as short-lived connections); wait until it
    # has been refused a few times while the leader held on.
    refused = 0

    async def refused_a_few_times() -> bool:
        nonlocal refused
        refused += await waiting_followers(admin) > 0
        return refused >= 3

    await eventually(refused_a_few_times, "the follower keeps trying")
    assert [first.running, second.running].count(True) == 1
    assert first.runs + second.runs == 1, "the job never started twice"
    assert len(await lock_holders(admin)) == 1


async def test_the_follower_takes_over_when_the_leaders_connection_dies(
    replicas: Callable[[], Replica], admin: asyncpg.Connection
) -> None:
    leader = replicas()

    async def leads() -> bool:
        return leader.running and len(await lock_holders(admin)) == 1

    await eventually(leads, "the first replica leads")
    follower = replicas()
    [pid] = await lock_holders(admin)

    # The leader's session dies (its network went, or an operator ended it): Postgres
    # releases the lock, and the leader, still alive, stops its job.
    assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)

    async def stood_down() -> bool:
        return not leader.running

    await eventually(stood_down, "the leader stops its job when its lock connection dies")
    # And then its process dies too, so nothing but the follower can take the lock.
    await leader.stop()

    async def follower_leads() -> bool:
        holders = await lock_holders(admin)
        return follower.running and len(holders) == 1 and holders != [pid]

    await eventually(follower_leads, "the follower takes over")
    assert follower.runs == 1


async def test_a_clean_stop_releases_the_lock_for_the_next_replica(
    replicas: Callable[[], Replica], admin: asyncpg.Connection
) -> None:
    first = replicas()

    async def first_leads() -> bool:
        return first.running and len(await lock_holders(admin)) == 1

    await eventually(first_leads, "the only replica leads")
    await first.stop()
    assert not first.running
    assert await lock_holders(admin) == [], "the lock is released as the replica stops"

    second = replicas()

    async def second_leads() -> bool:
        return second.running

    await eventually(second_leads, "the next replica takes the lock")


# --- the periodic checkpoint signer ------------------------------------------------------


async def write_entries(orders: TenantDatabase, tenant: uuid.UUID, count: int) -> None:
    who = Principal(subject="manager-1", tenant_id=tenant, role=Role.MANAGER)
    for index in range(count):
        async with orders.transaction(who) as connection:
            await AuditLog.from_connection(connection, service="orders").append(
                actor=Actor.of(who),
                action="order.opened",
                resource_type="order",
                resource_id=f"order-{index}",
                payload={"index": index},
            )


async def checkpoint_sizes(admin: asyncpg.Connection, tenant: uuid.UUID) -> list[int]:
    rows = await admin.fetch(
        "SELECT size FROM audit.checkpoints WHERE tenant_id = $1 ORDER BY size", tenant
    )
    return [row["size"] for row in rows]


async def entry_count(admin: asyncpg.Connection, tenant: uuid.UUID) -> int:
    count: int = await admin.fetchval(
        "SELECT count(*) FROM audit.events WHERE tenant_id = $1", tenant
    )
    return count


async def test_two_signers_at_once_sign_each_checkpoint_once(
    provision: Provision,
    service_databases: dict[str, TenantDatabase],
    admin: asyncpg.Connection,
) -> None:
    """Without the election too: the tenant's checkpoint lock makes the second signer find
    the head covered."""
    tenant = await provision()
    await write_entries(service_databases["orders"], tenant, 5)
    service = CheckpointService(signer=AUDIT_SIGNER, origin_prefix=AUDIT_SETTINGS.origin)
    audit = service_databases["audit"]

    await asyncio.gather(sign_due_checkpoints(audit, service), sign_due_checkpoints(audit, service))

    assert await checkpoint_sizes(admin, tenant) == [await entry_count(admin, tenant)]


async def test_two_elected_signers_sign_each_checkpoint_once(
    provision: Provision,
    service_databases: dict[str, TenantDatabase],
    database: PreparedDatabase,
    admin: asyncpg.Connection,
) -> None:
    tenant = await provision()
    service = CheckpointService(signer=AUDIT_SIGNER, origin_prefix=AUDIT_SETTINGS.origin)
    # Two replicas, each with its own pool, as two audit processes would have.
    pools = [TenantDatabase(database.service_urls["audit"], pool_size=2) for _ in range(2)]
    signers = [
        asyncio.create_task(signing_as_leader(pool, service, 0.05, retry_seconds=RETRY))
        for pool in pools
    ]
    try:
        for _ in range(3):
            await write_entries(service_databases["orders"], tenant, 4)
            total = await entry_count(admin, tenant)

            async def covered(total: int = total) -> bool:
                sizes = await checkpoint_sizes(admin, tenant)
                return bool(sizes) and sizes[-1] == total

            await eventually(covered, "the head is checkpointed")
        sizes = await checkpoint_sizes(admin, tenant)
        assert len(sizes) == len(set(sizes)), f"a size signed twice: {sizes}"
        assert len(await lock_holders(admin)) == 1, "one of the two signs"
    finally:
        for task in signers:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for pool in pools:
            await pool.dispose()
    assert await lock_holders(admin) == []


# --- the services' wiring ----------------------------------------------------------------


@pytest.mark.parametrize("lock", [LeaderLock.AUDIT_CHECKPOINTS, LeaderLock.BILLING_SWEEP])
async def test_two_service_replicas_elect_one_and_hand_over_on_shutdown(
    lock: LeaderLock,
    service_databases: dict[str, TenantDatabase],
    verifier: TokenVerifier,
    admin: asyncpg.Connection,
) -> None:
    """Each service process starts its elected job with its lifespan: two processes of the
    service hold the lock once between them, and stopping one leaves it with the other."""
    # Intervals long enough that the jobs never act here: only the election is under test.
    if lock is LeaderLock.AUDIT_CHECKPOINTS:
        apps = [
            create_audit(
                service_databases["audit"],
                verifier,
                AUDIT_SIGNER,
                AuditSettings(checkpoint_interval=3600),
            )
            for _ in range(2)
        ]
    else:
        settings = BillingSettings(
            stripe_api_key="sk_test_never_called",
            stripe_api_base="http://127.0.0.1:9",
            billing_sweep_interval=3600,
        )
        apps = [create_billing(service_databases["billing"], verifier, settings) for _ in range(2)]

    async with contextlib.AsyncExitStack() as both:
        first = await both.enter_async_context(contextlib.AsyncExitStack())
        await first.enter_async_context(apps[0].router.lifespan_context(apps[0]))
        await both.enter_async_context(apps[1].router.lifespan_context(apps[1]))

        async def one_holder() -> bool:
            return len(await lock_holders(admin, lock)) == 1

        await eventually(one_holder, "one of the two processes leads")
        await first.aclose()  # the first process shuts down, leader or not
        await eventually(one_holder, "the remaining process leads")
    assert await lock_holders(admin, lock) == [], "nobody holds it once both stopped"
