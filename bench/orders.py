"""Orders created per second: through the gateway (aiohttp and httpx forwarding), directly at
the orders service, and as the same transaction in raw SQL over asyncpg (`make bench`).

    .venv/bin/python -m bench.orders [--quick] [--requests N] [--concurrency N]

Runs on a fresh database `halopos_bench` with its own identity, orders and gateway processes
on ports 18000-18002, so it never touches `make run` (8000-8006) or the tests' database.
Every request carries a DPoP-bound access token and a fresh proof signed for it, as a till
sends them: signing the proof is part of each request's cost, and verifying it (and spending
its jti in Postgres) is part of each layer's.
Each tenant is provisioned as the operator does (tenant registry, then the orders settings and
tax categories) and gets a till: an activated device at a location, registered with an open
shift, and a menu. Orders name menu items; the service prices them from its own menu and the
tax rates in force, as it does for every sale.
Writes bench/results/orders.json and orders.md; exits 1 if any scenario had errors.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from uuid import UUID

import aiohttp
import asyncpg

from bench import raw_sql
from bench.load import LoadSettings, Measurement, Operation, measure
from bench.report import Report, machine_info, postgres_version
from clients.dpop import DeviceKey
from deploy import database as db
from deploy.platform import prepare_database, stop_processes, uvicorn_command, wait_healthy
from deploy.state import REPO
from libs.config import SERVICES, SERVICES_BY_NAME, platform_settings
from libs.rbac.matrix import Role
from libs.tenancy.database import TenantDatabase
from services.identity.keys.signing import SigningKey, mint_access_token
from services.identity.tenants.service import OPERATOR, create_tenant
from services.orders.provisioning import provision_orders

DATABASE = "halopos_bench"
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
SUBJECT = "bench-cashier"
CURRENCY = "AUD"
# Each tenant's menu, and every order: (item, quantity, menu price), all taxed at GST.
LINES = (("Flat white", 2, 450), ("Banana bread", 1, 650), ("Orange juice", 1, 700))
TAX_CODE = "gst"
OPENING_FLOAT_MINOR = 20_000
# TenantDatabase's default pool, so the raw ceiling and the service use as many connections.
RAW_POOL_SIZE = 10
TIME_LIMIT_SECONDS = 120.0

GATEWAY_AIOHTTP = "gateway, aiohttp client (default)"
GATEWAY_HTTPX = "gateway, httpx client"
DIRECT = "orders service direct"
RAW_100 = f"raw SQL over asyncpg, {TENANTS} tenants"
RAW_1 = "raw SQL over asyncpg, 1 tenant"
GATEWAY_CLIENTS: tuple[tuple[str, dict[str, str]], ...] = (
    (GATEWAY_AIOHTTP, {}),
    (GATEWAY_HTTPX, {"HALOPOS_GATEWAY_CLIENT": "httpx"}),
)


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
    settings = platform_settings()
    tills = []
    for register in registers:
        access_token = mint_access_token(
            signing_key,
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            subject=SUBJECT,
            tenant_id=register.tenant_id,
            role=Role.CASHIER,
            location_id=register.location_id,
            device_id=register.device_id,
            key_thumbprint=register.key.thumbprint(),
        )
        tills.append(
            Till(register.key, access_token, f"DPoP {access_token}", _order_body(register))
        )
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
    name: str, base_url: str, tills: Sequence[Till], settings: LoadSettings
) -> Measurement:
    connector = aiohttp.TCPConnector(limit=settings.concurrency)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        operation = post_order(session, base_url + ORDERS_PATH, tills)
        return await measure(name, operation, settings)


async def measure_raw(
    name: str, dsn: str, tenants: Sequence[UUID], settings: LoadSettings
) -> Measurement:
    async with asyncpg.create_pool(dsn, min_size=RAW_POOL_SIZE, max_size=RAW_POOL_SIZE) as pool:
        operation = raw_sql.order_operation(
            pool, tenants, subject=SUBJECT, currency=CURRENCY, lines=LINES
        )
        return await measure(name, operation, settings)


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
                orders, tenant_id=tenant.tenant_id, region=tenant.region,
                currency=tenant.currency, actor=OPERATOR,
            )  # fmt: skip
            tenants.append(tenant.tenant_id)
    finally:
        await identity.dispose()
        await orders.dispose()
    return tenants


_BIND_TENANT = "SELECT set_config('app.tenant_id', $1, true)"
_INSERT_LOCATION = (
    "INSERT INTO identity.locations (id, name, time_zone, business_day_cutoff_hour) "
    "VALUES ($1, 'Bench bar', 'Australia/Sydney', 3)"
)
_INSERT_DEVICE = (
    "INSERT INTO identity.devices (id, location_id, name, key_thumbprint, public_jwk, "
    "activated_by) VALUES ($1, $2, 'Bench till', $3, $4::jsonb, 'bench')"
)
# The device becomes the business's first register, with a shift open on it.
_OPEN_SHIFT = """
    WITH register AS (
        INSERT INTO orders.registers (device_id, location_id, number) VALUES ($1, $2, 1)
        RETURNING device_id
    )
    INSERT INTO orders.shifts (id, register_id, location_id, opening_float_minor, opened_by)
    SELECT $3, device_id, $2, $4, $5 FROM register
"""
_INSERT_CATEGORY = "INSERT INTO orders.menu_categories (id, name) VALUES ($1, 'Cafe')"
_INSERT_ITEMS = """
    INSERT INTO orders.menu_items (id, category_id, tax_category_id, name, price_minor)
    SELECT item.id, $2, tax.id, item.name, item.price_minor
    FROM unnest($3::uuid[], $4::text[], $5::bigint[]) AS item (id, name, price_minor),
         orders.tax_categories AS tax
    WHERE tax.code = $1
