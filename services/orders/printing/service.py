"""What the orders service prints, and when: receipts at close and refund, kitchen and bar
tickets when an order is fired (or closed with lines not yet sent), copies of receipts.

Every job is queued in the transaction of the event that causes it (libs/bridge/queue.py),
so a receipt's paper exists exactly when the receipt does, and a failed close prints nothing.
The orders service cannot know whether the venue has a Bridge running: jobs are queued anyway,
and one that nobody prints expires (HALOPOS_PRINT_JOB_MAX_AGE). A sale is never refused for
its paper.

No SQL here and no commit.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from libs.audit.append import Actor, AuditLog
from libs.auth.principal import Principal
from libs.bridge.escpos import (
    KitchenTicket,
    ReceiptFacts,
    ReceiptItem,
    TaxRate,
    Tender,
    TicketItem,
    Venue,
    render_kitchen_ticket,
    render_receipt,
)
from libs.bridge.queue import PrintJob, PrintQueue
from services.orders.orders.repository import OrderRepository
from services.orders.orders.schemas import Order
from services.orders.orders.service import actor_payload, locked_open_order
from services.orders.printing.repository import PrintingRepository, RegisterPlace
from services.orders.printing.schemas import FiredTicket, FireResult, PrintQueued, ReprintRequest
from services.orders.receipts.repository import ReceiptRepository
from services.orders.receipts.schemas import Receipt
from services.orders.receipts.service import ReceiptNotFound

# The order in which an order's tickets are sent (and listed): food first.
PRINTER_ROLES: tuple[Literal["kitchen", "bar"], ...] = ("kitchen", "bar")
STATIONS = {"kitchen": "Kitchen", "bar": "Bar"}


def order_reference(order_id: UUID) -> str:
    """How a kitchen ticket names an order that has no table: the start of its id."""
    return order_id.hex[:8].upper()


def _tax(groups: list[dict[str, Any]], sign: int = 1) -> tuple[TaxRate, ...]:
    return tuple(
        TaxRate(
            rate=Decimal(str(group["rate"])),
            net_minor=sign * group["net_minor"],
            tax_minor=sign * group["tax_minor"],
            gross_minor=sign * group["gross_minor"],
        )
        for group in groups
    )


def receipt_facts(receipt: Receipt, *, register_number: int) -> ReceiptFacts:
    """What the paper shows, from the receipt's frozen snapshot. Of a card payment only the
    scheme and the last 4 digits are taken: the auth code and the terminal's reference stay
    in the database."""
    snapshot = receipt.snapshot
    if receipt.kind == "refund":
        amount = snapshot.get("amount_minor", -receipt.total_minor)
        items = tuple(
            ReceiptItem(
                name=line["name"], amount_minor=-line["amount_minor"], quantity=line["quantity"]
            )
            for line in snapshot.get("lines", [])
        )
        if not items:
            # Refunded by amount: money back, no goods.
            items = (ReceiptItem(name="Amount refunded", amount_minor=-amount, quantity=None),)
        reason = snapshot.get("reason_code")
        return ReceiptFacts(
            kind="refund",
            number=receipt.number,
            register_number=register_number,
            issued_at=receipt.issued_at,
            currency=receipt.currency,
            # A refund gives back gross amounts: its tax is inside them.
            prices_include_tax=True,
            items=items,
            tax=_tax(snapshot.get("tax", []), sign=-1),
            total_minor=receipt.total_minor,
            subtotal_minor=receipt.total_minor,
            tax_minor=-snapshot.get("tax_minor", 0),
            tenders=tuple(
                Tender(tender=tender["tender"], amount_minor=-tender["amount_minor"])
                for tender in snapshot.get("tenders", [])
            ),
            original_receipt_number=snapshot.get("original_receipt_number"),
            reason=reason.replace("_", " ") if reason else None,
        )
    return ReceiptFacts(
        kind="sale",
        number=receipt.number,
        register_number=register_number,
        issued_at=receipt.issued_at,
        currency=receipt.currency,
        prices_include_tax=snapshot.get("prices_include_tax", True),
        items=tuple(
            ReceiptItem(
                name=line["name"],
                amount_minor=line["gross_minor"],
                quantity=line["quantity"],
                unit_price_minor=line["unit_price_minor"],
                modifiers=tuple(modifier["name"] for modifier in line.get("modifiers", [])),
            )
            for line in snapshot.get("lines", [])
        ),
        tax=_tax(snapshot.get("tax", [])),
        total_minor=snapshot.get("total_minor", receipt.total_minor),
        subtotal_minor=snapshot.get("subtotal_minor", 0),
        discount_minor=snapshot.get("discount_minor", 0),
        service_charge_minor=snapshot.get("service_charge_minor", 0),
        tax_minor=snapshot.get("tax_minor", 0),
        tip_minor=snapshot.get("tip_minor", 0),
        rounding_minor=snapshot.get("rounding_minor", 0),
        tenders=tuple(
            Tender(
                tender=payment["tender"],
                amount_minor=payment["amount_minor"],
                tendered_minor=payment.get("tendered_minor"),
                change_minor=payment.get("change_minor"),
                scheme=payment.get("scheme"),
                last4=payment.get("last4"),
            )
            for payment in snapshot.get("payments", [])
        ),
        table_name=snapshot.get("table_name"),
        covers=snapshot.get("covers"),
    )


async def _venue(printing: PrintingRepository, location_id: UUID) -> Venue:
    venue = await printing.venue(location_id)
    # Every register and order names a location of the business; should one ever be
    # missing, the paper says less rather than the sale failing.
    return venue or Venue(business_name="", venue_name="", time_zone="UTC")


def _receipt_name(receipt: Receipt) -> str:
    """For a job's summary: receipt R1-000123, refund receipt R1-000124."""
    return f"{'refund receipt' if receipt.kind == 'refund' else 'receipt'} {receipt.number}"


