"""Every request leaves an access-log line and a metric, named by route template only."""

from __future__ import annotations

import logging
import socket
import urllib.request
import uuid

import httpx
import pytest
from prometheus_client import REGISTRY

from libs.api.observability import start_metrics_server
from libs.rbac import Role
from tests.conftest import LiveStack
from tests.support.database import Provision
from tests.support.tokens import TokenFactory


def requests_seen(service: str, route: str, status: str) -> float:
    labels = {"service": service, "method": "GET", "route": route, "status": status}
    return REGISTRY.get_sample_value("halopos_http_request_duration_seconds_count", labels) or 0


async def test_requests_are_logged_and_counted_by_route_template(
    live_stack: LiveStack,
    token: TokenFactory,
    provision: Provision,
    caplog: pytest.LogCaptureFixture,
) -> None:
    tenant = await provision()
    missing = uuid.uuid4()
    before = {
        layer: requests_seen(layer, "/v1/orders/{order_id}", "404")
        for layer in ("gateway", "orders")
    }
    caplog.set_level(logging.INFO, logger="halopos.access")
    cashier = token(tenant, Role.CASHIER)
    async with httpx.AsyncClient(base_url=live_stack.gateway) as client:
        response = await client.get(
            f"/v1/orders/{missing}?limit=1",
            headers={"x-request-id": "obs-test-000001"},
            auth=cashier,
        )
    assert response.status_code == 404
    for layer in ("gateway", "orders"):
        assert requests_seen(layer, "/v1/orders/{order_id}", "404") == before[layer] + 1
    lines = [r for r in caplog.records if getattr(r, "fields", {}).get("status") == 404]
    assert {line.fields["route"] for line in lines} == {"/v1/orders/{order_id}"}  # type: ignore[attr-defined]
    assert str(missing) not in caplog.text, "ids stay out of access logs"
    assert "limit=1" not in caplog.text
    # Credentials never reach a log line: not the token, not the single-use proof.
    assert cashier.access_token not in caplog.text
    assert response.request.headers["dpop"] not in caplog.text


def test_metrics_are_served_on_their_own_loopback_port(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("HALOPOS_METRICS_PORT", str(port))
    assert start_metrics_server() == port
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        assert b"halopos_http_request_duration_seconds" in response.read()


def test_no_metrics_server_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HALOPOS_METRICS_PORT", raising=False)
    assert start_metrics_server() is None


async def test_the_public_gateway_does_not_serve_metrics(live_stack: LiveStack) -> None:
    async with httpx.AsyncClient(base_url=live_stack.gateway) as client:
        assert (await client.get("/metrics")).status_code == 404
