"""Spending DPoP proofs: exactly once per request, durably, and at most one commit for it.

A service spends the proof of a request that opens its tenant transaction as that
transaction's first statement (so it commits with the request's writes), the proof of any other
request in a short transaction before its handler runs, and the proof of a request that failed
in a short transaction before its answer (libs/api/authentication.py). The gateway only
remembers the proofs it has passed on; the services behind it are the durable authority.

The service-side cases run against a small app built with the services' own factory
(`create_service_app`), whose handlers look at the ledger from another connection while they
run. The gateway cases run on the real stack (`live_stack`), through the audit service.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any

import httpx
import jwt
import pytest
from fastapi import APIRouter, Depends, FastAPI, Request
from prometheus_client import REGISTRY
from pydantic import BaseModel
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncConnection

from clients.dpop import dpop_headers
from clients.session import DPoPAuth
from libs.api.app import create_service_app
from libs.api.authentication import CurrentPrincipal
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.auth import spent
from libs.auth.access_tokens import TokenVerifier
from libs.auth.dpop import InMemoryReplayCache
from libs.auth.keys import RemoteKeySource
from libs.auth.principal import Principal
from libs.auth.spent import SpentTokens
from libs.config import platform_settings
from libs.problems import Problem
from libs.rbac import Permission, Role
from libs.tenancy.database import TenantDatabase
from ops.platform import PreparedDatabase
from tests.conftest import LiveStack, _free_port, _serve
from tests.support.database import Connect, Provision, as_service, as_tenant
from tests.support.tokens import PUBLIC_URL, TokenFactory

UP_FRONT = "/v1/ledger-test/up-front"
IN_TRANSACTION = "/v1/ledger-test/in-transaction"
INDIRECT = "/v1/ledger-test/indirect"
EVENTS = "/v1/audit/events"  # through the gateway: a route with a tenant transaction
LEDGER_ROWS = (
    "SELECT namespace, xmin::text::bigint AS transaction FROM auth.spent_tokens WHERE jti = $1"
)


class Outcome(BaseModel):
    note: str = ""
    fail: bool = False
    hold_seconds: float = 0.0
    wait_for_gate: bool = False


class RefusedByHandler(Problem):
    status = 409
    code = "refused-by-handler"
    title = "The handler refused the request after its transaction opened"


@dataclass
class Runs:
    """What each handler run saw; a handler that did not run is not here."""

    seen: list[dict[str, Any]] = field(default_factory=list)
    started: asyncio.Event = field(default_factory=asyncio.Event)
    # Handlers asked to wait for it wait, holding their transaction open.
    gate: asyncio.Event = field(default_factory=asyncio.Event)

    def add(self, run: dict[str, Any]) -> None:
        self.seen.append(run)
        self.started.set()


@dataclass
class Ledger:
    client: httpx.AsyncClient
    database: TenantDatabase
    tenant: uuid.UUID
    owner: DPoPAuth
    runs: Runs


def jti_of(proof: str) -> str:
    jti: str = jwt.decode(proof, options={"verify_signature": False})["jti"]
    return jti


def signed(auth: DPoPAuth, method: str, path: str) -> dict[str, str]:
    """One request's headers, kept so that the very same proof can be sent again."""
    assert auth.access_token is not None
    return dpop_headers(auth.key, method, PUBLIC_URL + path, auth.access_token)


async def ledger_rows(connect_as: Connect, tenant: uuid.UUID, jti: str) -> list[Any]:
    """The proof's rows in the ledger, as committed: read on a connection of its own."""
    return await as_service(connect_as, "orders", tenant, LEDGER_ROWS, jti)


def through_another_dependency(connection: TenantConnection) -> AsyncConnection:
    return connection  # as routers build their repositories from it (`_audit(connection)`)


