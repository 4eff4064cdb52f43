"""Refunds over HTTP: the sale's `refund` command, in the request's transaction."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from libs.api.authentication import CurrentPrincipal
from libs.api.concurrency import VERSIONED, IfMatch, expected_version
from libs.api.overrides import PresentedOverride
from libs.api.permissions import requires
from libs.api.tenant_connection import EntitledUpFront, ensure_entitled
from libs.auth.overrides import OverrideAmountExceeded, OverrideGate, OverrideInvalid
from libs.problems import merge_responses, problems
from libs.rbac import Permission
from libs.tenancy.database import TenantDatabase
from services.orders.idempotency import IDEMPOTENT, IdempotencyKey, idempotency_of
from services.orders.payments.router import TerminalUnavailable
from services.orders.payments.terminal import PaymentTerminal, TerminalResult
from services.orders.refunds.schemas import RefundRequest, RefundResult
from services.orders.sale import commands, rules
from services.orders.sale.commands import Refunded, RefundStarted
from services.orders.sale.model import iso, order_json
from services.orders.sale.online import online_sale
from services.orders.sale.rules import RefundAsked

router = APIRouter(prefix="/v1/orders", tags=["refunds"])


def refund_json(done: Refunded) -> dict[str, Any]:
    refund = done.refund
    return {
        "refund": {
            "id": str(refund.id),
            "order_id": str(refund.order_id),
            "shift_id": str(refund.shift_id),
            "reason_code": refund.reason_code,
            "note": refund.note,
            "amount_minor": refund.amount_minor,
            "rounding_minor": refund.rounding_minor,
            "tax_minor": refund.tax_minor,
            "tax": refund.tax,
            "lines": refund.lines,
            "tenders": [
                {
                    "payment_id": str(tender.payment_id),
                    "tender": tender.tender,
                    "amount_minor": tender.amount_minor,
                    "terminal_reference": tender.terminal_reference,
                    "auth_code": tender.auth_code,
                }
                for tender in done.tenders
            ],
            "created_by": refund.created_by,
            "approved_by": refund.approved_by,
            "created_at": iso(refund.created_at),
        },
        "order": order_json(done.sale),
        "receipt": commands.receipt_json(done.receipt),
    }


@router.post(
    "/{order_id}/refunds",
    status_code=201,
    response_model=RefundResult,
    dependencies=[requires(Permission.REFUNDS_CREATE), EntitledUpFront],
    # Above the refund limit: X-Override-Token for `refund` on this order.
    # `terminal-unavailable`: the refund waits; send it again with the same Idempotency-Key.
    responses=merge_responses(
        VERSIONED,
        IDEMPOTENT,
        problems(
            OverrideInvalid,
            OverrideAmountExceeded,
            rules.OrderNotFound,
            rules.LineNotFound,
            rules.OrderNotClosed,
            rules.OverRefund,
            rules.TendersDoNotMatch,
            commands.RefundInProgress,
            commands.TerminalRefundFailed,
            TerminalUnavailable,
        ),
    ),
)
async def refund_order(
    order_id: UUID,
    body: RefundRequest,
    request: Request,
    principal: CurrentPrincipal,
    key: IdempotencyKey = None,
    override_token: PresentedOverride = None,
    if_match: IfMatch = None,
) -> JSONResponse:
    """Refund lines (`lines`: line number and quantity) or an amount of a closed order, with
    a reason code. Cash handed back is rounded like cash taken (AUD: to 5c; `rounding_minor`).
    The refund gets its own receipt naming the original, queued for the venue's receipt
    printer. Money going back to a card is given back by the terminal with nothing held
    meanwhile (a retry with the same Idempotency-Key resumes it, never refunding twice)."""
    database: TenantDatabase = request.app.state.database
    version = expected_version(body.version, if_match)
    async with database.transaction(principal) as connection:
        idempotency = await idempotency_of(request, connection, key)
        # A retry gets its first answer, whatever the subscription has become since.
        if (replay := await idempotency.replay()) is not None:
            return replay
        await ensure_entitled(connection, request)
        keys = request.app.state.authenticator.tokens.keys
        gate = OverrideGate(
            connection=connection, keys=keys, principal=principal, token=override_token
        )
        sale = online_sale(request, connection, principal, gate)
        started = await commands.pending_refund(sale.uow, order_id=order_id, request_key=key)
        resume = started is not None
        if started is None:
            done = await commands.refund(
                sale.uow,
                sale.till,
                order_id=order_id,
                version=version,
                asked=RefundAsked.of(body),
                reason_code=body.reason_code.value,
                note=body.note,
                request_key=key,
            )
            await sale.uow.flush()
            if isinstance(done, Refunded):
                return await idempotency.respond_json(refund_json(done), status_code=201)
            started = done
    # Committed: the terminal gives the money back with no row locked, no connection held.
    results = await _card_refunds(request.app.state.terminal, started, resume=resume)
    async with database.transaction(principal) as connection:
        idempotency = await idempotency_of(request, connection, key)
        if (replay := await idempotency.replay()) is not None:
            return replay
        sale = online_sale(request, connection, principal)
        finished = await commands.finish_refund(
            sale.uow, sale.till, order_id=order_id, refund_id=started.refund_id, results=results
        )
        await sale.uow.flush()
        if isinstance(finished, Refunded):
            return await idempotency.respond_json(refund_json(finished), status_code=201)
    raise commands.TerminalRefundFailed(outcome=finished.outcome, refund_id=str(finished.refund_id))


async def _card_refunds(
    terminal: PaymentTerminal, started: RefundStarted, *, resume: bool
) -> dict[UUID, TerminalResult | None]:
    """What the terminal answered for each card. Resuming asks its journal; a terminal that
    cannot be asked leaves the refund waiting (503: send the request again)."""
    results: dict[UUID, TerminalResult | None] = {}
    try:
        for card in started.cards:
            if resume and (known := await terminal.lookup(reference=card.reference)):
                results[card.payment_id] = known
            elif resume:
                results[card.payment_id] = None
            else:
                results[card.payment_id] = await terminal.refund(
                    amount_minor=card.amount_minor,
                    currency=started.currency,
                    reference=card.reference,
                )
    except Exception:
        raise TerminalUnavailable(refund_id=str(started.refund_id)) from None
    return results
