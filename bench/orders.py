"""Orders created per second: through the gateway (aiohttp and httpx forwarding), directly at
the orders service, and as the same transaction in raw SQL over asyncpg; from 100 businesses
with one till each, and from one business's 8 tills (`make bench`).

    .venv/bin/python -m bench.orders [--quick] [--requests N] [--concurrency N] [--profile]
        [--label NAME] [--code CHECKOUT]

Runs on a fresh database `halopos_bench` with its own identity, orders and gateway processes
on ports 18000-18002, so it never touches `make run` (8000-8006) or the tests' database.
Every request carries a DPoP-bound access token and a fresh proof signed for it, as a till
sends them: signing the proof is part of each request's cost, and verifying it (and spending
its jti in Postgres) is part of each layer's.
Each tenant is provisioned as the operator does (tenant registry, then the orders settings and
tax categories) and gets a venue with a menu and tills: activated devices, registered with an
open shift. Orders name menu items; the service prices them from its own menu and the tax
rates in force, as it does for every sale.

The busy business has its 8 tills at one venue (registers 1-8 of one location): a bar's tills
on one floor is the busiest real case, and it shows any serialisation per venue (receipt or
business-day counters) as well as the one per business (the audit chain head). Its scenario has
the same load as the 100 businesses' (same requests, same concurrency: 4 in flight per till).

Besides the timed scenarios: CPU seconds of each process during each (bench/cpu.py); a
counting pass through the gateway with a statement-counting proxy between the services and
Postgres (bench/statements.py); with `--profile`, a profiled pass with py-spy on the gateway
and the orders service (bench/profiling.py). Neither pass's throughput is reported.

Results go to bench/results/orders.json and orders.md under `--label` (default "after"),
beside the other labels' runs; `--code /work/baseline --label before` measures another
checkout's servers with this bench (bench/checkout.py). Exits 1 if any scenario had errors.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any
from uuid import UUID

import aiohttp
import asyncpg

from bench import raw_sql
from bench.checkout import CODE_ENV, rerun_with_code, strip_code
from bench.cpu import LOAD_GENERATOR, POSTGRES, CpuMeter
from bench.load import Instrument, LoadSettings, Measurement, Operation, measure
from bench.profiling import Profiler
from bench.report import (
    AFTER,
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
from libs.config import DATABASE_LOGINS, SERVICES, SERVICES_BY_NAME
from libs.rbac.matrix import Role
from libs.tenancy.database import TenantDatabase
from ops import database as db
from ops.platform import prepare_database, stop_processes, uvicorn_command, wait_healthy
from ops.state import REPO
from services.identity.keys.signing import SigningKey
from services.identity.tenants.service import OPERATOR, create_tenant
from services.orders.provisioning import provision_orders
from tests.support.database import service_connections
from tests.support.tills import new_location, open_shift, register_device, stock_items
from tests.support.tokens import access_token

DATABASE = "halopos_bench"
COMMAND = ".venv/bin/python -m bench.orders"
# Every service's usual port plus this: 18000-18006, clear of `make run`.
PORT_OFFSET = 10_000
GATEWAY_PORT = 8000 + PORT_OFFSET
# What clients address, so what every proof names and every layer (the orders service called
# directly included) checks proofs against: the bench's gateway.
PUBLIC_URL = f"http://127.0.0.1:{GATEWAY_PORT}"
ORDERS_PATH = "/v1/orders"
# DeviceKey.generate's default, so what a till uses unless its integrator chooses otherwise.
DPOP_ALGORITHM = "ES256"
TENANTS = 100
BUSY_TILLS = 8
SUBJECT = "bench-cashier"
CURRENCY = "AUD"
# Each tenant's menu, and every order: (item, quantity, menu price), all taxed at GST.
LINES = (("Flat white", 2, 450), ("Banana bread", 1, 650), ("Orange juice", 1, 700))
TAX_CODE = "gst"
OPENING_FLOAT_MINOR = 20_000
# TenantDatabase's default pool, so the raw ceiling and the service use as many connections.
RAW_POOL_SIZE = 10
TIME_LIMIT_SECONDS = 120.0

GATEWAY_AIOHTTP = f"gateway (aiohttp, default), {TENANTS} businesses"
GATEWAY_HTTPX = f"gateway (httpx), {TENANTS} businesses"
DIRECT = f"orders service direct, {TENANTS} businesses"
GATEWAY_BUSY = f"gateway (aiohttp), one business's {BUSY_TILLS} tills"
DIRECT_BUSY = f"orders service direct, one business's {BUSY_TILLS} tills"
RAW_100 = f"raw SQL over asyncpg, {TENANTS} businesses"
RAW_1 = "raw SQL over asyncpg, one business"
GATEWAY_CLIENTS: dict[str, dict[str, str]] = {
    "aiohttp": {},
    "httpx": {"HALOPOS_GATEWAY_CLIENT": "httpx"},
}
# The process behind each database login, for the statement counts.
PROCESS_OF_LOGIN = {role: name for name, role in DATABASE_LOGINS.items()}
RESULTS_JSON = RESULTS / "orders.json"


def service_port(name: str) -> int:
    return SERVICES_BY_NAME[name].default_port + PORT_OFFSET


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


class Platform:
    """The bench's uvicorn processes; leaving the block stops every one still running."""

    def __init__(self, environment: dict[str, str]) -> None:
        self._environment = environment
        self._processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, target: str, port: int, **extra: str) -> None:
        # Otherwise the health check could be answered by whoever holds the port.
        if _listening(port):
            raise RuntimeError(f"port {port} is in use (another bench running?)")
        process = subprocess.Popen(
            uvicorn_command(target, port), env={**self._environment, **extra}, cwd=REPO
        )
        self._processes[name] = process
        wait_healthy(f"http://127.0.0.1:{port}/healthz", process)

    def stop(self, name: str) -> None:
        stop_processes({name: self._processes.pop(name)})

    def pids(self) -> dict[str, int]:
        """Each running process's id, by name (for the CPU meter and the profiler)."""
        return {name: process.pid for name, process in self._processes.items()}

    def __enter__(self) -> Platform:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        stop_processes(self._processes)
        self._processes.clear()


