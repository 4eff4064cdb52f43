"""Every state change of a sale, one command each, top to bottom: open an order, add, change
and void lines, change the order (table, covers, discount, service charge, tip), fire it to
the kitchen and bar, take cash, take a card (in two steps around the terminal, or as a till
recorded it offline), close it with its receipt, refund it, void it; and the shift around it:
open, move cash, close (or force-close).

The online routes and the offline sync call these same commands. A command reads what it
needs through the unit of work (unit_of_work.py), decides with the pure rules (rules.py:
pricing, limits, refunds) and the policy it runs under (policy.py: online or offline), and
only then changes the sale and records what it made: a refusal (a `Problem`) always comes
before the first change, so a refused command leaves everything as it was. Nothing here
writes SQL or commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from libs.api.concurrency import check_version
from libs.audit.append import Actor
from libs.auth.overrides import Approved, OverrideAction
from libs.auth.principal import Principal
from libs.bridge.escpos import KitchenTicket, TicketItem, render_kitchen_ticket, render_receipt
from libs.bridge.queue import PrintJob
from libs.problems import Conflict, Problem
from libs.sales.shift_report import (
    CashMovementKind,
    CountAmount,
    TenderAmounts,
    ZReport,
    shift_report,
    z_report,
)
from libs.webhooks import payloads as webhook
from services.orders import pricing
from services.orders.payments.terminal import TerminalOutcome, TerminalResult
from services.orders.printing.service import (
    PRINTER_ROLES,
    STATIONS,
    order_reference,
    receipt_facts,
)
from services.orders.receipts.schemas import Receipt
from services.orders.sale.model import Sale, SaleLine, SalePayment, iso
from services.orders.sale.policy import Approval, ApprovalRequest, Policy
from services.orders.sale.repository import (
    ReceiptRow,
    RefundRow,
    RefundTenderRow,
    Series,
    ShiftRef,
)
from services.orders.sale.rules import (
    DiscountChangeFirst,
    LineNotFound,
    LineVoided,
    NothingToPay,
    OrderHasPayments,
    OrderIdConflict,
    OrderNotClosed,
    OrderNotOpen,
    Overpayment,
    PaymentInProgress,
    PaymentsDoNotMatchTotal,
    PricingRefused,
    ReasonRequired,
    RefundAsked,
    RefundPlan,
    Terms,
    Wanted,
    apply_price,
    cash_taken,
    discount_needs_approval,
    discount_roundings,
    price,
    priced_lines,
    refund_plan,
    sale_snapshot,
    tax_json,
    voided_part,
)
from services.orders.sale.unit_of_work import UnitOfWork
from services.orders.shifts.repository import ShiftRepository
from services.orders.shifts.schemas import CashMovement, Shift
from services.orders.shifts.service import (
    OPEN_ATTEMPTS,
    RegisterRequired,
    ShiftAlreadyOpen,
    ShiftClosed,
    ShiftHasOpenOrders,
    ShiftIdConflict,
    ShiftNotFound,
    WrongRegister,
    ensure_register,
    reissue_z_report,
)


class TotalMismatch(Conflict):
    code = "total-mismatch"
    title = "The total the till printed is not the server's"


# The longest a terminal takes to decide a card payment (a real one: about a minute). A
# pending payment the terminal has no record of after this long was never charged.
TERMINAL_DECISION_SECONDS = 120


class PaymentNotFound(Problem):
    status = 404
    code = "payment-not-found"
    title = "No such payment on this order"


class PaymentIdConflict(Conflict):
    code = "payment-id-conflict"
    title = "A payment with this id already exists"


@dataclass(frozen=True, slots=True)
class Till:
    """Who does a command, where and when, and under which policy: the verified session (a
    till's session reaches its own venue only) and the policy (online or offline)."""

    principal: Principal
    policy: Policy

    @property
    def at(self) -> datetime:
        return self.policy.at

    @property
    def staff(self) -> str:
        return self.principal.subject


@dataclass(frozen=True, slots=True)
class Ticket:
    """A kitchen or bar ticket a command queued."""

    printer_role: Literal["kitchen", "bar"]
    line_numbers: list[int]
    print_job_id: UUID


@dataclass(frozen=True, slots=True)
class Refunded:
    refund: RefundRow
    tenders: list[RefundTenderRow]
    sale: Sale
    receipt: ReceiptRow


# -- reading what a command works on ---------------------------------------------------------


async def _open_sale(uow: UnitOfWork, till: Till, order_id: UUID, version: int | None) -> Sale:
    """An open order the caller reaches, at the version the caller changed (online; an
    offline operation is applied in the till's own order, unversioned)."""
    sale = await uow.sale(order_id)
    if version is not None:
        check_version(sale.version, version)
    if sale.status != "open":
        raise OrderNotOpen(f"This order is {sale.status}.", order_status=sale.status)
    if (pending := sale.pending_payment) is not None:
        raise PaymentInProgress(payment_id=str(pending.id))
    return sale


def _line(sale: Sale, line_number: int) -> SaleLine:
    line = sale.line(line_number)
    if line is None:
        raise LineNotFound(line_number=line_number)
    if not line.active:
        raise LineVoided(line_number=line_number)
    return line


def _expected_total(till: Till, sale: Sale, expected_minor: int | None, server_minor: int) -> None:
    """An offline operation carries the total the till printed: the server's figures stand,
    and a difference is flagged for review."""
    if expected_minor is not None and expected_minor != server_minor:
        till.policy.mismatch(
            TotalMismatch(),
            "total-mismatch",
            "order",
            sale.id,
            client_total_minor=expected_minor,
            server_total_minor=server_minor,
            difference_minor=expected_minor - server_minor,
        )


async def _discount_needed(
    uow: UnitOfWork, sale: Sale, priced: pricing.OrderPrice, *, taking_items_off: bool = False
) -> bool:
    """Whether going from the sale as it is to `priced` needs a manager for the discount
    (rules.discount_needs_approval: the same rule up and down)."""
    limits = await uow.limits()
    return discount_needs_approval(
        priced,
        before_minor=sale.discount_minor,
        before_subtotal_minor=sale.subtotal_minor,
        limit_bps=limits.discount_limit_bps,
        taking_items_off=taking_items_off,
    )


async def _discount_approval(
    uow: UnitOfWork, till: Till, sale: Sale, priced: pricing.OrderPrice
) -> Approval | None:
    """A change of the discount that crosses the business's limit, either way, or that
    changes a discount over it, needs a manager for this order, for the resulting discount
    (the order's whole discount, as an amount or as a share of its subtotal)."""
    limits = await uow.limits()
    needed = await _discount_needed(uow, sale, priced)
    return await till.policy.approve(
        ApprovalRequest(
            action=OverrideAction.DISCOUNT,
            resource_type="order",
            resource_id=str(sale.id),
            needed=needed,
            amount_minor=priced.discount_minor,
            limits=limits,
            share_of_minor=priced.subtotal_minor,
            roundings=discount_roundings(priced),
        )
    )


def _discount_change_first(reason: str) -> DiscountChangeFirst:
    return DiscountChangeFirst(
        f"{reason} Each needs its own manager's approval: change the discount on its own "
        "first, then take the items off."
    )


async def _void_approval(
    uow: UnitOfWork, till: Till, *, amount_minor: int, resource_id: str
) -> tuple[Approval | None, bool, int]:
    """Above the business's void limit a void needs a manager's approval for this resource
    (the order, or `<order id>/lines/<line number>`)."""
    limits = await uow.limits()
    needed = amount_minor > limits.void_limit_minor
    approval = await till.policy.approve(
        ApprovalRequest(
            action=OverrideAction.VOID,
            resource_type="order",
            resource_id=resource_id,
            needed=needed,
            amount_minor=amount_minor,
            limits=limits,
        )
    )
    return approval, needed, limits.void_limit_minor


# -- open an order ------------------------------------------------------------------------------


def _same_order(
    sale: Sale,
    wanted: Sequence[Wanted],
    table_name: str | None,
    covers: int | None,
    discount: pricing.Discount | None,
    service_charge_bps: int,
) -> bool:
    """Whether a retried order says what the stored one says."""
    lines = [
        (line.item_id, line.quantity, sorted(str(m["id"]) for m in line.modifiers), line.discount)
        for line in sale.lines
    ]
    asked = [
        (line.item_id, line.quantity, sorted(str(m) for m in line.modifier_ids), line.discount)
        for line in wanted
    ]
    return (
        lines == asked
        and sale.discount == discount
        and (sale.table_name, sale.covers, sale.service_charge_bps)
        == (table_name, covers, service_charge_bps)
    )


async def open_order(
    uow: UnitOfWork,
    till: Till,
    *,
    order_id: UUID | None,
    wanted: Sequence[Wanted],
    table_name: str | None = None,
    covers: int | None = None,
    discount: pricing.Discount | None = None,
    service_charge_bps: int = 0,
    tip_minor: int = 0,
    expected_total_minor: int | None = None,
) -> tuple[int, Sale]:
    """Open an order in the shift of the caller's register, with its first lines.

    (201, order); or (200, order) when a client retries an order it created with its own id
    and the same content online (offline, an id that exists is a conflict: the operation log
    already made replays exactly-once)."""
    policy = till.policy
    shift = await policy.shift(uow, till.principal)
    if order_id is not None and (existing := await uow.find(order_id)) is not None:
        reached = existing.location_id is not None and till.principal.reaches(existing.location_id)
        if (
            policy.offline
            or not reached
            or not _same_order(existing, wanted, table_name, covers, discount, service_charge_bps)
        ):
            raise OrderIdConflict(order_id=str(order_id))
        return 200, existing
    context = await uow.context()
    menu = await uow.menu(shift.location_id)
    lines = priced_lines(
        menu, wanted, first_number=1, at=till.at, added_by=till.staff, offline=policy.offline
    )
    sale = Sale(
        id=order_id or uuid.uuid4(),
        status="open",
        currency=context.currency,
        location_id=shift.location_id,
        register_id=shift.register_id,
        shift_id=shift.id,
        prices_include_tax=context.prices_include_tax,
        created_by=till.staff,
        created_at=till.at,
        table_name=table_name,
        covers=covers,
        discount=discount,
        service_charge_bps=service_charge_bps,
        tip_minor=tip_minor,
        lines=lines,
    )
    priced = price(sale, lines, Terms.of(sale))
    approval = await _discount_approval(uow, till, sale, priced)
    _expected_total(till, sale, expected_total_minor, priced.total_minor)

    apply_price(sale, priced)
    uow.add(sale)
    uow.audit(
        "order.opened",
        "order",
        sale.id,
        {
            **policy.stamp(till.principal, approval),
            "shift_id": str(shift.id),
            "register_id": str(shift.register_id),
            "table_name": sale.table_name,
            "covers": sale.covers,
            "lines": [
                {
                    "line_number": line.line_number,
                    "item_id": str(line.item_id),
                    "quantity": line.quantity,
                    "unit_price_minor": line.unit_price_minor,
                    "tax_rate": str(line.tax_rate),
                }
                for line in sale.lines
            ],
            "discount_minor": sale.discount_minor,
            "tip_minor": sale.tip_minor,
            "total_minor": sale.total_minor,
            "currency": sale.currency,
        },
    )
    return 201, sale


# -- lines --------------------------------------------------------------------------------------


async def add_line(
    uow: UnitOfWork, till: Till, *, order_id: UUID, version: int | None, wanted: Wanted
) -> Sale:
    sale = await _open_sale(uow, till, order_id, version)
    menu = await uow.menu(sale.location_id)
    (line,) = priced_lines(
        menu,
        [wanted],
        first_number=sale.next_line_number,
        at=till.at,
        added_by=till.staff,
        offline=till.policy.offline,
    )
    priced = price(sale, [*sale.lines, line], Terms.of(sale))
    approval = await _discount_approval(uow, till, sale, priced)

    sale.lines.append(line)
    apply_price(sale, priced)
    sale.changed()
    uow.audit(
        "order.line_added",
        "order",
        sale.id,
        {
            **till.policy.stamp(till.principal, approval),
            "line_number": line.line_number,
            "item_id": str(line.item_id),
            "name": line.name,
            "quantity": line.quantity,
            "unit_price_minor": line.unit_price_minor,
            "modifiers": [modifier["id"] for modifier in line.modifiers],
            "tax_rate": str(line.tax_rate),
            "total_minor": sale.total_minor,
            "version": sale.version,
        },
    )
    return sale


# A field a change request did not send (None would clear it).
UNCHANGED: Any = object()


async def change_line(
    uow: UnitOfWork,
    till: Till,
    *,
    order_id: UUID,
    line_number: int,
    version: int | None,
    quantity: int | None = None,
    discount: pricing.Discount | None = UNCHANGED,
    reason_code: str | None = None,
    sent: dict[str, Any] | None = None,
) -> Sale:
    """Quantity up or down, or the line's discount. Fewer than before voids the difference:
    it needs a reason, and above the void limit a manager's approval for this line; a
    part already sent to the kitchen or bar is cancelled there with a VOID ticket.

    One approval per request: fewer units with a discount change that needs a manager, or
    fewer units that would push the order's discount over the limit, is refused (409
    `discount-change-first`): the discount is changed on its own first."""
    sale = await _open_sale(uow, till, order_id, version)
    line = _line(sale, line_number)
    changes: dict[str, Any] = {}
    approval: Approval | None = None
    voided_minor, reduced_by = 0, 0
    if quantity is not None and quantity != line.quantity:
        if quantity < line.quantity:
            if reason_code is None:
                raise ReasonRequired()
            voided_minor, reduced_by = voided_part(line, quantity), line.quantity - quantity
        changes["quantity"] = quantity
    if discount is not UNCHANGED:
        changes["discount"] = discount
    priced = price(sale, sale.lines, Terms.of(sale), changes={line_number: changes})
    if reduced_by:
        if await _discount_needed(uow, sale, priced, taking_items_off=discount is UNCHANGED):
            raise _discount_change_first(
                "Taking these units off changes a discount that needs a manager's approval."
            )
        approval, _, _ = await _void_approval(
            uow, till, amount_minor=voided_minor, resource_id=f"{order_id}/lines/{line_number}"
        )
        discount_approval = None
    else:
        discount_approval = await _discount_approval(uow, till, sale, priced)
    tickets = await _void_tickets(uow, till, sale, [(line, reduced_by)]) if reduced_by else []

    quantity_before = line.quantity
    if changes:
        line.quantity = changes.get("quantity", line.quantity)
        line.discount = changes.get("discount", line.discount)
        line.dirty = True
    apply_price(sale, priced)
    sale.changed()
    uow.audit(
        "order.line_changed",
        "order",
        sale.id,
        {
            **till.policy.stamp(till.principal, approval or discount_approval),
            "line_number": line_number,
            "changes": sent or {},
            "quantity_before": quantity_before,
            "reason_code": reason_code,
            "voided_minor": voided_minor,
            **_after_voids(sale, tickets),
        },
    )
    return sale


def _after_voids(sale: Sale, tickets: Sequence[Ticket]) -> dict[str, Any]:
    """What an audit entry of a change that voids items adds: the VOID tickets it printed and
    the order as it is left."""
    return {
        "void_print_job_ids": [str(ticket.print_job_id) for ticket in tickets],
        "total_minor": sale.total_minor,
        "version": sale.version,
    }


async def void_line(
    uow: UnitOfWork,
    till: Till,
    *,
    order_id: UUID,
    line_number: int,
    version: int | None,
    reason_code: str,
    note: str | None,
) -> Sale:
    """Take a line off an unpaid order. It stays on the order, voided, with its reason;
    above the void limit with a manager's approval for this line. Sent to the kitchen or
    bar already: a VOID ticket cancels it there.

    Order of answers: 404 (order, then line), then the approval (403), then the version and
    the order's state (409), so an override is spent only by a void that happens."""
    sale = await uow.sale(order_id)
    line = sale.line(line_number)
    if line is None:
        raise LineNotFound(line_number=line_number)
    approval, needed, void_limit_minor = await _void_approval(
        uow, till, amount_minor=line.total_minor, resource_id=f"{order_id}/lines/{line_number}"
    )
    sale = await _open_sale(uow, till, order_id, version)
    if not line.active:
        raise LineVoided(line_number=line_number)
    if sale.paid_minor > 0:
        raise OrderHasPayments()
    priced = price(sale, [other for other in sale.lines if other is not line], Terms.of(sale))
    if await _discount_needed(uow, sale, priced, taking_items_off=True):
        raise _discount_change_first(
            "Voiding this line would leave the order's discount over the business's limit."
        )
    tickets = await _void_tickets(uow, till, sale, [(line, line.quantity)])

    line.status, line.void_reason, line.dirty = "voided", reason_code, True
    apply_price(sale, priced)
    sale.changed()
    uow.audit(
        "order.line_voided",
        "order",
        sale.id,
        {
            **till.policy.stamp(till.principal, approval),
            "requested_by": till.staff,
            "line_number": line_number,
            "name": line.name,
            "quantity": line.quantity,
            "amount_minor": line.total_minor,
            "reason_code": reason_code,
            "note": note,
            "override_required": needed,
            "void_limit_minor": void_limit_minor,
            **_after_voids(sale, tickets),
        },
    )
    return sale


# -- the order as a whole ------------------------------------------------------------------------


async def change_order(
    uow: UnitOfWork,
    till: Till,
    *,
    order_id: UUID,
    version: int | None,
    changes: dict[str, Any],
    sent: dict[str, Any] | None = None,
) -> Sale:
    """Table, covers, order discount (a `pricing.Discount` or None), service charge, tip:
    only the fields in `changes` change."""
    sale = await _open_sale(uow, till, order_id, version)
    if changes.get("service_charge_bps", 0) is None or changes.get("tip_minor", 0) is None:
        raise PricingRefused("service_charge_bps and tip_minor cannot be null; send 0.")
    terms = Terms(
        changes.get("discount", sale.discount),
        changes.get("service_charge_bps", sale.service_charge_bps),
        changes.get("tip_minor", sale.tip_minor),
    )
    priced = price(sale, sale.lines, terms)
    approval = await _discount_approval(uow, till, sale, priced)

    total_before = sale.total_minor
    sale.table_name = changes.get("table_name", sale.table_name)
    sale.covers = changes.get("covers", sale.covers)
    sale.discount, sale.service_charge_bps = terms.discount, terms.service_charge_bps
    apply_price(sale, priced)
    sale.changed()
    uow.audit(
        "order.changed",
        "order",
        sale.id,
        {
            **till.policy.stamp(till.principal, approval),
            "changes": sent or {},
            "total_before_minor": total_before,
            "total_minor": sale.total_minor,
            "version": sale.version,
        },
    )
    return sale


async def void_order(
    uow: UnitOfWork,
    till: Till,
    *,
    order_id: UUID,
    version: int | None,
    reason_code: str,
    note: str | None,
) -> Sale:
    """Void an unpaid open order; above the business's void limit (0 by default: every
    void) with a manager's approval for this order. Lines sent to the kitchen or bar are
    cancelled there with a VOID ticket.

    Order of answers: another venue's, another business's or an unknown order is 404 before
    any approval is looked at; then the approval (403); then the order's state and version
    (409), so an override is spent exactly when the void happens."""
    sale = await uow.sale(order_id)
    approval, needed, void_limit_minor = await _void_approval(
        uow, till, amount_minor=sale.total_minor, resource_id=str(order_id)
    )
    if sale.status != "open":
        raise OrderNotOpen(f"This order is {sale.status}.", order_status=sale.status)
    if version is not None:
        check_version(sale.version, version)
    if (pending := sale.pending_payment) is not None:
        raise PaymentInProgress(payment_id=str(pending.id))
    if sale.paid_minor > 0:
        raise OrderHasPayments()
    # Offline, the order's shift may have closed since: the void arrives late to it.
    shift = await uow.shift(sale.shift_id) if till.policy.offline and sale.shift_id else None
    if shift is not None:
        till.policy.late(shift)
    sent = [line for line in sale.active_lines if line.fired_at is not None]
    tickets = await _void_tickets(uow, till, sale, [(line, line.quantity) for line in sent])

    sale.status, sale.closed_at = "voided", till.at
    sale.changed()
    uow.audit(
        "order.voided",
        "order",
        sale.id,
        {
            **till.policy.stamp(till.principal, approval),
            "requested_by": till.staff,
            "override_required": needed,
            "void_limit_minor": void_limit_minor,
            "reason_code": reason_code,
            "note": note,
            "void_print_job_ids": [str(ticket.print_job_id) for ticket in tickets],
            "total_minor": sale.total_minor,
            "currency": sale.currency,
            "version": sale.version,
        },
    )
    uow.emit(
        webhook.OrderVoided(
            order_id=sale.id,
            location_id=sale.location_id,
            currency=sale.currency,
            total_minor=sale.total_minor,
            reason_code=reason_code,
            voided_at=till.at,
            offline=till.policy.offline,
        ),
        occurred_at=till.at,
    )
    return sale


# -- the kitchen and the bar -----------------------------------------------------------------


def _station(line: SaleLine, printer_roles: dict[UUID, str | None]) -> str | None:
    return printer_roles.get(line.item_id) if line.item_id else None


async def _printer_roles(uow: UnitOfWork, sale: Sale) -> dict[UUID, str | None]:
    menu = await uow.menu(sale.location_id)
    roles: dict[UUID, str | None] = {}
    for line in sale.lines:
        if line.item_id is not None and (item := menu.item(line.item_id)) is not None:
            roles[line.item_id] = item.printer_role
    return roles


async def _tickets(
    uow: UnitOfWork,
    till: Till,
    sale: Sale,
    lines: Sequence[tuple[SaleLine, int]],
    *,
    void: bool,
) -> list[Ticket]:
    """Queue a ticket per station for these lines (and quantities): what to make, or (`void`)
    what to stop making. Lines of a category made nowhere never print."""
    if not till.policy.prints or not lines or sale.location_id is None:
        return []
    roles = await _printer_roles(uow, sale)
    venue = await uow.venue(sale.location_id)
    register = await uow.register_number(sale.register_id)
    reference = order_reference(sale.id)
    tickets = []
    for role in PRINTER_ROLES:
        role_lines = [(line, quantity) for line, quantity in lines if _station(line, roles) == role]
        if not role_lines:
            continue
        ticket = KitchenTicket(
            station=STATIONS[role],
            order_reference=reference,
            fired_at=till.at,
            items=tuple(
                TicketItem(quantity, line.name, tuple(m["name"] for m in line.modifiers))
                for line, quantity in role_lines
            ),
            table_name=sale.table_name,
            covers=sale.covers,
            register_number=register,
            void=void,
        )
        where = f"table {sale.table_name}" if sale.table_name else f"order {reference}"
        job_id = uow.queue_print(
            PrintJob(
                location_id=sale.location_id,
                printer_role=role,
                kind="kitchen_ticket",
                summary=f"{'VOID ' if void else ''}{STATIONS[role]}: {where}",
                body=render_kitchen_ticket(ticket, venue=venue),
                order_id=sale.id,
                register_number=register,
            )
        )
        tickets.append(Ticket(role, [line.line_number for line, _ in role_lines], job_id))
    return tickets


async def _void_tickets(
    uow: UnitOfWork, till: Till, sale: Sale, lines: Sequence[tuple[SaleLine, int]]
) -> list[Ticket]:
    """VOID tickets for what was already sent to a station and is taken off the order."""
    sent = [(line, quantity) for line, quantity in lines if line.fired_at is not None]
    return await _tickets(uow, till, sale, sent, void=True)


async def _fire(uow: UnitOfWork, till: Till, sale: Sale, *, closing: bool) -> list[Ticket]:
    """Send the order's active lines not sent before to where they are made. The caller
    bumps the version. Nothing to send: nothing changes, no audit row."""
    unfired = [(line, line.quantity) for line in sale.active_lines if line.fired_at is None]
    tickets = await _tickets(uow, till, sale, unfired, void=False)
    if not tickets:
        return []
    fired = {number for ticket in tickets for number in ticket.line_numbers}
    for line in sale.lines:
        if line.line_number in fired:
            line.fired_at, line.dirty = till.at, True
    uow.audit(
        "order.fired",
        "order",
        sale.id,
        {
            **till.policy.stamp(till.principal),
            "lines": {ticket.printer_role: ticket.line_numbers for ticket in tickets},
            "print_job_ids": {ticket.printer_role: str(ticket.print_job_id) for ticket in tickets},
            "closing": closing,
            "version": sale.version + (0 if closing else 1),
        },
    )
    return tickets


async def fire(
    uow: UnitOfWork, till: Till, *, order_id: UUID, version: int | None
) -> tuple[Sale, list[Ticket]]:
    """Send an open order's new lines to the kitchen and bar: only lines not sent before,
    so firing again after adding a course sends just that course."""
    sale = await _open_sale(uow, till, order_id, version)
    tickets = await _fire(uow, till, sale, closing=False)
    if tickets:
        sale.changed()
    return sale, tickets


# -- payments ------------------------------------------------------------------------------------


def _payment_audit(
    till: Till,
    sale: Sale,
    payment: SalePayment | None,
    shift: ShiftRef,
    *,
    amount_minor: int,
    rounding_minor: int,
) -> dict[str, Any]:
    return {
        **till.policy.stamp(till.principal),
        "payment_id": str(payment.id) if payment else None,
        "shift_id": str(shift.id),
        "tender": payment.tender if payment else "cash",
        "amount_minor": amount_minor,
        "tendered_minor": payment.tendered_minor if payment else None,
        "change_minor": payment.change_minor if payment else None,
        "rounding_minor": rounding_minor,
        "scheme": payment.scheme if payment else None,
        "last4": payment.last4 if payment else None,
        "terminal_reference": payment.terminal_reference if payment else None,
        "card_verification": payment.card_verification if payment else None,
        "balance_minor": sale.balance_minor,
        "version": sale.version,
    }


async def _payable(
    uow: UnitOfWork, till: Till, order_id: UUID, version: int | None, payment_id: UUID | None
) -> tuple[Sale, ShiftRef]:
    sale = await _open_sale(uow, till, order_id, version)
    shift = await till.policy.shift(uow, till.principal)
    if payment_id is not None and any(payment.id == payment_id for payment in sale.payments):
        raise PaymentIdConflict(payment_id=str(payment_id))
    return sale, shift


async def take_cash(
    uow: UnitOfWork,
    till: Till,
    *,
    order_id: UUID,
    version: int | None,
    tendered_minor: int,
    payment_id: UUID | None = None,
) -> tuple[SalePayment | None, Sale]:
    """Cash towards the balance, into the shift of the register it was taken at (not
    necessarily where the order was opened: a table opened at the bar, paid at the door).
    Cash that settles the balance pays it rounded to the smallest coin (AUD: 5c), and the
    difference is the order's rounding adjustment; change is worked out."""
    sale, shift = await _payable(uow, till, order_id, version, payment_id)
    balance = sale.balance_minor
    if balance <= 0:
        till.policy.mismatch(
            NothingToPay(balance_minor=balance),
            "overpayment",
            "order",
            sale.id,
            payment_id=str(payment_id) if payment_id else None,
            tender="cash",
            tendered_minor=tendered_minor,
            balance_minor=balance,
        )
    context = await uow.context()
    cash = cash_taken(max(balance, 0), tendered_minor, rounding_step=context.cash_rounding_minor)

    payment = None
    if cash.applied_minor > 0:
        payment = SalePayment(
            id=payment_id or uuid.uuid4(),
            shift_id=shift.id,
            tender="cash",
            status="approved",
            amount_minor=cash.applied_minor,
            created_by=till.staff,
            created_at=till.at,
            tendered_minor=tendered_minor,
            change_minor=cash.change_minor,
            rounding_minor=cash.rounding_minor,
        )
        sale.payments.append(payment)
    sale.paid_minor += cash.applied_minor
    sale.rounding_minor += cash.rounding_minor
    sale.changed()
    uow.audit(
        "payment.approved",
        "order",
        sale.id,
        _payment_audit(
            till,
            sale,
            payment,
            shift,
            amount_minor=cash.applied_minor,
            rounding_minor=cash.rounding_minor,
        ),
    )
    return payment, sale


async def start_card(
    uow: UnitOfWork,
    till: Till,
    *,
    order_id: UUID,
    version: int | None,
    amount_minor: int | None,
    request_key: str | None,
) -> tuple[SalePayment, Sale]:
    """The first of a card payment's two steps: the payment is recorded as `pending` and
    committed before the terminal is asked, so the terminal's minute holds no lock and no
    connection, and a till that loses the answer (or a server that dies) finds the payment
    and resumes it instead of charging twice. The order takes no other change meanwhile."""
    sale, shift = await _payable(uow, till, order_id, version, None)
    balance = sale.balance_minor
    if balance <= 0:
        raise NothingToPay(balance_minor=balance)
    amount = amount_minor or balance
    if amount > balance:
        raise Overpayment(balance_minor=balance, amount_minor=amount)

    payment = SalePayment(
        id=uuid.uuid4(),
        shift_id=shift.id,
        tender="card",
        status="pending",
        amount_minor=amount,
        created_by=till.staff,
        created_at=till.at,
        card_verification="terminal",
        request_key=request_key,
    )
    sale.payments.append(payment)
    sale.changed()
    uow.audit(
        "payment.started",
        "order",
        sale.id,
        _payment_audit(till, sale, payment, shift, amount_minor=amount, rounding_minor=0),
    )
    return payment, sale


async def pending_card(
    uow: UnitOfWork,
    *,
    order_id: UUID,
    payment_id: UUID | None = None,
    request_key: str | None = None,
) -> SalePayment | None:
    """The order's card payment waiting for the terminal: the one named, or the one the
    request with this Idempotency-Key started (a retry resumes it instead of charging
    again)."""
    sale = await uow.sale(order_id)
    pending = sale.pending_payment
    if pending is None or (payment_id is None and request_key is None):
        return None
    if payment_id is not None and pending.id != payment_id:
        return None
    if request_key is not None and pending.request_key != request_key:
        return None
    return pending


async def finish_card(
    uow: UnitOfWork,
    till: Till,
    *,
    order_id: UUID,
    payment_id: UUID,
    result: TerminalResult | None,
) -> tuple[SalePayment, Sale]:
    """The second step: what the terminal answered (approved, declined, timed out), applied
    to the pending payment. `result` None: the terminal's journal has no such transaction;
    once the terminal could no longer be deciding it, nothing was charged (the payment is
    timed out), and before that it is still in progress. A payment already finished (a
    racing retry) is left as it is."""
    sale = await uow.sale(order_id)
    payment = next((p for p in sale.payments if p.id == payment_id), None)
    if payment is None:
        raise PaymentNotFound(payment_id=str(payment_id))
    if payment.status != "pending":
        return payment, sale
    if result is None:
        if (till.at - payment.created_at).total_seconds() < TERMINAL_DECISION_SECONDS:
            raise PaymentInProgress(payment_id=str(payment.id))
        result = TerminalResult(
            outcome=TerminalOutcome.TIMED_OUT,
            amount_minor=payment.amount_minor,
            terminal_reference="",
        )
    shift = await uow.shift(payment.shift_id)
    assert shift is not None, "a payment's shift exists (foreign key)"

    approved = result.outcome is TerminalOutcome.APPROVED
    payment.status = result.outcome.value
    payment.scheme, payment.last4, payment.auth_code = result.scheme, result.last4, result.auth_code
    payment.terminal_reference = result.terminal_reference or None
    payment.dirty = True
    sale.paid_minor += payment.amount_minor if approved else 0
    sale.changed()
    uow.audit(
        f"payment.{payment.status}",
        "order",
        sale.id,
        _payment_audit(
            till, sale, payment, shift, amount_minor=payment.amount_minor, rounding_minor=0
        ),
    )
    return payment, sale


@dataclass(frozen=True, slots=True)
class CardEvidence:
    """What a terminal reports of a card it approved while the till was offline (store and
    forward): never more than a receipt shows."""

    scheme: str
    last4: str
    auth_code: str
    terminal_id: str
    authorised_at: datetime
    terminal_reference: str | None = None


async def record_card(
    uow: UnitOfWork,
    till: Till,
    *,
    order_id: UUID,
    payment_id: UUID,
    amount_minor: int,
    evidence: CardEvidence,
    uploaded_at: datetime,
    max_age_seconds: int,
) -> tuple[SalePayment, Sale]:
    """A card payment the terminal approved while the till was offline: recorded with the
    terminal's evidence and marked unverified until the shift's card settlement matches it
    (the Z report shows it). One uploaded too long after it happened is flagged: the
    acquirer may never settle it; more than the balance is flagged too."""
    sale, shift = await _payable(uow, till, order_id, None, payment_id)
    policy = till.policy
    balance = sale.balance_minor
    age = (uploaded_at - till.at).total_seconds()
    if age > max_age_seconds:
        policy.flag(
            "stale-card-payment",
            "order",
            sale.id,
            payment_id=str(payment_id),
            amount_minor=amount_minor,
            age_seconds=int(age),
            limit_seconds=max_age_seconds,
        )
    if amount_minor > max(balance, 0):
        policy.mismatch(
            Overpayment(balance_minor=balance, amount_minor=amount_minor),
            "overpayment",
            "order",
            sale.id,
            payment_id=str(payment_id),
            amount_minor=amount_minor,
            balance_minor=balance,
        )

    payment = SalePayment(
        id=payment_id,
        shift_id=shift.id,
        tender="card",
        status="approved",
        amount_minor=amount_minor,
        created_by=till.staff,
        created_at=till.at,
        scheme=evidence.scheme,
        last4=evidence.last4,
        auth_code=evidence.auth_code,
        terminal_reference=evidence.terminal_reference,
        card_verification="unverified",
        terminal_id=evidence.terminal_id,
        authorised_at=evidence.authorised_at,
    )
    sale.payments.append(payment)
    sale.paid_minor += amount_minor
    sale.changed()
    audit = _payment_audit(till, sale, payment, shift, amount_minor=amount_minor, rounding_minor=0)
    audit |= {
        "terminal_id": evidence.terminal_id,
        "authorised_at": evidence.authorised_at.isoformat(),
    }
    uow.audit("payment.approved", "order", sale.id, audit)
    return payment, sale


# -- closing -----------------------------------------------------------------------------------


async def close_order(
    uow: UnitOfWork,
    till: Till,
    *,
    order_id: UUID,
    version: int | None,
    print_receipt: bool = True,
    expected_total_minor: int | None = None,
) -> tuple[Sale, ReceiptRow]:
    """Close a fully paid order and issue its receipt at the caller's register. Lines not yet
    sent to the kitchen or bar go now (counter service: pay, then it is made), and the
    receipt prints at the register's venue unless the customer wants no paper."""
    sale = await _open_sale(uow, till, order_id, version)
    policy = till.policy
    shift = await policy.shift(uow, till.principal)
    due = sale.total_minor + sale.rounding_minor
    if sale.balance_minor != 0:
        policy.mismatch(
            PaymentsDoNotMatchTotal(
                f"Due {due}, paid {sale.paid_minor}.", due_minor=due, paid_minor=sale.paid_minor
            ),
            "payments-do-not-match-total",
            "order",
            sale.id,
            due_minor=due,
            paid_minor=sale.paid_minor,
        )
    _expected_total(till, sale, expected_total_minor, due)
    series, sequence, number = await policy.receipt_number(uow, shift)

    await _fire(uow, till, sale, closing=True)
    sale.status, sale.closed_at = "closed", till.at
    sale.changed()
    snapshot = sale_snapshot(sale)
    receipt = _receipt(
        till, shift, sale, numbering=(series, sequence, number), total_minor=due, snapshot=snapshot
    )
    uow.record_receipt(receipt)
    printed = None
    if policy.prints and print_receipt:
        printed = await _print_receipt(uow, receipt, shift)
    uow.audit(
        "order.closed",
        "order",
        sale.id,
        {
            **policy.stamp(till.principal),
            "receipt_id": str(receipt.id),
            "receipt_number": receipt.number,
            "shift_id": str(shift.id),
            "total_minor": sale.total_minor,
            "tax_minor": sale.tax_minor,
            "rounding_minor": sale.rounding_minor,
            "paid_minor": sale.paid_minor,
            "currency": sale.currency,
            "version": sale.version,
            "receipt_print_job_id": str(printed) if printed else None,
            "client_total_minor": expected_total_minor,
        },
    )
    uow.emit(
        webhook.OrderClosed(
            order_id=sale.id,
            location_id=sale.location_id,
            receipt_id=receipt.id,
            receipt_number=receipt.number,
            shift_id=shift.id,
            currency=sale.currency,
            total_minor=sale.total_minor,
            tax_minor=sale.tax_minor,
            rounding_minor=sale.rounding_minor,
            paid_minor=sale.paid_minor,
            closed_at=till.at,
            offline=policy.offline,
        ),
        occurred_at=till.at,
    )
    return sale, receipt


def receipt_json(receipt: ReceiptRow) -> dict[str, Any]:
    """A receipt as `GET /v1/receipts/{id}` answers it."""
    return {
        "id": str(receipt.id),
        "number": receipt.number,
        "register_id": str(receipt.register_id),
        "series": receipt.series,
        "sequence": receipt.sequence,
        "kind": receipt.kind,
        "order_id": str(receipt.order_id),
        "shift_id": str(receipt.shift_id),
        "refund_id": str(receipt.refund_id) if receipt.refund_id else None,
        "original_receipt_id": (
            str(receipt.original_receipt_id) if receipt.original_receipt_id else None
        ),
        "currency": receipt.currency,
        "total_minor": receipt.total_minor,
        "snapshot": receipt.snapshot,
        "issued_by": receipt.issued_by,
        "issued_at": iso(receipt.issued_at),
    }


def receipt_view(receipt: ReceiptRow) -> Receipt:
    return Receipt.model_construct(
        id=receipt.id,
        number=receipt.number,
        register_id=receipt.register_id,
        series=receipt.series,
        sequence=receipt.sequence,
        kind=receipt.kind,
        order_id=receipt.order_id,
        shift_id=receipt.shift_id,
        refund_id=receipt.refund_id,
        original_receipt_id=receipt.original_receipt_id,
        currency=receipt.currency,
        total_minor=receipt.total_minor,
        snapshot=receipt.snapshot,
        issued_by=receipt.issued_by,
        issued_at=receipt.issued_at,
    )


def _receipt(
    till: Till,
    shift: ShiftRef,
    sale: Sale,
    *,
    numbering: tuple[Series, int, str],
    total_minor: int,
    snapshot: dict[str, Any],
    refund: tuple[UUID, UUID | None] | None = None,
) -> ReceiptRow:
    """A sale's receipt, or with `refund` (its id, and the sale's receipt if it had one) a
    refund's, numbered in the register's series; one taken offline says so in its snapshot."""
    series, sequence, number = numbering
    kind: Literal["sale", "refund"] = "sale" if refund is None else "refund"
    refund_id, original_receipt_id = refund if refund is not None else (None, None)
    # Numbered by the till from its offline series: the receipt says so. A live close (the till
    # was online, the server numbered it) is an online receipt, whichever way it came.
    if till.policy.offline and series == "O":
        snapshot = {**snapshot, "offline": till.policy.stamp(till.principal)["offline"]}
    return ReceiptRow(
        id=uuid.uuid4(),
        register_id=shift.register_id,
        series=series,
        sequence=sequence,
        number=number,
        kind=kind,
        order_id=sale.id,
        shift_id=shift.id,
        refund_id=refund_id,
        original_receipt_id=original_receipt_id,
        currency=sale.currency,
        total_minor=total_minor,
        snapshot={**snapshot, "receipt_number": number, "kind": kind},
        issued_by=till.staff,
        issued_at=till.at,
    )


async def _print_receipt(uow: UnitOfWork, receipt: ReceiptRow, shift: ShiftRef) -> UUID:
    """Queue a receipt just issued for the receipt printer of its register's venue."""
    venue = await uow.venue(shift.location_id)
    facts = receipt_facts(receipt_view(receipt), register_number=shift.register_number)
    name = f"{'refund receipt' if receipt.kind == 'refund' else 'receipt'} {receipt.number}"
    return uow.queue_print(
        PrintJob(
            location_id=shift.location_id,
            printer_role="receipt",
            kind="receipt",
            summary=name[0].upper() + name[1:],
            body=render_receipt(facts, venue=venue),
            order_id=receipt.order_id,
            receipt_id=receipt.id,
            register_number=shift.register_number,
        )
    )


# -- refunds -------------------------------------------------------------------------------------


class TerminalRefundFailed(Problem):
    status = 502
    code = "terminal-refund-failed"
    title = "The card terminal did not give the money back; nothing was refunded"


async def plan_refund(
    uow: UnitOfWork,
    till: Till,
    *,
    order_id: UUID,
    version: int | None,
    asked: RefundAsked,
) -> tuple[Sale, ShiftRef, RefundPlan]:
    """What a refund of a closed order gives back, and to which tenders; refuses what it
    may not (over-refund, an order not closed, no open shift at this register)."""
    sale = await uow.sale(order_id)
    if sale.status != "closed":
        raise OrderNotClosed(order_status=sale.status)
    if version is not None:
        check_version(sale.version, version)
    shift = await till.policy.shift(uow, till.principal)
    earlier = await uow.earlier_refunds(order_id)
    rounding_step = (await uow.context()).cash_rounding_minor
    return sale, shift, refund_plan(sale, asked, earlier, rounding_step=rounding_step)


async def approve_refund(
    uow: UnitOfWork, till: Till, sale: Sale, plan: RefundPlan
) -> tuple[Approval | None, bool, int]:
    """Above the business's refund limit, a refund needs a manager's approval."""
    limits = await uow.limits()
    needed = plan.amount_minor > limits.refund_limit_minor
    approval = await till.policy.approve(
        ApprovalRequest(
            action=OverrideAction.REFUND,
            resource_type="order",
            resource_id=str(sale.id),
            needed=needed,
            amount_minor=plan.amount_minor,
            limits=limits,
        )
    )
    return approval, needed, limits.refund_limit_minor


class RefundInProgress(Conflict):
    code = "refund-in-progress"
    title = "A card refund of this order is waiting for the terminal; finish it first"


@dataclass(frozen=True, slots=True)
class CardRefund:
    """Money the terminal must give back to a card: a payment, an amount, the reference
    the terminal knows the refund by (asking again about it never refunds twice)."""

    payment_id: UUID
    amount_minor: int
    reference: str


@dataclass(frozen=True, slots=True)
class RefundStarted:
    """A card refund recorded as started and committed: the terminal is asked next."""

    refund_id: UUID
    cards: tuple[CardRefund, ...]
    currency: str
    started_at: datetime


@dataclass(frozen=True, slots=True)
class RefundDeclined:
    """The terminal did not give the money back: nothing was refunded."""

    refund_id: UUID
    outcome: str


def _asked_json(asked: RefundAsked) -> dict[str, Any]:
    return {
        "lines": [list(line) for line in asked.lines] if asked.lines is not None else None,
        "amount_minor": asked.amount_minor,
        "tenders": (
            [[str(payment), amount] for payment, amount in asked.tenders]
            if asked.tenders is not None
            else None
        ),
    }


def _asked_from(stored: dict[str, Any]) -> RefundAsked:
    return RefundAsked(
        lines=tuple((n, q) for n, q in stored["lines"]) if stored["lines"] is not None else None,
        amount_minor=stored["amount_minor"],
        tenders=(
            tuple((UUID(payment), amount) for payment, amount in stored["tenders"])
            if stored["tenders"] is not None
            else None
        ),
    )


async def refund(
    uow: UnitOfWork,
    till: Till,
    *,
    order_id: UUID,
    version: int | None,
    asked: RefundAsked,
    reason_code: str,
    note: str | None,
    refund_id: UUID | None = None,
    expected_total_minor: int | None = None,
    request_key: str | None = None,
) -> Refunded | RefundStarted:
    """Refund a closed order by line or by amount: never more than was paid, per line and
    per tender, back to the tenders it was paid with. Cash handed back is rounded like cash
    taken; the refund issues its own receipt, which names the original, at the caller's
    register.

    Money going back to a card takes the terminal up to a minute: online, such a refund is
    recorded as started (the order takes no other refund meanwhile) and committed, the
    terminal is asked with nothing held, and `finish_refund` applies what it answered.
    Offline, the till has refunded the card already: it is recorded as it did."""
    policy = till.policy
    sale, shift, plan = await plan_refund(
        uow, till, order_id=order_id, version=version, asked=asked
    )
    if sale.pending_refund is not None:
        raise RefundInProgress(refund_id=sale.pending_refund["refund_id"])
    approval, needed, refund_limit_minor = await approve_refund(uow, till, sale, plan)
    _expected_total(till, sale, expected_total_minor, plan.amount_minor)
    refund_id = refund_id or uuid.uuid4()
    cards = tuple(
        CardRefund(tender.payment.id, tender.amount_minor, f"{refund_id}/{tender.payment.id}")
        for tender in plan.tenders
        if tender.payment.tender == "card"
    )
    if cards and not policy.offline:
        sale.pending_refund = {
            "refund_id": str(refund_id),
            "request_key": request_key,
            "shift_id": str(shift.id),
            "asked": _asked_json(asked),
            "amount_minor": plan.amount_minor,
            "reason_code": reason_code,
            "note": note,
            "approval": approval.payload() if approval else None,
            "override_required": needed,
            "refund_limit_minor": refund_limit_minor,
            "started_at": iso(till.at),
            "cards": [[str(c.payment_id), c.amount_minor, c.reference] for c in cards],
        }
        sale.changed()
        uow.audit(
            "refund.started",
            "order",
            sale.id,
            {
                **policy.stamp(till.principal, approval),
                "refund_id": str(refund_id),
                "amount_minor": plan.amount_minor,
                "shift_id": str(shift.id),
                "cards": [
                    {"payment_id": str(c.payment_id), "amount_minor": c.amount_minor} for c in cards
                ],
                "version": sale.version,
            },
        )
        return RefundStarted(refund_id, cards, sale.currency, till.at)
    return await _refunded(
        uow,
        till,
        sale,
        shift,
        plan,
        approval,
        refund_id=refund_id,
        reason_code=reason_code,
        note=note,
        cards={},
        override_required=needed,
        refund_limit_minor=refund_limit_minor,
    )


async def pending_refund(
    uow: UnitOfWork, *, order_id: UUID, request_key: str | None
) -> RefundStarted | None:
    """The order's card refund waiting for the terminal, if the request with this
    Idempotency-Key started it (a retry resumes it instead of refunding again)."""
    if request_key is None:
        return None
    sale = await uow.sale(order_id)
    pending = sale.pending_refund
    if pending is None or pending["request_key"] != request_key:
        return None
    return _started(sale, pending)


def _started(sale: Sale, pending: dict[str, Any]) -> RefundStarted:
    return RefundStarted(
        refund_id=UUID(pending["refund_id"]),
        cards=tuple(CardRefund(UUID(p), amount, ref) for p, amount, ref in pending["cards"]),
        currency=sale.currency,
        started_at=datetime.fromisoformat(pending["started_at"]),
    )


async def finish_refund(
    uow: UnitOfWork,
    till: Till,
    *,
    order_id: UUID,
    refund_id: UUID,
    results: dict[UUID, TerminalResult | None],
) -> Refunded | RefundDeclined:
    """A started card refund, with what the terminal answered for each card: all approved,
    the refund is made as `refund` would have made it (at the register and in the shift it
    was started in); otherwise nothing is refunded. `None`: the terminal's journal has no
    such refund; once it could no longer be deciding, nothing was given back."""
    sale = await uow.sale(order_id)
    pending = sale.pending_refund
    if pending is None or pending["refund_id"] != str(refund_id):
        raise RefundInProgress("This refund is no longer waiting for the terminal.")
    started = _started(sale, pending)
    if any(result is None for result in results.values()) and (
        (till.at - started.started_at).total_seconds() < TERMINAL_DECISION_SECONDS
    ):
        raise RefundInProgress(refund_id=str(refund_id))
    outcomes = {
        payment_id: result.outcome if result else TerminalOutcome.TIMED_OUT
        for payment_id, result in results.items()
    }
    sale.pending_refund = None
    sale.changed()
    if any(outcome is not TerminalOutcome.APPROVED for outcome in outcomes.values()):
        outcome = next(o for o in outcomes.values() if o is not TerminalOutcome.APPROVED)
        uow.audit(
            "refund.declined",
            "order",
            sale.id,
            {
                **till.policy.stamp(till.principal),
                "refund_id": str(refund_id),
                "outcome": outcome.value,
                "version": sale.version,
            },
        )
        return RefundDeclined(refund_id, outcome.value)
    shift = await uow.shift(UUID(pending["shift_id"]))
    assert shift is not None, "the shift the refund was started in exists"
    earlier = await uow.earlier_refunds(order_id)
    rounding_step = (await uow.context()).cash_rounding_minor
    plan = refund_plan(sale, _asked_from(pending["asked"]), earlier, rounding_step=rounding_step)
    assert plan.amount_minor == pending["amount_minor"], "nothing refunds a started order"
    stored = pending["approval"]
    approval = (
        Approval(
            UUID(stored["approved_by"]),
            stored["approved_by_role"],
            stored["override_jti"],
            approved=Approved(
                stored.get("approved_amount_minor"), stored.get("approved_percent_bps")
            ),
        )
        if stored
        else None
    )
    cards = {payment_id: result for payment_id, result in results.items() if result}
    done = await _refunded(
        uow,
        till,
        sale,
        shift,
        plan,
        approval,
        refund_id=refund_id,
        reason_code=pending["reason_code"],
        note=pending["note"],
        cards=cards,
        override_required=pending["override_required"],
        refund_limit_minor=pending["refund_limit_minor"],
    )
    if shift.status == "closed":
        # The shift closed while the terminal decided: the money went back at its drawer,
        # so its Z report is issued again with it.
        await uow.write_pending()
        await reissue_z_report(
            shifts=ShiftRepository.from_connection(uow.connection),
            audit=_ShiftAudit(uow),
            actor=Actor.of(till.principal),
            shift_id=shift.id,
            reason="late-arrival",
            details={"refund_id": str(refund_id)},
        )
    return done


async def _refunded(
    uow: UnitOfWork,
    till: Till,
    sale: Sale,
    shift: ShiftRef,
    plan: RefundPlan,
    approval: Approval | None,
    *,
    refund_id: UUID,
    reason_code: str,
    note: str | None,
    cards: dict[UUID, TerminalResult],
    override_required: bool,
    refund_limit_minor: int,
) -> Refunded:
    """Make the refund: what it gives back, its receipt, its paper and its audit entry."""
    policy = till.policy
    series, sequence, number = await policy.receipt_number(uow, shift)
    original = await uow.sale_receipt(sale.id)
    tenders = []
    for tender in plan.tenders:
        card = cards.get(tender.payment.id)
        tenders.append(
            RefundTenderRow(
                refund_id=refund_id,
                payment_id=tender.payment.id,
                shift_id=shift.id,
                tender=tender.payment.tender,
                amount_minor=tender.handed_back_minor,
                terminal_reference=card.terminal_reference if card else None,
                auth_code=card.auth_code if card else None,
            )
        )
        tender.payment.refunded_minor += tender.handed_back_minor
        tender.payment.dirty = True
    for done in plan.lines:
        line = sale.line(done.line_number)
        assert line is not None, "planned from this sale's lines"
        line.refunded_quantity += done.quantity
        line.refunded_minor += done.amount_minor
        line.dirty = True
    money_out = plan.amount_minor + plan.rounding_minor
    sale.refunded_minor += money_out
    sale.changed()
    tax = tax_json(plan.tax)
    row = RefundRow(
        id=refund_id,
        order_id=sale.id,
        shift_id=shift.id,
        reason_code=reason_code,
        note=note,
        amount_minor=plan.amount_minor,
        tax_minor=plan.tax_minor,
        lines=[line.as_json() for line in plan.lines],
        tax=tax,
        created_by=till.staff,
        approved_by=str(approval.approver_id) if approval else None,
        created_at=till.at,
        rounding_minor=plan.rounding_minor,
    )
    uow.record_refund(row, tenders)
    tender_json = [
        {
            "tender": tender.tender,
            "amount_minor": tender.amount_minor,
            "terminal_reference": tender.terminal_reference,
            "auth_code": tender.auth_code,
        }
        for tender in tenders
    ]
    snapshot: dict[str, Any] = {
        "order_id": str(sale.id),
        "original_receipt_number": original[1] if original else None,
        "currency": sale.currency,
        "reason_code": reason_code,
        "lines": row.lines,
        "tax": tax,
        "tax_minor": plan.tax_minor,
        "amount_minor": plan.amount_minor,
        "rounding_minor": plan.rounding_minor,
        "tenders": tender_json,
    }
    receipt = _receipt(
        till,
        shift,
        sale,
        numbering=(series, sequence, number),
        total_minor=-money_out,
        snapshot=snapshot,
        refund=(refund_id, original[0] if original else None),
    )
    uow.record_receipt(receipt)
    # The customer takes the refund receipt with the money.
    printed = await _print_receipt(uow, receipt, shift) if policy.prints else None
    uow.audit(
        "order.refunded",
        "order",
        sale.id,
        {
            **policy.stamp(till.principal, approval),
            "requested_by": till.staff,
            "refund_id": str(refund_id),
            "receipt_number": receipt.number,
            "original_receipt_number": original[1] if original else None,
            "shift_id": str(shift.id),
            "reason_code": reason_code,
            "note": note,
            "amount_minor": plan.amount_minor,
            "rounding_minor": plan.rounding_minor,
            "tax": tax,
            "lines": row.lines,
            "tenders": [
                {**shown, "payment_id": str(tender.payment_id)}
                for shown, tender in zip(tender_json, tenders, strict=True)
            ],
            "override_required": override_required,
            "refund_limit_minor": refund_limit_minor,
            "version": sale.version,
            "receipt_print_job_id": str(printed) if printed else None,
        },
    )
    uow.emit(
        webhook.RefundIssued(
            refund_id=refund_id,
            order_id=sale.id,
            location_id=sale.location_id,
            receipt_id=receipt.id,
            receipt_number=receipt.number,
            original_receipt_number=original[1] if original else None,
            shift_id=shift.id,
            currency=sale.currency,
            amount_minor=plan.amount_minor,
            tax_minor=plan.tax_minor,
            rounding_minor=plan.rounding_minor,
            reason_code=reason_code,
            tenders=[
                webhook.RefundIssuedTender(tender=tender.tender, amount_minor=tender.amount_minor)
                for tender in tenders
            ],
            refunded_at=till.at,
            offline=policy.offline,
        ),
        occurred_at=till.at,
    )
    return Refunded(row, tenders, sale, receipt)


# -- the shift around the sales -------------------------------------------------------------------


def _register(principal: Principal) -> tuple[UUID, UUID]:
    if principal.device_id is None or principal.location_id is None:
        raise RegisterRequired("shifts are opened at a register: sign in on an activated device")
    return principal.device_id, principal.location_id


def _is_retry(shift: Shift, *, register_id: UUID, staff: str, opening_float_minor: int) -> bool:
    """A client retrying an open it made with its own id: same register, opener and float."""
    return (shift.register_id, shift.opened_by, shift.opening_float_minor) == (
        register_id,
        staff,
        opening_float_minor,
    )


async def open_shift(
    uow: UnitOfWork, till: Till, *, shift_id: UUID | None, opening_float_minor: int
) -> tuple[Shift, bool]:
    """Open a shift at the caller's register (its device), numbering the register on its
    first shift. The partial unique index on open shifts per register decides concurrent
    opens: exactly one wins, the others get 409 `shift-already-open` naming it. (shift,
    created): a client retrying an open with its own id gets the shift it made (online;
    offline an id that exists is a conflict)."""
    register_id, location_id = _register(till.principal)
    shifts = ShiftRepository.from_connection(uow.connection)
    audit = _ShiftAudit(uow)

    async def retried(shift_id: UUID) -> Shift | None:
        existing = await shifts.get(shift_id)
        if existing is None:
            return None
        if till.policy.offline or not _is_retry(
            existing,
            register_id=register_id,
            staff=till.staff,
            opening_float_minor=opening_float_minor,
        ):
            raise ShiftIdConflict(shift_id=str(shift_id))
        return existing

    if shift_id is not None and (existing := await retried(shift_id)) is not None:
        return existing, False
    register = await ensure_register(shifts, audit, till.principal, register_id, location_id)
    new_id = shift_id or uuid.uuid4()
    for _ in range(OPEN_ATTEMPTS):
        shift = await shifts.insert_shift(
            shift_id=new_id,
            register=register,
            location_id=location_id,
            opening_float_minor=opening_float_minor,
            opened_by=till.staff,
            opened_at=till.at,
        )
        if shift is not None:
            break
        if shift_id is not None and (existing := await retried(shift_id)) is not None:
            return existing, False
        if (current := await shifts.current(register_id)) is not None:
            raise ShiftAlreadyOpen(
                f"Shift {current.id} is open on register R{current.register_number}.",
                shift_id=str(current.id),
            )
    else:
        raise Conflict("The shift could not be opened; retry.")
    uow.forget_shift(shift.id)
    uow.audit(
        "shift.opened",
        "shift",
        shift.id,
        {
            **till.policy.stamp(till.principal),
            "register_id": str(shift.register_id),
            "register_number": shift.register_number,
            "location_id": str(shift.location_id),
            "opening_float_minor": shift.opening_float_minor,
        },
    )
    return shift, True


@dataclass(frozen=True, slots=True)
class _ShiftAudit:
    """`ensure_register`'s audit, appended through the unit of work in turn."""

    uow: UnitOfWork

    async def append(
        self,
        *,
        actor: Any,
        action: str,
        resource_type: str,
        resource_id: str,
        payload: dict[str, Any],
    ) -> None:
        self.uow.audit(action, resource_type, resource_id, payload)


async def _reached_shift(uow: UnitOfWork, till: Till, shift_id: UUID) -> Shift:
    """A shift the caller reaches, locked until the transaction ends (404 otherwise)."""
    shift = await ShiftRepository.from_connection(uow.connection).get(shift_id, for_update=True)
    if shift is None or not till.principal.reaches(shift.location_id):
        raise ShiftNotFound()
    return shift


async def move_cash(
    uow: UnitOfWork,
    till: Till,
    *,
    shift_id: UUID,
    kind: CashMovementKind,
    amount_minor: int,
    reason: str,
    movement_id: UUID | None = None,
) -> CashMovement:
    """Paid in or paid out, at the shift's own register while it is open (offline: in the
    shift it happened in, which may have closed since: it arrives late)."""
    shift = await _reached_shift(uow, till, shift_id)
    if shift.status != "open" and not till.policy.offline:
        raise ShiftClosed()
    if till.principal.device_id != shift.register_id:
        raise WrongRegister(
            f"This shift is open on register R{shift.register_number}.",
            register_id=str(shift.register_id),
        )
    till.policy.late(_shift_ref(shift))
    movement = await ShiftRepository.from_connection(uow.connection).add_cash_movement(
        movement_id=movement_id or uuid.uuid4(),
        shift_id=shift.id,
        kind=kind,
        amount_minor=amount_minor,
        reason=reason,
        created_by=till.staff,
        created_at=till.at,
    )
    uow.audit(
        f"shift.{kind}",
        "shift",
        shift.id,
        {
            **till.policy.stamp(till.principal),
            "cash_movement_id": str(movement.id),
            "kind": movement.kind,
            "amount_minor": movement.amount_minor,
            "reason": movement.reason,
            "version": movement.shift_version,
        },
    )
    return movement


def _shift_ref(shift: Shift) -> ShiftRef:
    return ShiftRef(
        id=shift.id,
        register_id=shift.register_id,
        register_number=shift.register_number,
        location_id=shift.location_id,
        status=shift.status,
        closed_at=shift.closed_at,
        opened_by=shift.opened_by,
    )


@dataclass(frozen=True, slots=True)
class ShiftClosing:
    """What closing a shift did: the closed shift and its Z report, or (offline) nothing,
    because a manager had closed it already (`superseded`)."""

    shift: Shift
    z_report: ZReport | None
    superseded: bool = False


async def close_shift(
    uow: UnitOfWork,
    till: Till,
    *,
    shift_id: UUID,
    version: int | None,
    counted: TenderAmounts,
    note: str | None,
) -> ShiftClosing:
    """Close a shift with what was counted, issuing its Z report.

    The opener closes their own shift; anyone else's close is a force-close and needs a
    manager's approval for this shift (the approver is recorded on the shift, in the Z
    report and in the audit). A card count that matches what the shift expects settles the
    card payments a till recorded offline: they are no longer unverified.

    Order of answers online: 404 (unknown, another venue's or another business's shift);
    409 `shift-closed`; 409 `version-conflict`; 403 without a valid override for a
    force-close; 409 `shift-has-open-orders`. Offline, a shift closed since keeps the till's
    count for review, and open orders are flagged rather than refused (the till has closed)."""
    policy = till.policy
    shifts = ShiftRepository.from_connection(uow.connection)
    # What this unit of work has made so far belongs in the shift's facts.
    await uow.write_pending()
    shift = await _reached_shift(uow, till, shift_id)
    if policy.offline and shift.register_id != till.principal.device_id:
        raise WrongRegister(register_id=str(shift.register_id))
    if shift.status != "open":
        if not policy.offline:
            raise ShiftClosed()
        # A manager closed it while the till was offline: the till's count is kept for
        # review, and the shift's Z report stays the one issued (with re-issues).
        policy.flag(
            "shift-closed-elsewhere",
            "shift",
            shift.id,
            closed_by=shift.closed_by,
            counted=counted.model_dump(),
            note=note,
        )
        uow.audit(
            "shift.close_superseded",
            "shift",
            shift.id,
            {
                **policy.stamp(till.principal),
                "counted": counted.model_dump(),
                "note": note,
                "closed_by": shift.closed_by,
            },
        )
        return ShiftClosing(shift, None, superseded=True)
    if version is not None:
        check_version(shift.version, version)
    limits = await uow.limits()
    force_close = till.staff != shift.opened_by
    approval = await policy.approve(
        ApprovalRequest(
            action=OverrideAction.SHIFT_FORCE_CLOSE,
            resource_type="shift",
            resource_id=str(shift_id),
            needed=force_close,
            amount_minor=0,
            limits=limits,
        )
    )
    if open_orders := await shifts.open_order_ids(shift_id):
        policy.mismatch(
            ShiftHasOpenOrders(
                f"{len(open_orders)} order(s) of this shift are still open.",
                order_ids=[str(order_id) for order_id in open_orders],
            ),
            "open-orders-at-close",
            "shift",
            shift.id,
            order_ids=[str(order_id) for order_id in open_orders],
        )

    facts = await shifts.facts(shift)
    closed_at = till.at if policy.offline else facts.as_of
    force_closed_by = str(approval.approver_id) if approval and force_close else None
    report = z_report(
        shift_report(facts),
        counted=counted,
        closed_by=till.staff,
        closed_at=closed_at,
        force_closed_by=force_closed_by,
        note=note,
    )
    if report.difference.card == 0 and report.unverified_card.count:
        # The terminal's batch total is what the shift expects: it settled the card
        # payments recorded offline too.
        confirmed = await shifts.confirm_card_settlement(shift_id)
        report = report.model_copy(
            update={
                "unverified_card": CountAmount(count=0, amount_minor=0),
                "card_settlement_confirmed": confirmed,
            }
        )
    closed = await shifts.close(
        shift_id,
        version=shift.version,
        closed_by=till.staff,
        closed_at=closed_at,
        force_closed_by=force_closed_by,
        z_report=report.model_dump(mode="json"),
    )
    assert closed is not None, "the shift is locked by this transaction"
    uow.forget_shift(shift_id)
    uow.audit(
        "shift.closed",
        "shift",
        shift.id,
        {
            **policy.stamp(till.principal, approval),
            "register_id": str(shift.register_id),
            "register_number": shift.register_number,
            "opened_by": shift.opened_by,
            "closed_by": till.staff,
            "force_close": force_close,
            "counted": counted.model_dump(),
            "expected": report.expected.model_dump(),
            "difference": report.difference.model_dump(),
            "unverified_card": report.unverified_card.model_dump(),
            "card_settlement_confirmed": report.card_settlement_confirmed.model_dump(),
            "note": note,
            "version": closed.version,
        },
    )
    uow.emit(
        webhook.ShiftClosed(
            shift_id=shift.id,
            register_id=shift.register_id,
            location_id=shift.location_id,
            currency=(await uow.context()).currency,
            force_close=force_close,
            counted=counted,
            expected=report.expected,
            difference=report.difference,
            closed_at=closed_at,
            offline=policy.offline,
        ),
        occurred_at=closed_at,
    )
    return ShiftClosing(closed, report)
