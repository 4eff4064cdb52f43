"""How long a venue's offline day takes to sync: five tills of one venue upload what they did
without a network, through the gateway, as a deployment runs it (`make bench`).

    .venv/bin/python -m bench.sync [--quick] [--tills N] [--sales N] [--profile]

The platform runs as bench/orders.py runs it (its own database `halopos_bench_sync`; identity,
orders and gateway as separate uvicorn processes on ports 18000-18002). Each scenario gets a
fresh venue: a tenant provisioned as the operator does, one location, a menu, and five
activated tills, each with its own cashier on the roster and its register numbered
(`POST /v1/sync/register`, as a till calls it after activation; not timed).

Each till's offline log is what a till records (services/orders/sync/schemas.py): open shift,
200 sales (order.create with 2-3 lines, a cash or card payment, order.close with the till's
offline receipt number), close shift: 602 operations, with the till's own totals printed on
each order and its cash and card counted at close. The tills upload their logs in batches of
200 operations (a till sends its next batch when the answer to the last has arrived), the
five at once. Every request carries a fresh DPoP proof, as a till sends it.

Scenarios, each on its own venue after an unmeasured warm-up venue:
- the venue's 5 tills at once through the gateway (the headline: 1,000 orders);
- the same straight at the orders service (what the gateway adds);
- one till alone through the gateway, in batches of 200 and in the largest batches the API
  takes (500), for what one till's whole log costs without the others.

After each scenario the books are checked under the orders service's own login: every
operation applied, one closed order and one offline receipt per sale, each register's
receipts numbered 1..N without a gap, the server's totals equal to the tills', every shift
closed with its count matching, and no sync flags. A scenario that fails any of it fails the
run. Where the time went: CPU seconds of each process and of the Postgres backends of this
database during each scenario (/proc), and what those backends were doing (pg_stat_activity
sampled every 50 ms: running a statement, waiting for a lock, or idle in their transaction
while the service works).

`--profile` runs the orders service under a statistical CPU profiler and a statement timer
(serve_sampled below: py-spy is not installed, cProfile misattributes asyncio code and
pg_stat_statements is not loaded in the embedded server) and prints, per scenario, where its
CPU went and which statements it sent and awaited, instead of writing results.

Writes bench/results/sync.json and sync.md; exits 1 if any upload or check failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg
import httpx

from bench.load import Measurement
from bench.orders import (
    CURRENCY,
    DPOP_ALGORITHM,
    GATEWAY_PORT,
    PUBLIC_URL,
    TAX_CODE,
    Platform,
    _listening,
    environment,
    provision_tenants,
    service_port,
    write_secret,
)
from bench.report import RESULTS, machine_info, postgres_version, write_result
from clients.dpop import DeviceKey
from clients.session import DPoPAuth
from deploy.platform import prepare_database, uvicorn_command, wait_healthy
from deploy.state import REPO
from libs.config import platform_settings
from libs.rbac.matrix import Role
from services.identity.keys.signing import SigningKey, mint_access_token

DATABASE = "halopos_bench_sync"
COMMAND = ".venv/bin/python -m bench.sync"
SERVICES = ("identity", "orders")
TILLS = 5
SALES_PER_TILL = 200
BATCH = 200
# What POST /v1/sync/batches takes at most (services/orders/sync/schemas.py MAX_BATCH).
LARGEST_BATCH = 500
GOAL_SECONDS = 5.0
# The venue's menu: (name, price incl. GST). Multiples of 50, so cash needs no 5c rounding
# and the till's printed total is exactly what the server computes.
MENU = (("Flat white", 450), ("Banana bread", 650), ("Orange juice", 700), ("Muffin", 550))
OPENING_FLOAT_MINOR = 20_000
# Device time: the venue's offset, one operation every 10 s, starting 3 h ago (602 operations
# end ~1 h before the upload, well inside the card store-and-forward limit of a day).
VENUE_ZONE = ZoneInfo("Australia/Sydney")
STEP = timedelta(seconds=10)
LOG_STARTS_AGO = timedelta(hours=3)
SEED = 7
GATEWAY: Literal["gateway"] = "gateway"
DIRECT: Literal["direct"] = "direct"


# -- the venue ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MenuItem:
    id: UUID
    price_minor: int


@dataclass(frozen=True)
class SyncTill:
    """An activated device of the venue and the cashier who worked it offline."""

    device_id: UUID
    key: DeviceKey
    cashier: UUID


@dataclass(frozen=True)
class Venue:
    tenant_id: UUID
    location_id: UUID
    menu: tuple[MenuItem, ...]
    tills: tuple[SyncTill, ...]


_BIND_TENANT = "SELECT set_config('app.tenant_id', $1, true)"
_INSERT_LOCATION = (
    "INSERT INTO identity.locations (id, name, time_zone, business_day_cutoff_hour) "
    "VALUES ($1, 'Bench venue', 'Australia/Sydney', 3)"
)
_INSERT_DEVICE = (
    "INSERT INTO identity.devices (id, location_id, name, key_thumbprint, public_jwk, "
    "activated_by) VALUES ($1, $2, $3, $4, $5::jsonb, 'bench')"
)
# On the roster since yesterday, so every operation of the log is within their time.
_INSERT_STAFF = (
    "INSERT INTO identity.staff (id, email, display_name, role, created_at) "
    "VALUES ($1, $2, $3, 'cashier', now() - interval '1 day')"
)
_INSERT_CATEGORY = "INSERT INTO orders.menu_categories (id, name) VALUES ($1, 'Cafe')"
_INSERT_ITEMS = """
    INSERT INTO orders.menu_items (id, category_id, tax_category_id, name, price_minor)
    SELECT item.id, $2, tax.id, item.name, item.price_minor
    FROM unnest($3::uuid[], $4::text[], $5::bigint[]) AS item (id, name, price_minor),
         orders.tax_categories AS tax
    WHERE tax.code = $1