async def print_receipt(
    *,
    printing: PrintingRepository,
    queue: PrintQueue,
    principal: Principal,
    receipt: Receipt,
    register: RegisterPlace,
) -> PrintQueued:
    """Queue a receipt just issued for the receipt printer of its register's venue."""
    venue = await _venue(printing, register.location_id)
    facts = receipt_facts(receipt, register_number=register.number)
    name = _receipt_name(receipt)
    job = PrintJob(
        location_id=register.location_id,
        printer_role="receipt",
        kind="receipt",
        summary=name[0].upper() + name[1:],
        body=render_receipt(facts, venue=venue),
        order_id=receipt.order_id,
        receipt_id=receipt.id,
        register_number=register.number,
    )
    job_id = await queue.enqueue(job, actor=Actor.of(principal))
    return PrintQueued(
        print_job_id=job_id, location_id=job.location_id, printer_role="receipt",
        kind="receipt", summary=job.summary, receipt_id=receipt.id,
    )  # fmt: skip


async def fire_lines(
    *,
    order: Order,
    printing: PrintingRepository,
    queue: PrintQueue,
    audit: AuditLog,
    principal: Principal,
    version: int,
    closing: bool,
) -> list[FiredTicket]:
    """Send the order's lines not yet sent to where they are made: one ticket per printer
    role, each line once. The caller holds the order locked and bumps its version (to
    `version`). Nothing to send: nothing changes, no audit row."""
    lines = await printing.unfired_lines(order.id)
    location_id = order.location_id or principal.location_id
    if not lines or location_id is None:
        return []
    venue = await _venue(printing, location_id)
    register = await printing.register(order.register_id) if order.register_id else None
    reference = order_reference(order.id)
    fired_at = datetime.now(UTC)
    tickets = []
    for role in PRINTER_ROLES:
        role_lines = [line for line in lines if line.printer_role == role]
        if not role_lines:
            continue
        ticket = KitchenTicket(
            station=STATIONS[role],
            order_reference=reference,
            fired_at=fired_at,
            items=tuple(
                TicketItem(line.quantity, line.name, line.modifiers) for line in role_lines
            ),
            table_name=order.table_name,
            covers=order.covers,
            register_number=register.number if register else None,
        )
        where = f"table {order.table_name}" if order.table_name else f"order {reference}"
        job_id = await queue.enqueue(
            PrintJob(
                location_id=location_id,
                printer_role=role,
                kind="kitchen_ticket",
                summary=f"{STATIONS[role]}: {where}",
                body=render_kitchen_ticket(ticket, venue=venue),
                order_id=order.id,
                register_number=register.number if register else None,
            ),
            actor=Actor.of(principal),
        )
        tickets.append(
            FiredTicket(
                printer_role=role,
                line_numbers=[line.line_number for line in role_lines],
                print_job_id=job_id,
            )
        )
    await printing.mark_fired(order.id, [line.line_number for line in lines], fired_at)
    await audit.append(
        actor=Actor.of(principal),
        action="order.fired",
        resource_type="order",
        resource_id=str(order.id),
        payload={
            **actor_payload(principal),
            "lines": {ticket.printer_role: ticket.line_numbers for ticket in tickets},
            "print_job_ids": {ticket.printer_role: str(ticket.print_job_id) for ticket in tickets},
            "closing": closing,
            "version": version,
        },
    )
    return tickets


