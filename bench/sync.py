"""How long a venue's offline day takes to sync: five tills of one venue upload what they did
without a network, through the gateway, as a deployment runs it (`make bench`).

    .venv/bin/python -m bench.sync [--quick] [--tills N] [--sales N] [--profile]
        [--label NAME] [--code CHECKOUT]

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
database during each scenario (bench/cpu.py, the same meter as bench/orders.py), and what
those backends were doing (pg_stat_activity sampled every 50 ms: running a statement, waiting
for a lock, or idle in their transaction while the service works).

Then, each on a fresh venue of its own, the headline scenario again as passes whose wall time
is not reported: a counting pass with a statement-counting proxy between the services and
Postgres (bench/statements.py: statements per offline operation, by process and kind), and
with `--profile` a profiled pass with py-spy on the gateway and the orders service
(bench/profiling.py). Their books are checked too.

Writes bench/results/sync.json and sync.md under `--label` (default "after"), beside the other
labels' runs; `--code /work/baseline --label before` measures another checkout's servers
(bench/checkout.py). Exits 1 if any upload or check failed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from uuid import UUID

import asyncpg
import httpx

from bench.checkout import CODE_ENV, rerun_with_code, strip_code
from bench.cpu import (
    LOAD_GENERATOR,
    MAINTENANCE_DATABASE,
    POSTGRES,
    CpuMeter,
    bench_connection,
    per_unit_ms,
)
from bench.load import Instrument, Measurement
from bench.orders import (
    CURRENCY,
    DPOP_ALGORITHM,
    GATEWAY_PORT,
    PROCESS_OF_LOGIN,
    PUBLIC_URL,
    TAX_CODE,
    Platform,
    environment,
    provision_tenants,
    proxied,
    service_port,
    write_secret,
)
from bench.profiling import ESCAPED_PIPE, Profiler
from bench.report import (
    AFTER,
    BEFORE,
    RESULTS,
    cpu_table,
    machine_info,
    merge_run,
    number,
    postgres_version,
    profile_section,
    ratio,
    runs_table,
    statements_section,
    write_runs,
)
from bench.statements import PostgresCounters, StatementCount, StatementTap
from clients.dpop import DeviceKey
from clients.session import DPoPAuth
from libs.rbac.matrix import Role
from ops.platform import prepare_database
from ops.state import REPO
from services.identity.keys.signing import SigningKey
from services.orders.sync.schemas import CardDetails
from tests.support.database import as_tenant, service_connections
from tests.support.offline import add_staff, operation
from tests.support.tills import new_location, register_device, stock_items
from tests.support.tokens import access_token

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
# Device time (with the venue's offset: tests/support/offline.py), one operation every 10 s,
# starting 3 h ago (602 operations end ~1 h before the upload, well inside the card
# store-and-forward limit of a day).
STEP = timedelta(seconds=10)
LOG_STARTS_AGO = timedelta(hours=3)
SEED = 7
# What a till reports of an offline card payment, as the orders service under test reads it.
CARD_FIELDS = frozenset(CardDetails.model_fields)
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


async def open_venue(service_urls: dict[str, str], tills: int) -> Venue:
    """A tenant with a location, its tills and their cashiers, and a menu, arranged in SQL
    through the identity and orders services' own logins as the tests arrange theirs
    (tests/support/; as device activation, the staff and menu APIs would leave them)."""
    [tenant] = await provision_tenants(service_urls, 1)
    # On the roster since yesterday, so every operation of the log is within their time.
    yesterday = datetime.now(UTC) - timedelta(days=1)
    venue_tills = []
    async with service_connections(service_urls) as connect:
        location_id = await new_location(connect, tenant, "Bench venue")
        for number in range(1, tills + 1):
            key = DeviceKey.generate(DPOP_ALGORITHM)
            _, device_id = await register_device(
                connect,
                tenant,
                key,
                location_id=location_id,
                name=f"Till {number}",
                activated_by="bench",
            )
            cashier = await add_staff(connect, tenant, "cashier", created_at=yesterday)
            venue_tills.append(SyncTill(device_id, key, cashier))
        item_ids = await stock_items(connect, tenant, MENU, tax_code=TAX_CODE)
    menu = tuple(
        MenuItem(item_id, price) for item_id, (_, price) in zip(item_ids, MENU, strict=True)
    )
    return Venue(tenant, location_id, menu, tuple(venue_tills))


def till_auth(signing_key: SigningKey, venue: Venue, till: SyncTill) -> DPoPAuth:
    """The cashier signed in at the till: a token bound to the till's key, naming its device
    and venue; every request gets a fresh proof for the public URL."""
    token = access_token(
        signing_key,
        subject=str(till.cashier),
        tenant_id=venue.tenant_id,
        role=Role.CASHIER,
        location_id=venue.location_id,
        device_id=till.device_id,
        key=till.key,
    )
    return DPoPAuth(till.key, token, public_url=PUBLIC_URL)


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


def till_log(
    till: SyncTill, menu: Sequence[MenuItem], *, sales: int, start: datetime, rng: random.Random
) -> TillLog:
    log = TillLog()

    def record(kind: str, data: dict[str, Any]) -> None:
        moment = start + STEP * len(log.operations)
        sequence = len(log.operations) + 1
        log.operations.append(
            operation(kind, data, sequence=sequence, at=moment, staff=till.cashier)
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
            {
                "order_id": order_id,
                "shift_id": shift_id,
                "lines": lines,
                "client_total_minor": total,
            },
        )
        payment = {"payment_id": str(uuid.uuid4()), "order_id": order_id, "shift_id": shift_id}
        if rng.random() < 0.5:
            # The customer hands over the next $10 up; the till gives change.
            tendered = -(-total // 1_000) * 1_000
            record("payment", {**payment, "tender": "cash", "tendered_minor": tendered})
            log.cash_minor += total
        else:
            # The terminal's evidence of a card it approved offline (store and forward), as
            # far as the API under test takes it (an older checkout, --code, takes less).
            authorised_at = start + STEP * len(log.operations)
            evidence = {
                "scheme": "visa",
                "last4": f"{rng.randint(0, 9999):04d}",
                "auth_code": f"A{rng.randint(0, 99999):05d}",
                "terminal_id": "T-1",
                "authorised_at": authorised_at.isoformat(),
            }
            card = {name: value for name, value in evidence.items() if name in CARD_FIELDS}
            record("payment", {**payment, "tender": "card", "amount_minor": total, "card": card})
            log.card_minor += total
        record(
            "order.close",
            {
                "order_id": order_id,
                "shift_id": shift_id,
                "receipt_sequence": receipt_sequence,
                "client_total_minor": total,
            },
        )
        log.sales_minor += total
    record(
        "shift.close",
        {
            "shift_id": shift_id,
            "counted": {"cash": OPENING_FLOAT_MINOR + log.cash_minor, "card": log.card_minor},
        },
    )
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
            "measured": self.measured,
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
            "cpu_ms_per_operation": per_unit_ms(self.cpu_seconds, self.operations),
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
    base_url: str,
    auth: DPoPAuth,
    operations: Sequence[dict[str, Any]],
    batch: int,
    into: Measurement,
) -> float:
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
                answer = await client.post(
                    "/v1/sync/batches", content=body, headers=headers, auth=auth
                )
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


# -- where the time went: what the Postgres backends were doing ----------------------------

# Backends of this database in a transaction, and what each is doing: running a statement,
# waiting (for a lock, for I/O), or idle in its transaction while the service works in Python
# (or the next statement is on its way).
_ACTIVITY = """
    SELECT state, wait_event_type, wait_event,
           left(btrim(regexp_replace(query, '\\s+', ' ', 'g')), 70) AS query
    FROM pg_stat_activity
    WHERE datname = $1 AND pid <> pg_backend_pid() AND state <> 'idle'
      AND application_name <> 'halopos-bench'