"""


async def open_venue(service_urls: dict[str, str], tills: int) -> Venue:
    """A tenant with a location, its tills and their cashiers, and a menu, arranged in SQL
    through the identity and orders services' own logins (as device activation, the staff
    and menu APIs would leave them)."""
    [tenant] = await provision_tenants(service_urls, 1)
    location_id = uuid.uuid4()
    menu = tuple(MenuItem(uuid.uuid4(), price) for _, price in MENU)
    venue_tills = tuple(
        SyncTill(uuid.uuid4(), DeviceKey.generate(DPOP_ALGORITHM), uuid.uuid4())
        for _ in range(tills)
    )
    identity = await asyncpg.connect(service_urls["identity"])
    try:
        async with identity.transaction():
            await identity.execute(_BIND_TENANT, str(tenant))
            await identity.execute(_INSERT_LOCATION, location_id)
            for number, till in enumerate(venue_tills, start=1):
                await identity.execute(
                    _INSERT_DEVICE, till.device_id, location_id, f"Till {number}",
                    till.key.thumbprint(), json.dumps(till.key.public_jwk()),
                )  # fmt: skip
                await identity.execute(
                    _INSERT_STAFF, till.cashier, f"cashier{number}.{till.cashier.hex[:8]}@bench",
                    f"Cashier {number}",
                )  # fmt: skip
    finally:
        await identity.close()
    orders = await asyncpg.connect(service_urls["orders"])
    try:
        category_id = uuid.uuid4()
        async with orders.transaction():
            await orders.execute(_BIND_TENANT, str(tenant))
            await orders.execute(_INSERT_CATEGORY, category_id)
            await orders.execute(
                _INSERT_ITEMS, TAX_CODE, category_id, [item.id for item in menu],
                [name for name, _ in MENU], [item.price_minor for item in menu],
            )  # fmt: skip
    finally:
        await orders.close()
    return Venue(tenant, location_id, menu, venue_tills)


def till_auth(signing_key: SigningKey, venue: Venue, till: SyncTill) -> DPoPAuth:
    """The cashier signed in at the till: a token bound to the till's key, naming its device
    and venue; every request gets a fresh proof for the public URL."""
    settings = platform_settings()
    access_token = mint_access_token(
        signing_key,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        subject=str(till.cashier),
        tenant_id=venue.tenant_id,
        role=Role.CASHIER,
        location_id=venue.location_id,
        device_id=till.device_id,
        key_thumbprint=till.key.thumbprint(),
    )
    return DPoPAuth(till.key, access_token, public_url=PUBLIC_URL)


async def register_tills(auths: Sequence[DPoPAuth]) -> None:
    """Each till numbers its register and learns its offline series, one after another, as
    tills do after activation (so the upload never races to number a register)."""
    async with httpx.AsyncClient(base_url=PUBLIC_URL, timeout=30) as client:
        for auth in auths:
            answer = await client.post("/v1/sync/register", auth=auth)
            if answer.status_code != 200:
                raise RuntimeError(
                    f"POST /v1/sync/register: HTTP {answer.status_code} {answer.text}"
                )


# -- a till's offline log --------------------------------------------------------------------


@dataclass
class TillLog:
    """What one till did offline, as it queued it, and the totals it printed."""

    operations: list[dict[str, Any]] = field(default_factory=list)
    sales_minor: int = 0
    cash_minor: int = 0
    card_minor: int = 0


def till_log(till: SyncTill, menu: Sequence[MenuItem], *, sales: int, start: datetime,
             rng: random.Random) -> TillLog:  # fmt: skip
    log = TillLog()

    def record(kind: str, data: dict[str, Any]) -> None:
        moment = start + STEP * len(log.operations)
        log.operations.append(
            {
                "id": str(uuid.uuid4()),
                "sequence": len(log.operations) + 1,
                "occurred_at": moment.astimezone(VENUE_ZONE).isoformat(),
                "staff_id": str(till.cashier),
                "kind": kind,
                "data": data,
            }
        )

    shift_id = str(uuid.uuid4())
    record("shift.open", {"shift_id": shift_id, "opening_float_minor": OPENING_FLOAT_MINOR})
    for receipt_sequence in range(1, sales + 1):
        order_id = str(uuid.uuid4())
        chosen = [(item, rng.randint(1, 2)) for item in rng.sample(menu, rng.choice((2, 3)))]
        total = sum(item.price_minor * quantity for item, quantity in chosen)
        lines = [{"item_id": str(item.id), "quantity": quantity} for item, quantity in chosen]
        record(
            "order.create",
            {"order_id": order_id, "shift_id": shift_id, "lines": lines,
             "client_total_minor": total},
        )  # fmt: skip
        payment = {"payment_id": str(uuid.uuid4()), "order_id": order_id, "shift_id": shift_id}
        if rng.random() < 0.5:
            # The customer hands over the next $10 up; the till gives change.
            tendered = -(-total // 1_000) * 1_000
            record("payment", {**payment, "tender": "cash", "tendered_minor": tendered})
            log.cash_minor += total
        else:
            card = {"scheme": "visa", "last4": f"{rng.randint(0, 9999):04d}",
                    "auth_code": f"A{rng.randint(0, 99999):05d}"}  # fmt: skip
            record("payment", {**payment, "tender": "card", "amount_minor": total, "card": card})
            log.card_minor += total
        record(
            "order.close",
            {"order_id": order_id, "shift_id": shift_id, "receipt_sequence": receipt_sequence,
             "client_total_minor": total},
        )  # fmt: skip
        log.sales_minor += total
    record(
        "shift.close",
        {"shift_id": shift_id,
         "counted": {"cash": OPENING_FLOAT_MINOR + log.cash_minor, "card": log.card_minor}},
    )  # fmt: skip
    return log


# -- measuring -------------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    path: Literal["gateway", "direct"]
    tills: int
    sales: int
    batch: int
    measured: bool = True
    operations: int = 0
    batches: Measurement = field(init=False)
    # Per till: from its first batch sent to its last answer (s).
    till_seconds: list[float] = field(default_factory=list)
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    backend_seconds: dict[str, float] = field(default_factory=dict)
    # --profile: the orders service's CPU samples and statements while this scenario ran.
    profile: Profile | None = field(default=None, repr=False)
    checks: dict[str, Any] = field(default_factory=dict)
    check_failures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.batches = Measurement(self.name)

    @property
    def orders(self) -> int:
        return self.tills * self.sales

    @property
    def wall_seconds(self) -> float:
        return self.batches.elapsed_seconds

    @property
    def failed(self) -> bool:
        return bool(self.batches.errors or self.check_failures)

    def per_second(self, count: int) -> float | None:
        return count / self.wall_seconds if self.wall_seconds else None

    def as_dict(self) -> dict[str, Any]:
        def rounded(value: float | None, digits: int = 1) -> float | None:
            return None if value is None else round(value, digits)

        latencies = self.batches.latencies_ms
        return {
            "name": self.name,
            "path": self.path,
            "tills": self.tills,
            "sales_per_till": self.sales,
            "batch_size": self.batch,
            "operations": self.operations,
            "orders": self.orders,
            "batches": len(latencies),
            "errors": self.batches.errors,
            "error_kinds": dict(self.batches.error_kinds.most_common(5)),
            "wall_seconds": round(self.wall_seconds, 3),
            "operations_per_second": rounded(self.per_second(self.operations)),
            "orders_per_second": rounded(self.per_second(self.orders)),
            "batch_ms": {
                "p50": rounded(self.batches.percentile_ms(50)),
                "p90": rounded(self.batches.percentile_ms(90)),
                "max": rounded(max(latencies, default=None)),
            },
            "till_seconds": [round(seconds, 3) for seconds in self.till_seconds],
            "cpu_seconds": {name: round(value, 2) for name, value in self.cpu_seconds.items()},
            # The largest dozen: the rest are single samples of one statement or another.
            "postgres_backend_seconds_sampled": dict(list(self.backend_seconds.items())[:12]),
            "checks": self.checks,
            "check_failures": self.check_failures,
        }


def _problem(answer: httpx.Response) -> str:
    try:
        return f"HTTP {answer.status_code} {answer.json().get('code')}"
    except ValueError:
        return f"HTTP {answer.status_code} {answer.text[:80]!r}"


async def upload_log(
    base_url: str, auth: DPoPAuth, operations: Sequence[dict[str, Any]], batch: int,
    into: Measurement,
) -> float:  # fmt: skip
    """Uploads the log in batches, each after the answer to the one before; how long it took.
    Anything but every operation accepted and applied counts as an error."""
    # Serialised up front, as a till's queue already holds JSON: the till's encoding time is
    # not the server's.
    bodies = [
        json.dumps({"operations": list(operations[start : start + batch])}).encode()
        for start in range(0, len(operations), batch)
    ]
    headers = {"Content-Type": "application/json"}
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base_url, timeout=120) as client:
        for body in bodies:
            sent = time.perf_counter()
            try:
                answer = await client.post("/v1/sync/batches", content=body, headers=headers,
                                           auth=auth)  # fmt: skip
            except httpx.HTTPError as error:
                problem: str | None = f"{type(error).__name__}: {error}"[:200]
            else:
                problem = None if answer.status_code == 200 else _problem(answer)
                if problem is None:
                    states = Counter(
                        (item["status"], item["state"]) for item in answer.json()["items"]
                    )
                    unapplied = {k: n for k, n in states.items() if k != ("accepted", "applied")}
                    if unapplied:
                        problem = f"not applied: {unapplied}"[:200]
            into.latencies_ms.append((time.perf_counter() - sent) * 1000)
            into.requests += 1
            if problem is not None:
                into.errors += 1
                into.error_kinds[problem] += 1
    return time.perf_counter() - started


# -- where the time went: CPU seconds per process ------------------------------------------------

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu(pid: int) -> float | None:
    """User + system CPU seconds of a process so far (Linux /proc); None where unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # After the command name: state is field 3, utime 14 and stime 15 (1-based, proc(5)).
    return (int(fields[11]) + int(fields[12])) / _TICKS