def ledger_app(
    database: TenantDatabase,
    verifier: TokenVerifier,
    connect_as: Connect,
    runs: Runs,
) -> FastAPI:
    router = APIRouter()

    @router.get(UP_FRONT, dependencies=[requires(Permission.AUDIT_READ)])
    async def up_front(request: Request, principal: CurrentPrincipal) -> dict[str, Any]:
        """No transaction of the request's own: the proof must be spent before this runs."""
        seen = await ledger_rows(connect_as, principal.tenant_id, jti_of(request.headers["dpop"]))
        runs.add({"route": "up-front", "committed_before": [dict(row) for row in seen]})
        return {}

    @router.post(IN_TRANSACTION, dependencies=[requires(Permission.AUDIT_READ)])
    async def in_transaction(
        body: Outcome, request: Request, connection: TenantConnection, principal: CurrentPrincipal
    ) -> dict[str, Any]:
        jti = jti_of(request.headers["dpop"])
        transaction = await connection.scalar(text("SELECT txid_current() % 4294967296"))
        runs.add(
            {
                "route": "in-transaction",
                "note": body.note,
                "transaction": transaction,
                "committed_before": await ledger_rows(connect_as, principal.tenant_id, jti),
            }
        )
        await asyncio.sleep(body.hold_seconds)
        if body.wait_for_gate:
            await runs.gate.wait()
        if body.fail:
            raise RefusedByHandler()
        return {"transaction": transaction}

    @router.get(INDIRECT, dependencies=[requires(Permission.AUDIT_READ)])
    async def indirect(
        connection: Annotated[AsyncConnection, Depends(through_another_dependency)],
    ) -> dict[str, Any]:
        runs.add({"route": "indirect"})
        return {"transaction": await connection.scalar(text("SELECT txid_current() % 4294967296"))}

    return create_service_app("ledger-test", [router], database=database, verifier=verifier)


@pytest.fixture
async def ledger(
    database: PreparedDatabase,
    verifier: TokenVerifier,
    connect_as: Connect,
    provision: Provision,
    token: TokenFactory,
) -> AsyncIterator[Ledger]:
    tenant_database = TenantDatabase(database.service_urls["orders"], pool_size=4)
    runs = Runs()
    app = ledger_app(tenant_database, verifier, connect_as, runs)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://ledger-test") as client:
        tenant = await provision()
        yield Ledger(client, tenant_database, tenant, token(tenant, Role.OWNER), runs)
    await tenant_database.dispose()


@contextmanager
def transactions(database: TenantDatabase) -> Iterator[Counter[str]]:
    """Commits and rollbacks on the database's connections while the block runs."""
    counts: Counter[str] = Counter()

    def committed(_connection: Any) -> None:
        counts["commit"] += 1

    def rolled_back(_connection: Any) -> None:
        counts["rollback"] += 1

    engine = database.engine.sync_engine
    event.listen(engine, "commit", committed)
    event.listen(engine, "rollback", rolled_back)
    try:
        yield counts
    finally:
        event.remove(engine, "commit", committed)
        event.remove(engine, "rollback", rolled_back)