async def fire_order(
    *,
    orders: OrderRepository,
    printing: PrintingRepository,
    queue: PrintQueue,
    audit: AuditLog,
    principal: Principal,
    order_id: UUID,
    version: int,
) -> FireResult:
    """Send an open order's new lines to the kitchen and bar. Only lines not sent before go,
    so firing again after adding a course sends just that course."""
    order = await locked_open_order(orders, order_id, version)
    tickets = await fire_lines(
        order=order, printing=printing, queue=queue, audit=audit, principal=principal,
        version=order.version + 1, closing=False,
    )  # fmt: skip
    if not tickets:
        return FireResult(order=order, tickets=[])
    await orders.update(order_id, {})
    fired = await orders.get(order_id)
    assert fired is not None
    return FireResult(order=fired, tickets=tickets)


async def reprint_receipt(
    *,
    receipts: ReceiptRepository,
    printing: PrintingRepository,
    queue: PrintQueue,
    audit: AuditLog,
    principal: Principal,
    receipt_id: UUID,
    request: ReprintRequest,
) -> PrintQueued:
    """A copy of a receipt, from its snapshot, under a COPY banner. It prints at the caller's
    register when the caller stands at one (the customer is there), else at the venue where
    the receipt was issued; the header is always the issuing venue's."""
    receipt = await receipts.get(receipt_id)
    if receipt is None:
        raise ReceiptNotFound()
    issued_at = await printing.register(receipt.register_id)
    assert issued_at is not None, "a receipt's register exists (foreign key)"
    here = await printing.register(principal.device_id) if principal.device_id else None
    printer = here or issued_at
    venue = await _venue(printing, issued_at.location_id)
    facts = receipt_facts(receipt, register_number=issued_at.number)
    summary = f"Copy of {_receipt_name(receipt)}"
    job = PrintJob(
        location_id=printer.location_id,
        printer_role="receipt",
        kind="reprint",
        summary=summary,
        body=render_receipt(facts, venue=venue, reprinted_at=datetime.now(UTC)),
        order_id=receipt.order_id,
        receipt_id=receipt.id,
        register_number=printer.number,
    )
    job_id = await queue.enqueue(job, actor=Actor.of(principal))
    await audit.append(
        actor=Actor.of(principal),
        action="receipt.reprinted",
        resource_type="receipt",
        resource_id=str(receipt.id),
        payload={
            **actor_payload(principal),
            "receipt_number": receipt.number,
            "reason": request.reason,
            "print_job_id": str(job_id),
            "location_id": str(printer.location_id),
        },
    )
    return PrintQueued(
        print_job_id=job_id,
        location_id=printer.location_id,
        printer_role="receipt",
        kind="reprint",
        summary=summary,
        receipt_id=receipt.id,
    )
