"""A card payment in two steps around the terminal: recorded `pending` and committed, the
terminal asked with no row locked and no connection held, its answer applied after; a retry
with the same Idempotency-Key (or `.../resolve`) resumes it through the terminal's journal,
so nothing is charged twice and nothing is left pending."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from doubles.terminal import SimulatedTerminal
from libs.auth.access_tokens import TokenVerifier
from libs.tenancy.database import TenantDatabase
from services.orders.payments.terminal import TerminalResult, TerminalUnreachable
from tests.support.database import Connect, as_service, as_tenant
from tests.support.sale import sell
from tests.support.tills import OpenTill
from tests.support.tokens import TokenFactory


class GatedTerminal(SimulatedTerminal):
    """The simulated terminal, held at the counter until the test lets the card through
    (as a real terminal waits up to a minute for the customer), and able to lose its answer
    on the way back, or never to have been reached."""

    def __init__(self) -> None:
        super().__init__()
        self.asked = asyncio.Event()
        self.release = asyncio.Event()
        self.purchases: list[str] = []
        self.refunds: list[str] = []
        self.lose_answer = False
        self.unreachable = False

    async def purchase(self, *, amount_minor: int, currency: str, reference: str) -> TerminalResult:
        answer = partial(
            super().purchase, amount_minor=amount_minor, currency=currency, reference=reference
        )
        return await self._at_counter(self.purchases, reference, answer)

    async def refund(self, *, amount_minor: int, currency: str, reference: str) -> TerminalResult:
        answer = partial(
            super().refund, amount_minor=amount_minor, currency=currency, reference=reference
        )
        return await self._at_counter(self.refunds, reference, answer)

    async def _at_counter(
        self, done: list[str], reference: str, answer: Callable[[], Awaitable[TerminalResult]]
    ) -> TerminalResult:
        """Unreachable, or held until released; then the simulated terminal's answer, which
        may be lost on the way back."""
        if self.unreachable:
            raise TerminalUnreachable("no route to the terminal")
        self.asked.set()
        await self.release.wait()
        done.append(reference)
        result = await answer()
        if self.lose_answer:
            raise TerminalUnreachable("the answer was lost on the way back")
        return result

    def hold(self) -> None:
        """The next card waits at the terminal until `release` is set."""
        self.asked, self.release = asyncio.Event(), asyncio.Event()


@pytest.fixture
async def terminal() -> GatedTerminal:
    return GatedTerminal()


@pytest.fixture
async def client(
    service_databases: dict[str, TenantDatabase], verifier: TokenVerifier, terminal: GatedTerminal
) -> AsyncIterator[httpx.AsyncClient]:
    from services.orders.app import create_app

    app: FastAPI = create_app(service_databases["orders"], verifier, terminal=terminal)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://orders") as client:
        yield client


def _charge(client: httpx.AsyncClient, till: OpenTill, order: dict[str, Any], key: str) -> Any:
    return client.post(
        f"/v1/orders/{order['id']}/payments",
        json={"version": order["version"], "tender": "card"},
        headers={"Idempotency-Key": key},
        auth=till.staff,
    )


async def test_while_the_terminal_decides_no_row_is_locked_and_no_connection_held(
    client: httpx.AsyncClient,
    till: OpenTill,
    terminal: GatedTerminal,
    connect_as: Connect,
    service_databases: dict[str, TenantDatabase],
) -> None:
    order = await sell(client, till)
    paying = asyncio.create_task(_charge(client, till, order, "card-1"))
    await asyncio.wait_for(terminal.asked.wait(), timeout=10)

    # The customer is still at the terminal. The order row is free: another transaction
    # locks it at once (NOWAIT would fail on a held lock)...
    connection = await connect_as("orders")
    async with as_tenant(connection, till.tenant):
        locked = await connection.fetchval(
            "SELECT id FROM orders.orders WHERE id = $1 FOR UPDATE NOWAIT", uuid.UUID(order["id"])
        )
        assert locked == uuid.UUID(order["id"])
        pending = await connection.fetchrow(
            "SELECT status, amount_minor FROM orders.payments WHERE order_id = $1",
            uuid.UUID(order["id"]),
        )
    assert dict(pending) == {"status": "pending", "amount_minor": 1_250}
    # ...and the service holds no connection of its pool.
    assert service_databases["orders"].engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    # Meanwhile the order takes no other payment (nor any change).
    current = (await client.get(f"/v1/orders/{order['id']}", auth=till.staff)).json()
    assert [p["status"] for p in current["payments"]] == ["pending"]
    cash = await client.post(
        f"/v1/orders/{order['id']}/payments",
        json={"version": current["version"], "tender": "cash", "tendered_minor": 2_000},
        auth=till.staff,
    )
    assert cash.status_code == 409
    assert cash.json()["code"] == "payment-in-progress"

    terminal.release.set()
    paid = await asyncio.wait_for(paying, timeout=10)
    assert paid.status_code == 201, paid.text
    assert paid.json()["payment"]["status"] == "approved"
    assert paid.json()["order"]["balance_minor"] == 0
    closed = await client.post(
        f"/v1/orders/{order['id']}/close",
        json={"version": paid.json()["order"]["version"]},
        auth=till.staff,
    )
    assert closed.status_code == 200, closed.text


async def test_a_lost_answer_is_resumed_with_the_same_key_and_charges_once(
    client: httpx.AsyncClient, till: OpenTill, terminal: GatedTerminal
) -> None:
    order = await sell(client, till)
    terminal.release.set()
    terminal.lose_answer = True
    lost = await _charge(client, till, order, "card-2")
    assert lost.status_code == 503
    assert lost.json()["code"] == "terminal-unavailable"
    assert len(terminal.purchases) == 1  # the terminal did charge the card

    terminal.lose_answer = False
    resumed = await _charge(client, till, order, "card-2")
    assert resumed.status_code == 201, resumed.text
    assert resumed.json()["payment"]["status"] == "approved"
    assert resumed.json()["order"]["paid_minor"] == 1_250
    assert len(terminal.purchases) == 1  # asked what became of it, not charged again
    # And the answer is now the key's: a third try replays it.
    replayed = await _charge(client, till, order, "card-2")
    assert replayed.headers.get("Idempotent-Replayed") == "true"
    assert replayed.json() == resumed.json()


async def test_a_payment_the_terminal_never_took_times_out_once_it_cannot_be_deciding(
    client: httpx.AsyncClient, till: OpenTill, terminal: GatedTerminal, connect_as: Connect
) -> None:
    order = await sell(client, till)
    terminal.unreachable = True
    unreachable = await _charge(client, till, order, "card-3")
    assert unreachable.status_code == 503
    payment_id = (await client.get(f"/v1/orders/{order['id']}", auth=till.staff)).json()[
        "payments"
    ][0]["id"]
    resolve = f"/v1/orders/{order['id']}/payments/{payment_id}/resolve"
    # The terminal's journal has nothing, but it may still be deciding: not yet.
    early = await client.post(resolve, auth=till.staff)
    assert early.status_code == 409
    assert early.json()["code"] == "payment-in-progress"
    # Two minutes on (the payment arranged older, as the orders service's own role may).
    await as_service(
        connect_as,
        "orders",
        till.tenant,
        "UPDATE orders.payments SET created_at = created_at - interval '3 minutes' WHERE id = $1",
        uuid.UUID(payment_id),
    )
    resolved = await client.post(resolve, auth=till.staff)
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["payment"]["status"] == "timed_out"
    assert resolved.json()["order"]["paid_minor"] == 0
    assert terminal.purchases == []
    # The order takes a payment again.
    terminal.unreachable = False
    terminal.release.set()
    again = await _charge(client, till, resolved.json()["order"], "card-4")
    assert again.status_code == 201, again.text
    assert again.json()["payment"]["status"] == "approved"


async def test_a_retry_racing_the_terminal_does_not_charge_twice(
    client: httpx.AsyncClient, till: OpenTill, terminal: GatedTerminal
) -> None:
    order = await sell(client, till)
    first = asyncio.create_task(_charge(client, till, order, "card-5"))
    await asyncio.wait_for(terminal.asked.wait(), timeout=10)
    # The till gave up waiting and sends the same request again: the terminal is still
    # deciding, so the retry is told so, and charges nothing.
    retry = await _charge(client, till, order, "card-5")
    assert retry.status_code == 409
    assert retry.json()["code"] == "payment-in-progress"
    terminal.release.set()
    assert (await first).status_code == 201
    assert len(terminal.purchases) == 1
    settled = await _charge(client, till, order, "card-5")
    assert settled.headers.get("Idempotent-Replayed") == "true"


async def test_pending_payments_are_in_the_audit_as_started(
    client: httpx.AsyncClient, till: OpenTill, terminal: GatedTerminal, connect_as: Connect
) -> None:
    order = await sell(client, till)
    terminal.release.set()
    assert (await _charge(client, till, order, "card-6")).status_code == 201
    actions = await as_service(
        connect_as,
        "audit",
        till.tenant,
        "SELECT action FROM audit.events WHERE resource_id = $1 ORDER BY seq",
        order["id"],
    )
    assert [row["action"] for row in actions] == [
        "order.opened",
        "payment.started",
        "payment.approved",
    ]


# -- card refunds: the same two steps ---------------------------------------------------------


async def _card_sale(
    client: httpx.AsyncClient, till: OpenTill, terminal: GatedTerminal, token: TokenFactory
) -> dict[str, Any]:
    """A card sale of the usual 1250, closed; refunds up to $100 need no manager."""
    changed = await client.patch(
        "/v1/settings/override-limits",
        json={"refund_limit_minor": 10_000},
        auth=token(till.tenant, "owner"),
    )
    assert changed.status_code == 200, changed.text
    order = await sell(client, till)
    terminal.release.set()
    paid = (await _charge(client, till, order, f"sale-{order['id']}")).json()
    closed = await client.post(
        f"/v1/orders/{order['id']}/close",
        json={"version": paid["order"]["version"]},
        auth=till.staff,
    )
    assert closed.status_code == 200, closed.text
    result: dict[str, Any] = closed.json()["order"]
    return result


def _refund(
    client: httpx.AsyncClient,
    till: OpenTill,
    order: dict[str, Any],
    key: str,
    amount: int = 1_250,
) -> Any:
    return client.post(
        f"/v1/orders/{order['id']}/refunds",
        json={"version": order["version"], "reason_code": "quality_issue", "amount_minor": amount},
        headers={"Idempotency-Key": key},
        auth=till.staff,
    )


async def test_a_card_refund_holds_nothing_while_the_terminal_gives_the_money_back(
    client: httpx.AsyncClient,
    till: OpenTill,
    terminal: GatedTerminal,
    connect_as: Connect,
    token: TokenFactory,
    service_databases: dict[str, TenantDatabase],
) -> None:
    order = await _card_sale(client, till, terminal, token)
    terminal.hold()
    refunding = asyncio.create_task(_refund(client, till, order, "refund-1"))
    await asyncio.wait_for(terminal.asked.wait(), timeout=10)
    connection = await connect_as("orders")
    async with as_tenant(connection, till.tenant):
        locked = await connection.fetchval(
            "SELECT id FROM orders.orders WHERE id = $1 FOR UPDATE NOWAIT", uuid.UUID(order["id"])
        )
        assert locked == uuid.UUID(order["id"])
    assert service_databases["orders"].engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    # Meanwhile no other refund of the order (nothing could be refunded twice).
    current = (await client.get(f"/v1/orders/{order['id']}", auth=till.staff)).json()
    other = await _refund(client, till, current, "refund-2", amount=100)
    assert other.status_code == 409
    assert other.json()["code"] == "refund-in-progress"

    terminal.release.set()
    refunded = await asyncio.wait_for(refunding, timeout=10)
    assert refunded.status_code == 201, refunded.text
    (tender,) = refunded.json()["refund"]["tenders"]
    assert (tender["tender"], tender["amount_minor"]) == ("card", 1_250)
    assert tender["terminal_reference"] is not None
    assert refunded.json()["order"]["refunded_minor"] == 1_250
    assert len(terminal.refunds) == 1


async def test_a_declined_card_refund_refunds_nothing(
    client: httpx.AsyncClient,
    till: OpenTill,
    terminal: GatedTerminal,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    order = await _card_sale(client, till, terminal, token)
    declined = await _refund(client, till, order, "refund-3", amount=151)  # ...51: declined
    assert declined.status_code == 502, declined.text
    assert declined.json()["code"] == "terminal-refund-failed"
    current = (await client.get(f"/v1/orders/{order['id']}", auth=till.staff)).json()
    assert current["refunded_minor"] == 0
    refunds = await as_service(connect_as, "orders", till.tenant, "SELECT id FROM orders.refunds")
    assert refunds == []
    again = await _refund(client, till, current, "refund-4", amount=150)
    assert again.status_code == 201, again.text


async def test_a_lost_refund_answer_is_resumed_and_gives_back_once(
    client: httpx.AsyncClient, till: OpenTill, terminal: GatedTerminal, token: TokenFactory
) -> None:
    order = await _card_sale(client, till, terminal, token)
    terminal.lose_answer = True
    lost = await _refund(client, till, order, "refund-5")
    assert lost.status_code == 503
    assert lost.json()["code"] == "terminal-unavailable"
    assert len(terminal.refunds) == 1  # the terminal gave the money back
    terminal.lose_answer = False
    resumed = await _refund(client, till, order, "refund-5")
    assert resumed.status_code == 201, resumed.text
    assert resumed.json()["order"]["refunded_minor"] == 1_250
    assert len(terminal.refunds) == 1  # asked what became of it, not refunded again