def assert_refused_as_replay(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.json()["code"] == "invalid-dpop-proof"


# --- one durable write, in the request's own transaction ------------------------------------


async def test_a_request_with_a_transaction_spends_its_proof_in_it(
    ledger: Ledger, connect_as: Connect
) -> None:
    headers = signed(ledger.owner, "POST", IN_TRANSACTION)
    with transactions(ledger.database) as counts:
        response = await ledger.client.post(IN_TRANSACTION, json={}, headers=headers)
    assert response.status_code == 200, response.text
    (run,) = ledger.runs.seen
    assert run["committed_before"] == [], "spent in the request's transaction, not before it"
    rows = await ledger_rows(connect_as, ledger.tenant, jti_of(headers["DPoP"]))
    assert [dict(row) for row in rows] == [
        {"namespace": "dpop", "transaction": response.json()["transaction"]}
    ], "one row, written by the request's own transaction"
    assert counts == {"commit": 1}, "the request's one commit carries the spend"


async def test_a_route_that_opens_its_transaction_through_another_dependency_spends_in_it(
    ledger: Ledger, connect_as: Connect
) -> None:
    headers = signed(ledger.owner, "GET", INDIRECT)
    with transactions(ledger.database) as counts:
        response = await ledger.client.get(INDIRECT, headers=headers)
    assert response.status_code == 200, response.text
    rows = await ledger_rows(connect_as, ledger.tenant, jti_of(headers["DPoP"]))
    assert [row["transaction"] for row in rows] == [response.json()["transaction"]]
    assert counts == {"commit": 1}
    assert_refused_as_replay(await ledger.client.get(INDIRECT, headers=headers))
    assert len(ledger.runs.seen) == 1


async def test_a_replay_is_refused_in_the_transaction_and_nothing_else_runs(
    ledger: Ledger, connect_as: Connect
) -> None:
    headers = signed(ledger.owner, "POST", IN_TRANSACTION)
    first = await ledger.client.post(IN_TRANSACTION, json={"note": "first"}, headers=headers)
    assert first.status_code == 200, first.text
    with transactions(ledger.database) as counts:
        replay = await ledger.client.post(IN_TRANSACTION, json={"note": "replay"}, headers=headers)
    assert_refused_as_replay(replay)
    assert [run["note"] for run in ledger.runs.seen] == ["first"], "the replay's handler never ran"
    assert counts == {"rollback": 1}, "the replay's transaction wrote nothing"
    assert len(await ledger_rows(connect_as, ledger.tenant, jti_of(headers["DPoP"]))) == 1


async def test_a_request_without_a_transaction_spends_its_proof_before_its_handler(
    ledger: Ledger, connect_as: Connect
) -> None:
    headers = signed(ledger.owner, "GET", UP_FRONT)
    with transactions(ledger.database) as counts:
        response = await ledger.client.get(UP_FRONT, headers=headers)
    assert response.status_code == 200, response.text
    (run,) = ledger.runs.seen
    assert [row["namespace"] for row in run["committed_before"]] == ["dpop"]
    assert counts == {"commit": 1}, "one short transaction: the spend"
    assert_refused_as_replay(await ledger.client.get(UP_FRONT, headers=headers))
    assert len(ledger.runs.seen) == 1, "the replay's handler never ran"


# --- a failed request still uses its proof up -----------------------------------------------


async def test_the_proof_of_a_request_its_handler_refused_cannot_be_replayed(
    ledger: Ledger, connect_as: Connect
) -> None:
    """DPoP does not bind the body: a proof left unspent because its request failed could
    be replayed with another body."""
    headers = signed(ledger.owner, "POST", IN_TRANSACTION)
    with transactions(ledger.database) as counts:
        refused = await ledger.client.post(
            IN_TRANSACTION, json={"note": "refused", "fail": True}, headers=headers
        )
    assert refused.status_code == 409, refused.text
    assert counts == {"rollback": 1, "commit": 1}, "rolled back, then spent alone"
    rows = await ledger_rows(connect_as, ledger.tenant, jti_of(headers["DPoP"]))
    assert [row["namespace"] for row in rows] == ["dpop"]
    assert rows[0]["transaction"] != ledger.runs.seen[0]["transaction"], "not the rolled-back one"

    replay = await ledger.client.post(IN_TRANSACTION, json={"note": "other body"}, headers=headers)
    assert_refused_as_replay(replay)
    assert [run["note"] for run in ledger.runs.seen] == ["refused"]


async def test_a_request_refused_before_its_transaction_still_spends_its_proof(
    ledger: Ledger, token: TokenFactory, connect_as: Connect
) -> None:
    cashier = token(ledger.tenant, Role.CASHIER)
    headers = signed(cashier, "POST", IN_TRANSACTION)
    forbidden = await ledger.client.post(IN_TRANSACTION, json={}, headers=headers)
    assert forbidden.status_code == 403, forbidden.text
    assert len(await ledger_rows(connect_as, ledger.tenant, jti_of(headers["DPoP"]))) == 1
    # The replay is refused for what it is, not for the role.
    assert_refused_as_replay(await ledger.client.post(IN_TRANSACTION, json={}, headers=headers))
    assert ledger.runs.seen == []


async def test_a_request_refused_by_validation_still_spends_its_proof(
    ledger: Ledger, connect_as: Connect
) -> None:
    """Validation fails after the transaction opened (the body is checked last)."""
    headers = signed(ledger.owner, "POST", IN_TRANSACTION)
    invalid = await ledger.client.post(
        IN_TRANSACTION, json={"fail": "not a boolean"}, headers=headers
    )
    assert invalid.status_code == 422, invalid.text
    assert len(await ledger_rows(connect_as, ledger.tenant, jti_of(headers["DPoP"]))) == 1
    assert_refused_as_replay(await ledger.client.post(IN_TRANSACTION, json={}, headers=headers))
    assert ledger.runs.seen == []


# --- concurrency and more than one process ---------------------------------------------------


async def test_a_concurrent_double_submit_runs_exactly_once(ledger: Ledger) -> None:
    """The second spend waits for the first transaction's row, then finds it."""
    headers = signed(ledger.owner, "POST", IN_TRANSACTION)
    answers = await asyncio.gather(
        *(
            ledger.client.post(
                IN_TRANSACTION, json={"note": f"copy {n}", "hold_seconds": 0.2}, headers=headers
            )
            for n in range(2)
        )
    )
    assert sorted(answer.status_code for answer in answers) == [200, 401]
    assert len(ledger.runs.seen) == 1, "exactly one handler ran"


async def waiting_for_the_ledger(connect_as: Connect) -> None:
    """Until a session waits for a lock on a ledger row (polled, on a connection outside any
    transaction, which would freeze its view of pg_stat_activity)."""
    monitor = await connect_as("orders")
    waiting = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND query LIKE '%auth.spent_tokens%'"
    )
    while not await monitor.fetchval(waiting):  # noqa: ASYNC110 - another process
        await asyncio.sleep(0.01)


