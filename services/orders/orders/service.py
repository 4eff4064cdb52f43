"""Order rules. No SQL here and no commit: the request's tenant transaction commits once."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from libs.api.pagination import decode_cursor, encode_cursor
from libs.api.problems import Conflict, NotFound, Problem
from libs.audit.append import Actor, AuditLog
from libs.auth.overrides import Override, OverrideAction, OverrideGate
from libs.auth.principal import Principal
from services.orders.limits.repository import LimitsRepository
from services.orders.orders.repository import IdempotencyRepository, OrderRepository
from services.orders.orders.schemas import Order, OrderCreate, OrderLine, OrderPage, OrderVoid


class OrderNotFound(NotFound):
    code = "order-not-found"
    title = "No such order"


class OrderIdConflict(Conflict):
    code = "order-id-conflict"
    title = "An order with this id already exists with different content"


class OrderNotOpen(Conflict):
    code = "order-not-open"
    title = "Only an open order can be voided"


class IdempotencyKeyReused(Problem):
    status = 422
    code = "idempotency-key-reused"
    title = "This Idempotency-Key was used for a different request"


class IdempotencyKeyInFlight(Conflict):
    code = "idempotency-key-in-flight"
    title = "A request with this Idempotency-Key was completed concurrently; retry it"


@dataclass(frozen=True, slots=True)
class CreateResult:
    status_code: int
    body: dict[str, Any]


def request_fingerprint(request: OrderCreate) -> bytes:
    canonical = json.dumps(request.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).digest()


def price_lines(request: OrderCreate) -> list[OrderLine]:
    return [
        OrderLine(
            line_number=number,
            name=line.name,
            quantity=line.quantity,
            unit_price_minor=line.unit_price_minor,
            total_minor=line.quantity * line.unit_price_minor,
        )
        for number, line in enumerate(request.lines, start=1)
    ]


def _same_content(order: Order, currency: str, lines: list[OrderLine]) -> bool:
    return order.currency == currency and order.lines == lines


async def create_order(
    *,
    orders: OrderRepository,
    idempotency: IdempotencyRepository,
    audit: AuditLog,
    principal: Principal,
    request: OrderCreate,
    idempotency_key: str | None,
) -> CreateResult:
    fingerprint = request_fingerprint(request)
    if idempotency_key is not None:
        stored = await idempotency.find(idempotency_key)
        if stored is not None:
            if stored.request_hash != fingerprint:
                raise IdempotencyKeyReused()
            return CreateResult(stored.status_code, stored.body)

    order_id = request.id or uuid.uuid4()
    lines = price_lines(request)
    total = sum(line.total_minor for line in lines)
    order = await orders.insert(
        order_id=order_id,
        location_id=principal.location_id,
        currency=request.currency,
        total_minor=total,
        created_by=principal.subject,
        lines=lines,
    )
    if order is None:
        # A client retrying an offline-created order: the same content is the same order.
        existing = await orders.get(order_id)
        assert existing is not None
        if not _same_content(existing, request.currency, lines):
            raise OrderIdConflict(order_id=str(order_id))
        return CreateResult(200, existing.model_dump(mode="json"))

    await audit.append(
        actor=Actor.of(principal),
        action="order.created",
        resource_type="order",
        resource_id=str(order_id),
        payload={"currency": order.currency, "total_minor": total, "line_count": len(lines)},
    )
    result = CreateResult(201, order.model_dump(mode="json"))
    if idempotency_key is not None and not await idempotency.remember(
        key=idempotency_key, request_hash=fingerprint, status_code=201, body=result.body
    ):
        raise IdempotencyKeyInFlight()
    return result


async def get_order(*, orders: OrderRepository, order_id: UUID) -> Order:
    # Another tenant's order is invisible under RLS, so it is "not found", never "forbidden".
    order = await orders.get(order_id)
    if order is None:
        raise OrderNotFound()
    return order


async def list_orders(*, orders: OrderRepository, limit: int, cursor: str | None) -> OrderPage:
    after = decode_cursor(cursor) if cursor else None
    page = await orders.page(limit=limit + 1, after=after)
    more = len(page) > limit
    items = page[:limit]
    last = items[-1] if more else None
    return OrderPage(
        items=items, next_cursor=encode_cursor(last.created_at, last.id) if last else None
    )


async def void_order(
    *,
    orders: OrderRepository,
    audit: AuditLog,
    limits: LimitsRepository,
    override: OverrideGate,
    principal: Principal,
    order_id: UUID,
    request: OrderVoid,
) -> Order:
    """Void an open order; above the business's void limit, with a manager's approval.

    An order whose total is above the limit (services/orders/limits/; 0 by default, so
    every void) needs a manager's override token for action `void` on this order; one at or
    below it is voided by the cashier alone, or with an override if one is presented (it is
    then checked and spent like any other, and the audit names the approver).

    Order of answers: another tenant's or an unknown order is 404 before any override is
    looked at (its existence is not confirmed to anyone); then the override is consumed
    (403 if needed and missing, or invalid, or already used); then the order must still be
    open (409; the transaction rolls back, and the override with it). The override is spent
    in this request's transaction, so it is used up exactly when the void commits.
    """
    # Locked: a concurrent void of the same order waits here, then finds it voided.
    order = await orders.get(order_id, for_update=True)
    if order is None:
        raise OrderNotFound()
    void_limit_minor = (await limits.current()).void_limit_minor
    needs_approval = order.total_minor > void_limit_minor
    approval: Override | None = None
    if needs_approval or override.token is not None:
        approval = await override.consume(action=OverrideAction.VOID, resource_id=str(order_id))
    if order.status != "open":
        raise OrderNotOpen(f"This order is {order.status}.", order_status=order.status)
    voided = await orders.set_status(order_id, status="voided", version=order.version)
    assert voided is not None, "the order is locked by this transaction"
    await audit.append(
        actor=Actor.of(principal),
        action="order.voided",
        resource_type="order",
        resource_id=str(order_id),
        payload={
            "requested_by": principal.subject,
            "approved_by": str(approval.approver_id) if approval else None,
            "approved_by_role": approval.approver_role.value if approval else None,
            "override_required": needs_approval,
            "void_limit_minor": void_limit_minor,
            "reason": request.reason,
            "override_jti": approval.jti if approval else None,
            "device_id": str(principal.device_id) if principal.device_id else None,
            "total_minor": voided.total_minor,
            "currency": voided.currency,
            "version": voided.version,
        },
    )
    return voided