# Backends of this database in a transaction, and what each is doing: running a statement,
# waiting (for a lock, for I/O), or idle in its transaction while the service works in Python
# (or the next statement is on its way).
_ACTIVITY = """
    SELECT state, wait_event_type, wait_event,
           left(btrim(regexp_replace(query, '\\s+', ' ', 'g')), 70) AS query
    FROM pg_stat_activity
    WHERE datname = $1 AND pid <> pg_backend_pid() AND state <> 'idle'
"""
SAMPLE_INTERVAL = 0.05


class WaitSampler:
    """pg_stat_activity every 50 ms while a scenario runs (pg_stat_statements is not loaded in
    the embedded server): backend-seconds per state, wait and statement."""

    def __init__(self, admin_url: str) -> None:
        self._admin_url = admin_url
        self._task: asyncio.Task[None] | None = None
        self.samples: Counter[str] = Counter()

    async def _sample(self, connection: asyncpg.Connection) -> None:
        while True:
            for row in await connection.fetch(_ACTIVITY, DATABASE):
                if row["state"] == "idle in transaction":
                    key = "idle in transaction (between statements: service's Python, round trip)"
                elif row["wait_event_type"] in (None, "CPU"):
                    key = f"running: {row['query']}"
                else:
                    key = f"waiting {row['wait_event_type']}:{row['wait_event']}: {row['query']}"
                self.samples[key] += 1
            await asyncio.sleep(SAMPLE_INTERVAL)

    async def start(self) -> None:
        connection = await asyncpg.connect(self._admin_url)

        async def sample() -> None:
            try:
                await self._sample(connection)
            finally:
                await connection.close()

        self.samples = Counter()
        self._task = asyncio.create_task(sample())

    async def stop(self) -> dict[str, float]:
        """Backend-seconds (samples × interval) per activity, largest first."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        return {key: round(count * SAMPLE_INTERVAL, 2) for key, count in self.samples.most_common()}


class CpuMeter:
    """CPU seconds of the bench's processes and of the Postgres backends serving this
    database, between `start` and `stop`."""

    def __init__(self, pids: dict[str, int], admin_url: str) -> None:
        self._pids = pids
        self._admin_url = admin_url
        self._before: dict[str, float] = {}
        self._backends: dict[int, float] = {}

    async def _backend_pids(self) -> list[int]:
        connection = await asyncpg.connect(self._admin_url)
        try:
            rows = await connection.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                DATABASE,
            )
        finally:
            await connection.close()
        return [row["pid"] for row in rows]

    def _processes(self) -> dict[str, float]:
        seconds = {name: _cpu(pid) for name, pid in self._pids.items()}
        seconds["bench (till simulator)"] = time.process_time()
        return {name: value for name, value in seconds.items() if value is not None}

    async def start(self) -> None:
        self._backends = {
            pid: cpu for pid in await self._backend_pids() if (cpu := _cpu(pid)) is not None
        }
        self._before = self._processes()

    async def stop(self) -> dict[str, float]:
        after = self._processes()
        used = {name: after[name] - before for name, before in self._before.items()}
        # Backends opened during the run count from their start.
        backends = 0.0
        for pid in await self._backend_pids():
            if (cpu := _cpu(pid)) is not None:
                backends += cpu - self._backends.get(pid, 0.0)
        used["postgres backends"] = backends
        return used


# -- checking the books ----------------------------------------------------------------------

_CHECKS = """
    SELECT
      (SELECT count(*) FROM orders.orders) AS orders,
      (SELECT count(*) FROM orders.orders WHERE status = 'closed') AS closed_orders,
      (SELECT coalesce(sum(total_minor), 0) FROM orders.orders WHERE status = 'closed')
        AS sales_minor,
      (SELECT count(*) FROM orders.payments) AS payments,
      (SELECT count(*) FROM orders.receipts WHERE series = 'O' AND kind = 'sale') AS receipts,
      (SELECT count(DISTINCT number) FROM orders.receipts WHERE series = 'O') AS receipt_numbers,
      (SELECT count(*) FROM orders.sync_operations) AS operations_stored,
      (SELECT count(*) FROM orders.sync_operations WHERE status = 'applied')
        AS operations_applied,
      (SELECT count(*) FROM orders.sync_flags) AS flags,
      (SELECT count(*) FROM orders.shifts WHERE status = 'closed') AS closed_shifts,
      (SELECT count(*) FROM orders.shifts WHERE status = 'closed'
          AND z_report -> 'difference' = '{"cash": 0, "card": 0}'::jsonb) AS balanced_shifts
