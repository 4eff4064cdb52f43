"""The reference Bridge agent (services/bridge/agent/): against a fake cloud speaking the
print-job contract and a fake network printer, both on real sockets; then end to end, a sale
closed at a till through the gateway printed by the agent on the fake printer.

The agent runs as a task with a stop event. The tests wait for what the fakes receive or for
what the agent logs; none of them measures time."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import signal
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from doubles.printer import FakePrinter
from libs.rbac import Role
from services.bridge.agent import (
    AgentSettings,
    BridgeAgent,
    FilePrinter,
    NetworkPrinter,
    Printers,
    TokenRejected,
    parse_printer,
)
from services.bridge.agent.__main__ import JsonLines, parse_arguments
from services.bridge.agent.agent import Backoff, _retry_after
from tests.conftest import LiveStack, _free_port, _serve
from tests.support.database import Connect, Provision
from tests.support.tills import coffee_order, open_till
from tests.support.tokens import TokenFactory

# Starts processes or servers of its own: the reference agent against a fake cloud and
# printer, over real sockets and as a command.
# `-m "not process"` leaves it out.
pytestmark = pytest.mark.process

# How long a test waits for something before failing instead of hanging: a safety net, far
# above anything the agent needs, not a measurement.
GIVE_UP = 30.0
TOKEN = "hpb_" + "ab" * 16 + "_" + "s3cret" * 7


def delivered_job(
    content: bytes, *, role: str = "receipt", attempt: int = 1, register: int | None = 1
) -> dict[str, Any]:
    """A job as `GET /v1/print-jobs` delivers it."""
    return {
        "id": str(uuid.uuid4()),
        "printer_role": role,
        "kind": "receipt" if role == "receipt" else "kitchen_ticket",
        "summary": f"{role} {content[:12]!r}",
        "register_number": register,
        "attempt": attempt,
        "lease_expires_at": (datetime.now(UTC) + timedelta(seconds=30)).isoformat(),
        "content_base64": base64.b64encode(content).decode("ascii"),
    }


@dataclass
class FakeCloud:
    """The bridge service's polling contract, with scripted misbehaviour: `answers` are
    returned to the next polls instead of jobs, `ack_answers` to the next acks."""

    port: int = field(default_factory=_free_port)
    offered: list[dict[str, Any]] = field(default_factory=list)
    polls: list[Request] = field(default_factory=list)
    acks: asyncio.Queue[tuple[str, dict[str, Any]]] = field(default_factory=asyncio.Queue)
    ack_requests: int = 0
    answers: list[Response] = field(default_factory=list)
    ack_answers: list[Response] = field(default_factory=list)
    polled: asyncio.Event = field(default_factory=asyncio.Event)
    _job_offered: asyncio.Event = field(default_factory=asyncio.Event)
    _running: tuple[Any, asyncio.Task[None]] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def offer(self, *jobs: dict[str, Any]) -> None:
        self.offered.extend(jobs)
        self._job_offered.set()

    async def next_ack(self) -> tuple[str, dict[str, Any]]:
        return await asyncio.wait_for(self.acks.get(), GIVE_UP)

    async def start(self) -> FakeCloud:
        app = Starlette(
            routes=[
                Route("/v1/print-jobs", self._poll, methods=["GET"]),
                Route("/v1/print-jobs/{job_id}/ack", self._ack, methods=["POST"]),
            ]
        )
        self._running = await _serve(app, self.port)  # type: ignore[arg-type]
        return self

    async def stop(self) -> None:
        if self._running is not None:
            self._job_offered.set()  # releases waiting polls, so the server can stop
            server, task = self._running
            server.should_exit = True
            await task
            self._running = None

    def _refused(self, request: Request) -> Response | None:
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return problem(401, "invalid-bridge-token")
        return None

    async def _poll(self, request: Request) -> Response:
        self.polls.append(request)
        self.polled.set()
        if refused := self._refused(request):
            return refused
        if self.answers:
            return self.answers.pop(0)
        if not self.offered:
            self._job_offered.clear()
            wait = int(request.query_params.get("wait", "0"))
            with suppress(TimeoutError):
                await asyncio.wait_for(self._job_offered.wait(), wait)
        roles = request.query_params.getlist("role")
        jobs = [job for job in self.offered if not roles or job["printer_role"] in roles]
        self.offered = [job for job in self.offered if job not in jobs]
        return JSONResponse({"jobs": jobs, "lease_seconds": 30})

    async def _ack(self, request: Request) -> Response:
        self.ack_requests += 1
        if refused := self._refused(request):
            return refused
        if self.ack_answers:
            return self.ack_answers.pop(0)
        body = await request.json()
        self.acks.put_nowait((request.path_params["job_id"], body))
        status = body["status"]
        return JSONResponse(
            {
                "id": request.path_params["job_id"],
                "status": status,
                "attempts": body["attempt"],
                "last_error": body.get("reason"),
            }
        )


def problem(status: int, code: str, **headers: str) -> Response:
    return JSONResponse(
        {
            "type": f"https://halopos.dev/problems/{code}",
            "title": code,
            "status": status,
            "code": code,
        },
        status_code=status,
        media_type="application/problem+json",
        headers=headers,
    )


class AgentEvents(logging.Handler):
    """What the agent logs, as records to wait for, and as the JSON lines an operator reads."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: asyncio.Queue[logging.LogRecord] = asyncio.Queue()
        self.lines: list[str] = []
        self.setFormatter(JsonLines())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.put_nowait(record)
        self.lines.append(self.format(record))

    async def next(self, event: str, **fields: Any) -> logging.LogRecord:
        """The next record of `event` (with `fields`, if given), skipping any other."""
        async with asyncio.timeout(GIVE_UP):
            while True:
                record = await self.records.get()
                logged = vars(record)
                if record.getMessage() == event and all(
                    logged.get(name) == value for name, value in fields.items()
                ):
                    return record


