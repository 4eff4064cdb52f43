"""Prepares a database and starts every process of the platform (`make run`)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

from libs.api.app import KEEP_ALIVE_SECONDS
from libs.audit.checkpoints import CheckpointSigner
from libs.config import DATABASE_LOGINS, SERVICES
from ops import database as db
from ops.embedded_postgres import EmbeddedPostgres, ensure_running
from ops.seed import DEMO_TENANTS, demo_staff, seed_demo_tenants
from ops.state import (
    AUDIT_KEY_FILE,
    REPO,
    SIGNING_KEY_FILE,
    STATE,
    demo_secret,
    ensure_totp_key,
    ensure_webhooks_key,
    gateway_secret,
)
from services.identity.keys.signing import SigningKey
from services.identity.tenants.service import REGIONS

GATEWAY_PORT = int(os.environ.get("HALOPOS_GATEWAY_PORT", "8000"))
FAKE_STRIPE_PORT = int(os.environ.get("HALOPOS_FAKE_STRIPE_PORT", "8010"))
# The backoffice's built files (`make backoffice`, which `make run` runs first).
BACKOFFICE_DIST = REPO / "web" / "backoffice" / "dist"
# The till's (`make pos`, which `make run` runs first too).
POS_DIST = REPO / "web" / "pos" / "dist"
METRICS_PORT_BASE = int(os.environ.get("HALOPOS_METRICS_PORT_BASE", "9100"))


@dataclass
class PreparedDatabase:
    admin_url: str
    service_urls: dict[str, str]
    embedded: EmbeddedPostgres | None


def prepare_database(database_name: str, *, fresh: bool = False) -> PreparedDatabase:
    """Embedded Postgres unless DATABASE_URL is set; migrated; service roles given dev
    passwords unless every HALOPOS_<SERVICE>_DATABASE_URL is already provided.

    `fresh` (tests, bench) drops and recreates `database_name` on the server; otherwise
    DATABASE_URL itself is migrated, or `database_name` in the embedded server.
    """
    admin_url = os.environ.get("DATABASE_URL", "")
    embedded = None if admin_url else ensure_running()
    try:
        if embedded is not None:
            admin_url = embedded.admin_url()
        if embedded is not None or fresh:
            create = db.recreate_database if fresh else db.ensure_database
            asyncio.run(create(admin_url, database_name))
            admin_url = db.with_database(admin_url, database_name)
        db.migrate(admin_url)
        provided = {
            name: os.environ.get(f"HALOPOS_{name.upper()}_DATABASE_URL", "")
            for name in DATABASE_LOGINS
        }
        if all(provided.values()) and not fresh:
            service_urls = provided
        else:
            service_urls = asyncio.run(db.set_dev_role_passwords(admin_url))
    except BaseException:
        # Leave no server behind that this call started and nobody would stop.
        if embedded is not None:
            embedded.stop()
        raise
    return PreparedDatabase(admin_url=admin_url, service_urls=service_urls, embedded=embedded)


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not become healthy in {timeout:.0f}s")


def uvicorn_command(target: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        target,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
        # Longer than the gateway keeps an idle connection to a service (libs/api/app.py).
        "--timeout-keep-alive",
        str(KEEP_ALIVE_SECONDS),
        # Client-sent X-Forwarded-* must not rewrite the peer address: the gateway is the edge.
        # Behind a load balancer, name it with --forwarded-allow-ips instead.
        "--no-proxy-headers",
    ]


def metrics_port(http_port: int) -> int:
    """Each process's Prometheus port on loopback: 9100 for the gateway, 9101-9107 services."""
    return METRICS_PORT_BASE + http_port - GATEWAY_PORT


def stripe_environment() -> dict[str, str]:
    """Billing's Stripe settings. With HALOPOS_STRIPE_API_KEY set they are the operator's own
    (also HALOPOS_STRIPE_WEBHOOK_SECRET and HALOPOS_STRIPE_PRICE_AUD/_EUR); without it, the
    local fake Stripe's (doubles/fake_stripe), with a key and a webhook secret generated on
    first run and kept in .state/, so the demo subscribes and cancels offline."""
    if os.environ.get("HALOPOS_STRIPE_API_KEY"):
        return {}
    from doubles.fake_stripe import PRICE_AUD, PRICE_EUR

    fake = f"http://127.0.0.1:{FAKE_STRIPE_PORT}"
    return {
        "HALOPOS_STRIPE_API_KEY": f"sk_test_{demo_secret('fake-stripe-api-key')}",
        "HALOPOS_STRIPE_WEBHOOK_SECRET": f"whsec_{demo_secret('fake-stripe-webhook-secret')}",
        "HALOPOS_STRIPE_API_BASE": fake,
        "HALOPOS_STRIPE_PRICE_AUD": PRICE_AUD,
        "HALOPOS_STRIPE_PRICE_EUR": PRICE_EUR,
        "HALOPOS_FAKE_STRIPE_PUBLIC_URL": fake,
        # Stripe reaches the webhook through the gateway, as it would in production.
        "HALOPOS_FAKE_STRIPE_WEBHOOK_URL": (
            f"http://127.0.0.1:{GATEWAY_PORT}/v1/billing/webhooks/stripe"
        ),
        "HALOPOS_FAKE_STRIPE_STATE_FILE": str(STATE / "fake-stripe.json"),
    }


