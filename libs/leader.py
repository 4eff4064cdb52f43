"""One leader per deployment for the background jobs that must run once (docs/operations.md).

Every replica of a service starts the job through `run_as_leader`; each keeps ONE dedicated
connection (outside the pool, so no request waits for it) and tries
`pg_try_advisory_lock` on the job's key there. The replica that holds the lock runs the job;
the others try again every `retry_seconds`. The lock is session-level, so it lasts as long as
that connection: when the leader dies (process killed, connection cut, backend terminated)
Postgres releases it and the next replica to try takes over. On shutdown the leader stops the
job, unlocks and closes.

A leader that loses its connection stops its job at once when the connection reports closing,
and otherwise at its next check (every `retry_seconds`), so two replicas may overlap for up to
one check after a network cut. The elected jobs therefore still serialise their writes per
tenant in their own transactions: election removes the duplicated work, the per-tenant locks
keep an overlap harmless.

The connection takes a session-level lock, so it must reach Postgres directly, not through a
pooler in transaction mode (where the session would be a different server connection each
time); the same holds for the Bridge service's LISTEN connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from enum import StrEnum
from typing import Any

import asyncpg
from sqlalchemy.engine import URL

logger = logging.getLogger("halopos.leader")

RETRY_SECONDS = 5.0
CONNECT_TIMEOUT = 10.0


class LeaderLock(StrEnum):
    """The jobs that run once per deployment, each under its own lock. The key is derived in
    Postgres from the name (`hashtextextended(name, 0)`), so two jobs never share one."""

    AUDIT_CHECKPOINTS = "halopos.leader:audit.periodic-checkpoints"
    BILLING_SWEEP = "halopos.leader:billing.event-sweep"


_TRY_LOCK = "SELECT pg_try_advisory_lock(hashtextextended($1, 0))"
_UNLOCK = "SELECT pg_advisory_unlock(hashtextextended($1, 0))"


def direct_dsn(url: URL) -> str:
    """A plain libpq DSN for asyncpg, from a service database's SQLAlchemy URL."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def application_name(lock: LeaderLock) -> str:
    """How a replica's lock connection shows in pg_stat_activity (63 bytes at most)."""
    return f"halopos-{lock.value.removeprefix('halopos.leader:')}"[:63]


async def run_as_leader(
    dsn: str,
    lock: LeaderLock,
    job: Callable[[], Coroutine[Any, Any, None]],
    *,
    retry_seconds: float = RETRY_SECONDS,
) -> None:
    """Run `job` while this process holds `lock`; until cancelled. A job that returns or
    raises gives the lock up (another replica, or this one, starts it again)."""
    while True:
        try:
            await _lead_once(dsn, lock, job, retry_seconds)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as error:
            logger.warning(
                "%s: no database, retrying in %.1fs: %s", lock.value, retry_seconds, error
            )
        except Exception:
            # The job failed outside its own error handling: log it and let it be restarted.
            logger.exception("%s: the job stopped", lock.value)
        await asyncio.sleep(retry_seconds)


async def _lead_once(
    dsn: str, lock: LeaderLock, job: Callable[[], Coroutine[Any, Any, None]], retry_seconds: float
) -> None:
    """Take the lock and run the job until either ends; without the lock, return at once."""
    connection = await asyncpg.connect(
        dsn,
        timeout=CONNECT_TIMEOUT,
        server_settings={"application_name": application_name(lock)},
    )
    lost = asyncio.Event()
    connection.add_termination_listener(lambda _: lost.set())
    try:
        if not await connection.fetchval(_TRY_LOCK, lock.value, timeout=CONNECT_TIMEOUT):
            return
        logger.info("%s: leading", lock.value)
        running = asyncio.create_task(job())
        closed = asyncio.create_task(lost.wait())
        try:
            while True:
                await asyncio.wait(
                    [running, closed], timeout=retry_seconds, return_when=asyncio.FIRST_COMPLETED
                )
                if running.done():
                    running.result()  # a job that returned or raised gives the lock up
                    return
                if not lost.is_set() and await _alive(connection):
                    continue
                logger.warning("%s: lock connection lost; standing down", lock.value)
                return
        finally:
            for task in (running, closed):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            if not connection.is_closed():
                # Stopping cleanly: hand the lock over now, not when the connection closes.
                with contextlib.suppress(Exception):
                    await connection.execute(_UNLOCK, lock.value, timeout=CONNECT_TIMEOUT)
    finally:
        await _close(connection)


async def _alive(connection: asyncpg.Connection) -> bool:
    """A connection cut by the network is only noticed by using it."""
    try:
        await connection.execute("SELECT 1", timeout=CONNECT_TIMEOUT)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
        return False
    return True


async def _close(connection: asyncpg.Connection) -> None:
    try:
        await asyncio.wait_for(connection.close(), CONNECT_TIMEOUT)
    except BaseException:
        connection.terminate()
        raise
