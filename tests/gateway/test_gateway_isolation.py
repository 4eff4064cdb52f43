"""One business's flood never stops another's printing or requests (issue 21, finding 3).

The gateway and the bridge service run on real sockets (loopback), the gateway with small
pools (8 ordinary connections, 8 for long-polls) so that a flood is a few dozen requests.
The other services are a stand-in that holds a request for as long as the test says
(`?hold=1`), so that a flood of ordinary requests stays in flight while the test looks.

Nothing here measures speed: a request "answered at once" is one answered while the flood it
is refused from is still held; GIVE_UP is a safety net against hanging, far below the 30 s a
held poll would wait.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route as StarletteRoute

from gateway.admission import GatewayLimits, InFlight, Limit, LongPollInProgress
from gateway.app import create_app as create_gateway
from libs.auth.access_tokens import TokenVerifier
from libs.bridge.settings import PrintSettings
from libs.config import SERVICES
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from services.bridge.app import create_app as create_bridge
from services.bridge.print_jobs import service as print_jobs
from tests.conftest import _free_port, _serve
from tests.support.bridges import new_bridge_token, queue_job, until_listening
from tests.support.database import Connect, Provision
from tests.support.gateway import trust_the_gateway
from tests.support.tills import new_location
from tests.support.tokens import TokenFactory

GIVE_UP = 15.0
# Polls wait up to 30 s: anything the test waits for must happen long before that.
WAIT = 30
SETTINGS = PrintSettings(max_wait=WAIT)
LIMITS = GatewayLimits(
    upstream_connections=8,
    concurrency_per_tenant=4,
    long_poll_connections=8,
    long_polls_per_location=3,
    long_polls_per_tenant=4,
)


@dataclass
class Holding:
    """Stands in for the services other than the bridge: answers at once, or (`?hold=1`)
    when `release` is set."""

    release: asyncio.Event = field(default_factory=asyncio.Event)
    held: int = 0

    async def answer(self, request: Request) -> JSONResponse:
        if request.query_params.get("hold"):
            self.held += 1
            await self.release.wait()
        return JSONResponse({"upstream": "stand-in"})


@dataclass
class Stack:
    gateway: str
    bridge: str
    gateway_app: FastAPI
    bridge_app: FastAPI
    holding: Holding

    @property
    def in_flight(self) -> InFlight:
        in_flight: InFlight = self.gateway_app.state.in_flight
        return in_flight

    def waiting_at(self, venue: Venue) -> int:
        waiting: int = self.bridge_app.state.print_wakeups.waiting(venue.tenant, venue.location)
        return waiting


@pytest.fixture
async def stack(
    service_databases: dict[str, TenantDatabase],
    verifier: TokenVerifier,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Stack]:
    # A waiting poll looks at the queue again only when woken or when its client leaves: the
    # periodic look would otherwise also notice a client gone, after a while.
    monkeypatch.setattr(print_jobs, "RECHECK_SECONDS", 3600.0)
    trust_the_gateway(monkeypatch)
    holding = Holding()
    stand_in = Starlette(
        routes=[StarletteRoute("/{path:path}", holding.answer, methods=["GET", "POST"])]
    )
    bridge_app = create_bridge(service_databases["bridge"], verifier, SETTINGS)
    ports = {"bridge": _free_port(), "stand-in": _free_port(), "gateway": _free_port()}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    running = [
        await _serve(bridge_app, ports["bridge"]),
        await _serve(stand_in, ports["stand-in"]),  # type: ignore[arg-type]
    ]
    await until_listening(bridge_app.state.print_wakeups)
    gateway_app = create_gateway(
        database=service_databases["gateway"],
        verifier=verifier,
        upstreams={
            spec.name: urls["bridge"] if spec.name == "bridge" else urls["stand-in"]
            for spec in SERVICES
        },
        limits=LIMITS,
    )
    running.append(await _serve(gateway_app, ports["gateway"]))
    yield Stack(urls["gateway"], urls["bridge"], gateway_app, bridge_app, holding)
    holding.release.set()
    for server, _ in running:
        server.should_exit = True
    await asyncio.gather(*(task for _, task in running))


@dataclass(frozen=True)
class Venue:
    tenant: uuid.UUID
    location: uuid.UUID
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def venue_with_token(
    connect_as: Connect, tenant: uuid.UUID, location: uuid.UUID | None = None
) -> Venue:
    location = location or await new_location(connect_as, tenant)
    return Venue(tenant, location, await new_bridge_token(connect_as, tenant, location))


Requesting = Coroutine[Any, Any, httpx.Response]


def http(base: str) -> httpx.AsyncClient:
    """Enough connections for a flood, and patience for a poll that waits."""
    return httpx.AsyncClient(
        base_url=base,
        timeout=httpx.Timeout(WAIT + 15.0),
        limits=httpx.Limits(max_connections=None, max_keepalive_connections=0),
    )


async def until(condition: Callable[[], bool], what: str) -> None:
    """Polls `condition` until it holds; fails (not hangs) if it never does."""
    try:
        async with asyncio.timeout(GIVE_UP):
            while not condition():  # noqa: ASYNC110 - state of other servers, not an event
                await asyncio.sleep(0.02)
    except TimeoutError:
        raise AssertionError(f"never happened: {what}") from None


async def until_answered(
    tasks: list[asyncio.Task[httpx.Response]], count: int
) -> list[httpx.Response]:
    """The answers of the first `count` of `tasks` to finish (the rest stay pending)."""
    await until(lambda: sum(task.done() for task in tasks) >= count, f"{count} answers")
    return [task.result() for task in tasks if task.done()]


def flood(count: int, request: Callable[[], Requesting]) -> list[asyncio.Task[httpx.Response]]:
    return [asyncio.create_task(request()) for _ in range(count)]


async def poll(client: httpx.AsyncClient, venue: Venue, wait: int = WAIT) -> httpx.Response:
    return await client.get("/v1/print-jobs", params={"wait": wait}, headers=venue.headers)


async def cancel(tasks: list[asyncio.Task[httpx.Response]]) -> None:
    """The clients of these requests go away (their connections close)."""
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def assert_refused(responses: list[httpx.Response], status: int, code: str) -> None:
    for response in responses:
        assert response.status_code == status, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == code
        assert int(response.headers["retry-after"]) >= 1


# -- the flood -------------------------------------------------------------------------------


async def test_one_business_flooding_leaves_another_printing_and_working(
    stack: Stack,
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    service_databases: dict[str, TenantDatabase],
) -> None:
    flooder, other = await provision(), await provision()
    front = await venue_with_token(connect_as, flooder)
    same_front = [await venue_with_token(connect_as, flooder, front.location) for _ in range(3)]
    back = [await venue_with_token(connect_as, flooder) for _ in range(1)]
    back.append(await venue_with_token(connect_as, flooder, back[0].location))
    bystander = await venue_with_token(connect_as, other)
    flooder_owner, other_owner = token(flooder, Role.OWNER), token(other, Role.OWNER)
    held: list[asyncio.Task[httpx.Response]] = []

    async with http(stack.gateway) as client:
        # A no-flood baseline: the bystander's poll and an ordinary request work.
        await queue_job(service_databases, other, bystander.location, summary="Before")
        before = await poll(client, bystander)
        assert before.status_code == 200, before.text
        assert [job["summary"] for job in before.json()["jobs"]] == ["Before"]

        # One token, twelve polls at once: one waits, eleven are answered at once.
        polls = flood(12, lambda: poll(client, front))
        refused = await until_answered(polls, 11)
        assert_refused(refused, 429, LongPollInProgress.code)
        held += [task for task in polls if not task.done()]
        assert len(held) == 1
        # More of the business's tokens: the venue's share, then the business's, is taken.
        held += [asyncio.create_task(poll(client, venue)) for venue in same_front[:2]]
        await until(lambda: stack.in_flight.count(f"long-poll:tenant:{flooder}") == 3, "3")
        at_front = await poll(client, same_front[2])
        assert_refused([at_front], 429, "too-many-long-polls")
        held.append(asyncio.create_task(poll(client, back[0])))
        await until(lambda: stack.in_flight.count(f"long-poll:tenant:{flooder}") == 4, "4")
        at_back = await poll(client, back[1])
        assert_refused([at_back], 429, "too-many-long-polls")
        # All four wait at the bridge service itself, holding nothing but their connection.
        await until(lambda: stack.waiting_at(front) == 3 and stack.waiting_at(back[0]) == 1, "")

        # Ordinary requests: twenty at once, four go upstream (and stay), sixteen are refused.
        ordinary = flood(
            20,
            lambda: client.get("/v1/orders", params={"hold": 1}, auth=flooder_owner),
        )
        refused = await until_answered(ordinary, 16)
        assert_refused(refused, 429, "too-many-concurrent-requests")
        await until(lambda: stack.holding.held == 4, "four held upstream")
        held_ordinary = [task for task in ordinary if not task.done()]
        assert len(held_ordinary) == 4

        # Meanwhile, the other business prints and works as before.
        await queue_job(service_databases, other, bystander.location, summary="During")
        during = await poll(client, bystander)
        assert during.status_code == 200, during.text
        assert [job["summary"] for job in during.json()["jobs"]] == ["During"]
        tokens = await client.get("/v1/admin/security/bridge-tokens", auth=other_owner)
        assert tokens.status_code == 200, tokens.text
        assert [item["location_id"] for item in tokens.json()["items"]] == [str(bystander.location)]
        stand_in = await client.get("/v1/orders", auth=other_owner)
        assert stand_in.status_code == 200, stand_in.text
        # ... and the flooder's own Bridge, already waiting, still gets its jobs.
        await queue_job(service_databases, flooder, front.location, summary="For the flooder")
        [woken] = await until_answered(held, 1)
        assert woken.status_code == 200, woken.text
        assert [job["summary"] for job in woken.json()["jobs"]] == ["For the flooder"]

        # The flood was held all along: the answers above did not wait for it to end.
        assert not any(task.done() for task in held_ordinary)
        assert sum(not task.done() for task in held) == 3
        stack.holding.release.set()
        for answer in await asyncio.gather(*held_ordinary):
            assert answer.status_code == 200, answer.text
        await cancel(held)
    # Every place is given back: by the answers, and by the polls whose clients left.
    await until(lambda: stack.in_flight.count(f"long-poll:tenant:{flooder}") == 0, "released")
    await until(lambda: stack.in_flight.count(f"ordinary:tenant:{flooder}") == 0, "released")


# -- a client that leaves --------------------------------------------------------------------


async def open_poll(base: str, venue: Venue) -> asyncio.StreamWriter:
    """A poll on a raw connection, so the test decides when its client goes away."""
    host, port = base.removeprefix("http://").split(":")
    _, writer = await asyncio.open_connection(host, int(port))
    writer.write(
        f"GET /v1/print-jobs?wait={WAIT} HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {venue.token}\r\n\r\n".encode()
    )
    await writer.drain()
    return writer


async def leave(writer: asyncio.StreamWriter) -> None:
    writer.close()
    await writer.wait_closed()


async def test_a_poll_whose_client_leaves_stops_at_the_gateway_and_the_service(
    stack: Stack, provision: Provision, connect_as: Connect
) -> None:
    venue = await venue_with_token(connect_as, await provision())
    tenant_polls = f"long-poll:tenant:{venue.tenant}"
    writer = await open_poll(stack.gateway, venue)
    await until(lambda: stack.in_flight.count(tenant_polls) == 1, "admitted")
    await until(lambda: stack.waiting_at(venue) == 1, "waiting at the service")

    await leave(writer)
    # The gateway cancels its upstream request; the service sees its client (the gateway)
    # go and stops waiting, 30 s before the poll would have ended.
    await until(lambda: stack.in_flight.count(tenant_polls) == 0, "released at the gateway")
    await until(lambda: stack.waiting_at(venue) == 0, "stopped at the service")

    # The token's place is free again: its next poll is not "in progress".
    async with http(stack.gateway) as client:
        again = await poll(client, venue, wait=0)
    assert again.status_code == 200, again.text


async def test_the_service_stops_a_poll_whose_client_left(
    stack: Stack, provision: Provision, connect_as: Connect
) -> None:
    """Called directly (no gateway in between), the service notices its client leave."""
    venue = await venue_with_token(connect_as, await provision())
    writer = await open_poll(stack.bridge, venue)
    await until(lambda: stack.waiting_at(venue) == 1, "waiting at the service")
    await leave(writer)
    await until(lambda: stack.waiting_at(venue) == 0, "stopped at the service")


# -- the counts themselves -------------------------------------------------------------------


def test_a_place_is_taken_under_every_limit_or_none() -> None:
    counts = InFlight()
    token_limit = Limit("token", 1, LongPollInProgress, 5)
    pool = Limit("pool", 2, LongPollInProgress, 5)
    first = counts.admit([token_limit, pool])
    with pytest.raises(LongPollInProgress):
        counts.admit([token_limit, pool])
    assert counts.count("pool") == 1, "a refused request takes no place"
    second = counts.admit([Limit("other token", 1, LongPollInProgress, 5), pool])
    first.release()
    first.release()  # idempotent: a place is given back once
    assert counts.count("pool") == 1
    assert counts.count("token") == 0
    second.release()
    assert counts.count("pool") == 0