async def test_a_concurrent_double_submit_whose_first_copy_fails_runs_at_most_once(
    ledger: Ledger, connect_as: Connect
) -> None:
    """If the copy that wrote first rolls back, its proof is still spent before it answers
    (a failed request's proof is never left for a replay with another body), and the copy
    waiting for its row races that spend: it either takes the row and runs, as if it had
    arrived alone, or is refused as a replay. Never both copies with an effect, and never the
    proof left unspent."""
    headers = signed(ledger.owner, "POST", IN_TRANSACTION)
    first = asyncio.create_task(
        ledger.client.post(
            IN_TRANSACTION,
            json={"note": "fails", "fail": True, "wait_for_gate": True},
            headers=headers,
        )
    )
    await asyncio.wait_for(ledger.runs.started.wait(), 30)  # the first copy holds the row
    second = asyncio.create_task(
        ledger.client.post(IN_TRANSACTION, json={"note": "waits"}, headers=headers)
    )
    await asyncio.wait_for(waiting_for_the_ledger(connect_as), 30)
    ledger.runs.gate.set()
    assert (await first).status_code == 409
    if (await second).status_code == 200:
        assert [run["note"] for run in ledger.runs.seen] == ["fails", "waits"]
    else:
        # The failed copy's own spend got the row first.
        assert_refused_as_replay(await second)
        assert [run["note"] for run in ledger.runs.seen] == ["fails"]
    assert_refused_as_replay(await ledger.client.post(IN_TRANSACTION, json={}, headers=headers))


async def test_a_proof_spent_by_one_service_process_is_refused_by_another(
    ledger: Ledger, database: PreparedDatabase, verifier: TokenVerifier, connect_as: Connect
) -> None:
    other_database = TenantDatabase(database.service_urls["orders"], pool_size=2)
    other = ledger_app(other_database, verifier, connect_as, Runs())
    transport = httpx.ASGITransport(app=other, raise_app_exceptions=False)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://other") as client:
            for path in (UP_FRONT, INDIRECT):
                headers = signed(ledger.owner, "GET", path)
                assert (await ledger.client.get(path, headers=headers)).status_code == 200
                assert_refused_as_replay(await client.get(path, headers=headers))
    finally:
        await other_database.dispose()


# --- the ledger itself -----------------------------------------------------------------------


async def test_a_token_of_a_business_not_in_the_registry_is_refused_not_an_error(
    ledger: Ledger, token: TokenFactory
) -> None:
    """The ledger references the tenant registry; the spend fails, and so does the request."""
    stranger = token(uuid.uuid4(), Role.OWNER)
    for method, path in (("GET", UP_FRONT), ("POST", IN_TRANSACTION)):
        response = await ledger.client.request(
            method,
            path,
            json={} if method == "POST" else None,
            headers=signed(stranger, method, path),
        )
        assert_refused_as_replay(response)
    assert ledger.runs.seen == []


