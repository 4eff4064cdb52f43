"""Test fixtures: one real Postgres per run (embedded unless DATABASE_URL is set), a fresh
database migrated once, and connections as the services' own roles, never as a superuser
(a superuser bypasses row-level security, so tests run that way would prove nothing)."""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from libs.api.app import KEEP_ALIVE_SECONDS
from libs.api.openapi import ResponseRecord, record_responses, undeclared
from libs.audit.checkpoints import CheckpointSigner
from libs.auth.access_tokens import TokenVerifier
from libs.auth.keys import RemoteKeySource, StaticKeySource
from libs.config import SERVICES, platform_settings
from libs.rbac.matrix import find_route
from libs.tenancy.database import TenantDatabase
from ops.platform import PreparedDatabase, prepare_database
from services.audit.settings import AuditSettings
from services.identity.keys.signing import SigningKey, jwks_document
from services.webhooks.settings import WebhookSettings
from tests.support.database import Connect, Provision
from tests.support.tokens import TokenFactory, token_factory

# The gateway and the services under test share a secret, as in every run: a service believes
# forwarding headers only from requests that carry it (libs/api/request_context.py).
os.environ.setdefault("HALOPOS_GATEWAY_SECRET", secrets.token_urlsafe(32))
# Encrypts TOTP secrets at rest in the identity service under test.
TOTP_KEY = os.urandom(32)
# Signs the audit service's checkpoints under test; periodic signing is driven by the tests.
AUDIT_SIGNER = CheckpointSigner.generate()
AUDIT_SETTINGS = AuditSettings(checkpoint_interval=0)
# Encrypts webhook endpoints' signing secrets in the webhooks service under test. Its worker
# retries within a fraction of a second (the schedule's shape is the production one, its
# waits are not), sends to receivers on loopback, and gives up on an endpoint after two
# messages in a row failed every attempt.
WEBHOOKS_KEY = os.urandom(32)
WEBHOOKS_SETTINGS = WebhookSettings(
    webhooks_retry_schedule=(0.05,) * 7,
    webhooks_retry_jitter=0,
    webhooks_poll_interval=0.05,
    webhooks_send_timeout=5,
    webhooks_allow_loopback=True,
    webhooks_disable_after_failed_messages=2,
)
TEST_DATABASE = os.environ.get("HALOPOS_TEST_DATABASE", "halopos_test")


# Every response every app made by the tests sends, held at the end of the run to the merged
# OpenAPI document: a problem code, status or header a route sends but does not declare fails
# the run (libs/api/openapi.py). On from the start, so every app the fixtures build records.
RESPONSES = ResponseRecord()
record_responses(RESPONSES)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not RESPONSES.sent:
        return
    from tests.fuzz.stack import merged_openapi_document

    found = undeclared(RESPONSES.sent, merged_openapi_document(), find_route)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and session.config.getoption("verbose") > 0:
        reporter.write_line(
            f"{len(RESPONSES.sent)} distinct responses held to the OpenAPI document"
        )
    if found:
        lines = "\n".join(f"  {line}" for line in found)
        message = (
            f"\n{len(found)} response(s) sent but not declared in the OpenAPI document "
            f"(declare them with `problems(...)`/`sends(...)` on the route):\n{lines}\n"
        )
        if reporter is not None:
            reporter.write_line(message, red=True)
        else:
            print(message)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# The fixture every way to Postgres goes through: the session's database, prepared (and, without