@pytest.fixture
async def events() -> AsyncIterator[AgentEvents]:
    handler = AgentEvents()
    logger = logging.getLogger("halopos.bridge.agent")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(previous)


@pytest.fixture
async def printer() -> AsyncIterator[FakePrinter]:
    printer = await FakePrinter().start()
    yield printer
    await printer.stop()


@pytest.fixture
async def cloud() -> AsyncIterator[FakeCloud]:
    cloud = FakeCloud()
    yield cloud
    await cloud.stop()


def agent_for(url: str, *printers: str, token: str = TOKEN, wait: int = 1) -> BridgeAgent:
    """Short polls and backoffs, so a test is not slowed down by the agent's patience."""
    chosen = Printers()
    for text in printers:
        chosen.add(*parse_printer(text))
    settings = AgentSettings(
        url=url, token=token, wait=wait, backoff_initial=0.01, backoff_cap=0.05
    )
    return BridgeAgent(settings, chosen)


@asynccontextmanager
async def running(agent: BridgeAgent) -> AsyncIterator[asyncio.Task[None]]:
    """The agent's loop as a task; stopped (and its error, if any, raised) on leaving."""
    stop = asyncio.Event()
    task = asyncio.create_task(agent.run(stop))
    try:
        yield task
    finally:
        stop.set()
        await asyncio.wait_for(task, GIVE_UP)


# --- against the fake cloud --------------------------------------------------------------------


async def test_jobs_are_printed_in_order_and_acknowledged_with_their_attempt(
    cloud: FakeCloud, printer: FakePrinter, events: AgentEvents
) -> None:
    await cloud.start()
    first = delivered_job(b"\x1b@Receipt R1-000001\n\x1dV\x00", attempt=3)
    second = delivered_job(b"\x1b@Receipt R1-000002\n\x1dV\x00")
    kitchen = delivered_job(b"\x1b@2 x Flat white\n", role="kitchen")
    cloud.offer(first, second, kitchen)
    async with running(agent_for(cloud.url, f"receipt={printer.address}")):
        assert await printer.next_print() == b"\x1b@Receipt R1-000001\n\x1dV\x00"
        assert await printer.next_print() == b"\x1b@Receipt R1-000002\n\x1dV\x00"
        assert await cloud.next_ack() == (first["id"], {"attempt": 3, "status": "printed"})
        assert await cloud.next_ack() == (second["id"], {"attempt": 1, "status": "printed"})
        await events.next("job printed")
    # It polls with its token for the roles it has printers for: the kitchen ticket, which
    # it could not print, stays with the cloud for the Bridge that can.
    poll = cloud.polls[0]
    assert poll.headers["authorization"] == f"Bearer {TOKEN}"
    assert poll.query_params.getlist("role") == ["receipt"]
    assert poll.query_params["wait"] == "1"
    assert cloud.offered == [kitchen]
    assert printer.printed.empty()


