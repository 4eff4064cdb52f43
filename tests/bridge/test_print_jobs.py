"""The print queue, as a venue's Bridge and its managers use it: leases, long polls woken by
NOTIFY, idempotent acknowledgements, retries and parking, expiry, and isolation between
locations and businesses."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from libs.auth.access_tokens import TokenVerifier
from libs.bridge.settings import PrintSettings
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from ops.platform import PreparedDatabase
from services.bridge.app import create_app
from services.bridge.print_jobs.wakeups import APPLICATION_NAME, PrintJobWakeups
from tests.conftest import _client
from tests.support.bridges import ESC_POS_HELLO, new_bridge_token, queue_job, until_listening
from tests.support.database import Connect, Provision, as_tenant
from tests.support.tills import new_location
from tests.support.tokens import TokenFactory

# Short leases so a test can let one run out; two attempts so parking is reached quickly.
SETTINGS = PrintSettings(lease_seconds=1, max_attempts=2, max_wait=10)
PAST_THE_LEASE = SETTINGS.lease_seconds + 0.2


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan (and so its NOTIFY listener) running, and a client for it."""
    async with app.router.lifespan_context(app), _client(app, "bridge") as client:
        yield client


@pytest.fixture(scope="module")
async def bridge_app(
    service_databases: dict[str, TenantDatabase], verifier: TokenVerifier
) -> FastAPI:
    return create_app(service_databases["bridge"], verifier, SETTINGS)