"""
SAMPLE_INTERVAL = 0.05


class WaitSampler:
    """pg_stat_activity every 50 ms while a scenario runs: backend-seconds per state, wait and
    statement."""

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
        # Not in the bench's database: its polling must not count among its transactions.
        connection = await bench_connection(self._admin_url, database=MAINTENANCE_DATABASE)

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
        async with as_tenant(connection, venue.tenant_id):
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


# -- running -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """What every scenario of a run shares: the service logins, the key tokens are signed
    with, and the admin connection the instruments read Postgres through."""

    service_urls: dict[str, str]
    signing_key: SigningKey
    admin_url: str


async def run_scenario(
    scenario: Scenario,
    setting: Setting,
    pids: Mapping[str, int],
    instruments: tuple[Instrument, ...] = (),
) -> Scenario:
    """A fresh venue, its tills registered, their logs uploaded at once (timed, metered and
    watched by `instruments`), then its books checked."""
    urls = setting.service_urls
    venue = await open_venue(urls, scenario.tills)
    auths = [till_auth(setting.signing_key, venue, till) for till in venue.tills]
    await register_tills(auths)
    rng = random.Random(SEED)
    start = datetime.now(UTC) - LOG_STARTS_AGO
    logs = [
        till_log(till, venue.menu, sales=scenario.sales, start=start, rng=rng)
        for till in venue.tills
    ]
    scenario.operations = sum(len(log.operations) for log in logs)
    base_url = (
        PUBLIC_URL if scenario.path == GATEWAY else (f"http://127.0.0.1:{service_port('orders')}")
    )
    meter = CpuMeter(setting.admin_url, DATABASE, pids)
    sampler = WaitSampler(setting.admin_url)
    for instrument in instruments:
        await instrument.begin()
    await meter.begin()
    await sampler.start()
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
    await meter.end()
    scenario.cpu_seconds = meter.used
    for instrument in reversed(instruments):
        await instrument.end()
    await check_books(urls["orders"], venue, scenario, logs)
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


def _pass(kind: str, headline: Scenario) -> Scenario:
    """The headline scenario again, on a venue of its own, as an unreported pass."""
    return Scenario(
        f"{kind}: {headline.name}",
        headline.path,
        headline.tills,
        headline.sales,
        headline.batch,
        measured=False,
    )


def run(planned: Sequence[Scenario], *, label: str, profile: bool) -> dict[str, Any]:
    """Every scenario, the counting pass and (with `profile`) the profiled pass: one run's
    results, as sync.json keeps them under its label."""
    headline = next(scenario for scenario in planned if scenario.measured)
    passes: list[Scenario] = []
    # Passes that could not run (a server that would not start, say): the run fails, but what
    # was measured is still written.
    broken: list[str] = []
    statements: dict[str, Any] | None = None
    profiled: dict[str, Any] | None = None
    prepared = prepare_database(DATABASE, fresh=True)
    try:
        urls = prepared.service_urls
        with tempfile.TemporaryDirectory(prefix="halopos-bench-") as keys:
            key_file = Path(keys) / "signing.pem"
            setting = Setting(urls, SigningKey.load_or_create(key_file), prepared.admin_url)
            totp_key_file = write_secret(Path(keys) / "totp.key", os.urandom(32))
            env = environment(urls, key_file, totp_key_file)

            def start(platform: Platform) -> None:
                for name in SERVICES:
                    platform.start(name, f"services.{name}.app:create_app", service_port(name))
                platform.start("gateway", "gateway.app:create_app", GATEWAY_PORT)

            with Platform(env) as platform:
                start(platform)
                for scenario in planned:
                    asyncio.run(run_scenario(scenario, setting, platform.pids()))
                if profile:
                    try:
                        pids = platform.pids()
                        profiled_pass = _pass("profiled pass", headline)
                        with tempfile.TemporaryDirectory(prefix="halopos-bench-profile-") as out:
                            profiler = Profiler(
                                {"gateway": pids["gateway"], "orders service": pids["orders"]},
                                Path(out),
                            )
                            asyncio.run(run_scenario(profiled_pass, setting, pids, (profiler,)))
                        passes.append(profiled_pass)
                        profiled = {
                            "scenario": headline.name,
                            "pass": profiled_pass.as_dict(),
                            "processes": profiler.profiles,
                        }
                    except Exception as error:
                        # Recorded as a failure of the run; the figures measured still count.
                        broken.append(f"profiled pass: {type(error).__name__}: {error}"[:300])
            # The counting pass: the same processes restarted with their logins through the tap.
            try:
                with StatementTap(urls["orders"]) as tap, Platform(proxied(env, tap)) as platform:
                    start(platform)
                    counting_pass = _pass("counting pass", headline)
                    count = StatementCount(tap, PostgresCounters(prepared.admin_url, DATABASE))
                    asyncio.run(run_scenario(counting_pass, setting, platform.pids(), (count,)))
                    passes.append(counting_pass)
                    statements = {
                        "scenario": headline.name,
                        "pass": counting_pass.as_dict(),
                        **count.summary(counting_pass.operations, PROCESS_OF_LOGIN),
                    }
            except Exception as error:
                broken.append(f"counting pass: {type(error).__name__}: {error}"[:300])
        postgres = asyncio.run(postgres_version(prepared.admin_url))
    finally:
        if prepared.embedded is not None:
            prepared.embedded.stop()  # only if this run started it
    measured = [scenario for scenario in planned if scenario.measured]
    direct = next((s for s in measured if s.path == DIRECT), None)
    return {
        "label": label,
        "machine": machine_info(postgres),
        "parameters": {
            "tills": headline.tills,
            "sales_per_till": headline.sales,
            "operations_per_till": 2 + 3 * headline.sales,
            "batch_size": BATCH,
            "largest_batch": LARGEST_BATCH,
            "menu_items": len(MENU),
            "currency": CURRENCY,
            "uvicorn_workers_per_process": 1,
            "dpop_proof_per_request": DPOP_ALGORITHM,
        },
        "command": COMMAND,
        "goal_seconds": GOAL_SECONDS,
        "goal_met": not headline.failed and headline.wall_seconds <= GOAL_SECONDS,
        "gateway_wall_over_direct": (
            None if direct is None else ratio(headline.wall_seconds, direct.wall_seconds)
        ),
        "scenarios": [scenario.as_dict() for scenario in planned],
        "statements": statements,
        "profile": profiled,
        "failed": [s.name for s in (*planned, *passes) if s.failed] + broken,
    }


# -- the results file --------------------------------------------------------------------------


def _load(parameters: Mapping[str, Any]) -> str:
    return (
        f"{parameters['tills']} tills × {parameters['sales_per_till']} sales "
        f"({parameters['operations_per_till']} operations each), batches of "
        f"{parameters['batch_size']}"
    )


def _measured(run: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [s for s in run["scenarios"] if s.get("measured", True)]


def figures(run: Mapping[str, Any]) -> dict[str, str]:
    """The headline figures (set by issue 20) for one run, as table cells."""
    measured = _measured(run)
    headline = measured[0]
    direct = next((s for s in measured if s["path"] == DIRECT), None)
    failed = "; books **failed**" if headline["check_failures"] or headline["errors"] else ""
    cells = {
        "offline orders from one business's tills, uploaded through the gateway": (
            f"**{headline['wall_seconds']:.2f} s** ({headline['orders']:,} orders, "
            f"{headline['tills']} tills{failed})"
        ),
        "the same, straight at the orders service": (
            "n/a" if direct is None else f"{direct['wall_seconds']:.2f} s"
        ),
    }
    counted = run.get("statements") or {}
    per_operation = counted.get("per_unit", {})
    every = per_operation.get("all processes", {})
    cells["statements per offline operation, all processes (amortised)"] = (
        f"**{number(every.get('statements'), 2)}** (orders "
        f"{number(per_operation.get('orders', {}).get('statements', 0.0), 2)}, gateway "
        f"{number(per_operation.get('gateway', {}).get('statements', 0.0), 2)})"
        if every
        else "n/a"
    )
    cells["round trips per offline operation"] = number(every.get("round trips"), 2)
    cells["transactions per operation (COMMITs sent, all processes)"] = number(
        every.get("commits"), 3
    )
    cpu = headline.get("cpu_ms_per_operation", {})
    cells["CPU ms per operation, headline: gateway / orders / Postgres / tills"] = " / ".join(
        number(cpu.get(name), 2) for name in ("gateway", "orders", POSTGRES, LOAD_GENERATOR)
    )
    return cells


GOALS = {
    "offline orders from one business's tills, uploaded through the gateway": (
        f"≤ {GOAL_SECONDS:g} s for 1,000"
    ),
    "statements per offline operation, all processes (amortised)": "≤ 2",
}

METHOD = f"""\
- **Wall time**: from the first batch sent to the last answer of the last till; a till sends
  its next batch when the answer to its last has arrived. Every operation must come back
  accepted and applied, and the books must check (above), or the scenario fails.
