"""Periodic checkpoints: every tenant with entries since its latest checkpoint gets a new one.

The database names the tenants (`audit.tenants_awaiting_checkpoint()`, which reveals only
their ids); each is then signed in its own tenant-bound transaction. A tenant whose chain is
broken is logged as an error and skipped; the others are still signed.

One replica per deployment signs periodically (`signing_as_leader`, libs/leader.py): with N
replicas each would sign its own checkpoint of every busy tenant per interval, so the
checkpoints (and the witness copies reviewers keep) would multiply with the replica count.
Two signers at once stay correct regardless: each signing takes the tenant's checkpoint lock
and signs nothing when the latest checkpoint already covers the head (service.py).
"""

from __future__ import annotations

import asyncio
import logging
from uuid import UUID

import sqlalchemy as sa

from libs.leader import RETRY_SECONDS, LeaderLock, direct_dsn, run_as_leader
from libs.tenancy.database import TenantDatabase
from services.audit.checkpoints.service import ChainBroken, CheckpointService

logger = logging.getLogger("halopos.audit.checkpoints")

SYSTEM = "system"
_AWAITING = sa.text("SELECT tenant_id FROM audit.tenants_awaiting_checkpoint() AS tenant_id")


async def sign_due_checkpoints(database: TenantDatabase, service: CheckpointService) -> int:
    """Sign what is due now; returns how many checkpoints were signed."""
    async with database.engine.connect() as connection:
        tenants: list[UUID] = list((await connection.execute(_AWAITING)).scalars())
        await connection.rollback()
    signed = 0
    for tenant in tenants:
        try:
            async with database.scheduled_transaction(tenant) as connection:
                result = await service.sign(connection, tenant_id=tenant, requested_by=SYSTEM)
            signed += result.new
        except ChainBroken:
            continue  # logged by the service; the other tenants still get their checkpoints
    return signed


async def run_periodically(
    database: TenantDatabase, service: CheckpointService, interval: float
) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await sign_due_checkpoints(database, service)
        except Exception:
            # A database outage must not end the loop; the next round catches up.
            logger.exception("periodic audit checkpoints failed")


async def signing_as_leader(
    database: TenantDatabase,
    service: CheckpointService,
    interval: float,
    *,
    retry_seconds: float = RETRY_SECONDS,
) -> None:
    """`run_periodically`, on the one replica holding the checkpoint signer's lock."""
    await run_as_leader(
        direct_dsn(database.engine.url),
        LeaderLock.AUDIT_CHECKPOINTS,
        lambda: run_periodically(database, service, interval),
        retry_seconds=retry_seconds,
    )