"""
# Per register: its offline receipts, and the highest number: N receipts numbered 1..N
# (numbers are unique per register) means the series has no gap.
_SERIES = """
    SELECT register_id, count(*) AS receipts, max(sequence) AS last
    FROM orders.receipts WHERE series = 'O' GROUP BY register_id
"""
_DEVICES = "SELECT device_id, applied_through FROM orders.sync_devices"
_FLAG_KINDS = "SELECT kind, count(*) AS n FROM orders.sync_flags GROUP BY kind"


async def check_books(
    orders_url: str, venue: Venue, scenario: Scenario, logs: Sequence[TillLog]
) -> None:
    """The venue's books as the orders service's login sees them, against the tills' logs."""
    connection = await asyncpg.connect(orders_url)
    try:
        async with connection.transaction():
            await connection.execute(_BIND_TENANT, str(venue.tenant_id))
            # Counts and sums (numeric sums arrive as Decimal): integers, for the JSON.
            checks = {
                name: int(value) for name, value in (await connection.fetchrow(_CHECKS)).items()
            }
            series = await connection.fetch(_SERIES)
            devices = {
                row["device_id"]: row["applied_through"] for row in await connection.fetch(_DEVICES)
            }
            flag_kinds = {row["kind"]: row["n"] for row in await connection.fetch(_FLAG_KINDS)}
    finally:
        await connection.close()
    operations = sum(len(log.operations) for log in logs)
    expected = {
        "orders": scenario.orders,
        "closed_orders": scenario.orders,
        "sales_minor": sum(log.sales_minor for log in logs),
        "payments": scenario.orders,
        "receipts": scenario.orders,
        "receipt_numbers": scenario.orders,
        "operations_stored": operations,
        "operations_applied": operations,
        "flags": 0,
        "closed_shifts": scenario.tills,
        "balanced_shifts": scenario.tills,
    }
    failures = [
        f"{name}: {checks[name]} (expected {value})"
        for name, value in expected.items()
        if checks[name] != value
    ]
    gapless = [row for row in series if row["receipts"] == row["last"] == scenario.sales]
    if len(gapless) != scenario.tills:
        failures.append(f"registers with receipts 1..{scenario.sales}: {len(gapless)}")
    for till, log in zip(venue.tills, logs, strict=True):
        if devices.get(till.device_id) != len(log.operations):
            failures.append(
                f"till {till.device_id} applied through {devices.get(till.device_id)}, "
                f"logged {len(log.operations)}"
            )
    if flag_kinds:
        failures.append(f"flags raised: {flag_kinds}")
    checks["gapless_registers"] = len(gapless)
    scenario.checks = checks
    scenario.check_failures = failures