"""


async def open_tills(
    service_urls: dict[str, str], tenants: Sequence[UUID], keys: Sequence[DeviceKey]
) -> list[Register]:
    """A till per tenant, arranged in SQL through the identity and orders services' own
    logins (as the device activation, the menu API and `POST /v1/shifts` would leave it)."""
    identity = await asyncpg.connect(service_urls["identity"])
    orders = await asyncpg.connect(service_urls["orders"])
    registers = []
    try:
        for tenant, key in zip(tenants, keys, strict=True):
            location_id, device_id = uuid.uuid4(), uuid.uuid4()
            async with identity.transaction():
                await identity.execute(_BIND_TENANT, str(tenant))
                await identity.execute(_INSERT_LOCATION, location_id)
                await identity.execute(
                    _INSERT_DEVICE, device_id, location_id, key.thumbprint(),
                    json.dumps(key.public_jwk()),
                )  # fmt: skip
            category_id = uuid.uuid4()
            item_ids = tuple(uuid.uuid4() for _ in LINES)
            async with orders.transaction():
                await orders.execute(_BIND_TENANT, str(tenant))
                await orders.execute(
                    _OPEN_SHIFT, device_id, location_id, uuid.uuid4(), OPENING_FLOAT_MINOR,
                    SUBJECT,
                )  # fmt: skip
                await orders.execute(_INSERT_CATEGORY, category_id)
                await orders.execute(
                    _INSERT_ITEMS, TAX_CODE, category_id, item_ids,
                    [name for name, _, _ in LINES], [price for _, _, price in LINES],
                )  # fmt: skip
            registers.append(Register(tenant, location_id, device_id, key, item_ids))
    finally:
        await identity.close()
        await orders.close()
    return registers


def run(settings: LoadSettings) -> Report:
    measurements: list[Measurement] = []
    prepared = prepare_database(DATABASE, fresh=True)
    try:
        tenants = asyncio.run(provision_tenants(prepared.service_urls, TENANTS))
        orders_dsn = prepared.service_urls["orders"]
        device_keys = [DeviceKey.generate(DPOP_ALGORITHM) for _ in tenants]
        registers = asyncio.run(open_tills(prepared.service_urls, tenants, device_keys))
        with tempfile.TemporaryDirectory(prefix="halopos-bench-") as keys:
            key_file = Path(keys) / "signing.pem"
            # Creates the key file owner-readable only (0600), as the identity service expects.
            key = SigningKey.load_or_create(key_file)
            totp_key_file = write_secret(Path(keys) / "totp.key", os.urandom(32))
            env = environment(prepared.service_urls, key_file, totp_key_file)
            with Platform(env) as platform:
                for name in ("identity", "orders"):
                    platform.start(name, f"services.{name}.app:create_app", service_port(name))

                def post_orders(name: str, base_url: str) -> None:
                    # Minted per scenario: tokens live at most 10 minutes, a run may not.
                    tills = cashier_tills(key, registers)
                    measurement = asyncio.run(measure_http(name, base_url, tills, settings))
                    measurements.append(_progress(measurement))

                for name, client in GATEWAY_CLIENTS:
                    platform.start("gateway", "gateway.app:create_app", GATEWAY_PORT, **client)
                    post_orders(name, f"http://127.0.0.1:{GATEWAY_PORT}")
                    platform.stop("gateway")
                post_orders(DIRECT, f"http://127.0.0.1:{service_port('orders')}")

        for name, writers in ((RAW_100, tenants), (RAW_1, tenants[:1])):
            measurement = asyncio.run(measure_raw(name, orders_dsn, writers, settings))
            measurements.append(_progress(measurement))
        postgres = asyncio.run(postgres_version(prepared.admin_url))
    finally:
        if prepared.embedded is not None:
            prepared.embedded.stop()  # only if this run started it
    return Report(
        machine=machine_info(postgres),
        parameters={
            "requests": settings.requests,
            "warmup": settings.warmup,
            "concurrency": settings.concurrency,
            "time_limit_seconds": settings.time_limit_seconds,
            "tenants": TENANTS,
            "lines_per_order": len(LINES),
            "raw_sql_pool_size": RAW_POOL_SIZE,
            "uvicorn_workers_per_process": 1,
            "dpop_proof_per_request": DPOP_ALGORITHM,
        },
        measurements=measurements,
        ceiling=RAW_100,
        gateway_pairs={"aiohttp": (GATEWAY_AIOHTTP, DIRECT), "httpx": (GATEWAY_HTTPX, DIRECT)},
    )


def parse_settings(argv: Sequence[str] | None) -> LoadSettings:
    parser = argparse.ArgumentParser(prog="python -m bench.orders", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke run: 300 requests, 50 warm-up")
    parser.add_argument("--requests", type=int, help="measured per scenario (default 3000)")
    parser.add_argument("--warmup", type=int, help="not measured, per scenario (default 200)")
    parser.add_argument("--concurrency", type=int, default=32, help="in flight (default 32)")
    options = parser.parse_args(argv)
    return LoadSettings(
        concurrency=options.concurrency,
        warmup=options.warmup if options.warmup is not None else (50 if options.quick else 200),
        requests=options.requests or (300 if options.quick else 3000),
        time_limit_seconds=TIME_LIMIT_SECONDS,
    )


def main(argv: Sequence[str] | None = None) -> int:
    settings = parse_settings(argv)
    print(
        f"bench: {settings.requests} orders per scenario, concurrency {settings.concurrency}",
        flush=True,
    )
    report = run(settings)
    report.write()
    print(report.markdown())
    for failed in report.failed:
        print(f"bench: {failed.name} had errors; see bench/results/orders.md", file=sys.stderr)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