def start_processes(
    environment: dict[str, str], *, development: bool
) -> dict[str, subprocess.Popen[bytes]]:
    processes: dict[str, subprocess.Popen[bytes]] = {}
    if development and "HALOPOS_FAKE_STRIPE_PUBLIC_URL" in environment:
        processes["fake-stripe"] = subprocess.Popen(
            uvicorn_command("doubles.fake_stripe.app:create_app", FAKE_STRIPE_PORT),
            env=environment,
            cwd=REPO,
        )
        wait_healthy(f"http://127.0.0.1:{FAKE_STRIPE_PORT}/healthz", processes["fake-stripe"])
    for spec in SERVICES:
        processes[spec.name] = subprocess.Popen(
            uvicorn_command(f"services.{spec.name}.app:create_app", spec.default_port),
            env={**environment, "HALOPOS_METRICS_PORT": str(metrics_port(spec.default_port))},
            cwd=REPO,
        )
    for spec in SERVICES:
        wait_healthy(f"http://127.0.0.1:{spec.default_port}/healthz", processes[spec.name])
    processes["gateway"] = subprocess.Popen(
        uvicorn_command("gateway.app:create_app", GATEWAY_PORT),
        env={**environment, "HALOPOS_METRICS_PORT": str(metrics_port(GATEWAY_PORT))},
        cwd=REPO,
    )
    wait_healthy(f"http://127.0.0.1:{GATEWAY_PORT}/healthz", processes["gateway"])
    return processes