async def test_a_register_with_its_own_receipt_printer_gets_its_receipts(
    cloud: FakeCloud, printer: FakePrinter, tmp_path: Path
) -> None:
    await cloud.start()
    second_till = await FakePrinter().start()
    kitchen_file = tmp_path / "kitchen.bin"
    try:
        cloud.offer(
            delivered_job(b"for register 1", register=1),
            delivered_job(b"for register 2", register=2),
            delivered_job(b"ticket one", role="kitchen", register=2),
            delivered_job(b"ticket two", role="kitchen", register=None),
        )
        agent = agent_for(
            cloud.url,
            f"receipt={printer.address}",
            f"receipt@2={second_till.address}",
            f"kitchen=file:{kitchen_file}",
        )
        async with running(agent):
            assert await printer.next_print() == b"for register 1"
            assert await second_till.next_print() == b"for register 2"
            for _ in range(4):
                assert (await cloud.next_ack())[1]["status"] == "printed"
    finally:
        await second_till.stop()
    assert kitchen_file.read_bytes() == b"ticket oneticket two"
    assert cloud.polls[0].query_params.getlist("role") == ["receipt", "kitchen"]


async def test_a_job_it_cannot_print_is_acknowledged_failed_with_why(
    cloud: FakeCloud, printer: FakePrinter
) -> None:
    await cloud.start()
    elsewhere = delivered_job(b"rung up at till 1", register=1)
    garbled = {**delivered_job(b"", register=2), "content_base64": "not base64!"}
    cloud.offer(elsewhere, garbled)
    # This Bridge has a receipt printer for till 2 only.
    async with running(agent_for(cloud.url, f"receipt@2={printer.address}")):
        assert await cloud.next_ack() == (
            elsewhere["id"],
            {
                "attempt": 1,
                "status": "failed",
                "reason": "this Bridge has no receipt printer at register 1",
            },
        )
        assert await cloud.next_ack() == (
            garbled["id"],
            {"attempt": 1, "status": "failed", "reason": "the job's content is not valid base64"},
        )
    assert printer.printed.empty()


async def test_a_printer_that_is_down_is_acknowledged_failed_then_printed_when_back(
    cloud: FakeCloud, printer: FakePrinter, events: AgentEvents
) -> None:
    await cloud.start()
    await printer.stop()
    job = delivered_job(b"\x1b@Receipt R1-000007\n")
    cloud.offer(job)
    async with running(agent_for(cloud.url, f"receipt={printer.address}")):
        job_id, ack = await cloud.next_ack()
        assert job_id == job["id"]
        assert ack["status"] == "failed"
        assert ack["attempt"] == 1
        assert f"127.0.0.1:{printer.port}" in ack["reason"]
        assert "cannot connect" in ack["reason"]
        failed = await events.next("job failed")
        assert failed.__dict__["acknowledged"] is True
        # The cloud offers it again later, as the next attempt; the printer is back.
        await printer.start()
        cloud.offer({**job, "attempt": 2})
        assert await printer.next_print() == b"\x1b@Receipt R1-000007\n"
        assert await cloud.next_ack() == (job["id"], {"attempt": 2, "status": "printed"})


async def test_the_agent_keeps_trying_while_the_cloud_is_away(
    cloud: FakeCloud, printer: FakePrinter, events: AgentEvents
) -> None:
    # Nothing listens on the cloud's port yet: connection refused, again and again.
    async with running(agent_for(cloud.url, f"receipt={printer.address}")) as agent:
        for _ in range(3):
            unavailable = await events.next("cloud unavailable")
            assert "ConnectError" in unavailable.__dict__["reason"]
        # Then it answers, overloaded at first.
        cloud.answers = [problem(503, "service-unavailable"), problem(502, "bad-gateway")]
        job = delivered_job(b"\x1b@after the outage\n")
        cloud.offer(job)
        await cloud.start()
        await events.next("cloud unavailable", reason="HTTP 503 service-unavailable")
        await events.next("cloud unavailable", reason="HTTP 502 bad-gateway")
        await events.next("cloud reachable again")
        assert await printer.next_print() == b"\x1b@after the outage\n"
        assert await cloud.next_ack() == (job["id"], {"attempt": 1, "status": "printed"})
        # It goes away again mid-day and comes back: the agent carries on.
        await cloud.stop()
        await events.next("cloud unavailable")
        await cloud.start()
        later = delivered_job(b"\x1b@later\n")
        cloud.offer(later)
        assert await printer.next_print() == b"\x1b@later\n"
        assert (await cloud.next_ack())[0] == later["id"]
        assert not agent.done()


