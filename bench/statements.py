"""How many SQL statements a sale costs: counted on the wire between the services and Postgres,
and checked against Postgres's own counters.

pg_stat_statements would count inside Postgres, but it must be in shared_preload_libraries
when the server starts, and the bench shares a running server (the embedded one, or
DATABASE_URL's) that it may not restart. Patching the driver inside the services would measure
code that is not the code under test. So a counting pass puts `StatementTap` between the
unmodified services and Postgres: a TCP proxy that forwards every byte both ways and reads the
frontend half of the protocol (PostgreSQL protocol 3, "Message Flow"):

- a simple query (`Q`) is one statement and one round trip (asyncpg sends BEGIN, COMMIT and
  argument-less statements so);
- an extended-protocol `Execute` (`E`) is one statement, named by the `Bind` before it and the
  `Parse` that prepared it (its text);
- a `Sync` (`S`) ends a round trip: the client waits for ReadyForQuery before going on;
- a `Parse` (`P`) is a statement prepared on that connection (a statement-cache miss).

The login named in each connection's startup message tells the processes apart (the gateway,
the orders service and the identity service each have their own). The proxy costs latency and
CPU, so the counting pass is separate from the timed scenarios and its throughput is not used.

`PostgresCounters` reads what Postgres itself counted in the same pass: transactions committed
and rolled back in the database (pg_stat_database, implicit one-statement transactions
included) and rows inserted, updated and deleted per table (pg_stat_user_tables). Backends
publish these counters when they go idle, up to ten seconds later, so each snapshot waits
until they stop moving.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import struct
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bench.cpu import MAINTENANCE_DATABASE, bench_connection

SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
CANCEL_REQUEST = 80877102

# What a statement does, and what it touches (several at once are possible).
TRANSACTION = "begin/commit"
SAVEPOINT = "savepoint"
READ = "read"
WRITE = "write"
SETTING = "setting"
OTHER = "other"
CATEGORIES = (READ, WRITE, TRANSACTION, SAVEPOINT, SETTING, OTHER)
DPOP_LEDGER = "DPoP ledger"
AUDIT = "audit"
IDEMPOTENCY = "idempotency"
TENANT_BINDING = "tenant binding"
SUBSYSTEMS: tuple[tuple[str, str], ...] = (
    (DPOP_LEDGER, "auth.spent_tokens"),
    (AUDIT, "audit."),
    (IDEMPOTENCY, "idempotency_keys"),
    (TENANT_BINDING, "app.tenant_id"),
)
_SAVEPOINT = re.compile(r"^(SAVEPOINT|RELEASE|ROLLBACK\s+TO)\b", re.IGNORECASE)
_TRANSACTION_CONTROL = re.compile(r"^(BEGIN|START|COMMIT|END|ROLLBACK|ABORT)\b", re.IGNORECASE)
# A data-changing statement, or a query with a data-changing CTE (WITH x AS (INSERT ...)).
_DATA_CHANGE = re.compile(
    r"^(INSERT|UPDATE|DELETE|MERGE)\b"
    r"|\b(INSERT\s+INTO|DELETE\s+FROM|MERGE\s+INTO)\b"
    r"|\bUPDATE\s+[\w.\"]+(\s+(AS\s+)?\w+)?\s+SET\b",
    re.IGNORECASE,
)
_READ = re.compile(r"^(SELECT|WITH|VALUES|TABLE|SHOW|FETCH)\b", re.IGNORECASE)
_SETTING = re.compile(r"^(SET|RESET)\b", re.IGNORECASE)
_COMMIT = re.compile(r"^(COMMIT|END)\b(?!\s+PREPARED)", re.IGNORECASE)


def normalise(text: str) -> str:
    return " ".join(text.split())


def category(text: str) -> str:
    """begin/commit, savepoint, write, setting (SET, or a SELECT of set_config and nothing
    else), read, or other (LISTEN, DISCARD and the like)."""
    if _SAVEPOINT.match(text):
        return SAVEPOINT
    if _TRANSACTION_CONTROL.match(text):
        return TRANSACTION
    if _DATA_CHANGE.search(text):
        return WRITE
    if _SETTING.match(text) or ("set_config(" in text and " FROM " not in text.upper()):
        return SETTING
    return READ if _READ.match(text) else OTHER


def touches(text: str) -> list[str]:
    """The subsystems a statement touches: the DPoP ledger, the audit chain, the
    idempotency keys, the tenant binding."""
    return [name for name, marker in SUBSYSTEMS if marker in text]


# -- the tap ---------------------------------------------------------------------------------


@dataclass
class WireCounts:
    """What the clients sent while counting, by login."""

    # By (login, statement text): executed, and prepared (a Parse: a statement-cache miss).
    statements: Counter[tuple[str, str]] = field(default_factory=Counter)
    prepares: Counter[tuple[str, str]] = field(default_factory=Counter)
    round_trips: Counter[str] = field(default_factory=Counter)


class _Frontend:
    """One client connection's half of the protocol: prepared statements and bound portals,
    so that each Execute can be named by its statement's text."""

    def __init__(self, tap: StatementTap, login: str) -> None:
        self._tap = tap
        self._login = login
        self._buffer = bytearray()
        self._statements: dict[bytes, str] = {}
        self._portals: dict[bytes, bytes] = {}

    def feed(self, data: bytes) -> None:
        buffer = self._buffer
        buffer += data
        while len(buffer) >= 5:
            length = int.from_bytes(buffer[1:5], "big")
            if len(buffer) < 1 + length:
                return
            kind, body = buffer[0], bytes(buffer[5 : 1 + length])
            del buffer[: 1 + length]
            self._message(kind, body)

    def _message(self, kind: int, body: bytes) -> None:
        counts = self._tap.counts if self._tap.counting else None
        if kind == ord("P"):
            name, query = body.split(b"\0", 2)[:2]
            text = normalise(query.decode("utf-8", "replace"))
            self._statements[name] = text
            if counts is not None:
                counts.prepares[(self._login, text)] += 1
        elif kind == ord("B"):
            portal, statement = body.split(b"\0", 2)[:2]
            self._portals[portal] = statement
        elif counts is None:
            return
        elif kind == ord("E"):
            portal = body.split(b"\0", 1)[0]
            text = self._statements.get(self._portals.get(portal, b""), "(unknown statement)")
            counts.statements[(self._login, text)] += 1
        elif kind == ord("Q"):
            text = normalise(body.rstrip(b"\0").decode("utf-8", "replace"))
            counts.statements[(self._login, text)] += 1
            counts.round_trips[self._login] += 1
        elif kind == ord("S"):
            counts.round_trips[self._login] += 1