def environment(
    service_urls: dict[str, str], key_file: Path, totp_key_file: Path
) -> dict[str, str]:
    inherited = dict(os.environ)
    # The first gateway scenario measures the default client, whatever this shell sets.
    inherited.pop("HALOPOS_GATEWAY_CLIENT", None)
    databases = db.service_environment(service_urls)
    # The gateway spends the proofs it accepts in the shared ledger, under its own login.
    if "HALOPOS_GATEWAY_DATABASE_URL" not in databases:
        raise RuntimeError("prepare_database returned no login for the gateway")
    return {
        **inherited,
        **databases,
        **{
            f"HALOPOS_{spec.name.upper()}_URL": f"http://127.0.0.1:{service_port(spec.name)}"
            for spec in SERVICES
        },
        "HALOPOS_IDENTITY_SIGNING_KEY_FILES": str(key_file),
        "HALOPOS_IDENTITY_TOTP_KEY_FILE": str(totp_key_file),
        "HALOPOS_PUBLIC_URL": PUBLIC_URL,
        "HALOPOS_JWKS_URL": f"http://127.0.0.1:{service_port('identity')}/.well-known/jwks.json",
        "HALOPOS_LOG_LEVEL": "WARNING",
        # The load comes from one address at hundreds of requests a second: the gateway's
        # rate limits would refuse most of it. The bench measures forwarding, not limiting.
        "HALOPOS_GATEWAY_RATE_PER_ADDRESS": "0",
        "HALOPOS_GATEWAY_RATE_PER_PRINCIPAL": "0",
        # As in every run: services take the gateway's request ids and addresses on its word.
        "HALOPOS_GATEWAY_SECRET": os.environ.get("HALOPOS_GATEWAY_SECRET")
        or secrets.token_urlsafe(32),
    }