async def test_too_many_requests_waits_at_least_what_retry_after_says(
    cloud: FakeCloud, printer: FakePrinter, events: AgentEvents
) -> None:
    await cloud.start()
    # The agent's own backoff here is at most 0.05 s; the cloud asks for a second.
    cloud.answers = [problem(429, "rate-limited", **{"Retry-After": "1"})]
    job = delivered_job(b"after the pause")
    cloud.offer(job)
    async with running(agent_for(cloud.url, f"receipt={printer.address}")):
        limited = await events.next("cloud unavailable")
        assert limited.__dict__["reason"] == "HTTP 429 rate-limited"
        assert limited.__dict__["retry_in_seconds"] >= 1
        assert await printer.next_print() == b"after the pause"


async def test_a_poll_already_waiting_with_the_token_is_waited_out_not_hammered(
    cloud: FakeCloud, printer: FakePrinter, events: AgentEvents
) -> None:
    """The gateway holds one poll per token (docs/bridge.md): another is answered 429
    `long-poll-in-progress` at once. The agent waits what Retry-After says each time, and
    without the outage backoff growing: the cloud is not down."""
    await cloud.start()
    busy = [problem(429, "long-poll-in-progress", **{"Retry-After": "1"}) for _ in range(2)]
    cloud.answers = [*busy, problem(429, "long-poll-in-progress", **{"Retry-After": "0"})]
    job = delivered_job(b"after the other poll")
    cloud.offer(job)
    async with running(agent_for(cloud.url, f"receipt={printer.address}")):
        for _ in range(3):
            waited = await events.next("another poll with this token is waiting")
            # Never at once: a Retry-After of 0 still pauses a second.
            assert waited.__dict__["retry_in_seconds"] == 1.0
        assert await printer.next_print() == b"after the other poll"
        assert await cloud.next_ack() == (job["id"], {"attempt": 1, "status": "printed"})
    # One poll per answer: refused three times, then the one that printed.
    assert len(cloud.polls) in (4, 5)


async def test_an_acknowledgement_that_fails_is_sent_again_and_the_job_printed_once(
    cloud: FakeCloud, printer: FakePrinter, events: AgentEvents
) -> None:
    await cloud.start()
    cloud.ack_answers = [problem(503, "service-unavailable"), problem(500, "internal-error")]
    job = delivered_job(b"once only")
    cloud.offer(job)
    async with running(agent_for(cloud.url, f"receipt={printer.address}")):
        assert await printer.next_print() == b"once only"
        assert await cloud.next_ack() == (job["id"], {"attempt": 1, "status": "printed"})
        assert (await events.next("job printed")).__dict__["acknowledged"] is True
    assert cloud.ack_requests == 3
    assert printer.printed.empty()


async def test_an_acknowledgement_the_cloud_refuses_for_good_is_not_repeated(
    cloud: FakeCloud, printer: FakePrinter, events: AgentEvents
) -> None:
    await cloud.start()
    cloud.ack_answers = [problem(404, "print-job-not-found")]
    cloud.offer(delivered_job(b"a job the cloud forgot"))
    async with running(agent_for(cloud.url, f"receipt={printer.address}")):
        assert await printer.next_print() == b"a job the cloud forgot"
        undelivered = await events.next("acknowledgement not delivered")
        assert undelivered.__dict__["reason"] == "HTTP 404 print-job-not-found"
        assert (await events.next("job printed")).__dict__["acknowledged"] is False
    assert cloud.ack_requests == 1