async def test_a_spend_sweeps_the_business_s_long_expired_rows_now_and_then(
    service_databases: dict[str, TenantDatabase],
    provision: Provision,
    connect_as: Connect,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows of keys no longer used have no spend of their own to remove them."""
    ledger = SpentTokens(service_databases["orders"])
    tenant = await provision()
    principal = Principal(subject="till-1", tenant_id=tenant, role=Role.CASHIER)
    now = time.time()
    for scope, jti, expires_at in [
        ("idle-key", "long-expired", now - 600),
        ("recent-key", "just-expired", now - 1),
        ("this-key", "old", now - 600),
    ]:
        assert await ledger.spend(
            principal, namespace=spent.DPOP, scope=scope, jti=jti, expires_at=expires_at
        )
    monkeypatch.setattr(spent, "SWEEP_ONE_IN", 1)
    assert await ledger.spend(
        principal, namespace=spent.DPOP, scope="this-key", jti="new", expires_at=now + 65
    )
    left = await as_service(connect_as, "orders", tenant, "SELECT jti FROM auth.spent_tokens")
    # The idle key's row is swept; a key that spent a minute ago keeps its own for its spend.
    assert sorted(row["jti"] for row in left) == ["just-expired", "new"]


async def test_a_full_gateway_memory_passes_proofs_on_and_never_forgets_one() -> None:
    now = [1000.0]
    memory = InMemoryReplayCache(max_entries=1, admit_when_full=True, clock=lambda: now[0])
    assert await memory.first_use("a", "key-1", expires_at=1060)
    assert await memory.first_use("b", "key-1", expires_at=1060), "full: passed on unremembered"
    assert not await memory.first_use("a", "key-1", expires_at=1060), "never forgotten for room"
    now[0] = 1061  # "a" can no longer be accepted: room again
    assert await memory.first_use("c", "key-1", expires_at=1121)
    assert not await memory.first_use("c", "key-1", expires_at=1121)


# --- through the gateway --------------------------------------------------------------------


def audit_service_calls() -> float:
    return sum(
        sample.value
        for metric in REGISTRY.collect()
        if metric.name == "halopos_http_request_duration_seconds"
        for sample in metric.samples
        if sample.name.endswith("_count") and sample.labels.get("service") == "audit"
    )


@pytest.fixture
async def accountant(provision: Provision, token: TokenFactory) -> tuple[uuid.UUID, DPoPAuth]:
    tenant = await provision()
    return tenant, token(tenant, Role.ACCOUNTANT)


async def send(base: str, headers: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(base_url=base) as client:
        return await client.get(EVENTS, headers=headers)


async def test_the_gateway_refuses_a_replay_it_has_seen_without_a_database_write(
    live_stack: LiveStack,
    service_databases: dict[str, TenantDatabase],
    accountant: tuple[uuid.UUID, DPoPAuth],
    connect_as: Connect,
) -> None:
    tenant, auth = accountant
    headers = signed(auth, "GET", EVENTS)
    with transactions(service_databases["gateway"]) as gateway:
        first = await send(live_stack.gateway, headers)
        assert first.status_code == 200, first.text
        before = audit_service_calls()
        assert_refused_as_replay(await send(live_stack.gateway, headers))
    assert audit_service_calls() == before, "refused at the gateway, from its memory"
    assert gateway == {}, "the gateway spent nothing in Postgres"
    rows = await ledger_rows(connect_as, tenant, jti_of(headers["DPoP"]))
    assert [row["namespace"] for row in rows] == ["dpop"], "spent once, by the service"


async def test_another_gateway_process_passes_a_replay_on_and_the_service_refuses_it(
    live_stack: LiveStack,
    service_databases: dict[str, TenantDatabase],
    accountant: tuple[uuid.UUID, DPoPAuth],
) -> None:
    from gateway.app import create_app as create_gateway

    settings = platform_settings()
    verifier = TokenVerifier(
        keys=RemoteKeySource(f"{live_stack.services['identity']}/.well-known/jwks.json"),
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
    )
    second = create_gateway(
        database=service_databases["gateway"], verifier=verifier, upstreams=live_stack.services
    )
    port = _free_port()
    server, task = await _serve(second, port)
    try:
        _, auth = accountant
        headers = signed(auth, "GET", EVENTS)
        assert (await send(live_stack.gateway, headers)).status_code == 200
        before = audit_service_calls()
        assert_refused_as_replay(await send(f"http://127.0.0.1:{port}", headers))
        assert audit_service_calls() == before + 1, "refused by the service behind it"
    finally:
        server.should_exit = True
        await task


async def test_a_concurrent_double_submit_through_the_gateway_passes_once(
    live_stack: LiveStack, accountant: tuple[uuid.UUID, DPoPAuth]
) -> None:
    _, auth = accountant
    headers = signed(auth, "GET", EVENTS)
    answers = await asyncio.gather(*(send(live_stack.gateway, headers) for _ in range(2)))
    assert sorted(answer.status_code for answer in answers) == [200, 401]


async def test_a_proof_used_through_the_gateway_cannot_be_replayed_at_the_service(
    live_stack: LiveStack, accountant: tuple[uuid.UUID, DPoPAuth]
) -> None:
    _, auth = accountant
    headers = signed(auth, "GET", EVENTS)
    assert (await send(live_stack.gateway, headers)).status_code == 200
    assert_refused_as_replay(await send(live_stack.services["audit"], headers))


async def test_one_key_hammered_by_concurrent_requests_never_deadlocks(
    service_databases: dict[str, TenantDatabase],
    provision: Provision,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A device's concurrent requests each spend a proof of one key inside their transaction
    (with expired rows of that key, and of idle keys, to delete) and hold it a moment, as a
    request's writes do; now and then a spend also sweeps. Before the deletes skipped locked
    rows, this answered `deadlock detected` (a 500) dozens of times per run."""
    database = service_databases["orders"]
    tenant = await provision()
    principal = Principal(subject="till-1", tenant_id=tenant, role=Role.CASHIER)
    monkeypatch.setattr(spent, "SWEEP_ONE_IN", 4)
    failures: list[BaseException] = []
    first_uses = 0

    async def requests_of_one_device(worker: int) -> None:
        nonlocal first_uses
        for _ in range(40):
            now = time.time()
            try:
                async with database.transaction(principal) as connection:
                    for scope in ("the-key", f"idle-key-{worker % 3}"):
                        await spent.spend_in(
                            connection,
                            namespace=spent.DPOP,
                            scope=scope,
                            jti=uuid.uuid4().hex,
                            expires_at=now - 700,
                        )
                    first = await spent.spend_in(
                        connection,
                        namespace=spent.DPOP,
                        scope="the-key",
                        jti=uuid.uuid4().hex,
                        expires_at=now + 60,
                    )
                    first_uses += first
                    await spent.spend_in(
                        connection,
                        namespace="override",
                        scope="till",
                        jti=uuid.uuid4().hex,
                        expires_at=now - 700,
                    )
                    await asyncio.sleep(0.002)
            except Exception as error:
                failures.append(error)

    await asyncio.gather(*(requests_of_one_device(worker) for worker in range(12)))
    assert failures == []
    assert first_uses == 12 * 40


async def test_a_service_role_cannot_unspend_a_token_that_could_still_be_accepted(
    service_databases: dict[str, TenantDatabase], provision: Provision, connect_as: Connect
) -> None:
    """The ledger's deletes take only expired rows, and the database holds every service role
    to that: a live row can be neither deleted nor made to look expired."""
    tenant = await provision()
    principal = Principal(subject="till-1", tenant_id=tenant, role=Role.CASHIER)
    assert await SpentTokens(service_databases["orders"]).spend(
        principal, namespace=spent.DPOP, scope="k", jti="live", expires_at=time.time() + 60
    )
    connection = await connect_as("orders")
    async with as_tenant(connection, tenant):
        assert await connection.execute("DELETE FROM auth.spent_tokens") == "DELETE 0"
        assert (
            await connection.execute(
                "UPDATE auth.spent_tokens SET expires_at = now() - interval '1 hour'"
            )
            == "UPDATE 0"
        )
        assert await connection.fetchval("SELECT count(*) FROM auth.spent_tokens") == 1