@dataclass(frozen=True)
class Register:
    """A tenant's till as the database knows it: an activated device at a location, with an
    open shift, and the ids of the menu items in LINES."""

    tenant_id: UUID
    location_id: UUID
    device_id: UUID
    key: DeviceKey
    item_ids: tuple[UUID, ...]


@dataclass(frozen=True)
class Till:
    """One simulated device: its key, the access token bound to it (cnf.jkt), and the sale
    it rings up, over and over."""

    key: DeviceKey
    access_token: str
    authorization: str  # "DPoP <token>", built once: it is the same on every request
    order_body: bytes


def cashier_tills(signing_key: SigningKey, registers: Sequence[Register]) -> list[Till]:
    """A cashier signed in at each tenant's till, each token bound to that till's key."""
    tills = []
    for register in registers:
        token = access_token(
            signing_key,
            subject=SUBJECT,
            tenant_id=register.tenant_id,
            role=Role.CASHIER,
            location_id=register.location_id,
            device_id=register.device_id,
            key=register.key,
        )
        tills.append(Till(register.key, token, f"DPoP {token}", _order_body(register)))
    return tills


def _order_body(register: Register) -> bytes:
    lines = [
        {"item_id": str(item_id), "quantity": quantity}
        for item_id, (_, quantity, _) in zip(register.item_ids, LINES, strict=True)
    ]
    return json.dumps({"lines": lines}).encode()


def _describe(status: int, body: bytes) -> str:
    try:
        return f"HTTP {status} {json.loads(body)['code']}"
    except (ValueError, KeyError, TypeError):
        return f"HTTP {status} {body[:80]!r}"


def post_order(session: aiohttp.ClientSession, url: str, tills: Sequence[Till]) -> Operation:
    # The public URL, whichever address this scenario dials (RFC 9449 htu).
    htu = PUBLIC_URL + ORDERS_PATH

    async def operation(number: int) -> str | None:
        till = tills[number % len(tills)]
        headers = {
            "Authorization": till.authorization,
            # A proof is single-use: signed here, per request, retries included.
            "DPoP": till.key.proof("POST", htu, till.access_token),
            "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4()),
        }
        async with session.post(url, data=till.order_body, headers=headers) as response:
            answer = await response.read()
            return None if response.status == 201 else _describe(response.status, answer)

    return operation


async def measure_http(
    name: str,
    base_url: str,
    tills: Sequence[Till],
    settings: LoadSettings,
    instruments: tuple[Instrument, ...] = (),
) -> Measurement:
    connector = aiohttp.TCPConnector(limit=settings.concurrency)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        operation = post_order(session, base_url + ORDERS_PATH, tills)
        return await measure(name, operation, settings, instruments=instruments)


async def measure_raw(
    name: str,
    dsn: str,
    tenants: Sequence[UUID],
    settings: LoadSettings,
    instruments: tuple[Instrument, ...] = (),
) -> Measurement:
    async with asyncpg.create_pool(dsn, min_size=RAW_POOL_SIZE, max_size=RAW_POOL_SIZE) as pool:
        operation = raw_sql.order_operation(
            pool, tenants, subject=SUBJECT, currency=CURRENCY, lines=LINES
        )
        return await measure(name, operation, settings, instruments=instruments)


def _progress(measurement: Measurement) -> Measurement:
    errors = f", {measurement.errors} errors" if measurement.errors else ""
    print(f"  {measurement.name}: {measurement.throughput_per_second:,.0f}/s{errors}", flush=True)
    return measurement