- **CPU ms per operation** per process: user + system CPU from /proc/<pid>/stat while the
  tills upload (bench/cpu.py, the meter bench/orders.py uses), divided by the operations
  uploaded. Postgres is every client backend connected to `{DATABASE}` (by login in
  sync.json); "load generator" is this process, the tills.
- **Statements per offline operation**: a separate counting pass of the headline scenario on a
  fresh venue, the processes restarted with their database logins pointed at a TCP proxy that
  reads the PostgreSQL protocol they send (bench/statements.py): each simple Query or
  extended-protocol Execute is a statement, each Query or Sync a round trip, each Parse a
  statement prepared; the login tells the processes apart; kinds come from the text (see
  orders.md). Counted while the tills upload, divided by the operations uploaded (about 3 per
  order). pg_stat_statements would need a server restart; Postgres's own counters from the same
  pass (transactions committed, rows written per table) check the proxy's.
- **Profiles** (`--profile`): another pass of the headline scenario with py-spy attached to
  the gateway and the orders service (bench/profiling.py), 200 samples/s of their Python
  stacks while they hold the GIL: own = innermost function, cumulative = anywhere on the stack,
  libraries and our own code apart (see orders.md).
- **Before and after**: `{COMMAND} --code <checkout> --label before` runs this bench against
  another checkout's servers, migrations and provisioning (bench/checkout.py).
