"""The gateway gives up an idle connection to a service before the service does. The other
way round, a service closes an idle connection just as the gateway sends a request on it, and
that request fails with "connection reset by peer": a 503 for a request nobody refused (it
failed a till's set-up in CI before this was set)."""

from __future__ import annotations

from gateway.forwarding import IDLE_SECONDS, AiohttpForwarder, HttpxForwarder
from libs.api.app import KEEP_ALIVE_SECONDS
from ops.platform import uvicorn_command


def test_the_gateway_lets_go_of_an_idle_connection_first() -> None:
    assert IDLE_SECONDS < KEEP_ALIVE_SECONDS


def test_make_run_and_the_test_platform_serve_with_that_keep_alive() -> None:
    command = uvicorn_command("services.orders.app:create_app", 8002)
    assert command[command.index("--timeout-keep-alive") + 1] == str(KEEP_ALIVE_SECONDS)


async def test_both_forwarders_pool_for_the_gateways_idle_time() -> None:
    forwarder = AiohttpForwarder()
    await forwarder.start()
    try:
        assert forwarder._session is not None
        connector = forwarder._session.connector
        assert connector is not None and connector._keepalive_timeout == IDLE_SECONDS
    finally:
        await forwarder.close()
    client = HttpxForwarder()
    try:
        assert client._client._transport._pool._keepalive_expiry == IDLE_SECONDS  # type: ignore[attr-defined]
    finally:
        await client.close()