def write_secret(path: Path, secret: bytes) -> Path:
    """The identity service's TOTP encryption key: base64, owner-readable only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(base64.b64encode(secret).decode("ascii"))
    return path


async def provision_tenants(service_urls: dict[str, str], count: int) -> list[UUID]:
    """Real tenants, provisioned as the operator does: the tenant registry (every
    tenant-scoped row references it), then the orders settings and tax categories."""
    identity = TenantDatabase(service_urls["identity"], pool_size=1)
    orders = TenantDatabase(service_urls["orders"], pool_size=1)
    tenants = []
    try:
        for n in range(count):
            tenant = await create_tenant(
                identity, name=f"Bench venue {n}", region="au", currency=CURRENCY
            )
            await provision_orders(
                orders,
                tenant_id=tenant.tenant_id,
                region=tenant.region,
                currency=tenant.currency,
                actor=OPERATOR,
            )
            tenants.append(tenant.tenant_id)
    finally:
        await identity.dispose()
        await orders.dispose()
    return tenants


async def open_tills(
    service_urls: dict[str, str],
    tenants: Sequence[UUID],
    keys: Sequence[DeviceKey],
    *,
    tills_per_tenant: int = 1,
) -> list[Register]:
    """Each tenant's venue (one location) with a menu and `tills_per_tenant` tills, registers
    1..N each with an open shift, arranged in SQL through the identity and orders services' own
    logins as the tests arrange theirs (tests/support/tills.py; as device activation, the menu
    API and `POST /v1/shifts` would leave them). One key per till, tenant by tenant; the
    registers come back in the same order."""
    if len(keys) != len(tenants) * tills_per_tenant:
        raise ValueError(f"{len(keys)} keys for {len(tenants)} x {tills_per_tenant} tills")
    registers = []
    async with service_connections(service_urls) as connect:
        for index, tenant in enumerate(tenants):
            location_id = await new_location(connect, tenant, "Bench bar")
            menu = [(name, price) for name, _, price in LINES]
            item_ids = await stock_items(connect, tenant, menu, tax_code=TAX_CODE)
            for key in keys[index * tills_per_tenant : (index + 1) * tills_per_tenant]:
                _, device_id = await register_device(
                    connect,
                    tenant,
                    key,
                    location_id=location_id,
                    name="Bench till",
                    activated_by="bench",
                )
                # The business's next register (1..N in a new business), with a shift open.
                await open_shift(
                    connect, tenant, device_id, location_id, SUBJECT, OPENING_FLOAT_MINOR
                )
                registers.append(Register(tenant, location_id, device_id, key, item_ids))
    return registers


def proxied(environment: Mapping[str, str], tap: StatementTap) -> dict[str, str]:
    """The same environment with every service's database login reached through the tap."""
    return {
        name: tap.url(value) if name.endswith("_DATABASE_URL") else value
        for name, value in environment.items()
    }


def start_services(platform: Platform) -> None:
    for name in ("identity", "orders"):
        platform.start(name, f"services.{name}.app:create_app", service_port(name))


def _failed(measurement: Measurement) -> bool:
    return bool(measurement.errors or measurement.aborted or measurement.warmup_errors)


