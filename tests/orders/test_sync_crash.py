"""Offline sync when the orders process dies in the middle of a batch (services/orders/sync/).

The orders service runs here as its own OS process, started as in production
(`uvicorn --factory services.orders.app:create_app`, ops/platform.py), on the test
database as its own login role, verifying the test's tokens against the identity service's
JWKS (the live stack's identity service, which publishes the test's signing key). The
process is killed with SIGKILL while it applies a till's batch. A batch is taken in by one
transaction (every operation stored, pending) and then applied in chunks of
`services.orders.sync.service.CHUNK`, each its own transaction: after the kill, what was
received is all kept, the chunks that committed are applied, and nothing of the chunk cut
off is. Sent again to a fresh process, every operation is applied exactly once, and a third
time every one is a duplicate.

The kill is placed by what Postgres says, never by a sleep: once two chunks have committed
(the device's `applied_through`) and the third chunk's transaction is open (it has locked the
device's progress row, so it holds a transaction id), the process is frozen (SIGSTOP), so it
sends no more statements and no COMMIT; the transaction is seen still open, and only then is
the process killed. A chunk is applied in memory and written with a statement per table, so
the kill lands before, between or after its writes, and none of them may survive it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from libs.config import SERVICES_BY_NAME, platform_settings
from ops.platform import PreparedDatabase, uvicorn_command
from services.orders.sync.service import CHUNK
from tests.conftest import LiveStack, _free_port
from tests.support import REPO_ROOT
from tests.support.database import Connect, Provision, as_tenant
from tests.support.offline import Log, OfflineTill, offline_till, upload
from tests.support.tokens import PUBLIC_URL, TokenFactory

# How long a step waits for something before failing instead of hanging: a safety net, far
# above anything it needs, not a measurement.
GIVE_UP = 60.0
# A day's trade uploaded at once (the first test), and the two smaller batches of the second
# (applying an operation takes tens of milliseconds: the suite stays within a minute).
SALES = 150
SALES_IN_TWO_BATCHES = 90
# Each sale is three operations (order.create, payment, order.close).
PER_SALE = 3
ORDERS_ROLE = SERVICES_BY_NAME["orders"].database_role
# The batch counts as under way once this many chunks have committed and the next chunk's
# transaction is open (BATCH_TRANSACTIONS): the kill lands inside a chunk.
CHUNKS_BEFORE_KILL = 2


# --- the orders service as an OS process ---------------------------------------------------


@dataclass
class OrdersProcess:
    process: asyncio.subprocess.Process
    url: str
    log: Path

    def client(self) -> httpx.AsyncClient:
        # A batch of hundreds of operations takes longer than httpx's default 5 s timeout.
        return httpx.AsyncClient(base_url=self.url, timeout=GIVE_UP)

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    async def kill(self) -> None:
        """SIGKILL: no shutdown, no rollback sent; the kernel just closes its sockets."""
        self.process.send_signal(signal.SIGKILL)
        await asyncio.wait_for(self.process.wait(), GIVE_UP)

    async def stop(self) -> None:
        if self.process.returncode is None:
            # Its own session: the group holds uvicorn and anything it might have started.
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        await asyncio.wait_for(self.process.wait(), GIVE_UP)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


StartOrders = Callable[[], Awaitable[OrdersProcess]]


@pytest.fixture
async def start_orders(
    database: PreparedDatabase, live_stack: LiveStack, tmp_path: Path
) -> AsyncIterator[StartOrders]:
    """Starts orders processes on the test database; every one is killed at teardown,
    whatever the test did (or failed to do) with it."""
    settings = platform_settings()
    environment = {
        **os.environ,
        # The orders role's own login (never the admin): what `halopos run` gives it.
        "HALOPOS_ORDERS_DATABASE_URL": database.service_urls["orders"],
        # Verifies tokens as every deployed service does: against the identity service's
        # published keys, here the test's signing key.
        "HALOPOS_JWKS_URL": f"{live_stack.services['identity']}/.well-known/jwks.json",
        "HALOPOS_JWT_ISSUER": settings.jwt_issuer,
        "HALOPOS_JWT_AUDIENCE": settings.jwt_audience,
        # DPoP proofs name the public URL, whatever socket the request arrives on.
        "HALOPOS_PUBLIC_URL": PUBLIC_URL,
        "HALOPOS_LOG_LEVEL": "WARNING",
    }
    environment.pop("HALOPOS_METRICS_PORT", None)  # no metrics listener to collide on
    started: list[OrdersProcess] = []

    async def start() -> OrdersProcess:
        port = _free_port()
        log = tmp_path / f"orders-{len(started) + 1}.log"
        with log.open("wb") as output:
            process = await asyncio.create_subprocess_exec(
                *uvicorn_command("services.orders.app:create_app", port),
                cwd=REPO_ROOT,
                env=environment,
                stdout=output,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )
        orders = OrdersProcess(process, f"http://127.0.0.1:{port}", log)
        started.append(orders)
        await ready(orders)
        return orders

    yield start
    for orders in started:
        await orders.stop()


async def ready(orders: OrdersProcess) -> None:
    """Until /readyz answers (it reaches the database); fails if the process exits."""
    deadline = asyncio.get_running_loop().time() + GIVE_UP
    async with httpx.AsyncClient(base_url=orders.url, timeout=5.0) as client:
        while True:
            assert orders.process.returncode is None, f"orders exited:\n{orders.output()}"
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass  # not listening yet
            assert asyncio.get_running_loop().time() < deadline, orders.output()
            await asyncio.sleep(0.05)


# --- watching the batch's transaction from the admin connection ----------------------------

# The orders role's writing transactions in this database: a chunk's transaction holds a
# transaction id from its first statement on (it locks the device's progress row).
BATCH_TRANSACTIONS = """
    SELECT activity.pid, activity.state
      FROM pg_stat_activity AS activity
     WHERE activity.datname = current_database()
       AND activity.usename = $1
       AND activity.backend_xid IS NOT NULL