async def test_a_refused_token_stops_the_agent_without_hammering(
    cloud: FakeCloud, printer: FakePrinter, events: AgentEvents
) -> None:
    await cloud.start()
    cloud.offer(delivered_job(b"never printed"))
    agent = agent_for(cloud.url, f"receipt={printer.address}", token="hpb_revoked_token")
    with pytest.raises(TokenRejected, match="invalid-bridge-token"):
        await asyncio.wait_for(agent.run(asyncio.Event()), GIVE_UP)
    assert len(cloud.polls) == 1
    assert printer.printed.empty()
    await events.next("agent started")


async def test_a_stop_ends_a_long_poll_at_once(cloud: FakeCloud, printer: FakePrinter) -> None:
    await cloud.start()
    # A poll that would outlast the test's patience: a stop must abandon it, not wait it out.
    agent = agent_for(cloud.url, f"receipt={printer.address}", wait=int(GIVE_UP) * 10)
    stop = asyncio.Event()
    task = asyncio.create_task(agent.run(stop))
    await asyncio.wait_for(cloud.polled.wait(), GIVE_UP)
    stop.set()
    await asyncio.wait_for(task, GIVE_UP)
    assert task.exception() is None
    cloud.offer(delivered_job(b"after the stop"))  # lets the cloud's poll handler finish


async def test_the_logs_never_hold_the_token(
    cloud: FakeCloud, printer: FakePrinter, events: AgentEvents
) -> None:
    await cloud.start()
    await printer.stop()
    cloud.answers = [problem(503, "service-unavailable")]
    cloud.offer(delivered_job(b"fails: the printer is off"))
    async with running(agent_for(cloud.url, f"receipt={printer.address}")):
        await events.next("job failed")
    refused = agent_for(cloud.url, f"receipt={printer.address}", token=TOKEN + "x")
    with pytest.raises(TokenRejected):
        await refused.run(asyncio.Event())
    assert len(events.lines) >= 5
    for line in events.lines:
        entry = json.loads(line)
        assert {"time", "level", "event"} <= entry.keys()
        assert "s3cret" not in line
    assert "s3cret" not in repr(refused.settings)


async def test_the_command_stops_cleanly_on_sigterm_and_with_status_1_on_a_refused_token(
    cloud: FakeCloud, printer: FakePrinter
) -> None:
    await cloud.start()

    async def command(token: str) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "services.bridge.agent",
            "--url",
            cloud.url,
            "--printer",
            f"receipt={printer.address}",
            "--wait",
            "30",
            env={**os.environ, "HALOPOS_BRIDGE_TOKEN": token},
            stderr=asyncio.subprocess.PIPE,
        )

    agent = await command(TOKEN)
    await asyncio.wait_for(cloud.polled.wait(), GIVE_UP)
    agent.send_signal(signal.SIGTERM)
    _, logged = await asyncio.wait_for(agent.communicate(), GIVE_UP)
    assert agent.returncode == 0
    events = [json.loads(line)["event"] for line in logged.decode().splitlines()]
    assert events == ["agent started", "agent stopped"]

    refused = await command(TOKEN.replace("s3cret", "wrong!"))
    _, logged = await asyncio.wait_for(refused.communicate(), GIVE_UP)
    assert refused.returncode == 1
    last = json.loads(logged.decode().splitlines()[-1])
    assert last["level"] == "critical"
    assert "refused the Bridge token" in last["event"]
    assert last["code"] == "invalid-bridge-token"
    assert b"s3cret" not in logged and b"wrong!" not in logged
    cloud.offer(delivered_job(b"lets the abandoned poll finish"))


# --- the pieces -----------------------------------------------------------------------------------


def test_printers_are_named_by_role_register_and_address(tmp_path: Path) -> None:
    assert parse_printer("receipt=tcp://192.168.1.50:9100") == (
        "receipt",
        None,
        NetworkPrinter("192.168.1.50", 9100),
    )
    assert parse_printer("receipt@2=tcp://printer.local") == (
        "receipt",
        2,
        NetworkPrinter("printer.local", 9100),
    )
    assert parse_printer(f"kitchen=file:{tmp_path}/k.bin") == (
        "kitchen",
        None,
        FilePrinter(tmp_path / "k.bin"),
    )
    for wrong in (
        "receipt",
        "till=tcp://x",
        "receipt@0=tcp://x",
        "receipt@two=tcp://x",
        "receipt=http://x",
        "receipt=tcp://x:port",
        "bar=file:",
    ):
        with pytest.raises(ValueError):  # noqa: PT011 - each names its own problem
            parse_printer(wrong)