def run(settings: LoadSettings, *, label: str, profile: bool) -> dict[str, Any]:
    """Every scenario, the counting pass and (with `profile`) the profiled pass: one run's
    results, as orders.json keeps them under its label."""
    measurements: list[Measurement] = []
    passes: list[Measurement] = []
    # Passes that could not run (a server that would not start, say): the run fails, but what
    # was measured is still written.
    broken: list[str] = []
    statements: dict[str, Any] | None = None
    profiled: dict[str, Any] | None = None
    prepared = prepare_database(DATABASE, fresh=True)
    try:
        urls = prepared.service_urls
        tenants = asyncio.run(provision_tenants(urls, TENANTS + 1))
        businesses, busy = tenants[:TENANTS], tenants[TENANTS:]
        keys = [DeviceKey.generate(DPOP_ALGORITHM) for _ in businesses]
        registers = asyncio.run(open_tills(urls, businesses, keys))
        busy_keys = [DeviceKey.generate(DPOP_ALGORITHM) for _ in range(BUSY_TILLS)]
        busy_registers = asyncio.run(open_tills(urls, busy, busy_keys, tills_per_tenant=BUSY_TILLS))
        with tempfile.TemporaryDirectory(prefix="halopos-bench-") as keys_directory:
            key_file = Path(keys_directory) / "signing.pem"
            # Creates the key file owner-readable only (0600), as the identity service expects.
            key = SigningKey.load_or_create(key_file)
            totp_key_file = write_secret(Path(keys_directory) / "totp.key", os.urandom(32))
            env = environment(urls, key_file, totp_key_file)
            gateway_url = f"http://127.0.0.1:{GATEWAY_PORT}"
            direct_url = f"http://127.0.0.1:{service_port('orders')}"

            def post_orders(
                platform: Platform,
                name: str,
                base_url: str,
                tills_of: Sequence[Register],
                instruments: tuple[Instrument, ...] = (),
            ) -> Measurement:
                # Minted per scenario: tokens live at most 10 minutes, a run may not.
                tills = cashier_tills(key, tills_of)
                meter = CpuMeter(prepared.admin_url, DATABASE, platform.pids())
                measurement = asyncio.run(
                    measure_http(name, base_url, tills, settings, (meter, *instruments))
                )
                measurement.cpu_seconds = meter.used
                return _progress(measurement)

            with Platform(env) as platform:
                start_services(platform)
                platform.start("gateway", "gateway.app:create_app", GATEWAY_PORT)
                for name, tills_of in (
                    (GATEWAY_AIOHTTP, registers),
                    (GATEWAY_BUSY, busy_registers),
                ):
                    measurements.append(post_orders(platform, name, gateway_url, tills_of))
                platform.stop("gateway")
                platform.start(
                    "gateway", "gateway.app:create_app", GATEWAY_PORT, **GATEWAY_CLIENTS["httpx"]
                )
                measurements.append(post_orders(platform, GATEWAY_HTTPX, gateway_url, registers))
                platform.stop("gateway")
                for name, tills_of in ((DIRECT, registers), (DIRECT_BUSY, busy_registers)):
                    measurements.append(post_orders(platform, name, direct_url, tills_of))
                if profile:
                    try:
                        platform.start("gateway", "gateway.app:create_app", GATEWAY_PORT)
                        pids = platform.pids()
                        with tempfile.TemporaryDirectory(prefix="halopos-bench-profile-") as out:
                            profiler = Profiler(
                                {"gateway": pids["gateway"], "orders service": pids["orders"]},
                                Path(out),
                            )
                            measurement = post_orders(
                                platform,
                                f"profiled pass: {GATEWAY_AIOHTTP}",
                                gateway_url,
                                registers,
                                (profiler,),
                            )
                        passes.append(measurement)
                        profiled = {
                            "scenario": GATEWAY_AIOHTTP,
                            "pass": measurement.as_dict(),
                            "processes": profiler.profiles,
                        }
                    except Exception as error:
                        # Recorded as a failure of the run; the figures measured still count.
                        broken.append(f"profiled pass: {type(error).__name__}: {error}"[:300])
            # The counting pass: the same processes restarted with their logins through the tap.
            try:
                with StatementTap(urls["orders"]) as tap, Platform(proxied(env, tap)) as platform:
                    start_services(platform)
                    platform.start("gateway", "gateway.app:create_app", GATEWAY_PORT)
                    count = StatementCount(tap, PostgresCounters(prepared.admin_url, DATABASE))
                    measurement = post_orders(
                        platform,
                        f"counting pass: {GATEWAY_AIOHTTP}",
                        gateway_url,
                        registers,
                        (count,),
                    )
                    passes.append(measurement)
                    units = measurement.requests - measurement.errors
                    statements = {
                        "scenario": GATEWAY_AIOHTTP,
                        "pass": measurement.as_dict(),
                        **count.summary(units, PROCESS_OF_LOGIN),
                    }
            except Exception as error:
                broken.append(f"counting pass: {type(error).__name__}: {error}"[:300])

        for name, writers in ((RAW_100, businesses), (RAW_1, businesses[:1])):
            meter = CpuMeter(prepared.admin_url, DATABASE, {})
            measurement = asyncio.run(
                measure_raw(name, urls["orders"], writers, settings, (meter,))
            )
            measurement.cpu_seconds = meter.used
            measurements.append(_progress(measurement))
        postgres = asyncio.run(postgres_version(prepared.admin_url))
    finally:
        if prepared.embedded is not None:
            prepared.embedded.stop()  # only if this run started it
    return {
        "label": label,
        "machine": machine_info(postgres),
        "parameters": {
            "requests": settings.requests,
            "warmup": settings.warmup,
            "concurrency": settings.concurrency,
            "time_limit_seconds": settings.time_limit_seconds,
            "tenants": TENANTS,
            "busy_business_tills": BUSY_TILLS,
            "busy_business_locations": 1,
            "lines_per_order": len(LINES),
            "raw_sql_pool_size": RAW_POOL_SIZE,
            "uvicorn_workers_per_process": 1,
            "dpop_proof_per_request": DPOP_ALGORITHM,
        },
        "scenarios": [m.as_dict() for m in measurements],
        "statements": statements,
        "profile": profiled,
        "failed": [m.name for m in (*measurements, *passes) if _failed(m)] + broken,
    }


