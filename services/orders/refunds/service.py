"""Refunds of closed orders: by line or by amount, never more than was paid, back to the
tenders it was paid with; above the business's refund limit with a manager's override.

The money of a line is its share of its tax group's gross (what the customer paid for it,
tax and service charge included), shared out over the group's lines by `allocate` and over
a line's units cumulatively, so refunding every unit of every line gives back exactly what
was charged. The tax of a refund comes from `pricing.refund_tax`, so all of an order's
refunds together un-tax exactly what its sale taxed. A refund issues its own receipt, which
names the original; the original is never changed.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any
from uuid import UUID

from libs.api.problems import Conflict, Problem
from libs.audit.append import Actor, AuditLog
from libs.auth.overrides import Override, OverrideAction, OverrideGate
from libs.auth.principal import Principal
from libs.bridge.queue import PrintQueue
from services.orders import pricing
from services.orders.concurrency import check_version
from services.orders.limits.repository import LimitsRepository
from services.orders.orders.repository import OrderRepository, tax_json
from services.orders.orders.schemas import Order, Payment, TaxLine
from services.orders.orders.service import (
    LineNotFound,
    OrderNotFound,
    actor_payload,
)
from services.orders.payments.terminal import PaymentTerminal, TerminalOutcome
from services.orders.printing import service as printing_service
from services.orders.printing.repository import PrintingRepository, RegisterPlace
from services.orders.receipts.repository import ReceiptRepository
from services.orders.receipts.service import issue_receipt
from services.orders.refunds.repository import RefundRepository
from services.orders.refunds.schemas import Refund, RefundRequest, RefundResult, RefundTender
from services.orders.shifts.repository import ShiftRepository
from services.orders.shifts.service import require_open_shift


class OrderNotClosed(Conflict):
    code = "order-not-closed"
    title = "Only a closed (paid) order can be refunded; void an open one"


class OverRefund(Conflict):
    code = "over-refund"
    title = "This is more than is left to refund"


class TendersDoNotMatch(Problem):
    status = 422
    code = "refund-tenders-do-not-match"
    title = "The tenders must be this order's approved payments and add up to the refund"


class TerminalRefundFailed(Problem):
    status = 502
    code = "terminal-refund-failed"
    title = "The card terminal did not approve the refund; nothing was refunded"


def line_money(order: Order) -> dict[int, int]:
    """Each active line's share of its tax group's gross (tax and service charge in)."""
    money: dict[int, int] = {}
    for group in order.tax:
        lines = [
            line
            for line in order.lines
            if line.status == "active" and Decimal(line.tax_rate) == Decimal(group.rate)
        ]
        shares = pricing.allocate(
            group.gross_minor, [line.total_minor + line.service_charge_minor for line in lines]
        )
        money |= {line.line_number: share for line, share in zip(lines, shares, strict=True)}
    return money


def _units(amount_minor: int, quantity: int, upto: int) -> int:
    """The money of the first `upto` of `quantity` units: cumulative, so every unit's
    share adds up to the whole."""
    return amount_minor * upto // quantity


def refund_amounts(
    order: Order, request: RefundRequest, earlier: dict[Decimal, tuple[int, int]]
) -> tuple[int, list[dict[str, Any]], list[TaxLine]]:
    """What a refund gives back (pure): its amount, the refunded lines, and tax per rate,
    given what earlier refunds of the order gave back per rate (gross, tax). Never more
    than was paid, per line or in all."""
    refundable = order.paid_minor - order.refunded_minor
    groups = {Decimal(group.rate): group for group in order.tax}

    by_rate: dict[Decimal, int] = {rate: 0 for rate in groups}
    refunded_lines: list[dict[str, Any]] = []
    if request.lines is not None:
        money = line_money(order)
        active = {line.line_number: line for line in order.lines if line.status == "active"}
        for asked in request.lines:
            line = active.get(asked.line_number)
            if line is None:
                raise LineNotFound(line_number=asked.line_number)
            already = line.refunded_quantity + sum(
                done["quantity"] for done in refunded_lines
                if done["line_number"] == asked.line_number
            )  # fmt: skip
            if already + asked.quantity > line.quantity:
                raise OverRefund(
                    f"Line {line.line_number} has {line.quantity - already} left to refund.",
                    line_number=line.line_number,
                )
            amount = _units(money[line.line_number], line.quantity, already + asked.quantity)
            amount -= _units(money[line.line_number], line.quantity, already)
            by_rate[Decimal(line.tax_rate)] += amount
            refunded_lines.append(
                {"line_number": line.line_number, "name": line.name,
                 "quantity": asked.quantity, "amount_minor": amount}
            )  # fmt: skip
        total = sum(by_rate.values())
        if total > refundable:
            # Cash rounding took a cent or two off what was paid: it comes off the refund
            # too, from the largest group.
            largest = max(by_rate, key=lambda rate: by_rate[rate])
            by_rate[largest] -= total - refundable
    else:
        assert request.amount_minor is not None
        left = {rate: group.gross_minor - earlier.get(rate, (0, 0))[0]
                for rate, group in groups.items()}  # fmt: skip
        if request.amount_minor > min(refundable, sum(left.values())):
            raise OverRefund(refundable_minor=min(refundable, sum(left.values())))
        rates = list(left)
        shares = pricing.allocate(request.amount_minor, [left[rate] for rate in rates])
        by_rate = dict(zip(rates, shares, strict=True))
    amount_minor = sum(by_rate.values())
    if amount_minor <= 0 or amount_minor > refundable:
        raise OverRefund(refundable_minor=refundable)

    tax_lines = []
    for rate, amount in by_rate.items():
        if amount == 0:
            continue
        group = groups[rate]
        done_gross, done_tax = earlier.get(rate, (0, 0))
        try:
            tax_minor = pricing.refund_tax(
                group_gross_minor=group.gross_minor, group_tax_minor=group.tax_minor,
                refunded_gross_minor=done_gross, refunded_tax_minor=done_tax,
                amount_minor=amount,
            )  # fmt: skip
        except pricing.PricingError as error:
            raise OverRefund(str(error)) from error
        tax_lines.append(
            TaxLine(
                rate=rate, net_minor=amount - tax_minor, tax_minor=tax_minor, gross_minor=amount
            )
        )

    return amount_minor, refunded_lines, tax_lines


async def refund_order(
    *,
    orders: OrderRepository,
    refunds: RefundRepository,
    receipts: ReceiptRepository,
    shifts: ShiftRepository,
    limits: LimitsRepository,
    printing: PrintingRepository,
    queue: PrintQueue,
    override: OverrideGate,
    terminal: PaymentTerminal,
    audit: AuditLog,
    principal: Principal,
    order_id: UUID,
    version: int,
    request: RefundRequest,
) -> RefundResult:
    order = await orders.get(order_id, for_update=True)
    if order is None:
        raise OrderNotFound()
    if order.status != "closed":
        raise OrderNotClosed(order_status=order.status)
    check_version(order.version, version)
    shift = await require_open_shift(shifts=shifts, principal=principal)
    earlier = await refunds.refunded_by_rate(order_id)
    amount_minor, refunded_lines, tax_lines = refund_amounts(order, request, earlier)

    refund_limit_minor = (await limits.current()).refund_limit_minor
    needed = amount_minor > refund_limit_minor
    approval: Override | None = None
    if needed or override.token is not None:
        approval = await override.consume(action=OverrideAction.REFUND, resource_id=str(order_id))

    refund_id = uuid.uuid4()
    tenders = await _pay_back(
        order, request, amount_minor=amount_minor, refund_id=refund_id, terminal=terminal
    )
    tax = tax_json(tax_lines)
    created_at = await refunds.insert(
        {
            "id": refund_id,
            "order_id": order_id,
            "shift_id": shift.id,
            "reason_code": request.reason_code.value,
            "note": request.note,
            "amount_minor": amount_minor,
            "tax_minor": sum(line.tax_minor for line in tax_lines),
            "lines": refunded_lines,
            "tax": tax,
            "created_by": principal.subject,
            "approved_by": str(approval.approver_id) if approval else None,
        },
        [{**tender.model_dump(), "shift_id": shift.id} for tender in tenders],
    )
    for tender in tenders:
        await orders.add_refunded_to_payment(tender.payment_id, tender.amount_minor)
    for done in refunded_lines:
        await refunds.add_refunded_to_line(
            order_id, done["line_number"], quantity=done["quantity"],
            amount_minor=done["amount_minor"],
        )  # fmt: skip
    await orders.update(order_id, {"refunded_minor": order.refunded_minor + amount_minor})
    refunded = await orders.get(order_id)
    assert refunded is not None
    refund = Refund(
        id=refund_id, order_id=order_id, shift_id=shift.id, reason_code=request.reason_code,
        note=request.note, amount_minor=amount_minor,
        tax_minor=sum(line.tax_minor for line in tax_lines), tax=tax_lines,
        lines=refunded_lines, tenders=tenders, created_by=principal.subject,
        approved_by=str(approval.approver_id) if approval else None, created_at=created_at,
    )  # fmt: skip
    original = await receipts.sale_receipt(order_id)
    receipt = await issue_receipt(
        receipts,
        shift=shift,
        kind="refund",
        order_id=order_id,
        currency=order.currency,
        total_minor=-amount_minor,
        snapshot={
            "order_id": str(order_id),
            "original_receipt_number": original.number if original else None,
            "currency": order.currency,
            "reason_code": request.reason_code.value,
            "lines": refunded_lines,
            "tax": tax,
            "tax_minor": refund.tax_minor,
            "amount_minor": amount_minor,
            "tenders": [
                tender.model_dump(mode="json", exclude={"payment_id"}) for tender in tenders
            ],
        },
        issued_by=principal.subject,
        refund_id=refund_id,
        original_receipt_id=original.id if original else None,
    )
    # The customer takes the refund receipt with the money.
    printed = await printing_service.print_receipt(
        printing=printing, queue=queue, principal=principal, receipt=receipt,
        register=RegisterPlace(number=shift.register_number, location_id=shift.location_id),
    )  # fmt: skip
    await audit.append(
        actor=Actor.of(principal),
        action="order.refunded",
        resource_type="order",
        resource_id=str(order_id),
        payload={
            **actor_payload(principal, approval),
            "requested_by": principal.subject,
            "refund_id": str(refund_id),
            "receipt_number": receipt.number,
            "original_receipt_number": original.number if original else None,
            "shift_id": str(shift.id),
            "reason_code": request.reason_code.value,
            "note": request.note,
            "amount_minor": amount_minor,
            "tax": tax,
            "lines": refunded_lines,
            "tenders": [tender.model_dump(mode="json") for tender in tenders],
            "override_required": needed,
            "refund_limit_minor": refund_limit_minor,
            "version": refunded.version,
            "receipt_print_job_id": str(printed.print_job_id),
        },
    )
    return RefundResult(refund=refund, order=refunded, receipt=receipt)


async def _pay_back(
    order: Order,
    request: RefundRequest,
    *,
    amount_minor: int,
    refund_id: UUID,
    terminal: PaymentTerminal,
) -> list[RefundTender]:
    """Which payments the money goes back to (as asked, or the latest first), each never
    more than is left of it; card amounts go back through the terminal."""
    plan = plan_tenders(order, request, amount_minor=amount_minor)
    tenders = []
    for payment, amount in plan:
        reference = auth_code = None
        if payment.tender == "card":
            result = await terminal.refund(
                amount_minor=amount, currency=order.currency, reference=f"{refund_id}/{payment.id}"
            )
            if result.outcome is not TerminalOutcome.APPROVED:
                raise TerminalRefundFailed(outcome=result.outcome.value)
            reference, auth_code = result.terminal_reference, result.auth_code
        tenders.append(
            RefundTender(payment_id=payment.id, tender=payment.tender, amount_minor=amount,
                         terminal_reference=reference, auth_code=auth_code)
        )  # fmt: skip
    return tenders


def plan_tenders(
    order: Order, request: RefundRequest, *, amount_minor: int
) -> list[tuple[Payment, int]]:
    """Which payments a refund goes back to (pure): as asked, or the latest first, each
    never more than is left of it."""
    approved = {p.id: p for p in order.payments if p.status == "approved"}
    if request.tenders is not None:
        plan = []
        for asked in request.tenders:
            payment = approved.get(asked.payment_id)
            if (
                payment is None
                or asked.amount_minor > payment.amount_minor - payment.refunded_minor
            ):
                raise TendersDoNotMatch(payment_id=str(asked.payment_id))
            plan.append((payment, asked.amount_minor))
        if sum(amount for _, amount in plan) != amount_minor:
            raise TendersDoNotMatch(f"The tenders must add up to {amount_minor}.")
    else:
        plan, left = [], amount_minor
        for payment in reversed(list(approved.values())):
            take = min(left, payment.amount_minor - payment.refunded_minor)
            if take > 0:
                plan.append((payment, take))
                left -= take
        if left:
            raise OverRefund(refundable_minor=amount_minor - left)
    return plan
