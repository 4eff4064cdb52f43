"""Payments and closing over HTTP (why closing is here: this package's __init__).

A card payment takes the terminal up to a minute, so its route holds no transaction while
the terminal decides: the payment is recorded as `pending` and committed, the terminal is
asked with no row locked and no connection held, and its answer is applied in a second
transaction (services/orders/sale/commands.py: `start_card`, `finish_card`). A retry with
the same Idempotency-Key resumes the payment it started (asking the terminal what became of
it) rather than charging again; `.../payments/{id}/resolve` does the same for a till that
lost its key.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from libs.api.authentication import CurrentPrincipal
from libs.api.concurrency import VERSIONED, IfMatch, expected_version
from libs.api.permissions import requires
from libs.auth.principal import Principal
from libs.problems import Problem, merge_responses, problems
from libs.rbac import Permission
from libs.tenancy.database import TenantDatabase
from services.orders.idempotency import IDEMPOTENT, IdempotencyKey, Idempotent, idempotency_of
from services.orders.menu.snapshot import MenuChanging
from services.orders.payments.schemas import (
    ClosedOrder,
    CloseRequest,
    PaymentRequest,
    PaymentResult,
)
from services.orders.payments.terminal import PaymentTerminal, TerminalResult
from services.orders.sale import commands, rules
from services.orders.sale.model import Sale, SalePayment, order_json, payment_json
from services.orders.sale.online import SaleAtTill, online_sale, order_answer

router = APIRouter(prefix="/v1/orders", tags=["payments"])


class TerminalUnavailable(Problem):
    status = 503
    code = "terminal-unavailable"
    title = "The card terminal could not be asked; the payment waits (retry with the same key)"


def payment_answer(payment: SalePayment | None, sale: Sale) -> dict[str, Any]:
    return {"payment": payment_json(payment) if payment else None, "order": order_json(sale)}


async def _ask(
    terminal: PaymentTerminal, payment: SalePayment, currency: str, *, resume: bool
) -> tuple[TerminalResult | None, bool]:
    """(the terminal's answer, whether it was reachable). Resuming asks the terminal's
    journal what became of the payment; starting asks it to charge."""
    reference = str(payment.id)
    try:
        if resume:
            return await terminal.lookup(reference=reference), True
        return (
            await terminal.purchase(
                amount_minor=payment.amount_minor, currency=currency, reference=reference
            ),
            True,
        )
    except Exception:
        return None, False


# `terminal-unavailable`: the payment is pending; send the request again with the same
# Idempotency-Key.
_PAYMENT_RESPONSES = merge_responses(
    VERSIONED,
    IDEMPOTENT,
    problems(
        rules.OrderNotFound,
        rules.OrderNotOpen,
        rules.NothingToPay,
        rules.Overpayment,
        rules.PaymentInProgress,
        commands.PaymentIdConflict,
        TerminalUnavailable,
        MenuChanging,
    ),
)


@router.post(
    "/{order_id}/payments",
    status_code=201,
    response_model=PaymentResult,
    dependencies=[requires(Permission.PAYMENTS_TAKE)],
    responses=_PAYMENT_RESPONSES,
)
async def take_payment(
    order_id: UUID,
    body: PaymentRequest,
    request: Request,
    principal: CurrentPrincipal,
    key: IdempotencyKey = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Cash or card, towards the order's balance; split tenders are several payments. A
    declined or timed-out card attempt is answered 201 too, with its status: it is recorded
    and pays nothing. Retry a lost answer with the same Idempotency-Key, never without: the
    card is charged once, and a retry while the terminal is still deciding waits for it."""
    database: TenantDatabase = request.app.state.database
    version = expected_version(body.version, if_match)
    async with database.transaction(principal) as connection:
        idempotency = await idempotency_of(request, connection, key)
        if (replay := await idempotency.replay()) is not None:
            return replay
        sale = online_sale(request, connection, principal)
        if body.tender == "cash":
            assert body.tendered_minor is not None
            payment, order = await commands.take_cash(
                sale.uow,
                sale.till,
                order_id=order_id,
                version=version,
                tendered_minor=body.tendered_minor,
            )
            await sale.uow.flush()
            return await idempotency.respond_json(payment_answer(payment, order), status_code=201)
        pending = await commands.pending_card(sale.uow, order_id=order_id, request_key=key)
        resume = pending is not None
        if pending is None:
            pending, order = await commands.start_card(
                sale.uow,
                sale.till,
                order_id=order_id,
                version=version,
                amount_minor=body.amount_minor,
                request_key=key,
            )
            await sale.uow.flush()
        currency = (await sale.uow.context()).currency
    # Committed: the terminal decides with no row locked and no connection held.
    return await _finish(request, principal, order_id, pending, currency, key, resume=resume)


async def _finish(
    request: Request,
    principal: Principal,
    order_id: UUID,
    payment: SalePayment,
    currency: str,
    key: str | None,
    *,
    resume: bool,
    status_code: int = 201,
) -> JSONResponse:
    database: TenantDatabase = request.app.state.database
    result, reachable = await _ask(request.app.state.terminal, payment, currency, resume=resume)
    if not reachable:
        raise TerminalUnavailable(payment_id=str(payment.id))
    async with database.transaction(principal) as connection:
        idempotency = await idempotency_of(request, connection, key)
        # A retry that raced this request may have finished the payment and answered.
        if (replay := await idempotency.replay()) is not None:
            return replay
        sale = online_sale(request, connection, principal)
        finished, order = await commands.finish_card(
            sale.uow, sale.till, order_id=order_id, payment_id=payment.id, result=result
        )
        await sale.uow.flush()
        return await idempotency.respond_json(
            payment_answer(finished, order), status_code=status_code
        )


@router.post(
    "/{order_id}/payments/{payment_id}/resolve",
    response_model=PaymentResult,
    dependencies=[requires(Permission.PAYMENTS_TAKE)],
    responses=merge_responses(
        IDEMPOTENT,
        problems(
            rules.OrderNotFound,
            commands.PaymentNotFound,
            rules.PaymentInProgress,
            TerminalUnavailable,
        ),
    ),
)
async def resolve_payment(
    order_id: UUID,
    payment_id: UUID,
    request: Request,
    principal: CurrentPrincipal,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Settle a card payment left `pending` (the till lost the answer and its key, or the
    service stopped while the terminal decided): the terminal's journal says what became
    of it, and that is applied. A payment already settled is answered as it is."""
    database: TenantDatabase = request.app.state.database
    async with database.transaction(principal) as connection:
        idempotency = await idempotency_of(request, connection, key)
        if (replay := await idempotency.replay()) is not None:
            return replay
        sale = online_sale(request, connection, principal)
        order = await sale.uow.sale(order_id)
        payment = next((p for p in order.payments if p.id == payment_id), None)
        if payment is None:
            raise commands.PaymentNotFound(payment_id=str(payment_id))
        if payment.status != "pending":
            return await idempotency.respond_json(payment_answer(payment, order), status_code=200)
        currency = order.currency
    return await _finish(
        request, principal, order_id, payment, currency, key, resume=True, status_code=200
    )


@router.post(
    "/{order_id}/close",
    response_model=ClosedOrder,
    dependencies=[requires(Permission.PAYMENTS_TAKE)],
    responses=merge_responses(
        VERSIONED,
        problems(
            rules.OrderNotFound,
            rules.OrderNotOpen,
            rules.PaymentInProgress,
            rules.PaymentsDoNotMatchTotal,
            commands.TotalMismatch,
            MenuChanging,
        ),
    ),
)
async def close_order(
    order_id: UUID,
    body: CloseRequest,
    sale: SaleAtTill,
    idempotency: Idempotent,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Close a fully paid order: its receipt is issued with the next number of the
    caller's register and never changes. Lines not yet sent to the kitchen or bar are sent,
    and the receipt is queued for the venue's receipt printer (`"print_receipt": false`: the
    customer wants no paper)."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    order, receipt = await commands.close_order(
        sale.uow,
        sale.till,
        order_id=order_id,
        version=expected_version(body.version, if_match),
        print_receipt=body.print_receipt,
    )
    await sale.uow.flush()
    content, _ = order_answer(order)
    answer = {"order": content, "receipt": commands.receipt_json(receipt)}
    return await idempotency.respond_json(answer, status_code=200)