# -- the results file --------------------------------------------------------------------------


def _load(parameters: Mapping[str, Any]) -> str:
    return (
        f"{parameters['requests']:,} orders per scenario after {parameters['warmup']:,} "
        f"warm-up, concurrency {parameters['concurrency']}"
    )


def _throughputs(run: Mapping[str, Any]) -> dict[str, float]:
    return {s["name"]: s["throughput_per_second"] for s in run["scenarios"]}


def _cpu(run: Mapping[str, Any], scenario: str) -> Mapping[str, float]:
    found = next((s for s in run["scenarios"] if s["name"] == scenario), None)
    return {} if found is None else found.get("cpu_ms_per_request", {})


def figures(run: Mapping[str, Any]) -> dict[str, str]:
    """The headline figures (set by issue 20) for one run, as table cells."""
    rate = _throughputs(run)

    def over(numerator: str, denominator: str) -> str:
        value = ratio(rate.get(numerator), rate.get(denominator))
        return (
            f"**{number(value, 2)}** ({number(rate.get(numerator), 0)} ÷ "
            f"{number(rate.get(denominator), 0)})"
        )

    cells = {
        "orders/s through the gateway ÷ raw SQL, 100 businesses": over(GATEWAY_AIOHTTP, RAW_100),
        "orders service direct ÷ raw SQL, 100 businesses": over(DIRECT, RAW_100),
        f"one business's {BUSY_TILLS} tills ÷ 100 businesses, direct": over(DIRECT_BUSY, DIRECT),
        f"one business's {BUSY_TILLS} tills ÷ 100 businesses, gateway": over(
            GATEWAY_BUSY, GATEWAY_AIOHTTP
        ),
        "raw SQL, one business ÷ 100 businesses (the chain-head lock alone)": over(RAW_1, RAW_100),
    }
    counted = run.get("statements") or {}
    per_order = counted.get("per_unit", {})
    every = per_order.get("all processes", {})
    cells["statements per priced order, all processes (gateway path)"] = (
        f"**{number(every.get('statements'), 1)}** (orders "
        f"{number(per_order.get('orders', {}).get('statements', 0.0), 1)}, gateway "
        f"{number(per_order.get('gateway', {}).get('statements', 0.0), 1)})"
        if every
        else "n/a"
    )
    cells["round trips per priced order, all processes"] = number(every.get("round trips"), 1)
    cells["transactions per order (COMMITs sent, all processes)"] = number(every.get("commits"), 2)
    cpu = _cpu(run, GATEWAY_AIOHTTP)
    cells["CPU ms per order through the gateway: gateway / orders / Postgres / load generator"] = (
        " / ".join(
            number(cpu.get(name), 2) for name in ("gateway", "orders", POSTGRES, LOAD_GENERATOR)
        )
    )
    return cells


