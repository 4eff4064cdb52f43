"""Taking payment and closing an order with its receipt.

Cash: the customer hands over `tendered`; when cash settles the balance of an AUD order the
balance is rounded to 5c first, and the difference is kept as the order's explicit rounding
adjustment (prices and tax are not changed by it). Card: the terminal adapter
(payments/terminal.py) charges the amount and reports only scheme, last 4, auth code and its
reference. Declined and timed-out attempts are recorded too; only approved ones pay.

Money is taken at the register the caller stands at, into that register's open shift, which
is not necessarily where the order was opened (a table opened at the bar, paid at the door).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from libs.api.problems import Conflict
from libs.audit.append import Actor, AuditLog
from libs.auth.principal import Principal
from libs.bridge.queue import PrintQueue
from services.orders import pricing
from services.orders.orders.repository import OrderRepository
from services.orders.orders.schemas import Order
from services.orders.orders.service import (
    actor_payload,
    locked_open_order,
)
from services.orders.payments.schemas import ClosedOrder, PaymentRequest, PaymentResult
from services.orders.payments.terminal import PaymentTerminal, TerminalOutcome
from services.orders.printing import service as printing_service
from services.orders.printing.repository import PrintingRepository, RegisterPlace
from services.orders.receipts.repository import ReceiptRepository
from services.orders.receipts.service import issue_receipt
from services.orders.shifts.repository import ShiftRepository
from services.orders.shifts.service import require_open_shift


class NothingToPay(Conflict):
    code = "nothing-to-pay"
    title = "This order has no balance to pay"


class Overpayment(Conflict):
    code = "overpayment"
    title = "A card payment cannot be more than the balance"


class PaymentsDoNotMatchTotal(Conflict):
    code = "payments-do-not-match-total"
    title = "An order closes only when its payments equal its total"


async def take_payment(
    *,
    orders: OrderRepository,
    shifts: ShiftRepository,
    terminal: PaymentTerminal,
    audit: AuditLog,
    principal: Principal,
    order_id: UUID,
    version: int,
    request: PaymentRequest,
) -> PaymentResult:
    order = await locked_open_order(orders, order_id, version)
    shift = await require_open_shift(shifts=shifts, principal=principal)
    balance = order.balance_minor
    if balance <= 0:
        raise NothingToPay(balance_minor=balance)
    business = await orders.settings()
    payment_id = uuid.uuid4()
    values: dict[str, Any] = {
        "id": payment_id,
        "order_id": order_id,
        "shift_id": shift.id,
        "tender": request.tender,
        "created_by": principal.subject,
    }
    rounding = 0
    if request.tender == "cash":
        assert request.tendered_minor is not None
        # Rounding applies only when cash settles what is left.
        adjustment = pricing.cash_rounding(balance, business.cash_rounding_minor)
        due = balance + adjustment
        if request.tendered_minor >= due:
            rounding = adjustment
            applied, change = due, request.tendered_minor - due
        else:
            applied, change = request.tendered_minor, 0
        values |= {
            "status": "approved",
            "amount_minor": applied,
            "tendered_minor": request.tendered_minor,
            "change_minor": change,
            "rounding_minor": rounding,
        }
    else:
        amount = request.amount_minor or balance
        if amount > balance:
            raise Overpayment(balance_minor=balance, amount_minor=amount)
        result = await terminal.purchase(
            amount_minor=amount, currency=order.currency, reference=str(payment_id)
        )
        approved = result.outcome is TerminalOutcome.APPROVED
        values |= {
            "status": result.outcome.value,
            "amount_minor": amount,
            "scheme": result.scheme,
            "last4": result.last4,
            "auth_code": result.auth_code,
            "terminal_reference": result.terminal_reference,
        }
        applied = amount if approved else 0
    payment = None
    if values["amount_minor"] > 0:
        payment = await orders.insert_payment(values)
    await orders.update(
        order_id,
        {
            "paid_minor": order.paid_minor + applied,
            "rounding_minor": order.rounding_minor + rounding,
        },
    )
    paid = await orders.get(order_id)
    assert paid is not None
    await audit.append(
        actor=Actor.of(principal),
        action=f"payment.{values['status']}",
        resource_type="order",
        resource_id=str(order_id),
        payload={
            **actor_payload(principal),
            "payment_id": str(payment_id) if payment else None,
            "shift_id": str(shift.id),
            "tender": request.tender,
            "amount_minor": values["amount_minor"],
            "tendered_minor": values.get("tendered_minor"),
            "change_minor": values.get("change_minor"),
            "rounding_minor": rounding,
            "scheme": values.get("scheme"),
            "last4": values.get("last4"),
            "terminal_reference": values.get("terminal_reference"),
            "balance_minor": paid.balance_minor,
            "version": paid.version,
        },
    )
    return PaymentResult(payment=payment, order=paid)


def sale_snapshot(order: Order) -> dict[str, Any]:
    """What the receipt shows, frozen: the sold lines, taxes per rate, payments, totals."""
    return {
        "order_id": str(order.id),
        "location_id": str(order.location_id) if order.location_id else None,
        "table_name": order.table_name,
        "covers": order.covers,
        "currency": order.currency,
        "prices_include_tax": order.prices_include_tax,
        "lines": [
            {
                "line_number": line.line_number,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price_minor": line.unit_price_minor,
                "modifiers": [m.model_dump(mode="json") for m in line.modifiers],
                "tax_rate": str(line.tax_rate),
                "gross_minor": line.gross_minor,
                "discount_minor": line.discount_minor,
                "total_minor": line.total_minor,
            }
            for line in order.lines
            if line.status == "active"
        ],
        "subtotal_minor": order.subtotal_minor,
        "discount_minor": order.discount_minor,
        "service_charge_minor": order.service_charge_minor,
        "tax": [group.model_dump(mode="json") for group in order.tax],
        "tax_minor": order.tax_minor,
        "tip_minor": order.tip_minor,
        "total_minor": order.total_minor,
        "rounding_minor": order.rounding_minor,
        "paid_minor": order.paid_minor,
        "payments": [
            {
                "tender": p.tender,
                "amount_minor": p.amount_minor,
                "tendered_minor": p.tendered_minor,
                "change_minor": p.change_minor,
                "scheme": p.scheme,
                "last4": p.last4,
                "auth_code": p.auth_code,
            }
            for p in order.payments
            if p.status == "approved"
        ],
    }


async def close_order(
    *,
    orders: OrderRepository,
    shifts: ShiftRepository,
    receipts: ReceiptRepository,
    printing: PrintingRepository,
    queue: PrintQueue,
    audit: AuditLog,
    principal: Principal,
    order_id: UUID,
    version: int,
    print_receipt: bool = True,
) -> ClosedOrder:
    """Close a fully paid order and issue its receipt at the caller's register. Lines not yet
    sent to the kitchen or bar go now (counter service: pay, then it is made), and the
    receipt prints at the register's venue unless the customer wants no paper."""
    order = await locked_open_order(orders, order_id, version)
    shift = await require_open_shift(shifts=shifts, principal=principal)
    if order.balance_minor != 0:
        raise PaymentsDoNotMatchTotal(
            f"Due {order.total_minor + order.rounding_minor}, paid {order.paid_minor}.",
            due_minor=order.total_minor + order.rounding_minor,
            paid_minor=order.paid_minor,
        )
    await printing_service.fire_lines(
        order=order, printing=printing, queue=queue, audit=audit, principal=principal,
        version=order.version + 1, closing=True,
    )  # fmt: skip
    await orders.update(order_id, {"status": "closed", "closed_at": datetime.now(UTC)})
    closed = await orders.get(order_id)
    assert closed is not None
    receipt = await issue_receipt(
        receipts,
        shift=shift,
        kind="sale",
        order_id=order_id,
        currency=closed.currency,
        total_minor=closed.total_minor + closed.rounding_minor,
        snapshot=sale_snapshot(closed),
        issued_by=principal.subject,
    )
    printed = None
    if print_receipt:
        printed = await printing_service.print_receipt(
            printing=printing, queue=queue, principal=principal, receipt=receipt,
            register=RegisterPlace(number=shift.register_number, location_id=shift.location_id),
        )  # fmt: skip
    await audit.append(
        actor=Actor.of(principal),
        action="order.closed",
        resource_type="order",
        resource_id=str(order_id),
        payload={
            **actor_payload(principal),
            "receipt_id": str(receipt.id),
            "receipt_number": receipt.number,
            "shift_id": str(shift.id),
            "total_minor": closed.total_minor,
            "tax_minor": closed.tax_minor,
            "rounding_minor": closed.rounding_minor,
            "paid_minor": closed.paid_minor,
            "currency": closed.currency,
            "version": closed.version,
            "receipt_print_job_id": str(printed.print_job_id) if printed else None,
        },
    )
    return ClosedOrder(order=closed, receipt=receipt)