# DATABASE_URL, an embedded server started) only when a selected test asks for it.
DATABASE_FIXTURE = "database"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `db` every test that reaches Postgres through its fixtures, however indirectly
    (`fixturenames` is the whole closure: `orders_client` -> `service_databases` -> `database`),
    so a new database test cannot forget the mark and `-m "not db"` never starts Postgres."""
    for item in items:
        if DATABASE_FIXTURE in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


@pytest.fixture(scope="session")
def database() -> Iterator[PreparedDatabase]:
    prepared = prepare_database(TEST_DATABASE, fresh=True)
    yield prepared
    if prepared.embedded is not None:
        prepared.embedded.stop()


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return SigningKey.generate()


@pytest.fixture(scope="session")
def verifier(signing_key: SigningKey) -> TokenVerifier:
    settings = platform_settings()
    return TokenVerifier(
        keys=StaticKeySource(jwks_document([signing_key])),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )


@pytest.fixture(scope="session")
def provision(service_databases: dict[str, TenantDatabase]) -> Provision:
    """Creates a real tenant (every tenant-scoped row references the tenant registry)."""
    from services.identity.tenants.service import OPERATOR, create_tenant
    from services.orders.provisioning import provision_orders

    async def new_tenant(region: str = "au") -> uuid.UUID:
        tenant = await create_tenant(
            service_databases["identity"],
            name=f"Test venue {uuid.uuid4().hex[:8]}",
            region=region,
            currency="AUD" if region == "au" else "EUR",
        )
        await provision_orders(
            service_databases["orders"],
            tenant_id=tenant.tenant_id,
            region=tenant.region,
            currency=tenant.currency,
            actor=OPERATOR,
        )
        return tenant.tenant_id

    return new_tenant


@pytest.fixture(scope="session")
def token(signing_key: SigningKey) -> TokenFactory:
    """An httpx auth for a DPoP-bound access token on a fresh device key, as the identity
    service would issue it: pass it as `auth=` and every request gets its own proof."""
    return token_factory(signing_key)


@pytest.fixture
async def connect_as(database: PreparedDatabase) -> AsyncIterator[Connect]:
    """Raw asyncpg connections as a service's own login role (bypassing every repository)."""
    opened: list[asyncpg.Connection] = []

    async def connect(service: str) -> asyncpg.Connection:
        connection = await asyncpg.connect(database.service_urls[service])
        role = await connection.fetchrow(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        assert role is not None
        assert not role["rolsuper"], "RLS tests must not run as a superuser"
        assert not role["rolbypassrls"], "RLS tests must not run as a BYPASSRLS role"
        opened.append(connection)
        return connection

    yield connect
    for connection in opened:
        await connection.close()


@pytest.fixture
async def admin(database: PreparedDatabase) -> AsyncIterator[asyncpg.Connection]:
    """The migration (admin) connection: for reading the catalog and arranging data only."""
    connection = await asyncpg.connect(database.admin_url)
    yield connection
    await connection.close()


@pytest.fixture(scope="session")
async def service_databases(
    database: PreparedDatabase,
) -> AsyncIterator[dict[str, TenantDatabase]]:
    databases = {
        name: TenantDatabase(url, pool_size=10) for name, url in database.service_urls.items()
    }
    yield databases
    for tenant_database in databases.values():
        await tenant_database.dispose()


def _client(app: FastAPI, name: str) -> httpx.AsyncClient:
    # Clients see the 500 problem response; Starlette re-raises only for the server's log.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url=f"http://{name}")


@pytest.fixture(scope="session")
async def orders_client(
    service_databases: dict[str, TenantDatabase], verifier: TokenVerifier
) -> AsyncIterator[httpx.AsyncClient]:
    from services.orders.app import create_app

    async with _client(create_app(service_databases["orders"], verifier), "orders") as client:
        yield client


@pytest.fixture(scope="session")
async def identity_client(
    service_databases: dict[str, TenantDatabase], signing_key: SigningKey
) -> AsyncIterator[httpx.AsyncClient]:
    from services.identity.app import create_app

    app = create_app(service_databases["identity"], [signing_key], TOTP_KEY)
    async with _client(app, "identity") as client:
        yield client


@pytest.fixture(scope="session")
async def audit_client(
    service_databases: dict[str, TenantDatabase], verifier: TokenVerifier
) -> AsyncIterator[httpx.AsyncClient]:
    from services.audit.app import create_app

    app = create_app(service_databases["audit"], verifier, AUDIT_SIGNER, AUDIT_SETTINGS)
    async with _client(app, "audit") as client:
        yield client


@pytest.fixture(scope="session")
async def reports_client(
    service_databases: dict[str, TenantDatabase], verifier: TokenVerifier
) -> AsyncIterator[httpx.AsyncClient]:
    from services.reports.app import create_app

    async with _client(create_app(service_databases["reports"], verifier), "reports") as client:
        yield client


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class LiveStack:
    gateway: str
    services: dict[str, str]
    apps: dict[str, FastAPI]


async def _serve(app: FastAPI, port: int) -> tuple[uvicorn.Server, asyncio.Task[None]]:
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        proxy_headers=False,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,  # as `make run` (ops/platform.py)
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    return server, task


@pytest.fixture(scope="session")
async def live_stack(
    service_databases: dict[str, TenantDatabase], signing_key: SigningKey
) -> AsyncIterator[LiveStack]:
    """Every service and the gateway on real sockets; verifiers fetch the identity service's
    JWKS over HTTP, as in production."""
    from gateway.app import create_app as create_gateway
    from services.audit.app import create_app as create_audit
    from services.billing.app import create_app as create_billing
    from services.bridge.app import create_app as create_bridge
    from services.identity.app import create_app as create_identity
    from services.orders.app import create_app as create_orders
    from services.reports.app import create_app as create_reports
    from services.webhooks.app import create_app as create_webhooks

    ports = {spec.name: _free_port() for spec in SERVICES}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    settings = platform_settings()

    def remote_verifier() -> TokenVerifier:
        return TokenVerifier(
            keys=RemoteKeySource(f"{urls['identity']}/.well-known/jwks.json"),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
        )

    apps = {
        "identity": create_identity(service_databases["identity"], [signing_key], TOTP_KEY),
        "orders": create_orders(service_databases["orders"], remote_verifier()),
        "audit": create_audit(
            service_databases["audit"], remote_verifier(), AUDIT_SIGNER, AUDIT_SETTINGS
        ),
        "reports": create_reports(service_databases["reports"], remote_verifier()),
        "billing": create_billing(service_databases["billing"], remote_verifier()),
        "bridge": create_bridge(service_databases["bridge"], remote_verifier()),
        "webhooks": create_webhooks(
            service_databases["webhooks"], remote_verifier(), WEBHOOKS_SETTINGS, WEBHOOKS_KEY
        ),
    }
    running = [await _serve(app, ports[name]) for name, app in apps.items()]
    gateway_port = _free_port()
    gateway = create_gateway(
        database=service_databases["gateway"], verifier=remote_verifier(), upstreams=urls
    )
    running.append(await _serve(gateway, gateway_port))
    yield LiveStack(gateway=f"http://127.0.0.1:{gateway_port}", services=urls, apps=apps)
    for server, _ in running:
        server.should_exit = True
    await asyncio.gather(*(task for _, task in running))


@pytest.fixture
def cli_environment(database: PreparedDatabase, monkeypatch: pytest.MonkeyPatch) -> None:
    """The `halopos` CLI's service logins, for operator commands run by a test."""
    monkeypatch.setenv("HALOPOS_IDENTITY_DATABASE_URL", database.service_urls["identity"])
    monkeypatch.setenv("HALOPOS_ORDERS_DATABASE_URL", database.service_urls["orders"])


def identity_app(client: httpx.AsyncClient) -> FastAPI:
    """The identity service app behind `identity_client`."""
    app: FastAPI = client._transport.app  # type: ignore[attr-defined]
    return app


@pytest.fixture
def fresh_sign_in_budget(identity_client: httpx.AsyncClient) -> Iterator[None]:
    """The default argon2 budget, unspent, for one test (the identity app outlives tests,
    and its budget with it: services/identity/sessions/budget.py)."""
    from services.identity.sessions.budget import SignInBudget

    app = identity_app(identity_client)
    before = getattr(app.state, "sign_in_budget", None)
    app.state.sign_in_budget = SignInBudget.from_environment()
    yield
    app.state.sign_in_budget = before


@pytest.fixture
def argon2_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every argon2 verification the test makes (the hash each was against): work is
    counted, never timed."""
    from argon2 import PasswordHasher

    calls: list[str] = []
    verify = PasswordHasher.verify

    def counted(self: PasswordHasher, stored: str | bytes, secret: str | bytes) -> Any:
        calls.append(str(stored))
        return verify(self, stored, secret)

    monkeypatch.setattr(PasswordHasher, "verify", counted)
    return calls