GOALS = {
    "orders/s through the gateway ÷ raw SQL, 100 businesses": "≥ 0.45",
    "orders service direct ÷ raw SQL, 100 businesses": "≥ 0.60",
    f"one business's {BUSY_TILLS} tills ÷ 100 businesses, direct": "≥ 0.60",
    f"one business's {BUSY_TILLS} tills ÷ 100 businesses, gateway": "≥ 0.60",
    "statements per priced order, all processes (gateway path)": "≤ 5",
}

METHOD = f"""\
- **Orders/s** count successful answers (201) only, over the measured requests after the
  warm-up, from a closed loop of `concurrency` workers each waiting for its answer
  (bench/load.py). **÷ raw SQL** divides by *{RAW_100}* from the same run: the same writes (the
  priced order and its lines in one statement, the audit head and event) over asyncpg with as
  many connections as the service's pool, so a noisy machine moves both.
- **One business's {BUSY_TILLS} tills**: one tenant, one venue, registers 1-{BUSY_TILLS} each
  with an open shift and its own device key and token, taking the whole load (same requests and
  concurrency as the 100 businesses, round-robin over the tills). ÷ 100 businesses divides by
  the same path's 100-business scenario. *{RAW_1}* is the raw ceiling for one business: what
  the per-business audit chain-head lock costs even without the service.
- **CPU ms per order** per process: user + system CPU from /proc/<pid>/stat over the
  measured part of the scenario (bench/cpu.py), divided by successful orders. Postgres is
  every client backend connected to `{DATABASE}` (by login in orders.json), not the server's
  shared WAL writer or checkpointer; the load generator is this process (it signs every DPoP
  proof). The processes share 2 cores, so a process waiting for CPU shows up as latency, not
  as CPU.
- **Statements per order**: a separate counting pass of *{GATEWAY_AIOHTTP}* runs the same
  processes with their database logins pointed at a TCP proxy that reads the PostgreSQL
  protocol they send (bench/statements.py): each simple Query or extended-protocol Execute is
  a statement, each Query or Sync a round trip, each Parse a statement prepared (a cache miss);
  the login tells the processes apart. Kinds come from the statement's text: begin/commit,
  write (INSERT/UPDATE/DELETE anywhere in it), read, setting; and what it touches: the DPoP
  ledger (auth.spent_tokens), the audit chain (audit.*), idempotency keys, the tenant binding
  (app.tenant_id). Counted over the measured part only, divided by successful orders.
  pg_stat_statements would count inside Postgres, but needs a server restart with
  shared_preload_libraries, and the bench shares a running server. Postgres's own counters
  from the same pass (transactions committed, rows written per table) check the proxy's.
- **Profiles** (`--profile`): another separate pass of *{GATEWAY_AIOHTTP}* with py-spy
  attached to the gateway and the orders service (bench/profiling.py), 200 samples/s of their
  Python stacks while they hold the GIL (running Python, or C called from it; not waiting in
  epoll): own = innermost function; cumulative = anywhere on the stack, libraries' functions
  (the event loop and the web framework, under every request, left out) and our own code's
  (services/, libs/, gateway/) apart; as shares of all samples. "The event loop in C" is
  uvloop's work with no task's Python running.
- **Before and after**: `{COMMAND} --code <checkout> --label before` runs this bench against
  another checkout's servers, migrations and provisioning (bench/checkout.py); each run keeps its
  label here until that label is measured again.
"""