# -- where the orders service spends its CPU: a statistical profiler ------------------------
#
# py-spy is not installed, and cProfile misleads on asyncio code (a coroutine's suspensions are
# charged to frames that merely await, and imports dominate a short run); a sampler thread
# only gets the GIL when the event loop lets go of it, so it sees the loop idle. So the
# service runs with a CPU-time timer (ITIMER_PROF): every few milliseconds of CPU the process
# uses, the main thread records the stack it was running. A sample whose innermost Python
# frame is asyncio's runner is work in C under the loop (uvloop, asyncpg's and httptools'
# protocol parsing, the kernel's socket calls).

SAMPLES_ENV = "HALOPOS_BENCH_STACK_SAMPLES"
STACK_INTERVAL = 0.002
Frame = tuple[str, int, str]


def serve_sampled() -> None:
    """`python -c 'from bench.sync import serve_sampled; serve_sampled()' <uvicorn args>`:
    uvicorn, with the profiler. Each SIGUSR1 switches sampling on, or off and writes the stacks
    sampled since it was switched on to $HALOPOS_BENCH_STACK_SAMPLES (JSON)."""
    from types import FrameType

    import uvicorn

    out = Path(os.environ[SAMPLES_ENV])
    stacks: Counter[tuple[Frame, ...]] = Counter()
    statements: dict[str, list[float]] = {}
    sampling = False

    def sample(signum: int, frame: FrameType | None) -> None:
        stack: list[Frame] = []
        while frame is not None:
            stack.append((frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name))
            frame = frame.f_back
        stacks[tuple(stack)] += 1

    def switch(signum: int, frame: object) -> None:
        nonlocal sampling
        sampling = not sampling
        if sampling:
            stacks.clear()
            statements.clear()
            signal.setitimer(signal.ITIMER_PROF, STACK_INTERVAL, STACK_INTERVAL)
            return
        signal.setitimer(signal.ITIMER_PROF, 0)
        taken = {
            "stacks": [[count, [list(f) for f in stack]] for stack, count in stacks.items()],
            "statements": statements,
        }
        temporary = out.with_name(out.name + ".tmp")
        temporary.write_text(json.dumps(taken))
        temporary.replace(out)

    signal.signal(signal.SIGPROF, sample)
    signal.signal(signal.SIGUSR1, switch)
    _time_statements(statements, lambda: sampling)
    uvicorn.main.main(args=sys.argv[1:], prog_name="uvicorn")