class StatementTap:
    """A counting TCP proxy in front of Postgres, on its own thread and event loop (the
    services connect whenever they like, between and during the bench's own event loops)."""

    def __init__(self, upstream_url: str) -> None:
        parts = urlsplit(upstream_url)
        self._upstream = (parts.hostname or "127.0.0.1", parts.port or 5432)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self.port = 0
        self.counting = False
        self.counts = WireCounts()

    def url(self, url: str) -> str:
        """The same DSN, through the tap."""
        parts = urlsplit(url)
        credentials = parts.netloc.rpartition("@")[0]
        netloc = f"{credentials}@127.0.0.1:{self.port}" if credentials else f"127.0.0.1:{self.port}"
        return urlunsplit(parts._replace(netloc=netloc))

    def __enter__(self) -> StatementTap:
        self._thread.start()
        started = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._accept, "127.0.0.1", 0), self._loop
        )
        self._server = started.result(timeout=10)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc_info: object) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def begin(self) -> None:
        self.counts = WireCounts()
        self.counting = True

    def end(self) -> WireCounts:
        self.counting = False
        return self.counts

    async def _accept(self, client: asyncio.StreamReader, to_client: asyncio.StreamWriter) -> None:
        try:
            server, to_server = await asyncio.open_connection(*self._upstream)
        except OSError:
            to_client.close()
            return
        try:
            frontend = await self._startup(client, to_client, to_server)
            await asyncio.gather(
                self._pump(client, to_server, frontend), self._pump(server, to_client, None)
            )
        except (OSError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            # The tap is closing: end quietly (asyncio logs a connection task cancelled).
            pass
        finally:
            for writer in (to_client, to_server):
                writer.close()

    async def _startup(
        self,
        client: asyncio.StreamReader,
        to_client: asyncio.StreamWriter,
        to_server: asyncio.StreamWriter,
    ) -> _Frontend | None:
        """Forwards the startup message and learns the login from it. Encryption requests are
        declined here, so the rest of the conversation stays readable; a cancel request is
        passed on as it is."""
        while True:
            head = await client.readexactly(8)
            length, code = struct.unpack("!ii", head)
            body = await client.readexactly(length - 8)
            if code in (SSL_REQUEST, GSSENC_REQUEST):
                to_client.write(b"N")
                await to_client.drain()
                continue
            to_server.write(head + body)
            await to_server.drain()
            if code == CANCEL_REQUEST:
                return None
            words = body.split(b"\0")
            parameters = dict(zip(words[::2], words[1::2], strict=False))
            return _Frontend(self, parameters.get(b"user", b"?").decode())

    @staticmethod
    async def _pump(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, frontend: _Frontend | None
    ) -> None:
        while data := await reader.read(65536):
            writer.write(data)
            if frontend is not None:
                frontend.feed(data)
            await writer.drain()
        with contextlib.suppress(OSError):
            writer.write_eof()


# -- Postgres's own counters -----------------------------------------------------------------

_DATABASE = "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = $1"
_TABLES = """
    SELECT schemaname || '.' || relname AS name, n_tup_ins, n_tup_upd, n_tup_del,
           autovacuum_count + autoanalyze_count AS autovacuum_runs
    FROM pg_stat_user_tables
"""
# Autovacuum's transactions count among the database's too: how many of its runs fell in the
# window is reported beside them.
AUTOVACUUM_RUNS = "autovacuum and autoanalyze runs (each a transaction of its own)"
# A backend that flushed its counters less than a second ago keeps new ones pending until it
# has been idle PGSTAT_IDLE_INTERVAL (10 s, pgstat.c): the counters are settled once nothing
# has moved for longer than that.
SETTLE_SECONDS = 11.0
SETTLE_LIMIT_SECONDS = 45.0


class PostgresCounters:
    """Transactions and rows written in the bench's database between `begin` and `end`.

    The database-wide counters are read over a connection to the maintenance database, so
    the reading does not count itself; the per-table ones can only be read inside the bench's
    database, once at each end: the first of those reads is one transaction of the bench's
    own, subtracted."""

    def __init__(self, admin_url: str, database: str) -> None:
        self._admin_url = admin_url
        self._database = database
        self._before: dict[str, int] = {}

    async def _database_counts(self, connection: asyncpg.Connection) -> tuple[int, int]:
        row = await connection.fetchrow(_DATABASE, self._database)
        return int(row["xact_commit"]), int(row["xact_rollback"])

    async def _settled(self) -> dict[str, int]:
        """The counters once no backend has published anything for SETTLE_SECONDS."""
        maintenance = await bench_connection(self._admin_url, database=MAINTENANCE_DATABASE)
        try:
            last = await self._database_counts(maintenance)
            steady_since = started = time.monotonic()
            while time.monotonic() - steady_since < SETTLE_SECONDS:
                if time.monotonic() - started > SETTLE_LIMIT_SECONDS:
                    break
                await asyncio.sleep(0.5)
                now = await self._database_counts(maintenance)
                if now != last:
                    last, steady_since = now, time.monotonic()
        finally:
            await maintenance.close()
        counts = {"transactions committed": last[0], "transactions rolled back": last[1]}
        counts[AUTOVACUUM_RUNS] = 0
        connection = await bench_connection(self._admin_url)
        try:
            for row in await connection.fetch(_TABLES):
                for column, verb in (
                    ("n_tup_ins", "inserted"),
                    ("n_tup_upd", "updated"),
                    ("n_tup_del", "deleted"),
                ):
                    counts[f"{row['name']} rows {verb}"] = int(row[column])
                counts[AUTOVACUUM_RUNS] += int(row["autovacuum_runs"])
        finally:
            await connection.close()
        return counts

    async def begin(self) -> None:
        self._before = await self._settled()

    async def end(self) -> dict[str, int]:
        after = await self._settled()
        changed = {
            name: value - self._before.get(name, 0)
            for name, value in after.items()
            if value != self._before.get(name, 0)
        }
        # The per-table read that closed `begin` was a transaction in this database.
        changed["transactions committed"] = changed.get("transactions committed", 0) - 1
        return changed


class StatementCount:
    """The tap's counts and Postgres's, between `begin` and `end` (a bench/load.py
    instrument): `wire` and `postgres` after `end`."""

    def __init__(self, tap: StatementTap, counters: PostgresCounters) -> None:
        self._tap = tap
        self._counters = counters
        self.wire = WireCounts()
        self.postgres: dict[str, int] = {}

    async def begin(self) -> None:
        await self._counters.begin()
        self._tap.begin()

    async def end(self) -> None:
        self.wire = self._tap.end()
        self.postgres = await self._counters.end()

    def summary(self, units: int, logins: Mapping[str, str]) -> dict[str, Any]:
        return summarise(self.wire, self.postgres, units, logins)


# -- the figures ------------------------------------------------------------------------------


def summarise(
    wire: WireCounts, postgres: Mapping[str, int], units: int, logins: Mapping[str, str]
) -> dict[str, Any]:
    """Per unit (order or offline operation): statements, round trips and prepares by
    process; statements by category and by what they touch; the commonest statements; and
    Postgres's own counts. `logins` names the process behind each login role."""

    def per(value: float) -> float:
        return round(value / units, 3) if units else 0.0

    def process(login: str) -> str:
        return logins.get(login, login)

    by_process: dict[str, Counter[str]] = {}
    for (login, text), count in wire.statements.items():
        row = by_process.setdefault(process(login), Counter())
        row["statements"] += count
        row[category(text)] += count
        if _COMMIT.match(text):
            row["commits"] += count
        for subsystem in touches(text):
            row[subsystem] += count
    for login, count in wire.round_trips.items():
        by_process.setdefault(process(login), Counter())["round trips"] += count
    for (login, _), count in wire.prepares.items():
        by_process.setdefault(process(login), Counter())["prepares"] += count
    total: Counter[str] = Counter()
    for row in by_process.values():
        total.update(row)

    def listed(counter: Counter[tuple[str, str]], limit: int) -> list[dict[str, Any]]:
        return [
            {
                "process": process(login),
                "per_unit": per(count),
                "category": category(text),
                "statement": text[:160],
            }
            for (login, text), count in counter.most_common(limit)
        ]

    return {
        "units": units,
        "per_unit": {
            "all processes": {name: per(value) for name, value in sorted(total.items())},
            **{
                name: {key: per(value) for key, value in sorted(row.items())}
                for name, row in sorted(by_process.items())
            },
        },
        "commonest": listed(wire.statements, 20),
        # Transaction control is a handful of texts: all of them, to tell commits from
        # savepoints.
        "transaction_control": listed(
            Counter(
                {
                    key: count
                    for key, count in wire.statements.items()
                    if category(key[1]) in (TRANSACTION, SAVEPOINT)
                }
            ),
            10,
        ),
        "prepared": listed(wire.prepares, 8),
        "postgres_per_unit": {name: per(value) for name, value in sorted(postgres.items())},
    }