def markdown(runs: Mapping[str, Mapping[str, Any]]) -> str:
    labels = list(runs)
    cells = {label: figures(run) for label, run in runs.items()}
    names = list(next(iter(cells.values())))
    lines = [
        f"# Order writes: gateway, direct and raw SQL; one business's {BUSY_TILLS} tills and "
        f"{TENANTS} businesses",
        "",
        *runs_table(runs, _load),
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
        "## Throughput by scenario",
        "",
        "| scenario | run | requests | errors | orders/s | ÷ raw SQL | p50 ms | p95 ms | p99 ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    scenarios: list[str] = []
    for run in runs.values():
        scenarios += [s["name"] for s in run["scenarios"] if s["name"] not in scenarios]
    for scenario in scenarios:
        for label, run in runs.items():
            found = next((s for s in run["scenarios"] if s["name"] == scenario), None)
            if found is None:
                continue
            errors = f"**{found['errors']}**" if found["errors"] else "0"
            if found["aborted"]:
                errors += " (aborted)"
            rate, latency = found["throughput_per_second"], found["latency_ms"]
            ceiling = _throughputs(run).get(RAW_100)
            percentiles = " | ".join(number(latency[p]) for p in ("p50", "p95", "p99"))
            lines.append(
                f"| {scenario} | {label} | {found['requests']:,} | {errors} | {number(rate)} "
                f"| {number(ratio(rate, ceiling), 2)} | {percentiles} |"
            )
    lines += [
        "",
        "## CPU ms per order, by process",
        "",
        *cpu_table(
            [
                (scenario, label, _cpu(run, scenario))
                for scenario in scenarios
                for label, run in runs.items()
            ],
            "order",
        ),
        "",
        f"## Statements per priced order (counting pass: {GATEWAY_AIOHTTP})",
        "",
        *statements_section(runs, "order"),
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
            lines.append(f"**{label}: {name} failed; see orders.json.**")
    lines += [
        "",
        f"Reproduce: `{COMMAND} [--profile]` (or `make bench`). The load generator runs on the "
        "same machine as the servers and Postgres, so absolute figures are lower bounds; compare "
        "the ratios.",
        "",
    ]
    return "\n".join(lines)


# -- running -----------------------------------------------------------------------------------


def parse_options(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.orders",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: 300 requests, 50 warm-up")
    parser.add_argument("--requests", type=int, help="measured per scenario (default 3000)")
    parser.add_argument("--warmup", type=int, help="not measured, per scenario (default 200)")
    parser.add_argument("--concurrency", type=int, default=32, help="in flight (default 32)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="add a pass with py-spy on the gateway and the orders service",
    )
    parser.add_argument("--label", help=f"the run's name in the results file (default {AFTER!r})")
    parser.add_argument(
        "--code",
        type=Path,
        help="run the servers from this checkout (needs --label, e.g. before)",
    )
    options = parser.parse_args(argv)
    if options.code is not None and not options.label:
        parser.error("--code needs --label (for instance --label before)")
    return options


def settings_of(options: argparse.Namespace) -> LoadSettings:
    return LoadSettings(
        concurrency=options.concurrency,
        warmup=options.warmup if options.warmup is not None else (50 if options.quick else 200),
        requests=options.requests or (300 if options.quick else 3000),
        time_limit_seconds=TIME_LIMIT_SECONDS,
    )


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    options = parse_options(arguments)
    if options.code is not None:
        return rerun_with_code(options.code, "bench.orders", strip_code(arguments))
    settings = settings_of(options)
    label = options.label or AFTER
    print(
        f"bench: {settings.requests} orders per scenario, concurrency {settings.concurrency}; "
        f"servers from {os.environ.get(CODE_ENV, REPO)}; recording as {label!r}",
        flush=True,
    )
    result = run(settings, label=label, profile=options.profile)
    runs = merge_run(RESULTS_JSON, label, result)
    text = markdown(runs)
    write_runs("orders", runs, text)
    print(text)
    for name in result["failed"]:
        print(f"bench: {name} had errors; see bench/results/orders.md", file=sys.stderr)
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