def _time_statements(into: dict[str, list[float]], on: Callable[[], bool]) -> None:
    """Counts every statement the process sends through asyncpg (SQLAlchemy's and the raw
    driver's alike) and the time its caller awaited it (the round trip, lock waits included),
    by statement: wrappers around asyncpg's three ways in, this process only."""
    from asyncpg.connection import Connection
    from asyncpg.prepared_stmt import PreparedStatement

    def record(query: str, seconds: float) -> None:
        key = " ".join(query.split())[:90]
        counted = into.setdefault(key, [0, 0.0])
        counted[0] += 1
        counted[1] += seconds

    do_execute = Connection._do_execute
    prepared_execute = PreparedStatement._PreparedStatement__do_execute
    simple_execute = Connection.execute

    async def timed_do_execute(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await do_execute(self, query, *args, **kwargs)
        finally:
            if on():
                record(query, time.perf_counter() - started)

    async def timed_prepared(self: Any, executor: Any) -> Any:
        started = time.perf_counter()
        try:
            return await prepared_execute(self, executor)
        finally:
            if on():
                record(self._query, time.perf_counter() - started)

    async def timed_simple(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        if args:  # goes on to _do_execute, timed there
            return await simple_execute(self, query, *args, **kwargs)
        started = time.perf_counter()
        try:
            return await simple_execute(self, query, *args, **kwargs)
        finally:
            if on():
                record(query, time.perf_counter() - started)

    Connection._do_execute = timed_do_execute
    PreparedStatement._PreparedStatement__do_execute = timed_prepared
    Connection.execute = timed_simple


@dataclass
class Profile:
    """What serve_sampled took while switched on: CPU samples, and statements (count,
    seconds awaited) by text."""

    stacks: list[tuple[int, list[Frame]]] = field(default_factory=list)
    statements: dict[str, tuple[int, float]] = field(default_factory=dict)


class StackSampler:
    """The bench's side of serve_sampled: switch on, switch off, read what was sampled."""

    def __init__(self, pid: int, samples: Path) -> None:
        self._pid = pid
        self._samples = samples

    def start(self) -> None:
        self._samples.unlink(missing_ok=True)
        os.kill(self._pid, signal.SIGUSR1)

    async def stop(self) -> Profile:
        os.kill(self._pid, signal.SIGUSR1)
        # Written by the other process: polled, for up to 30 s.
        for _ in range(600):
            if self._samples.exists():
                break
            await asyncio.sleep(0.05)
        else:
            raise TimeoutError(f"the orders service wrote no stack samples to {self._samples}")
        taken = json.loads(self._samples.read_text())
        return Profile(
            stacks=[
                (count, [(file, line, name) for file, line, name in stack])
                for count, stack in taken["stacks"]
            ],
            statements={
                key: (int(n), seconds) for key, (n, seconds) in taken["statements"].items()
            },
        )


def _ours(frame: Frame) -> bool:
    file = frame[0]
    return file.startswith(str(REPO)) and "/.venv/" not in file and "/bench/" not in file


def _where(frame: Frame) -> str:
    file, line, name = frame
    path = Path(file)
    shown = str(path.relative_to(REPO)) if path.is_relative_to(REPO) else path.name
    return f"{shown}:{line} ({name})"


def _package(frame: Frame) -> str:
    file = frame[0]
    if "/bench/" in file:
        return "bench (the profiler's statement timer)"
    if "site-packages/" in file:
        return file.split("site-packages/", 1)[1].split("/", 1)[0]
    if _ours(frame):
        return str(Path(file).relative_to(REPO).parent)
    return "stdlib: " + Path(file).stem


def stack_report(samples: Sequence[tuple[int, Sequence[Frame]]], top: int = 25) -> str:
    """Where the service's CPU went: under the event loop in C, or in which code."""
    total = sum(count for count, _ in samples)
    if not total:
        return "no samples"
    loop: Counter[str] = Counter()
    own_line: Counter[str] = Counter()
    own_function: Counter[str] = Counter()
    package: Counter[str] = Counter()
    function: Counter[str] = Counter()
    for count, stack in samples:
        innermost = stack[0]
        if Path(innermost[0]).name in ("runners.py", "selectors.py", "base_events.py"):
            # No Python frame of a task: C code under the loop (uvloop's I/O, asyncpg's and
            # httptools' protocol parsing, system calls).
            loop[innermost[2]] += count
            continue
        package[_package(innermost)] += count
        function[f"{_package(innermost)}: {Path(innermost[0]).name}:{innermost[2]}"] += count
        ours = [f for f in stack if _ours(f)]
        own_line[
            _where(ours[0])
            if ours
            else "(none of services/ or libs/ on the stack: SQLAlchemy in its greenlet, mostly)"
        ] += count
        for name in {f"{Path(f[0]).relative_to(REPO)}:{f[2]}" for f in ours}:
            own_function[name] += count

    def table(title: str, counter: Counter[str]) -> list[str]:
        lines = [f"\n{title}", f"  {'share':>6}  {'s':>6}  where"]
        for key, count in counter.most_common(top):
            lines.append(f"  {count / total:6.1%}  {count * STACK_INTERVAL:6.2f}  {key}")
        return lines

    in_loop = sum(loop.values())
    lines = [
        f"{total:,} samples, one per {STACK_INTERVAL * 1000:.0f} ms of CPU "
        f"(~{total * STACK_INTERVAL:.1f} CPU s): under the event loop in C "
        f"{in_loop / total:.1%}, Python frames of tasks {1 - in_loop / total:.1%}",
        *table("Running, by innermost line of services/ or libs/ on the stack:", own_line),
        *table("Running, by function of services/ or libs/ anywhere on the stack:", own_function),
        *table("Running, by package of the innermost frame:", package),
        *table("Running, by innermost function:", function),
    ]
    return "\n".join(lines)


def statement_report(statements: dict[str, tuple[int, float]], operations: int) -> str:
    count = sum(n for n, _ in statements.values())
    awaited = sum(seconds for _, seconds in statements.values())
    lines = [
        f"\nStatements sent through asyncpg: {count:,} ({count / operations:.1f} per "
        f"operation), {awaited:.2f} s awaited in all (round trips and lock waits, summed "
        "over concurrent requests)",
        f"  {'count':>6}  {'per op':>6}  {'s':>7}  {'ms each':>7}  statement",
    ]
    for order in ("seconds", "count"):
        lines.append(f"  -- by {order}:")
        ranked = sorted(
            statements.items(), key=lambda item: -item[1][1 if order == "seconds" else 0]
        )
        for key, (n, seconds) in ranked[:20]:
            lines.append(
                f"  {n:6,}  {n / operations:6.2f}  {seconds:7.2f}  {seconds / n * 1000:7.2f}  {key}"
            )
    return "\n".join(lines)


# -- running -----------------------------------------------------------------------------------


class SyncPlatform(Platform):
    """bench/orders.py's processes, and their process ids for the CPU meter; the orders
    service can run under cProfile."""

    def __enter__(self) -> SyncPlatform:
        return self

    def pids(self) -> dict[str, int]:
        return {name: process.pid for name, process in self._processes.items()}

    def start_sampled(self, name: str, target: str, port: int, samples: Path) -> StackSampler:
        """The service under a stack sampler (serve_sampled), which bench/sync.py switches
        on and off around each measured scenario."""
        if _listening(port):
            raise RuntimeError(f"port {port} is in use (another bench running?)")
        command = uvicorn_command(target, port)
        command[1:3] = ["-c", "from bench.sync import serve_sampled; serve_sampled()"]
        process = subprocess.Popen(
            command, env={**self._environment, SAMPLES_ENV: str(samples)}, cwd=REPO
        )
        self._processes[name] = process
        wait_healthy(f"http://127.0.0.1:{port}/healthz", process)
        return StackSampler(process.pid, samples)


async def run_scenario(
    scenario: Scenario,
    service_urls: dict[str, str],
    signing_key: SigningKey,
    meter: CpuMeter,
    sampler: WaitSampler,
    stacks: StackSampler | None = None,
) -> Scenario:
    venue = await open_venue(service_urls, scenario.tills)
    auths = [till_auth(signing_key, venue, till) for till in venue.tills]
    await register_tills(auths)
    rng = random.Random(SEED)
    start = datetime.now(UTC) - LOG_STARTS_AGO
    logs = [till_log(till, venue.menu, sales=scenario.sales, start=start, rng=rng)
            for till in venue.tills]  # fmt: skip
    scenario.operations = sum(len(log.operations) for log in logs)
    base_url = PUBLIC_URL if scenario.path == GATEWAY else (
        f"http://127.0.0.1:{service_port('orders')}"
    )  # fmt: skip
    await meter.start()
    await sampler.start()
    if stacks is not None and scenario.measured:
        stacks.start()
    started = time.perf_counter()
    scenario.till_seconds = list(
        await asyncio.gather(
            *(
                upload_log(base_url, auth, log.operations, scenario.batch, scenario.batches)
                for auth, log in zip(auths, logs, strict=True)
            )
        )
    )
    scenario.batches.elapsed_seconds = time.perf_counter() - started
    scenario.backend_seconds = await sampler.stop()
    if stacks is not None and scenario.measured:
        scenario.profile = await stacks.stop()
    scenario.cpu_seconds = await meter.stop()
    await check_books(service_urls["orders"], venue, scenario, logs)
    _progress(scenario)
    return scenario


def _progress(scenario: Scenario) -> None:
    m = scenario.batches
    errors = f", {m.errors} batch errors" if m.errors else ""
    failures = "; ".join(scenario.check_failures)
    checks = f", CHECKS FAILED: {failures}" if failures else ""
    print(
        f"  {scenario.name}: {scenario.wall_seconds:.2f} s for {scenario.operations:,} "
        f"operations ({scenario.per_second(scenario.operations) or 0:,.0f}/s), batch p50 "
        f"{m.percentile_ms(50) or 0:,.0f} ms{errors}{checks}",
        flush=True,
    )


def scenarios(tills: int, sales: int) -> list[Scenario]:
    return [
        Scenario("warm-up: 1 till through the gateway", GATEWAY, 1, 20, BATCH, measured=False),
        Scenario(f"{tills} tills at once, gateway", GATEWAY, tills, sales, BATCH),
        Scenario(f"{tills} tills at once, orders service direct", DIRECT, tills, sales, BATCH),
        Scenario("1 till alone, gateway", GATEWAY, 1, sales, BATCH),
        Scenario(
            f"1 till alone, gateway, batches of {LARGEST_BATCH}", GATEWAY, 1, sales, LARGEST_BATCH
        ),
    ]


@dataclass
class SyncReport:
    machine: dict[str, Any]
    parameters: dict[str, Any]
    scenarios: Sequence[Scenario]

    @property
    def measured(self) -> list[Scenario]:
        return [scenario for scenario in self.scenarios if scenario.measured]

    @property
    def failed(self) -> list[Scenario]:
        return [scenario for scenario in self.scenarios if scenario.failed]

    @property
    def headline(self) -> Scenario:
        return self.measured[0]

    def gateway_over_direct(self) -> float | None:
        if len(self.measured) < 2:
            return None
        gateway, direct = self.measured[0], self.measured[1]
        return gateway.wall_seconds / direct.wall_seconds if direct.wall_seconds else None

    def as_json(self) -> dict[str, Any]:
        ratio = self.gateway_over_direct()
        return {
            "machine": self.machine,
            "parameters": self.parameters,
            "command": COMMAND,
            "goal_seconds": GOAL_SECONDS,
            "goal_met": not self.headline.failed and self.headline.wall_seconds <= GOAL_SECONDS,
            "gateway_wall_over_direct": None if ratio is None else round(ratio, 3),
            "scenarios": [scenario.as_dict() for scenario in self.scenarios],
        }

    def markdown(self) -> str:
        def number(value: float | None, digits: int = 1) -> str:
            return "n/a" if value is None else f"{value:,.{digits}f}"

        rows = [
            "| scenario | operations | orders | batches | errors | wall s | ops/s | orders/s "
            "| batch p50 ms | p90 ms | max ms | books |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for s in self.measured:
            m = s.batches
            errors = f"**{m.errors}**" if m.errors else "0"
            rows.append(
                f"| {s.name} | {s.operations:,} | {s.orders:,} | {len(m.latencies_ms)} "
                f"| {errors} | {s.wall_seconds:.2f} | {number(s.per_second(s.operations), 0)} "
                f"| {number(s.per_second(s.orders), 0)} | {number(m.percentile_ms(50), 0)} "
                f"| {number(m.percentile_ms(90), 0)} "
                f"| {number(max(m.latencies_ms, default=None), 0)} "
                f"| {'**failed**' if s.check_failures else 'ok'} |"
            )
        names = sorted({name for s in self.measured for name in s.cpu_seconds})
        cpu_rows = [
            "| scenario | wall s | " + " | ".join(names) + " |",
            "| --- | ---: | " + " | ".join("---:" for _ in names) + " |",
        ]
        for s in self.measured:
            cpu_rows.append(
                f"| {s.name} | {s.wall_seconds:.2f} | "
                + " | ".join(number(s.cpu_seconds.get(name), 2) for name in names)
                + " |"
            )
        headline, machine, p = self.headline, self.machine, self.parameters
        met = not headline.failed and headline.wall_seconds <= GOAL_SECONDS
        lines = [
            "# Offline sync: a venue's tills uploading their day",
            "",
            f"{machine['date']}, commit {machine['git_commit'] or 'unknown'}, "
            f"{machine['nproc']} CPUs, Python {machine['python']}, "
            f"Postgres {machine['postgres']}.",
            f"Each till's log: open shift, {p['sales_per_till']} sales (order.create with 2-3 "
            "lines, a cash or card payment, order.close with the till's offline receipt "
            "number), close shift; uploaded in batches (the next sent when the last is "
            "answered), a fresh DPoP proof per request. Each scenario on its own fresh venue.",
            "",
            f"**{headline.orders:,} orders from {headline.tills} tills: "
            f"{headline.wall_seconds:.2f} s** (goal ≤ {GOAL_SECONDS:g} s: "
            f"{'met' if met else '**missed**'}).",
            "",
            *rows,
            "",
            f"Gateway ÷ direct (wall time, {headline.tills} tills): "
            f"{number(self.gateway_over_direct(), 2)}.",
            "Books checked after each scenario under the orders service's login: every "
            "operation applied, one closed order, one payment and one offline receipt per sale, "
            "each register's receipts numbered 1..N without a gap, server totals equal to the "
            "tills', every shift closed with its count matching, no sync flags.",
            "",
            "CPU seconds used during each scenario (user + system, from /proc): the uvicorn "
            "processes, the Postgres backends of this database, and this process (the tills).",
            "",
            *cpu_rows,
            "",
            f"What the Postgres backends of this database were doing, sampled every "
            f"{SAMPLE_INTERVAL * 1000:.0f} ms from pg_stat_activity (backend-seconds; the "
            "largest six per scenario):",
            "",
            "| scenario | backend activity | backend-s |",
            "| --- | --- | ---: |",
            *(
                f"| {s.name} | {activity.replace('|', '/')} | {seconds:.2f} |"
                for s in self.measured
                for activity, seconds in list(s.backend_seconds.items())[:6]
            ),
            "",
        ]
        for s in self.failed:
            kinds = "; ".join(f"{k} ×{n}" for k, n in s.batches.error_kinds.most_common(5))
            lines.append(
                f"**{s.name}: {s.batches.errors} batch errors. {kinds} "
                f"{'; '.join(s.check_failures)}**"
            )
        lines += [
            f"Reproduce: `{COMMAND}` (or `make bench`). Tills, servers and Postgres share the "
            f"{machine['nproc']}-core machine.",
            "",
        ]
        return "\n".join(lines)

    def write(self) -> None:
        write_result(RESULTS / "sync.json", json.dumps(self.as_json(), indent=2) + "\n")
        write_result(RESULTS / "sync.md", self.markdown())


def run(planned: Sequence[Scenario], *, profile: Path | None = None) -> SyncReport:
    prepared = prepare_database(DATABASE, fresh=True)
    try:
        urls = prepared.service_urls
        with tempfile.TemporaryDirectory(prefix="halopos-bench-") as keys:
            key_file = Path(keys) / "signing.pem"
            signing_key = SigningKey.load_or_create(key_file)
            totp_key_file = write_secret(Path(keys) / "totp.key", os.urandom(32))
            with SyncPlatform(environment(urls, key_file, totp_key_file)) as platform:
                stacks = None
                for name in SERVICES:
                    target, port = f"services.{name}.app:create_app", service_port(name)
                    if name == "orders" and profile is not None:
                        stacks = platform.start_sampled(name, target, port, profile)
                    else:
                        platform.start(name, target, port)
                platform.start("gateway", "gateway.app:create_app", GATEWAY_PORT)
                meter = CpuMeter(platform.pids(), prepared.admin_url)
                for scenario in planned:
                    sampler = WaitSampler(prepared.admin_url)
                    asyncio.run(run_scenario(scenario, urls, signing_key, meter, sampler, stacks))
        postgres = asyncio.run(postgres_version(prepared.admin_url))
    finally:
        if prepared.embedded is not None:
            prepared.embedded.stop()  # only if this run started it
    first = next(scenario for scenario in planned if scenario.measured)
    return SyncReport(
        machine=machine_info(postgres),
        parameters={
            "tills": first.tills,
            "sales_per_till": first.sales,
            "operations_per_till": 2 + 3 * first.sales,
            "batch_size": BATCH,
            "largest_batch": LARGEST_BATCH,
            "menu_items": len(MENU),
            "currency": CURRENCY,
            "uvicorn_workers_per_process": 1,
            "dpop_proof_per_request": DPOP_ALGORITHM,
        },
        scenarios=planned,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.sync",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: 50 sales per till")
    parser.add_argument("--tills", type=int, default=TILLS, help=f"default {TILLS}")
    parser.add_argument("--sales", type=int, help=f"per till (default {SALES_PER_TILL})")
    parser.add_argument(
        "--profile", action="store_true",
        help="sample the orders service's stacks in each scenario; print them, write nothing",
    )  # fmt: skip
    options = parser.parse_args(argv)
    sales = options.sales or (50 if options.quick else SALES_PER_TILL)
    planned = scenarios(options.tills, sales)
    print(
        f"bench: {options.tills} tills × {sales} sales ({2 + 3 * sales} operations each), "
        f"batches of {BATCH}",
        flush=True,
    )
    if options.profile:
        with tempfile.TemporaryDirectory(prefix="halopos-bench-stacks-") as directory:
            report = run(planned, profile=Path(directory) / "orders-stacks.json")
        for scenario in report.measured:
            print(f"\n=== orders service during: {scenario.name} "
                  f"({scenario.wall_seconds:.2f} s) ===")  # fmt: skip
            if scenario.profile is not None:
                print(stack_report(scenario.profile.stacks))
                print(statement_report(scenario.profile.statements, scenario.operations))
        return 1 if report.failed else 0
    report = run(planned)
    report.write()
    print(report.markdown())
    for failed in report.failed:
        print(f"bench: {failed.name} failed; see bench/results/sync.md", file=sys.stderr)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
