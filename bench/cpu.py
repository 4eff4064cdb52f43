"""CPU seconds each process of a scenario used, read from /proc (Linux): the uvicorn processes,
the Postgres backends serving the bench's database (one figure per login, so the gateway's
ledger connections and the orders service's are told apart), and the load generator itself.

Both order benches (bench/orders.py, bench/sync.py) read it the same way: a snapshot when the
measured part of a scenario starts, another when it ends. A backend that exits in between takes
its CPU with it; the services keep pooled connections, so that is rare, and the shared
processes of the server (WAL writer, checkpointer) are not counted: other databases on the same
server use them too.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path

import asyncpg

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
LOAD_GENERATOR = "load generator"
POSTGRES = "postgres backends"
# The bench's own connections (this meter, the activity sampler) name themselves so, and are
# left out of the backends' figure: they are the instrument, not the load.
BENCH_APPLICATION = "halopos-bench"
# Where the instruments read the server-wide statistics views from.
MAINTENANCE_DATABASE = "postgres"

_BACKENDS = """
    SELECT pid, usename FROM pg_stat_activity
    WHERE datname = $1 AND backend_type = 'client backend' AND pid <> pg_backend_pid()
      AND application_name <> $2
"""


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process so far; None where unreadable (it exited)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the command name: state is field 3, utime 14 and stime 15 (1-based, proc(5)).
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND


async def bench_connection(url: str, *, database: str | None = None) -> asyncpg.Connection:
    """An admin connection for the bench's instruments, named so the meter leaves it out.
    Those that only read the server-wide views connect to `database` ("postgres"), so their
    own queries are not counted among the bench database's transactions."""
    return await asyncpg.connect(
        url, database=database, server_settings={"application_name": BENCH_APPLICATION}
    )


class CpuMeter:
    """CPU seconds of named processes, of this database's Postgres backends (by login) and of
    this process, between `begin` and `end` (a bench/load.py instrument): `used` after `end`."""

    def __init__(self, admin_url: str, database: str, pids: Mapping[str, int]) -> None:
        self._admin_url = admin_url
        self._database = database
        self._pids = dict(pids)
        self._before: dict[str, float] = {}
        self._backends: dict[int, float] = {}
        self.used: dict[str, float] = {}

    async def _backend_logins(self) -> dict[int, str]:
        connection = await bench_connection(self._admin_url, database=MAINTENANCE_DATABASE)
        try:
            rows = await connection.fetch(_BACKENDS, self._database, BENCH_APPLICATION)
        finally:
            await connection.close()
        return {row["pid"]: row["usename"] for row in rows}

    def _processes(self) -> dict[str, float]:
        seconds = {name: cpu_seconds(pid) for name, pid in self._pids.items()}
        # All threads of this process: the load generator (and nothing else while measuring).
        seconds[LOAD_GENERATOR] = time.process_time()
        return {name: value for name, value in seconds.items() if value is not None}

    async def begin(self) -> None:
        self._backends = {
            pid: cpu
            for pid in await self._backend_logins()
            if (cpu := cpu_seconds(pid)) is not None
        }
        self._before = self._processes()

    async def end(self) -> None:
        """Seconds per process, `postgres backends` in all, and `postgres backends (<login>)`."""
        after = self._processes()
        used = {
            name: after[name] - before for name, before in self._before.items() if name in after
        }
        by_login: dict[str, float] = {}
        for pid, login in (await self._backend_logins()).items():
            if (cpu := cpu_seconds(pid)) is not None:
                # Backends opened during the run count from their start.
                by_login[login] = by_login.get(login, 0.0) + cpu - self._backends.get(pid, 0.0)
        used[POSTGRES] = sum(by_login.values())
        for login, seconds in sorted(by_login.items()):
            used[f"{POSTGRES} ({login})"] = seconds
        self.used = used


def per_unit_ms(cpu: Mapping[str, float], units: int) -> dict[str, float]:
    """CPU milliseconds per order (or per operation) for each process."""
    return (
        {name: round(seconds * 1000 / units, 3) for name, seconds in cpu.items()} if units else {}
    )