@pytest.fixture(scope="module")
async def bridge(bridge_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with running(bridge_app) as client:
        await until_listening(bridge_app.state.print_wakeups)
        yield client


@dataclass(frozen=True)
class Venue:
    tenant: uuid.UUID
    location_id: uuid.UUID
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def new_venue(connect_as: Connect, tenant: uuid.UUID) -> Venue:
    location_id = await new_location(connect_as, tenant)
    return Venue(tenant, location_id, await new_bridge_token(connect_as, tenant, location_id))


@pytest.fixture
async def venue(provision: Provision, connect_as: Connect) -> Venue:
    return await new_venue(connect_as, await provision())


Queue = Callable[..., Awaitable[uuid.UUID]]


@pytest.fixture
def queue(service_databases: dict[str, TenantDatabase]) -> Queue:
    """Queue a job at a venue, as the orders service does."""

    async def enqueue(venue: Venue, **fields: Any) -> uuid.UUID:
        return await queue_job(service_databases, venue.tenant, venue.location_id, **fields)

    return enqueue


async def poll(client: httpx.AsyncClient, venue: Venue, **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/v1/print-jobs", params=params, headers=venue.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["lease_seconds"] == SETTINGS.lease_seconds
    jobs: list[dict[str, Any]] = body["jobs"]
    return jobs


async def ack(
    client: httpx.AsyncClient,
    venue: Venue,
    job_id: uuid.UUID | str,
    attempt: int,
    status: str,
    reason: str | None = None,
) -> httpx.Response:
    return await client.post(
        f"/v1/print-jobs/{job_id}/ack",
        json={"attempt": attempt, "status": status, "reason": reason},
        headers=venue.headers,
    )


async def stored_job(connect_as: Connect, venue: Venue, job_id: uuid.UUID) -> asyncpg.Record:
    connection = await connect_as("bridge")
    async with as_tenant(connection, venue.tenant):
        row = await connection.fetchrow("SELECT * FROM bridge.print_jobs WHERE id = $1", job_id)
    assert row is not None
    return row


async def audit_trail(
    connect_as: Connect, venue: Venue, job_id: uuid.UUID
) -> list[tuple[str, dict[str, Any]]]:
    connection = await connect_as("bridge")
    async with as_tenant(connection, venue.tenant):
        rows = await connection.fetch(
            "SELECT action, payload FROM audit.events "
            "WHERE resource_type = 'print_job' AND resource_id = $1 ORDER BY seq",
            str(job_id),
        )
    return [(row["action"], json.loads(row["payload"])) for row in rows]


async def test_a_job_is_leased_with_its_bytes_and_delivered_again_when_the_lease_ends(
    bridge: httpx.AsyncClient, venue: Venue, queue: Queue, connect_as: Connect
) -> None:
    job_id = await queue(venue)

    [delivered] = await poll(bridge, venue)
    assert delivered["id"] == str(job_id)
    assert base64.b64decode(delivered["content_base64"]) == ESC_POS_HELLO
    assert (delivered["printer_role"], delivered["kind"], delivered["summary"]) == (
        "receipt",
        "receipt",
        "Receipt R1-000001",
    )
    assert delivered["attempt"] == 1
    stored = await stored_job(connect_as, venue, job_id)
    assert datetime.fromisoformat(delivered["lease_expires_at"]) == stored["available_at"]
    assert stored["leased_by"] is not None

    # Leased: invisible to every poll until the lease ends.
    assert await poll(bridge, venue) == []

    await asyncio.sleep(PAST_THE_LEASE)
    [again] = await poll(bridge, venue)
    assert (again["id"], again["attempt"]) == (str(job_id), 2)

    trail = await audit_trail(connect_as, venue, job_id)
    assert [action for action, _ in trail] == [
        "print_job.queued",
        "print_job.delivered",
        "print_job.delivered",
    ]
    assert trail[1][1] == {
        "attempt": 1,
        "printer_role": "receipt",
        "bridge_token_id": str(stored["leased_by"]),
    }
    assert trail[2][1]["attempt"] == 2


async def test_a_waiting_poll_answers_with_a_job_queued_while_it_waits(
    bridge: httpx.AsyncClient, venue: Venue, queue: Queue
) -> None:
    waiting = asyncio.create_task(poll(bridge, venue, wait=10))
    await asyncio.sleep(0.3)
    assert not waiting.done()
    job_id = await queue(venue)
    [delivered] = await waiting
    assert delivered["id"] == str(job_id)


async def test_a_waiting_poll_with_nothing_queued_answers_empty(
    bridge: httpx.AsyncClient, venue: Venue
) -> None:
    assert await poll(bridge, venue, wait=1) == []


async def test_a_queued_job_wakes_only_its_location(
    bridge_app: FastAPI, bridge: httpx.AsyncClient, venue: Venue, queue: Queue
) -> None:
    wakeups: PrintJobWakeups = bridge_app.state.print_wakeups
    with (
        wakeups.subscribe(venue.tenant, venue.location_id) as here,
        wakeups.subscribe(venue.tenant, uuid.uuid4()) as elsewhere,
    ):
        await queue(venue)
        await asyncio.wait_for(here.wait(), 10)
        assert not elsewhere.is_set()


async def test_the_listener_reconnects_after_losing_its_connection(
    bridge_app: FastAPI,
    bridge: httpx.AsyncClient,
    venue: Venue,
    queue: Queue,
    admin: asyncpg.Connection,
) -> None:
    wakeups: PrintJobWakeups = bridge_app.state.print_wakeups
    terminated = await admin.fetchval(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = current_database() AND application_name = $1",
        APPLICATION_NAME,
    )
    assert terminated >= 1
    for _ in range(100):
        await asyncio.sleep(0.05)
        if not wakeups.listening:
            break
    assert not wakeups.listening, "the lost connection went unnoticed"
    await until_listening(wakeups)
    with wakeups.subscribe(venue.tenant, venue.location_id) as woken:
        await queue(venue)
        await asyncio.wait_for(woken.wait(), 10)


async def test_printed_is_recorded_once_however_often_it_is_acknowledged(
    bridge: httpx.AsyncClient, venue: Venue, queue: Queue, connect_as: Connect
) -> None:
    job_id = await queue(venue)
    [delivered] = await poll(bridge, venue)
    for _ in range(2):
        response = await ack(bridge, venue, job_id, delivered["attempt"], "printed")
        assert response.status_code == 200, response.text
        assert response.json() == {
            "id": str(job_id),
            "status": "printed",
            "attempts": 1,
            "last_error": None,
        }
    stored = await stored_job(connect_as, venue, job_id)
    assert (stored["status"], stored["finished_at"] is not None) == ("printed", True)
    actions = [action for action, _ in await audit_trail(connect_as, venue, job_id)]
    assert actions.count("print_job.printed") == 1

    # Printed is final: a late failure report changes nothing, and it is never delivered again.
    assert (await ack(bridge, venue, job_id, 1, "failed", "jam")).json()["status"] == "printed"
    await asyncio.sleep(PAST_THE_LEASE)
    assert await poll(bridge, venue) == []


async def test_a_failure_for_a_superseded_delivery_changes_nothing(
    bridge: httpx.AsyncClient, venue: Venue, queue: Queue, connect_as: Connect
) -> None:
    job_id = await queue(venue)
    [first] = await poll(bridge, venue)
    await asyncio.sleep(PAST_THE_LEASE)
    [second] = await poll(bridge, venue)
    assert (first["attempt"], second["attempt"]) == (1, 2)
    before = await stored_job(connect_as, venue, job_id)

    response = await ack(bridge, venue, job_id, first["attempt"], "failed", "paper out")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "id": str(job_id),
        "status": "queued",
        "attempts": 2,
        "last_error": None,
    }
    assert await stored_job(connect_as, venue, job_id) == before
    actions = [action for action, _ in await audit_trail(connect_as, venue, job_id)]
    assert "print_job.failed" not in actions


async def test_failed_prints_are_retried_then_parked_for_a_manager_to_retry(
    bridge: httpx.AsyncClient,
    venue: Venue,
    queue: Queue,
    connect_as: Connect,
    admin: asyncpg.Connection,
    token: TokenFactory,
) -> None:
    job_id = await queue(venue)
    [first] = await poll(bridge, venue)
    response = await ack(bridge, venue, job_id, first["attempt"], "failed", "paper out")
    assert response.json() == {
        "id": str(job_id),
        "status": "queued",
        "attempts": 1,
        "last_error": "paper out",
    }
    # Held back for the retry delay (two seconds after a first failure)...
    stored = await stored_job(connect_as, venue, job_id)
    assert stored["available_at"] > stored["leased_at"]
    assert await poll(bridge, venue) == []
    # ...which the test skips instead of waiting for.
    await admin.execute("UPDATE bridge.print_jobs SET available_at = now() WHERE id = $1", job_id)

    [second] = await poll(bridge, venue)
    assert second["attempt"] == SETTINGS.max_attempts
    response = await ack(bridge, venue, job_id, second["attempt"], "failed", "cover open")
    assert response.json() == {
        "id": str(job_id),
        "status": "failed",
        "attempts": 2,
        "last_error": "cover open",
    }
    failures = [
        payload
        for action, payload in await audit_trail(connect_as, venue, job_id)
        if action == "print_job.failed"
    ]
    assert failures == [
        {"attempt": 1, "reason": "paper out", "parked": False},
        {"attempt": 2, "reason": "cover open", "parked": True},
    ]
    await admin.execute("UPDATE bridge.print_jobs SET available_at = now() WHERE id = $1", job_id)
    assert await poll(bridge, venue) == []

    manager = token(venue.tenant, Role.MANAGER)
    listed = await bridge.get("/v1/admin/print-jobs", params={"status": "failed"}, auth=manager)
    assert listed.status_code == 200, listed.text
    [parked] = [item for item in listed.json()["items"] if item["id"] == str(job_id)]
    assert parked["status"] == "failed"
    assert (parked["attempts"], parked["last_error"]) == (2, "cover open")
    assert parked["location_id"] == str(venue.location_id)
    assert parked["finished_at"] is not None
    assert not {"body", "content_base64"} & set(parked)

    retried = await bridge.post(f"/v1/admin/print-jobs/{job_id}/retry", json={}, auth=manager)
    assert retried.status_code == 200, retried.text
    assert retried.json()["status"] == "queued"
    assert (retried.json()["attempts"], retried.json()["finished_at"]) == (0, None)
    assert retried.json()["last_error"] == "cover open"
    [again] = await poll(bridge, venue)
    assert (again["id"], again["attempt"]) == (str(job_id), 1)

    # Queued (or printed) jobs are not retried.
    refused = await bridge.post(f"/v1/admin/print-jobs/{job_id}/retry", json={}, auth=manager)
    assert refused.status_code == 409
    assert refused.json()["code"] == "print-job-not-retryable"
    assert refused.json()["job_status"] == "queued"
    actions = [action for action, _ in await audit_trail(connect_as, venue, job_id)]
    assert actions.count("print_job.retried") == 1


async def test_a_job_never_acknowledged_is_parked_after_its_last_delivery(
    bridge: httpx.AsyncClient, venue: Venue, queue: Queue, connect_as: Connect
) -> None:
    job_id = await queue(venue)
    for attempt in range(1, SETTINGS.max_attempts + 1):
        [delivered] = await poll(bridge, venue)
        assert delivered["attempt"] == attempt
        await asyncio.sleep(PAST_THE_LEASE)
    assert await poll(bridge, venue) == []
    stored = await stored_job(connect_as, venue, job_id)
    assert stored["status"] == "failed"
    assert stored["last_error"] == "not acknowledged after 2 deliveries"
    [(action, payload)] = (await audit_trail(connect_as, venue, job_id))[-1:]
    assert (action, payload["parked"]) == ("print_job.failed", True)


async def test_an_expired_job_is_never_delivered(
    bridge: httpx.AsyncClient,
    venue: Venue,
    queue: Queue,
    connect_as: Connect,
    admin: asyncpg.Connection,
    token: TokenFactory,
) -> None:
    job_id = await queue(venue)
    await admin.execute(
        "UPDATE bridge.print_jobs SET expires_at = now() - interval '1 second' WHERE id = $1",
        job_id,
    )
    assert await poll(bridge, venue) == []
    stored = await stored_job(connect_as, venue, job_id)
    assert (stored["status"], stored["attempts"]) == ("expired", 0)
    assert stored["finished_at"] is not None
    actions = [action for action, _ in await audit_trail(connect_as, venue, job_id)]
    assert actions == ["print_job.queued", "print_job.expired"]

    # A manager may still want it printed: retried, it is as good as new.
    manager = token(venue.tenant, Role.MANAGER)
    retried = await bridge.post(f"/v1/admin/print-jobs/{job_id}/retry", json={}, auth=manager)
    assert retried.status_code == 200, retried.text
    assert datetime.fromisoformat(retried.json()["expires_at"]) > stored["expires_at"]
    [delivered] = await poll(bridge, venue)
    assert delivered["id"] == str(job_id)


async def test_a_late_printed_still_counts_for_an_expired_job(
    bridge: httpx.AsyncClient,
    venue: Venue,
    queue: Queue,
    connect_as: Connect,
    admin: asyncpg.Connection,
) -> None:
    job_id = await queue(venue)
    [delivered] = await poll(bridge, venue)
    await admin.execute(
        "UPDATE bridge.print_jobs SET expires_at = now() - interval '1 second' WHERE id = $1",
        job_id,
    )
    assert await poll(bridge, venue) == []
    assert (await stored_job(connect_as, venue, job_id))["status"] == "expired"

    response = await ack(bridge, venue, job_id, delivered["attempt"], "printed")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "printed"
    [(action, payload)] = (await audit_trail(connect_as, venue, job_id))[-1:]
    assert (action, payload["attempt"]) == ("print_job.printed", 1)


async def test_other_locations_and_businesses_never_see_a_venues_jobs(
    bridge: httpx.AsyncClient,
    venue: Venue,
    queue: Queue,
    connect_as: Connect,
    provision: Provision,
    token: TokenFactory,
) -> None:
    job_id = await queue(venue)
    down_the_road = await new_venue(connect_as, venue.tenant)
    other_business = await new_venue(connect_as, await provision())

    for outsider in (down_the_road, other_business):
        assert await poll(bridge, outsider) == []
        for status in ("printed", "failed"):
            response = await ack(bridge, outsider, job_id, 1, status)
            assert response.status_code == 404, response.text
            assert response.json()["code"] == "print-job-not-found"
    stranger = token(other_business.tenant, Role.MANAGER)
    listed = await bridge.get("/v1/admin/print-jobs", auth=stranger)
    assert str(job_id) not in {item["id"] for item in listed.json()["items"]}
    retried = await bridge.post(f"/v1/admin/print-jobs/{job_id}/retry", json={}, auth=stranger)
    assert retried.status_code == 404

    stored = await stored_job(connect_as, venue, job_id)
    assert (stored["status"], stored["attempts"]) == ("queued", 0)
    [delivered] = await poll(bridge, venue)
    assert delivered["id"] == str(job_id)


async def test_a_job_survives_a_restart_of_the_service(
    bridge: httpx.AsyncClient,
    venue: Venue,
    queue: Queue,
    database: PreparedDatabase,
    verifier: TokenVerifier,
) -> None:
    job_id = await queue(venue)
    # Leased by a process that then dies before acknowledging it.
    [first] = await poll(bridge, venue)

    restarted = TenantDatabase(database.service_urls["bridge"], pool_size=2)
    try:
        async with running(create_app(restarted, verifier, SETTINGS)) as client:
            assert await poll(client, venue) == []
            await asyncio.sleep(PAST_THE_LEASE)
            [again] = await poll(client, venue)
    finally:
        await restarted.dispose()
    assert (again["id"], again["attempt"]) == (str(job_id), first["attempt"] + 1)


async def test_a_bridge_leases_only_the_printer_roles_it_asks_for(
    bridge: httpx.AsyncClient, venue: Venue, queue: Queue
) -> None:
    receipt = await queue(venue)
    kitchen = await queue(venue, printer_role="kitchen", kind="kitchen_ticket", summary="T4")
    bar = await queue(venue, printer_role="bar", kind="kitchen_ticket", summary="T4 drinks")

    assert [job["id"] for job in await poll(bridge, venue, role="kitchen")] == [str(kitchen)]
    both = await poll(bridge, venue, role=["receipt", "bar"])
    assert [job["id"] for job in both] == [str(receipt), str(bar)]
    invalid = await bridge.get("/v1/print-jobs", params={"role": "fax"}, headers=venue.headers)
    assert invalid.status_code == 422


async def test_the_oldest_jobs_are_leased_first_up_to_the_limit(
    bridge: httpx.AsyncClient, venue: Venue, queue: Queue
) -> None:
    queued = [str(await queue(venue, summary=f"Receipt R1-00000{n}")) for n in range(3)]
    assert [job["id"] for job in await poll(bridge, venue, limit=2)] == queued[:2]
    assert [job["id"] for job in await poll(bridge, venue, limit=2)] == queued[2:]


async def test_people_cannot_poll_and_bridges_cannot_manage(
    bridge: httpx.AsyncClient, venue: Venue, token: TokenFactory
) -> None:
    owner = token(venue.tenant, Role.OWNER)
    assert (await bridge.get("/v1/print-jobs", auth=owner)).status_code == 403
    listed = await bridge.get("/v1/admin/print-jobs", headers=venue.headers)
    assert listed.status_code == 403