def stop_processes(processes: dict[str, subprocess.Popen[bytes]]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 10
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()


# What a production run must be given: without --development, `halopos run` makes up nothing
# (no demo tenants, no fake Stripe, no generated keys, secrets or role passwords).
PRODUCTION_SETTINGS = (
    "DATABASE_URL",
    *(f"HALOPOS_{name.upper()}_DATABASE_URL" for name in DATABASE_LOGINS),
    "HALOPOS_IDENTITY_SIGNING_KEY_FILES",
    "HALOPOS_IDENTITY_TOTP_KEY_FILE",
    "HALOPOS_WEBHOOKS_SECRET_KEY_FILE",
    "HALOPOS_AUDIT_SIGNING_KEY_FILE",
    "HALOPOS_PUBLIC_URL",
    "HALOPOS_BILLING_RETURN_URL",
    "HALOPOS_GATEWAY_SECRET",
    "HALOPOS_STRIPE_API_KEY",
    "HALOPOS_STRIPE_WEBHOOK_SECRET",
    "HALOPOS_STRIPE_PRICE_AUD",
    "HALOPOS_STRIPE_PRICE_EUR",
)


def missing_production_settings(environ: Mapping[str, str]) -> list[str]:
    return [name for name in PRODUCTION_SETTINGS if not environ.get(name)]


def development_environment(prepared: PreparedDatabase) -> dict[str, str]:
    """`make run`: generated keys and secrets in .state/, the demo tenants, the fake Stripe."""
    SigningKey.load_or_create(SIGNING_KEY_FILE)
    CheckpointSigner.load_or_create(AUDIT_KEY_FILE)
    asyncio.run(
        seed_demo_tenants(prepared.service_urls["identity"], prepared.service_urls["orders"])
    )
    return {
        **os.environ,
        **db.service_environment(prepared.service_urls),
        "HALOPOS_IDENTITY_SIGNING_KEY_FILES": str(SIGNING_KEY_FILE),
        "HALOPOS_IDENTITY_TOTP_KEY_FILE": str(ensure_totp_key()),
        "HALOPOS_WEBHOOKS_SECRET_KEY_FILE": str(ensure_webhooks_key()),
        # Webhook receivers on this machine (http://127.0.0.1:...), for trying integrations;
        # production sends only to https:// on public addresses.
        "HALOPOS_WEBHOOKS_ALLOW_LOOPBACK": "true",
        "HALOPOS_AUDIT_SIGNING_KEY_FILE": str(AUDIT_KEY_FILE),
        "HALOPOS_PUBLIC_URL": f"http://127.0.0.1:{GATEWAY_PORT}",
        "HALOPOS_BILLING_RETURN_URL": f"http://127.0.0.1:{GATEWAY_PORT}/backoffice/billing",
        "HALOPOS_BACKOFFICE_DIR": os.environ.get("HALOPOS_BACKOFFICE_DIR") or str(BACKOFFICE_DIST),
        "HALOPOS_POS_DIR": os.environ.get("HALOPOS_POS_DIR") or str(POS_DIST),
        # The gateway and every service share it: services believe forwarded addresses and
        # request ids only from requests that carry it (libs/api/request_context.py).
        "HALOPOS_GATEWAY_SECRET": os.environ.get("HALOPOS_GATEWAY_SECRET") or gateway_secret(),
        **stripe_environment(),
    }


def run_platform(*, development: bool) -> int:
    """Every process of the platform. `development` (what `make run` passes): an embedded
    Postgres unless DATABASE_URL is set, and everything a checkout needs made up for it.
    Otherwise every setting comes from the environment, and a missing one is a refusal."""
    if not development:
        missing = missing_production_settings(os.environ)
        if missing:
            print(
                "halopos run: refusing to start without "
                + ", ".join(missing)
                + ". A production run makes up no database, keys, secrets, demo tenants or "
                "Stripe; for a local development platform use `make run` "
                "(halopos run --development).",
                file=sys.stderr,
            )
            return 2
    prepared = prepare_database("halopos")
    environment = development_environment(prepared) if development else dict(os.environ)
    stopping = False

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        processes = start_processes(environment, development=development)
        if development:
            _print_banner(prepared, fake_stripe="HALOPOS_FAKE_STRIPE_PUBLIC_URL" in environment)
        while not stopping:
            exited = [name for name, p in processes.items() if p.poll() is not None]
            if exited:
                print(f"halopos: {', '.join(exited)} exited; stopping", file=sys.stderr)
                return 1
            time.sleep(0.5)
        return 0
    finally:
        print("halopos: stopping", file=sys.stderr)
        stop_processes(processes)
        if prepared.embedded is not None:
            prepared.embedded.stop()


def _print_banner(prepared: PreparedDatabase, *, fake_stripe: bool) -> None:
    base = f"http://127.0.0.1:{GATEWAY_PORT}"
    where = "embedded Postgres (.state/pg)" if prepared.embedded else "DATABASE_URL"
    lines = [
        "",
        "halopos is running",
        f"  gateway       {base}  (health: {base}/healthz)",
        f"  OpenAPI       {base}/openapi.json",
        f"  backoffice    {base}/backoffice/  (each business's sign-in link below)",
        f"  till          {base}/pos/  (activate it with a code from the backoffice's Devices)",
        f"  database      {where}",
        "  Stripe        "
        + (
            f"local fake at http://127.0.0.1:{FAKE_STRIPE_PORT} (HALOPOS_STRIPE_API_KEY not set)"
            if fake_stripe
            else "Stripe's API (HALOPOS_STRIPE_API_KEY)"
        ),
        f"  metrics       http://127.0.0.1:{METRICS_PORT_BASE}/metrics (gateway; services on "
        f"{METRICS_PORT_BASE + 1}-{METRICS_PORT_BASE + len(SERVICES)}, loopback only)",
        "  demo tenants",
    ]
    for demo in DEMO_TENANTS:
        lines.append(
            f"    {demo.key}  {demo.name} ({REGIONS[demo.region]}, {demo.currency}, "
            f"{demo.time_zone})  business {demo.tenant_id}  location {demo.location_id}"
        )
        lines.append(f"        sign in    {base}/backoffice/?business={demo.tenant_id}")
        for person in demo_staff(demo):
            secrets = [f"password {person.password}"] if person.password else []
            secrets += [f"PIN {person.pin}"] if person.pin else []
            lines.append(
                f"        {person.role:<10} {person.email}  staff {person.staff_id}  "
                + ", ".join(secrets)
            )
    lines += [
        "  demo path (another terminal): activate a till with a code, PIN sign-in, sell with DPoP",
        "    make demo            # or: make demo TENANT=eu; the steps are in clients/demo.py",
        "  Ctrl-C stops everything.",
        "",
    ]
    print("\n".join(lines), flush=True)
