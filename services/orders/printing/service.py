"""What the paper says: a receipt's facts from its frozen snapshot, the venue's header, and
copies of receipts (reprints). The sale's commands (services/orders/sale/commands.py) decide
when a receipt, a kitchen or bar ticket or a VOID ticket is queued, in the transaction of the
event that causes it (libs/bridge/queue.py), so a receipt's paper exists exactly when the
receipt does, and a failed close prints nothing. The orders service cannot know whether the
venue has a Bridge running: jobs are queued anyway, and one that nobody prints expires
(HALOPOS_PRINT_JOB_MAX_AGE). A sale is never refused for its paper.

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
    ReceiptFacts,
    ReceiptItem,
    TaxRate,
    Tender,
    Venue,
    render_receipt,
)
from libs.bridge.queue import PrintJob, PrintQueue
from services.orders.printing.repository import PrintingRepository
from services.orders.printing.schemas import PrintQueued, ReprintRequest
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
            # The goods given back; cash handed back is rounded on top of them.
            total_minor=-amount,
            subtotal_minor=-amount,
            rounding_minor=-snapshot.get("rounding_minor", 0),
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


async def venue_of(printing: PrintingRepository, location_id: UUID) -> Venue:
    venue = await printing.venue(location_id)
    # Every register and order names a location of the business; should one ever be
    # missing, the paper says less rather than the sale failing.
    return venue or Venue(business_name="", venue_name="", time_zone="UTC")


def _receipt_name(receipt: Receipt) -> str:
    """For a job's summary: receipt R1-000123, refund receipt R1-000124."""
    return f"{'refund receipt' if receipt.kind == 'refund' else 'receipt'} {receipt.number}"


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
    receipt = await receipts.get(receipt_id, venues=principal.venues)
    if receipt is None:
        raise ReceiptNotFound()
    issued_at = await printing.register(receipt.register_id)
    assert issued_at is not None, "a receipt's register exists (foreign key)"
    here = await printing.register(principal.device_id) if principal.device_id else None
    printer = here or issued_at
    venue = await venue_of(printing, issued_at.location_id)
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
            "device_id": str(principal.device_id) if principal.device_id else None,
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
