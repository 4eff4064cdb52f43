"""A webhook receiver for the tests: a small HTTP server on loopback that verifies every
delivery with the Standard Webhooks reference library (`standardwebhooks`, written by others:
an independent check of our signing), answers with the statuses a test plans, and keeps each
message once by its `webhook-id`, as a receiver should. Every verified body is also held to
the merged OpenAPI document's `webhooks` schema for its type (what integrators generate their
types from): reading the events (`of_type`) fails while any body did not match, so a payload
that changes without the document fails the test that sent it."""

from __future__ import annotations

import asyncio
import functools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs
import standardwebhooks
from aiohttp import web

from tests.fuzz.stack import merged_openapi_document


@functools.cache
def _documented_bodies() -> dict[str, Any]:
    """Per event type, a validator of the body the document declares for its `post`."""
    document = merged_openapi_document()
    validators = {}
    for event_type, item in document["webhooks"].items():
        schema = item["post"]["requestBody"]["content"]["application/json"]["schema"]
        root = {**schema, "components": document["components"]}
        validators[event_type] = jsonschema_rs.Draft202012Validator(root, validate_formats=True)
    return validators


def undocumented(body: bytes) -> list[str]:
    """How a delivered body differs from the document (nothing: it matches)."""
    event = json.loads(body)
    validator = _documented_bodies().get(event.get("type"))
    if validator is None:
        return [f"{event.get('type')!r} is not in the document's webhooks"]
    return [
        f"{event['type']}{error.instance_path}: {error.message}"
        for error in validator.iter_errors(event)
    ]


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified_with: list[int]  # which of the receiver's secrets verified it (by position)
    status: int


@dataclass
class Receiver:
    """`secrets`: what the receiver was given (a rotation adds one). `plan`: the statuses to
    answer, in order, before answering 200 to everything."""

    secrets: list[str] = field(default_factory=list)
    plan: list[int] = field(default_factory=list)
    requests: list[Received] = field(default_factory=list)
    # Each message once, by webhook-id, in the order first accepted.
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    # How verified bodies differed from the document's `webhooks` (see the module's doc).
    mismatches: list[str] = field(default_factory=list)
    url: str = ""

    def verifying(self, body: bytes, headers: dict[str, str]) -> list[int]:
        valid = []
        for position, secret in enumerate(self.secrets):
            try:
                standardwebhooks.Webhook(secret).verify(body, headers)
            except standardwebhooks.WebhookVerificationError:
                continue
            valid.append(position)
        return valid

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        headers = {name.lower(): value for name, value in request.headers.items()}
        verified = self.verifying(body, headers)
        status = self.plan.pop(0) if self.plan else 200
        if not verified:
            status = 401
        else:
            self.mismatches.extend(undocumented(body))
        self.requests.append(Received(headers, body, verified, status))
        if 200 <= status < 300:
            self.events.setdefault(headers["webhook-id"], json.loads(body))
        return web.Response(status=status, text="ok" if status < 300 else "not now")

    def of_type(self, event_type: str) -> list[dict[str, Any]]:
        assert not self.mismatches, (
            f"bodies the OpenAPI document does not declare: {self.mismatches}"
        )
        return [event for event in self.events.values() if event["type"] == event_type]


async def serve(receiver: Receiver) -> web.AppRunner:
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server = site._server
    assert server is not None and server.sockets
    port = server.sockets[0].getsockname()[1]
    receiver.url = f"http://127.0.0.1:{port}/hook"
    return runner


async def until(condition: Callable[[], bool], *, within: float = 15.0) -> None:
    """Wait for the worker (polling every few milliseconds); fail after `within` seconds.
    Nothing is asserted about how long it took."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the webhook worker did not get there in time")
        await asyncio.sleep(0.02)