"""


def markdown(runs: Mapping[str, Mapping[str, Any]]) -> str:
    labels = list(runs)
    cells = {label: figures(run) for label, run in runs.items()}
    names = list(next(iter(cells.values())))
    lines = [
        "# Offline sync: a venue's tills uploading their day",
        "",
        *runs_table(runs, _load),
        "",
        "Each till's log: open shift, its sales (order.create with 2-3 lines, a cash or card "
        "payment, order.close with the till's offline receipt number), close shift; uploaded in "
        "batches (the next sent when the last is answered), a fresh DPoP proof per request. "
        "Each scenario on its own fresh venue.",
        "",
        "## The figures: before and after",
        "",
        f"| figure | {' | '.join(labels)} | goal |",
        "| --- | " + " | ".join("---:" for _ in labels) + " | --- |",
        *(
            f"| {name} | {' | '.join(cells[label].get(name, 'n/a') for label in labels)} "
            f"| {GOALS.get(name, '')} |"
            for name in names
        ),
        "",
        "## Scenarios",
        "",
        "| scenario | run | operations | orders | batches | errors | wall s | ops/s | orders/s "
        "| batch p50 ms | p90 ms | max ms | books |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    names_in_order: list[str] = []
    for run in runs.values():
        names_in_order += [s["name"] for s in _measured(run) if s["name"] not in names_in_order]
    for name in names_in_order:
        for label, run in runs.items():
            s = next((s for s in _measured(run) if s["name"] == name), None)
            if s is None:
                continue
            errors = f"**{s['errors']}**" if s["errors"] else "0"
            batch = s["batch_ms"]
            lines.append(
                f"| {name} | {label} | {s['operations']:,} | {s['orders']:,} | {s['batches']} "
                f"| {errors} | {s['wall_seconds']:.2f} | {number(s['operations_per_second'], 0)} "
                f"| {number(s['orders_per_second'], 0)} | {number(batch['p50'], 0)} "
                f"| {number(batch['p90'], 0)} | {number(batch['max'], 0)} "
                f"| {'**failed**' if s['check_failures'] else 'ok'} |"
            )
    for label, run in runs.items():
        lines.append(
            f"\nGateway ÷ direct (wall time, headline), {label}: "
            f"{number(run.get('gateway_wall_over_direct'), 2)}."
        )
    lines += [
        "",
        "Books checked after each scenario under the orders service's login: every "
        "operation applied, one closed order, one payment and one offline receipt per sale, "
        "each register's receipts numbered 1..N without a gap, server totals equal to the "
        "tills', every shift closed with its count matching, no sync flags.",
        "",
        "## CPU ms per offline operation, by process",
        "",
        *cpu_table(
            [
                (name, label, s.get("cpu_ms_per_operation", {}))
                for name in names_in_order
                for label, run in runs.items()
                for s in _measured(run)
                if s["name"] == name
            ],
            "operation",
        ),
        "",
        f"What the Postgres backends of this database were doing, sampled every "
        f"{SAMPLE_INTERVAL * 1000:.0f} ms from pg_stat_activity (backend-seconds; the largest "
        "four per scenario):",
        "",
        "| scenario | run | backend activity | backend-s |",
        "| --- | --- | --- | ---: |",
        *(
            f"| {name} | {label} | {activity.replace('|', ESCAPED_PIPE)} | {seconds:.2f} |"
            for name in names_in_order
            for label, run in runs.items()
            for s in _measured(run)
            if s["name"] == name
            for activity, seconds in list(s["postgres_backend_seconds_sampled"].items())[:4]
        ),
        "",
        "## Statements per offline operation (counting pass: the headline scenario)",
        "",
        *statements_section(runs, "operation"),
        "",
        "## Where the CPU goes: top costs by profile",
        "",
        *profile_section(runs),
        "",
        "## How each figure is measured",
        "",
        METHOD,
    ]
    for label, run in runs.items():
        for name in run.get("failed", []):
            lines.append(f"**{label}: {name} failed; see sync.json.**")
    lines += [
        "",
        f"Reproduce: `{COMMAND} [--profile]` (or `make bench`). Tills, servers and Postgres "
        "share one machine.",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="python -m bench.sync",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: 50 sales per till")
    parser.add_argument("--tills", type=int, default=TILLS, help=f"default {TILLS}")
    parser.add_argument("--sales", type=int, help=f"per till (default {SALES_PER_TILL})")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="add a pass with py-spy on the gateway and the orders service",
    )
    parser.add_argument("--label", help=f"the run's name in the results file (default {AFTER!r})")
    parser.add_argument(
        "--code",
        type=Path,
        help=f"run the servers from this checkout (needs --label, e.g. {BEFORE})",
    )
    options = parser.parse_args(arguments)
    if options.code is not None:
        if not options.label:
            parser.error(f"--code needs --label (for instance --label {BEFORE})")
        return rerun_with_code(options.code, "bench.sync", strip_code(arguments))
    sales = options.sales or (50 if options.quick else SALES_PER_TILL)
    planned = scenarios(options.tills, sales)
    label = options.label or AFTER
    print(
        f"bench: {options.tills} tills × {sales} sales ({2 + 3 * sales} operations each), "
        f"batches of {BATCH}; servers from {os.environ.get(CODE_ENV, REPO)}; recording as "
        f"{label!r}",
        flush=True,
    )
    result = run(planned, label=label, profile=options.profile)
    runs = merge_run(RESULTS / "sync.json", label, result)
    text = markdown(runs)
    write_runs("sync", runs, text)
    print(text)
    for name in result["failed"]:
        print(f"bench: {name} failed; see bench/results/sync.md", file=sys.stderr)
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