def test_the_token_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HALOPOS_BRIDGE_TOKEN", TOKEN)
    settings, printers, _ = parse_arguments(
        [
            "--url",
            "https://cloud",
            "--printer",
            "receipt=tcp://10.0.0.5",
            "--printer",
            "bar@3=tcp://10.0.0.6:9101",
        ]
    )
    assert settings.token == TOKEN
    assert settings.wait == 25
    assert printers.roles == ["receipt", "bar"]
    assert printers.for_job("bar", 3) == NetworkPrinter("10.0.0.6", 9101)
    assert printers.for_job("bar", 1) is None
    assert "s3cret" not in repr(settings)
    monkeypatch.delenv("HALOPOS_BRIDGE_TOKEN")
    for arguments in (
        ["--url", "https://cloud", "--printer", "receipt=tcp://x"],  # no token
        ["--url", "https://cloud", "--printer", "receipt=tcp://x", "--token", "not-a-bridge"],
        [
            "--url",
            "https://cloud",
            "--printer",
            "receipt=tcp://x",
            "--token",
            TOKEN,
            "--wait",
            "60",
        ],
        ["--url", "https://cloud", "--printer", "cash-drawer=tcp://x", "--token", TOKEN],
    ):
        with pytest.raises(SystemExit) as exited:
            parse_arguments(arguments)
        assert exited.value.code == 2


def test_backoff_doubles_with_jitter_up_to_the_cap_and_honours_retry_after() -> None:
    backoff = Backoff(1.0, 30.0)
    for ceiling in (1, 2, 4, 8, 16, 30, 30, 30):
        assert ceiling / 2 <= backoff.next_delay() <= ceiling
    assert backoff.next_delay(retry_after=120) == 120
    backoff.reset()
    assert backoff.next_delay() <= 1
    assert _retry_after("7") == 7
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past: now
    assert _retry_after("soon") is None
    assert _retry_after("nan") is None
    assert _retry_after("86400") == 600  # a broken header, not a plan


# --- end to end, through the gateway ---------------------------------------------------------


async def test_a_closed_sale_is_printed_by_the_agent_through_the_gateway(
    live_stack: LiveStack,
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    printer: FakePrinter,
    events: AgentEvents,
) -> None:
    tenant = await provision()
    till = await open_till(connect_as, token, tenant)
    owner = token(tenant, Role.OWNER)
    async with httpx.AsyncClient(base_url=live_stack.gateway) as gateway:
        created = await gateway.post(
            "/v1/admin/security/bridge-tokens",
            json={"location_id": str(till.location_id), "name": "Mac mini behind the bar"},
            auth=owner,
        )
        assert created.status_code == 201, created.text
        bridge_token = created.json()["token"]
        assert bridge_token.startswith("hpb_")

        order = await gateway.post("/v1/orders", json=coffee_order(till), auth=till.staff)
        assert order.status_code == 201, order.text
        paid = await gateway.post(
            f"/v1/orders/{order.json()['id']}/payments",
            json={"version": order.json()["version"], "tender": "card"},
            auth=till.staff,
        )
        assert paid.status_code == 201, paid.text
        closed = await gateway.post(
            f"/v1/orders/{order.json()['id']}/close",
            json={"version": paid.json()["order"]["version"]},
            auth=till.staff,
        )
        assert closed.status_code == 200, closed.text
        receipt_number = closed.json()["receipt"]["number"]

        agent = agent_for(
            live_stack.gateway, f"receipt={printer.address}", token=bridge_token, wait=5
        )
        async with running(agent):
            printed = await printer.next_print()
            record = await events.next("job printed")
        assert receipt_number.encode("ascii") in printed
        assert record.__dict__["acknowledged"] is True

        jobs = await gateway.get(
            "/v1/admin/print-jobs", params={"location_id": str(till.location_id)}, auth=owner
        )
        assert jobs.status_code == 200, jobs.text
        [job] = jobs.json()["items"]
        assert job["id"] == record.__dict__["job_id"]
        assert job["status"] == "printed"
        assert job["kind"] == "receipt"
        assert job["receipt_id"] == closed.json()["receipt"]["id"]
        assert job["attempts"] == 1
        assert printer.printed.empty()