"""


async def batch_under_way(
    admin: asyncpg.Connection, uploading: asyncio.Task[Any], till: OfflineTill, before: int
) -> int:
    """The backend pid of a chunk's open transaction, once CHUNKS_BEFORE_KILL chunks have
    committed. Nothing else writes as the orders role meanwhile (the test only waits for its
    upload). The admin connection only observes."""
    deadline = asyncio.get_running_loop().time() + GIVE_UP
    chunks_done = before + CHUNK * CHUNKS_BEFORE_KILL
    while True:
        applied = await admin.fetchval(
            "SELECT applied_through FROM orders.sync_devices WHERE device_id = $1",
            till.device_id,
        )
        for row in await admin.fetch(BATCH_TRANSACTIONS, ORDERS_ROLE):
            if (applied or 0) >= chunks_done:
                pid: int = row["pid"]
                return pid
        assert not uploading.done(), "the batch finished before it was seen under way"
        assert asyncio.get_running_loop().time() < deadline, "the batch never got under way"
        await asyncio.sleep(0.001)


async def backend_state(admin: asyncpg.Connection, pid: int) -> str | None:
    state: str | None = await admin.fetchval(
        "SELECT state FROM pg_stat_activity WHERE pid = $1", pid
    )
    return state


async def until_backend(
    admin: asyncpg.Connection, pid: int, done: Callable[[str | None], bool]
) -> str | None:
    deadline = asyncio.get_running_loop().time() + GIVE_UP
    while not done(state := await backend_state(admin, pid)):
        assert asyncio.get_running_loop().time() < deadline, f"backend {pid} stays {state}"
        await asyncio.sleep(0.01)
    return state


async def kill_mid_batch(
    admin: asyncpg.Connection,
    orders: OrdersProcess,
    till: OfflineTill,
    operations: list[dict[str, Any]],
    *,
    before: int = 0,
) -> None:
    """Uploads `operations` as one batch and kills the process while it applies them
    (`before`: how many of the device's operations were applied before this batch)."""
    async with orders.client() as client:
        uploading = asyncio.create_task(
            client.post("/v1/sync/batches", json={"operations": operations}, auth=till.auth)
        )
        try:
            pid = await batch_under_way(admin, uploading, till, before)
            # Frozen, the process sends nothing more: its backend finishes the statement in
            # hand and waits for the next, inside the batch's transaction.
            orders.pause()
            state = await until_backend(admin, pid, lambda state: state != "active")
            assert state == "idle in transaction", f"the batch's transaction ended: {state}"
            await orders.kill()
            # The till never gets an answer: for it the batch is still to be sent.
            with pytest.raises(httpx.TransportError):
                await uploading
        finally:
            uploading.cancel()
    # The backend reads the closed socket and rolls back; only then is "what is kept" a
    # statement about the database rather than about an uncommitted transaction.
    await until_backend(admin, pid, lambda state: state is None)


# --- what the books hold, read as the services' own roles ----------------------------------


@dataclass
class Books:
    orders: list[tuple[uuid.UUID, str, int]]  # (id, status, paid_minor)
    payments: list[uuid.UUID]  # the order each payment is for
    receipts: list[tuple[str, int, str, uuid.UUID]]  # (series, sequence, number, order_id)
    operations: list[tuple[int, str]]  # the device's stored operations: (sequence, status)
    audited: list[str]  # the operation id of each audit row of an offline operation
    applied_through: int


async def _read(
    connection: asyncpg.Connection, tenant: uuid.UUID, query: str, *args: Any
) -> list[asyncpg.Record]:
    async with as_tenant(connection, tenant):
        rows: list[asyncpg.Record] = await connection.fetch(query, *args)
        return rows


async def books(connect_as: Connect, till: OfflineTill) -> Books:
    orders_db, audit_db = await connect_as("orders"), await connect_as("audit")
    tenant, device = till.tenant, till.device_id
    orders = await _read(
        orders_db, tenant, "SELECT id, status, paid_minor FROM orders.orders ORDER BY id"
    )
    payments = await _read(orders_db, tenant, "SELECT order_id FROM orders.payments")
    receipts = await _read(
        orders_db,
        tenant,
        "SELECT series, sequence, number, order_id FROM orders.receipts "
        "WHERE register_id = $1 ORDER BY series, sequence",
        device,
    )
    operations = await _read(
        orders_db,
        tenant,
        "SELECT sequence, status FROM orders.sync_operations WHERE device_id = $1 "
        "ORDER BY sequence",
        device,
    )
    progress = await _read(
        orders_db,
        tenant,
        "SELECT applied_through FROM orders.sync_devices WHERE device_id = $1",
        device,
    )
    audited = await _read(
        audit_db,
        tenant,
        "SELECT payload -> 'offline' ->> 'operation_id' AS operation_id FROM audit.events "
        "WHERE payload -> 'offline' ->> 'device_id' = $1 OR action LIKE 'sync.%'",
        str(device),
    )
    return Books(
        orders=[(row["id"], row["status"], row["paid_minor"]) for row in orders],
        payments=sorted(row["order_id"] for row in payments),
        receipts=[
            (row["series"], row["sequence"], row["number"], row["order_id"]) for row in receipts
        ],
        operations=[(row["sequence"], row["status"]) for row in operations],
        audited=[row["operation_id"] for row in audited],
        applied_through=progress[0]["applied_through"] if progress else 0,
    )


def assert_each_sale_once(
    books: Books, log: Log, sales: list[uuid.UUID], operations: list[dict[str, Any]]
) -> None:
    """Every operation of `operations` (the log's first ones) applied once and only once."""
    assert sorted(books.orders) == sorted((order_id, "closed", 1_250) for order_id in sales)
    assert books.payments == sorted(sales), "one payment per sale"
    register = log.till.register_number
    assert books.receipts == [
        ("O", n, f"R{register}-O-{n:06d}", order_id) for n, order_id in enumerate(sales, 1)
    ], "the offline series is gapless, one receipt per sale, in the till's order"
    assert books.operations == [(n, "applied") for n in range(1, len(operations) + 1)]
    assert books.applied_through == len(operations)
    # One audit row per operation, none for anything rejected.
    assert Counter(books.audited) == Counter(operation["id"] for operation in operations)


def assert_cut_off_in_a_chunk(
    books: Books, log: Log, operations: list[dict[str, Any]], *, before: int
) -> None:
    """After the kill: everything received is stored; operations up to the last committed
    chunk are applied (whole sales among them are in the books, audited once); the chunk cut
    off left nothing; the rest wait, pending."""
    applied = books.applied_through
    assert before < applied < before + len(operations), applied
    assert (applied - before) % CHUNK == 0, "only whole chunks commit"
    assert books.operations == [
        (n, "applied" if n <= applied else "pending")
        for n in range(1, before + len(operations) + 1)
    ]
    done = log.operations[:applied]
    assert Counter(books.audited) == Counter(operation["id"] for operation in done)
    closed = [op["data"]["order_id"] for op in done if op["kind"] == "order.close"]
    assert [str(order_id) for _, _, _, order_id in books.receipts] == closed


def assert_all(answer: dict[str, Any], status: str, operations: list[dict[str, Any]]) -> None:
    items = answer["items"]
    assert [item["id"] for item in items] == [operation["id"] for operation in operations]
    assert {(item["status"], item["state"]) for item in items} == {(status, "applied")}, [
        item for item in items if (item["status"], item["state"]) != (status, "applied")
    ][:3]


def offline_day(till: OfflineTill, count: int) -> tuple[Log, list[uuid.UUID]]:
    """Open shift, `count` cash sales, close shift: one operation log, 2 + 3 * count long."""
    log = Log(till)
    log.open_shift()
    sales = [log.sale() for _ in range(count)]
    log.close_shift(cash=20_000 + 1_250 * count)
    return log, sales


# --- the tests -----------------------------------------------------------------------------


async def test_a_batch_cut_off_by_a_crash_keeps_what_committed_and_applies_once_when_resent(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    admin: asyncpg.Connection,
    start_orders: StartOrders,
) -> None:
    tenant = await provision()
    till = await offline_till(connect_as, token, orders_client, tenant)
    log, sales = offline_day(till, SALES)
    operations = log.operations
    assert len(operations) == 2 + PER_SALE * SALES

    await kill_mid_batch(admin, await start_orders(), till, operations)

    cut = await books(connect_as, till)
    assert_cut_off_in_a_chunk(cut, log, operations, before=0)
    status = (await orders_client.get("/v1/sync/status", auth=till.auth)).json()
    assert status["applied_through"] == cut.applied_through
    assert status["pending"] == list(range(cut.applied_through + 1, len(operations) + 1))

    # The till, which never got an answer, sends the same batch again to the restarted
    # service: every operation was received before, so each is a duplicate, and the ones
    # still pending are applied now.
    async with (await start_orders()).client() as client:
        answer = await upload(client, till, operations)
        assert_all(answer, "duplicate", operations)
        assert answer["applied_through"] == len(operations)
        assert_each_sale_once(await books(connect_as, till), log, sales, operations)

        again = await upload(client, till, operations)
        assert_all(again, "duplicate", operations)
        assert [item["result"] for item in again["items"]] == [
            item["result"] for item in answer["items"]
        ], "a duplicate answers with the original outcome"
    assert_each_sale_once(await books(connect_as, till), log, sales, operations)


async def test_a_crash_in_the_second_batch_keeps_the_first_and_applies_the_second_once(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    admin: asyncpg.Connection,
    start_orders: StartOrders,
) -> None:
    tenant = await provision()
    till = await offline_till(connect_as, token, orders_client, tenant)
    log, sales = offline_day(till, SALES_IN_TWO_BATCHES)
    # The shift's opening and the first third of the sales; then the rest and the close.
    third = SALES_IN_TWO_BATCHES // 3
    first, second = log.operations[: 1 + PER_SALE * third], log.operations[1 + PER_SALE * third :]

    orders = await start_orders()
    async with orders.client() as client:
        assert_all(await upload(client, till, first), "accepted", first)
    await kill_mid_batch(admin, orders, till, second, before=len(first))

    # The first batch stays; of the second, what committed before the kill.
    assert_cut_off_in_a_chunk(await books(connect_as, till), log, second, before=len(first))

    # Not knowing what reached the server, the till sends both batches again.
    async with (await start_orders()).client() as client:
        assert_all(await upload(client, till, first), "duplicate", first)
        answer = await upload(client, till, second)
        assert_all(answer, "duplicate", second)
        assert answer["applied_through"] == len(log.operations)
    assert_each_sale_once(await books(connect_as, till), log, sales, log.operations)
