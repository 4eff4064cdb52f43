"""The owner's endpoints API through the gateway: the secret shown once, optimistic
concurrency, who may manage endpoints, the SSRF refusals, and another business's endpoints and
deliveries answered 404 (never confirmed to exist)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from libs.rbac import Role
from tests.conftest import LiveStack
from tests.support.database import Connect, Provision
from tests.support.sale import audit_rows, sold
from tests.support.tills import open_till
from tests.support.tokens import TokenFactory
from tests.support.webhooks import Receiver, until

URL = "https://hooks.example.com/halopos"


@pytest.fixture
async def gateway(live_stack: LiveStack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_stack.gateway, timeout=30) as client:
        yield client


async def _create(
    gateway: httpx.AsyncClient, owner: httpx.Auth, url: str, *types: str
) -> httpx.Response:
    return await gateway.post(
        "/v1/webhooks/endpoints",
        json={"url": url, "event_types": list(types or ("order.closed",))},
        auth=owner,
    )


@pytest.mark.parametrize(
    ("url", "code"),
    [
        # Not https (plain http is allowed for loopback only, and only in development).
        ("http://hooks.example.com/halopos", "endpoint-url-refused"),
        ("http://93.184.215.14/halopos", "endpoint-url-refused"),
        # Private, link-local (the cloud's metadata address), shared and unspecified addresses.
        ("https://10.1.2.3/halopos", "endpoint-url-refused"),
        ("https://192.168.0.10/halopos", "endpoint-url-refused"),
        ("https://172.16.5.4/halopos", "endpoint-url-refused"),
        ("https://169.254.169.254/latest/meta-data", "endpoint-url-refused"),
        ("https://100.64.0.1/halopos", "endpoint-url-refused"),
        ("https://0.0.0.0/halopos", "endpoint-url-refused"),
        ("https://[fd00::1]/halopos", "endpoint-url-refused"),
        ("https://[::ffff:10.0.0.1]/halopos", "endpoint-url-refused"),
        # A name that resolves to nothing.
        ("https://no-such-host.invalid/halopos", "endpoint-url-refused"),
        # Not a URL the schema accepts at all.
        ("ftp://hooks.example.com/halopos", "validation-failed"),
        ("https://user:secret@hooks.example.com/", "validation-failed"),
    ],
)
async def test_endpoint_urls_the_worker_must_not_reach_are_refused(
    gateway: httpx.AsyncClient, provision: Provision, token: TokenFactory, url: str, code: str
) -> None:
    owner = token(await provision(), Role.OWNER)
    refused = await _create(gateway, owner, url)
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == code
    listed = await gateway.get("/v1/webhooks/endpoints", auth=owner)
    assert listed.json()["items"] == []


async def test_the_secret_is_shown_once_and_changes_need_the_version(
    gateway: httpx.AsyncClient,
    provision: Provision,
    token: TokenFactory,
    connect_as: Connect,
    receiver: Receiver,
) -> None:
    tenant = await provision()
    owner = token(tenant, Role.OWNER)
    created = await _create(gateway, owner, receiver.url, "order.closed", "refund.issued")
    assert created.status_code == 201, created.text
    assert created.headers["cache-control"] == "no-store"
    endpoint = created.json()
    path = f"/v1/webhooks/endpoints/{endpoint['id']}"
    assert endpoint["event_types"] == ["order.closed", "refund.issued"]
    read = await gateway.get(path, auth=owner)
    assert read.status_code == 200 and "secret" not in read.json()
    assert read.headers["etag"] == '"1"'

    unversioned = await gateway.patch(path, json={"description": "Books"}, auth=owner)
    assert unversioned.status_code == 428
    changed = await gateway.patch(
        path,
        json={"description": "Books", "event_types": ["order.closed"]},
        headers={"If-Match": '"1"'},
        auth=owner,
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["version"], changed.json()["event_types"]) == (2, ["order.closed"])
    stale = await gateway.patch(path, json={"description": "Old", "version": 1}, auth=owner)
    assert stale.status_code == 409 and stale.json()["code"] == "version-conflict"
    refused = await gateway.patch(
        path, json={"url": "https://10.0.0.7/hook", "version": 2}, auth=owner
    )
    assert refused.status_code == 422 and refused.json()["code"] == "endpoint-url-refused"

    disabled = await gateway.post(f"{path}/disable", auth=owner)
    assert (disabled.json()["status"], disabled.json()["disabled_reason"]) == (
        "disabled",
        "by-owner",
    )
    deleted = await gateway.delete(path, auth=owner)
    assert deleted.status_code == 204
    assert (await gateway.get(path, auth=owner)).status_code == 404

    actions = [
        (row["resource_id"], row["payload"].get("after") or row["payload"].get("reason"))
        for action in ("updated", "disabled")
        for row in await audit_rows(connect_as, tenant, f"webhook_endpoint.{action}")
    ]
    assert actions == [
        (endpoint["id"], {"description": "Books", "event_types": ["order.closed"]}),
        (endpoint["id"], "by-owner"),
    ]
    assert len(await audit_rows(connect_as, tenant, "webhook_endpoint.deleted")) == 1


async def test_only_the_owner_manages_endpoints(
    gateway: httpx.AsyncClient, provision: Provision, token: TokenFactory
) -> None:
    tenant = await provision()
    for role in (Role.MANAGER, Role.CASHIER, Role.ACCOUNTANT):
        refused = await _create(gateway, token(tenant, role), URL)
        assert refused.status_code == 403, role
        listed = await gateway.get("/v1/webhooks/endpoints", auth=token(tenant, role))
        assert listed.status_code == 403, role
    types = await gateway.get("/v1/webhooks/event-types", auth=token(tenant, Role.OWNER))
    assert "order.closed" in [item["name"] for item in types.json()["items"]]


async def test_another_business_cannot_see_change_or_replay_your_endpoints(
    gateway: httpx.AsyncClient,
    provision: Provision,
    token: TokenFactory,
    connect_as: Connect,
    receiver: Receiver,
) -> None:
    tenant = await provision()
    owner = token(tenant, Role.OWNER)
    created = await _create(gateway, owner, receiver.url)
    endpoint = created.json()
    receiver.secrets = [endpoint["secret"]]
    till = await open_till(connect_as, token, tenant)
    await sold(gateway, till)
    await until(lambda: bool(receiver.events))
    path = f"/v1/webhooks/endpoints/{endpoint['id']}"
    page = await gateway.get(f"{path}/deliveries", auth=owner)
    [delivery] = page.json()["items"]

    other = token(await provision(), Role.OWNER)
    requests: list[tuple[str, str, dict[str, Any] | None]] = [
        ("GET", path, None),
        ("PATCH", path, {"description": "Mine now", "version": 1}),
        ("POST", f"{path}/disable", None),
        ("POST", f"{path}/enable", None),
        ("POST", f"{path}/rotate-secret", None),
        ("GET", f"{path}/deliveries", None),
        ("GET", f"{path}/deliveries/{delivery['id']}", None),
        ("POST", f"{path}/deliveries/{delivery['id']}/replay", None),
        ("DELETE", path, None),
    ]
    for method, target, body in requests:
        answer = await gateway.request(method, target, json=body, auth=other)
        assert answer.status_code == 404, (method, target, answer.text)
    assert (await gateway.get("/v1/webhooks/endpoints", auth=other)).json()["items"] == []
    # Nothing moved: still one delivery, one request to the receiver.
    still = await gateway.get(f"{path}/deliveries/{delivery['id']}", auth=owner)
    assert still.json()["attempt_count"] == 1
    assert len(receiver.requests) == 1
    # And a made-up id of one's own business is 404 too.
    missing = await gateway.get(f"/v1/webhooks/endpoints/{uuid.uuid4()}", auth=owner)
    assert missing.json()["code"] == "webhook-endpoint-not-found"
