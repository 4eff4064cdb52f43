"""Waking waiting polls when a job is queued.

`bridge.print_jobs` has a row trigger that NOTIFYs `bridge_print_jobs` with
`<tenant>:<location>` when a job becomes available (queued, retried, or put back after a
failed print), delivered at commit. Each bridge service process keeps ONE dedicated
connection (outside the pool, so no request ever waits for it) that LISTENs there and wakes
the polls waiting for that location. A notification carries no job data, only which queue to
look at; the poll then reads the queue in its own tenant-bound transaction.

If the connection drops, it is re-opened with backoff. Meanwhile polls still find their jobs
by looking again every few seconds (service.RECHECK_SECONDS); on reconnecting, every waiting
poll is woken once, for what may have been queued while nobody listened.

Every replica listens (nothing is elected here, libs/leader.py): each wakes only the polls it
holds itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import asyncpg
from sqlalchemy.engine import URL

logger = logging.getLogger("halopos.bridge.wakeups")

CHANNEL = "bridge_print_jobs"
FIRST_RECONNECT_DELAY = 0.5
MAX_RECONNECT_DELAY = 30.0
# How often an idle listening connection is checked: a connection cut by the network
# (not closed by the server) is only noticed by using it.
HEALTH_CHECK_SECONDS = 30.0
# How the listening connection shows in pg_stat_activity.
APPLICATION_NAME = "halopos-bridge-print-job-listener"


def listener_dsn(url: URL) -> str:
    """A plain libpq DSN for asyncpg, from the service database's SQLAlchemy URL."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class PrintJobWakeups:
    def __init__(self) -> None:
        self._waiting: dict[str, set[asyncio.Event]] = {}
        self._listening = False

    @property
    def listening(self) -> bool:
        """Whether notifications are being received right now."""
        return self._listening

    @contextlib.contextmanager
    def subscribe(self, tenant_id: UUID, location_id: UUID) -> Iterator[asyncio.Event]:
        """An event set whenever a job may have become available at the location."""
        key = f"{tenant_id}:{location_id}"
        event = asyncio.Event()
        self._waiting.setdefault(key, set()).add(event)
        try:
            yield event
        finally:
            waiting = self._waiting.get(key)
            if waiting is not None:
                waiting.discard(event)
                if not waiting:
                    del self._waiting[key]

    def waiting(self, tenant_id: UUID, location_id: UUID) -> int:
        """How many polls wait for the location's jobs right now."""
        return len(self._waiting.get(f"{tenant_id}:{location_id}", ()))

    def notify(self, key: str) -> None:
        for event in self._waiting.get(key, ()):
            event.set()

    def _wake_everyone(self) -> None:
        for waiting in self._waiting.values():
            for event in waiting:
                event.set()

    def _on_notification(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        self.notify(payload)

    async def run(self, dsn: str) -> None:
        """Listen until cancelled, reconnecting whenever the connection is lost."""
        delay = FIRST_RECONNECT_DELAY
        while True:
            try:
                await self._listen(dsn)
                delay = FIRST_RECONNECT_DELAY
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError) as error:
                logger.warning(
                    "print job listener unavailable, retrying in %.1fs: %s", delay, error
                )
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RECONNECT_DELAY)

    async def _listen(self, dsn: str) -> None:
        """One listening connection, until it is lost."""
        connection = await asyncpg.connect(
            dsn, timeout=10, server_settings={"application_name": APPLICATION_NAME}
        )
        lost = asyncio.Event()
        connection.add_termination_listener(lambda _: lost.set())
        try:
            await connection.add_listener(CHANNEL, self._on_notification)
            self._listening = True
            self._wake_everyone()
            while not lost.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(lost.wait(), HEALTH_CHECK_SECONDS)
                if not lost.is_set():
                    await connection.execute("SELECT 1", timeout=10)
            logger.warning("print job listener connection lost")
        finally:
            self._listening = False
            connection.terminate()
