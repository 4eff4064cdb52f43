"""A service whose database goes away under it: 503 database-unavailable with Retry-After,
one log line and no traceback, nothing changed, /readyz red and /healthz green, and back to
normal when the database returns.

The outage is real, at the network: the service reaches the real Postgres through a TCP relay
the test cuts (every open connection reset, new ones refused) and restores, as a Postgres
that stops and restarts on its port looks to a service (the embedded one keeps its port:
tests/ops/test_embedded_postgres.py). The shared Postgres itself keeps running for the
other tests."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
import uvicorn

from gateway.app import create_app as create_gateway
from gateway.forwarding import AiohttpForwarder
from libs.auth.access_tokens import TokenVerifier
from libs.config import SERVICES
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from ops.platform import PreparedDatabase
from tests.support.database import Connect, Provision, as_service
from tests.support.tokens import TokenFactory


class Relay:
    """Forwards a local port to Postgres until cut; restored on the same port."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port: int = probe.getsockname()[1]
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)

    async def cut(self) -> None:
        """Refuse new connections and reset every open one, as a stopped server does."""
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        await self._server.wait_closed()
        self._server = None

    async def _relay(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            server_r, server_w = await asyncio.open_connection(*self.target)
        except OSError:
            client_w.transport.abort()
            return
        self._writers |= {client_w, server_w}

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.transport.abort()

        try:
            await asyncio.gather(pump(client_r, server_w), pump(server_r, client_w))
        finally:
            self._writers -= {client_w, server_w}


def through(url: str, port: int) -> str:
    parts = urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    return urlunsplit(parts._replace(netloc=f"{credentials}@127.0.0.1:{port}"))


@pytest.fixture
async def relay(database: PreparedDatabase) -> AsyncIterator[tuple[Relay, str]]:
    url = database.service_urls["orders"]
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    relay = Relay(parts.hostname, parts.port)
    await relay.start()
    yield relay, through(url, relay.port)
    if relay._server is not None:
        await relay.cut()


async def test_a_database_outage_is_503_and_changes_nothing(
    relay: tuple[Relay, str],
    verifier: TokenVerifier,
    provision: Provision,
    token: TokenFactory,
    connect_as: Connect,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from services.orders.app import create_app

    cut, url = relay
    tenant = await provision()
    owner = token(tenant, Role.OWNER, subject="staff-owner")
    database = TenantDatabase(url, pool_size=2)
    app = create_app(database, verifier)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=True)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://orders") as client:
            before = await client.post(
                "/v1/menu/categories", json={"name": "Coffee", "position": 0}, auth=owner
            )
            assert before.status_code == 201, before.text
            assert (await client.get("/readyz")).status_code == 200

            await cut.cut()
            caplog.clear()
            with caplog.at_level(logging.WARNING):
                # The first request finds its pooled connection reset, the next one cannot
                # connect at all: both are the same answer.
                for name in ("Tea", "Juice"):
                    during = await client.post(
                        "/v1/menu/categories", json={"name": name, "position": 1}, auth=owner
                    )
                    assert during.status_code == 503, during.text
                    assert during.headers["content-type"] == "application/problem+json"
                    assert during.json()["code"] == "database-unavailable"
                    assert int(during.headers["retry-after"]) > 0
                    assert "127.0.0.1" not in during.text
            outage_lines = [r for r in caplog.records if "database-unavailable" in r.getMessage()]
            assert len(outage_lines) == 2, [r.getMessage() for r in caplog.records]
            assert all(r.exc_info is None for r in caplog.records), "no traceback is logged"

            ready = await client.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["code"] == "not-ready"
            assert (await client.get("/healthz")).status_code == 200

            await cut.start()
            after = await client.post(
                "/v1/menu/categories", json={"name": "Water", "position": 2}, auth=owner
            )
            # A pooled connection from before the outage may be found dead once more; the
            # pool then replaces them all, and the retry goes through.
            if after.status_code == 503:
                after = await client.post(
                    "/v1/menu/categories", json={"name": "Water", "position": 2}, auth=owner
                )
            assert after.status_code == 201, after.text
            assert (await client.get("/readyz")).status_code == 200
    finally:
        await database.dispose()

    names = await as_service(
        connect_as, "orders", tenant, "SELECT name FROM orders.menu_categories ORDER BY position"
    )
    assert [row["name"] for row in names] == ["Coffee", "Water"]
    audited = await as_service(
        connect_as,
        "orders",
        tenant,
        "SELECT count(*) AS n FROM audit.events WHERE action = 'menu_category.created'",
    )
    assert audited[0]["n"] == 2


async def test_the_gateway_passes_the_outage_through(
    relay: tuple[Relay, str],
    verifier: TokenVerifier,
    provision: Provision,
    token: TokenFactory,
    service_databases: dict[str, TenantDatabase],
) -> None:
    """The till sees the service's own answer: 503 database-unavailable and its Retry-After,
    not the gateway's service-unavailable (the service is up; its database is not)."""
    from services.orders.app import create_app

    cut, url = relay
    tenant = await provision()
    owner = token(tenant, Role.OWNER, subject="staff-owner")
    database = TenantDatabase(url, pool_size=2)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(database, verifier),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            proxy_headers=False,
        )
    )
    serving = asyncio.create_task(server.serve())
    forwarder = AiohttpForwarder()
    await forwarder.start()
    gateway = create_gateway(
        database=service_databases["gateway"],
        verifier=verifier,
        forwarder=forwarder,
        upstreams={spec.name: f"http://127.0.0.1:{port}" for spec in SERVICES},
    )
    transport = httpx.ASGITransport(app=gateway, raise_app_exceptions=True)
    try:
        while not server.started:
            assert not serving.done()
            await asyncio.sleep(0.02)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            await cut.cut()
            response = await client.post(
                "/v1/menu/categories", json={"name": "Tea", "position": 1}, auth=owner
            )
            assert response.status_code == 503, response.text
            assert response.json()["code"] == "database-unavailable"
            assert response.headers["retry-after"] == "5"
            assert (await client.get("/healthz")).status_code == 200
            ready = await client.get("/readyz")
            assert ready.status_code == 503
            assert "orders" in ready.json()["services"]
    finally:
        await forwarder.close()
        server.should_exit = True
        await serving
        await database.dispose()
