"""Applying one operation a till did offline: the same books as the online endpoints, with
the till's time, its staff member and its receipt numbers.

An offline operation records something that already happened at the counter: the customer
left with the receipt, the cash is in the drawer. So where the online endpoint would refuse
(a total the server computes differently, a card payment uploaded days later, a manager's
approval it cannot verify, a sale in a shift a manager has closed since), the operation is
applied and *flagged* for review instead. It is refused only when it cannot be made sense of
(an unknown item or order, a staff member not on the roster, a receipt number already used);
a refused operation is kept, with its problem, in the operation log.

Everything is priced by the server (services/orders/pricing.py, tax at the rate in force at
the operation's time); no amount the till computed is used, only compared.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from libs.api.problems import Conflict, PermissionDenied
from libs.audit.append import Actor, AuditLog
from libs.auth.overrides import APPROVER_ROLES
from libs.auth.principal import Principal
from libs.rbac.matrix import Permission, Role, is_allowed
from services.orders import pricing
from services.orders.limits.repository import LimitsRepository
from services.orders.orders.repository import BusinessSettings, OrderRepository, tax_json
from services.orders.orders.schemas import Order
from services.orders.orders.service import (
    OrderHasPayments,
    OrderIdConflict,
    OrderNotFound,
    OrderNotOpen,
    new_lines,
    price,
)
from services.orders.payments.service import sale_snapshot
from services.orders.receipts.repository import ReceiptRepository
from services.orders.receipts.schemas import Receipt
from services.orders.refunds.repository import RefundRepository
from services.orders.refunds.schemas import RefundRequest, RefundTender
from services.orders.refunds.service import OrderNotClosed, plan_tenders, refund_amounts
from services.orders.shifts.reports import TenderAmounts, shift_report, z_report
from services.orders.shifts.repository import ShiftRepository
from services.orders.shifts.schemas import Shift
from services.orders.shifts.service import (
    ShiftAlreadyOpen,
    ShiftIdConflict,
    ShiftNotFound,
    WrongRegister,
    ensure_register,
)
from services.orders.sync.repository import RosterEntry, SyncRepository
from services.orders.sync.schemas import (
    CashMovementOperation,
    OrderCloseOperation,
    OrderCreateOperation,
    OrderVoidOperation,
    PaymentOperation,
    RefundOperation,
    ShiftCloseOperation,
    ShiftOpenOperation,
)
from services.orders.sync.settings import SyncSettings
from services.orders.tax.repository import TaxRepository

OFFLINE_SERIES = "O"
# A till's clock this far ahead of ours is flagged (its times are still used).
CLOCK_AHEAD = timedelta(minutes=5)

PERMISSION = {
    "shift.open": Permission.SHIFTS_OPERATE,
    "order.create": Permission.ORDERS_CREATE,
    "payment": Permission.PAYMENTS_TAKE,
    "order.close": Permission.PAYMENTS_TAKE,
    "refund": Permission.REFUNDS_CREATE,
    "order.void": Permission.ORDERS_VOID,
    "cash.movement": Permission.SHIFTS_OPERATE,
    "shift.close": Permission.SHIFTS_OPERATE,
}


class StaffNotOnRoster(PermissionDenied):
    code = "staff-not-on-roster"
    title = "The staff member was not on the business's roster when this happened"


class StaffRoleRefused(PermissionDenied):
    code = "staff-role-refused"
    title = "The staff member's role does not allow this operation"


class ReceiptNumberTaken(Conflict):
    code = "receipt-number-taken"
    title = "This register's offline receipt number is already used by another receipt"


class PaymentIdConflict(Conflict):
    code = "payment-id-conflict"
    title = "A payment with this id already exists"


class RegisterNotNumbered(Conflict):
    code = "register-not-numbered"
    title = "This device has no register yet: open a shift or POST /v1/sync/register first"


def offline_receipt_number(register_number: int, sequence: int) -> str:
    return f"R{register_number}-{OFFLINE_SERIES}-{sequence:06d}"


@dataclass(frozen=True, slots=True)
class Till:
    """Where the operations were done: the uploading device, its venue, its register."""

    tenant_id: UUID
    device_id: UUID
    location_id: UUID
    uploaded_by: str


@dataclass(slots=True)
class Applied:
    """What one applied operation made, and what it raised for review."""

    result: dict[str, Any]
    flags: list[dict[str, Any]] = field(default_factory=list)
    # Closed shifts this operation added to: their Z reports are issued again.
    late_shifts: set[UUID] = field(default_factory=set)


@dataclass(slots=True)
class Batch:
    """What the operations of one upload share, read once."""

    till: Till
    received_at: datetime
    settings: SyncSettings
    business: BusinessSettings
    roster: dict[UUID, RosterEntry]


class Applier:
    def __init__(
        self,
        *,
        batch: Batch,
        orders: OrderRepository,
        shifts: ShiftRepository,
        receipts: ReceiptRepository,
        refunds: RefundRepository,
        limits: LimitsRepository,
        sync: SyncRepository,
        audit: AuditLog,
        taxes: TaxRepository,
    ) -> None:
        self.batch = batch
        self.orders = orders
        self.shifts = shifts
        self.receipts = receipts
        self.refunds = refunds
        self.limits = limits
        self.sync = sync
        self.audit = audit
        self.taxes = taxes

    # -- shared steps ---------------------------------------------------------------------

    def _principal(self, operation: Any) -> Principal:
        """The staff member who did it, as they were on the roster at the time."""
        entry = self.batch.roster.get(operation.staff_id)
        if entry is None or not entry.on_roster_at(operation.occurred_at):
            raise StaffNotOnRoster(staff_id=str(operation.staff_id))
        role = Role(entry.role)
        if not is_allowed(role, PERMISSION[operation.kind]):
            raise StaffRoleRefused(role=role.value, kind=operation.kind)
        till = self.batch.till
        return Principal(
            subject=str(operation.staff_id), tenant_id=till.tenant_id, role=role,
            location_id=till.location_id, device_id=till.device_id,
        )  # fmt: skip

    def _offline(self, operation: Any) -> dict[str, Any]:
        """In every audit row of an offline operation: when it happened on the till, when it
        reached us, and how to find it in the operation log."""
        return {
            "operation_id": str(operation.id),
            "sequence": operation.sequence,
            "occurred_at": operation.occurred_at.isoformat(),
            "received_at": self.batch.received_at.isoformat(),
            "device_id": str(self.batch.till.device_id),
            "uploaded_by": self.batch.till.uploaded_by,
        }

    def _flag(
        self, applied: Applied, operation: Any, kind: str, resource_type: str, resource_id: Any,
        **details: Any,
    ) -> None:  # fmt: skip
        applied.flags.append(
            {
                "id": uuid.uuid4(),
                "kind": kind,
                "device_id": self.batch.till.device_id,
                "operation_id": operation.id,
                "resource_type": resource_type,
                "resource_id": str(resource_id),
                "details": details,
            }
        )

    async def _audit(
        self, operation: Any, principal: Principal, applied: Applied, *, action: str,
        resource_type: str, resource_id: Any, payload: dict[str, Any],
    ) -> None:  # fmt: skip
        if operation.occurred_at - self.batch.received_at > CLOCK_AHEAD:
            self._flag(
                applied, operation, "device-clock-ahead", "device", self.batch.till.device_id,
                occurred_at=operation.occurred_at.isoformat(),
                received_at=self.batch.received_at.isoformat(),
            )  # fmt: skip
        await self.audit.append(
            actor=Actor.of(principal),
            action=action,
            resource_type=resource_type,
            resource_id=str(resource_id),
            payload={
                **payload,
                "offline": self._offline(operation),
                "flags": [flag["kind"] for flag in applied.flags],
            },
        )

    def _approval(
        self, applied: Applied, operation: Any, *, needed: bool, approved_by: UUID | None,
        action: str, resource_type: str, resource_id: Any,
    ) -> dict[str, Any]:  # fmt: skip
        """A manager's approval given at the till offline: the server cannot check the PIN,
        only that the approver was a manager on the roster then. Flagged either way."""
        if approved_by is None:
            if needed:
                self._flag(applied, operation, "approval-missing", resource_type, resource_id,
                           action=action)  # fmt: skip
            return {"approved_by": None, "approved_by_role": None, "approval": None}
        entry = self.batch.roster.get(approved_by)
        valid = (
            entry is not None
            and entry.on_roster_at(operation.occurred_at)
            and Role(entry.role) in APPROVER_ROLES
        )
        self._flag(
            applied, operation, "offline-approval" if valid else "approval-unverified",
            resource_type, resource_id, action=action, approved_by=str(approved_by),
        )  # fmt: skip
        return {
            "approved_by": str(approved_by),
            "approved_by_role": entry.role if entry else None,
            "approval": "offline",
        }

    async def _shift(self, applied: Applied, operation: Any, shift_id: UUID) -> Shift:
        """The shift an operation names: this register's. A closed one takes the operation
        anyway (it happened in that shift), and its Z report is issued again."""
        shift = await self.shifts.get(shift_id)
        if shift is None:
            raise ShiftNotFound(shift_id=str(shift_id))
        if shift.register_id != self.batch.till.device_id:
            raise WrongRegister(register_id=str(shift.register_id))
        self._late(applied, operation, shift)
        return shift

    def _late(self, applied: Applied, operation: Any, shift: Shift) -> None:
        if shift.status == "closed":
            applied.late_shifts.add(shift.id)
            self._flag(
                applied, operation, "late-arrival", "shift", shift.id,
                closed_at=shift.closed_at.isoformat() if shift.closed_at else None,
                operation_kind=operation.kind,
            )  # fmt: skip

    async def _locked_order(self, order_id: UUID) -> Order:
        order = await self.orders.get(order_id, for_update=True)
        if order is None:
            raise OrderNotFound(order_id=str(order_id))
        return order

    def _compare_total(
        self, applied: Applied, operation: Any, order_id: UUID, *, client: int | None,
        server: int,
    ) -> None:  # fmt: skip
        if client is not None and client != server:
            self._flag(
                applied, operation, "total-mismatch", "order", order_id,
                client_total_minor=client, server_total_minor=server,
                difference_minor=client - server,
            )  # fmt: skip

    async def _offline_receipt(
        self, applied: Applied, operation: Any, shift: Shift, *, sequence: int, kind: str,
        order_id: UUID, total_minor: int, snapshot: dict[str, Any], issued_by: str,
        refund_id: UUID | None = None, original: Receipt | None = None,
    ) -> Receipt:  # fmt: skip
        """The receipt the till printed, under the number it gave it in its register's
        offline series. The series is checked for gaps as numbers arrive; a gap is flagged,
        and the flag resolved once its numbers have all arrived."""
        register_id = shift.register_id
        if await self.sync.offline_number_taken(register_id, sequence):
            raise ReceiptNumberTaken(receipt_sequence=sequence)
        last = await self.sync.last_offline_sequence(register_id)
        number = offline_receipt_number(shift.register_number, sequence)
        receipt = await self.receipts.insert(
            {
                "id": uuid.uuid4(),
                "register_id": register_id,
                "series": OFFLINE_SERIES,
                "sequence": sequence,
                "number": number,
                "kind": kind,
                "order_id": order_id,
                "shift_id": shift.id,
                "refund_id": refund_id,
                "original_receipt_id": original.id if original else None,
                "currency": self.batch.business.currency,
                "total_minor": total_minor,
                "snapshot": {
                    **snapshot, "receipt_number": number, "kind": kind,
                    "offline": self._offline(operation),
                },
                "issued_by": issued_by,
                "issued_at": operation.occurred_at,
            }
        )  # fmt: skip
        if sequence > last + 1:
            self._flag(
                applied, operation, "receipt-gap", "register", register_id,
                missing_from=offline_receipt_number(shift.register_number, last + 1),
                missing_to=offline_receipt_number(shift.register_number, sequence - 1),
                first_sequence=last + 1, last_sequence=sequence - 1,
            )  # fmt: skip
        elif sequence < last:
            for gap in await self.sync.open_gap_flags(register_id):
                first, final = gap.details["first_sequence"], gap.details["last_sequence"]
                if first <= sequence <= final:
                    count = await self.sync.offline_sequences_between(register_id, first, final)
                    if count == final - first + 1:
                        await self.sync.resolve(
                            gap.id, resolved_by="sync",
                            resolution=f"Every number arrived (the last with operation "
                            f"{operation.id}).",
                        )  # fmt: skip
        return receipt

    # -- the operations -------------------------------------------------------------------

    async def shift_open(self, operation: ShiftOpenOperation) -> Applied:
        principal = self._principal(operation)
        data, till, applied = operation.data, self.batch.till, Applied({})
        if await self.shifts.get(data.shift_id) is not None:
            raise ShiftIdConflict(shift_id=str(data.shift_id))
        register = await ensure_register(
            self.shifts, self.audit, principal, till.device_id, till.location_id
        )
        shift = await self.shifts.insert_shift(
            shift_id=data.shift_id, register=register, location_id=till.location_id,
            opening_float_minor=data.opening_float_minor, opened_by=principal.subject,
            opened_at=operation.occurred_at,
        )  # fmt: skip
        if shift is None:
            current = await self.shifts.current(till.device_id)
            raise ShiftAlreadyOpen(shift_id=str(current.id) if current else None)
        await self._audit(
            operation, principal, applied, action="shift.opened", resource_type="shift",
            resource_id=shift.id,
            payload={
                "register_id": str(shift.register_id),
                "register_number": shift.register_number,
                "location_id": str(shift.location_id),
                "opening_float_minor": shift.opening_float_minor,
                "device_id": str(till.device_id),
            },
        )  # fmt: skip
        applied.result = {"shift_id": str(shift.id), "register_number": shift.register_number}
        return applied

    async def order_create(self, operation: OrderCreateOperation) -> Applied:
        principal = self._principal(operation)
        data, applied = operation.data, Applied({})
        shift = await self._shift(applied, operation, data.shift_id)
        business = self.batch.business
        created = await self.orders.insert(
            {
                "id": data.order_id,
                "location_id": shift.location_id,
                "register_id": shift.register_id,
                "shift_id": shift.id,
                "status": "open",
                "currency": business.currency,
                "total_minor": 0,
                "created_by": principal.subject,
                "created_at": operation.occurred_at,
                "table_name": data.table_name,
                "covers": data.covers,
                "prices_include_tax": business.prices_include_tax,
                "discount_kind": data.discount.kind if data.discount else None,
                "discount_value": data.discount.value if data.discount else None,
                "service_charge_bps": data.service_charge_bps,
                "tip_minor": data.tip_minor,
            }
        )
        if not created:
            raise OrderIdConflict(order_id=str(data.order_id))
        rows = await new_lines(
            self.orders, self.taxes, data.lines, first_number=1, location_id=shift.location_id,
            added_by=principal.subject, at=operation.occurred_at, offline=True,
        )  # fmt: skip
        await self.orders.insert_lines(data.order_id, rows)
        order = await self.orders.get(data.order_id)
        assert order is not None, "inserted above"
        totals, priced = price(order)
        await self.orders.update_priced_lines(data.order_id, priced)
        await self.orders.update(data.order_id, totals)
        limit_bps = (await self.limits.current()).discount_limit_bps
        over_limit = totals["discount_minor"] * 10_000 > limit_bps * totals["subtotal_minor"]
        approval = self._approval(
            applied, operation, needed=totals["discount_minor"] > 0 and over_limit,
            approved_by=data.approved_by, action="discount", resource_type="order",
            resource_id=data.order_id,
        )  # fmt: skip
        self._compare_total(
            applied, operation, data.order_id, client=data.client_total_minor,
            server=totals["total_minor"],
        )  # fmt: skip
        await self._audit(
            operation, principal, applied, action="order.opened", resource_type="order",
            resource_id=data.order_id,
            payload={
                **approval,
                "device_id": str(self.batch.till.device_id),
                "shift_id": str(shift.id),
                "register_id": str(shift.register_id),
                "table_name": data.table_name,
                "covers": data.covers,
                "lines": [
                    {"line_number": row["line_number"], "item_id": str(row["item_id"]),
                     "quantity": row["quantity"], "unit_price_minor": row["unit_price_minor"],
                     "tax_rate": str(row["tax_rate"])}
                    for row in rows
                ],
                "discount_minor": totals["discount_minor"],
                "tip_minor": totals["tip_minor"],
                "total_minor": totals["total_minor"],
                "currency": business.currency,
            },
        )  # fmt: skip
        applied.result = {"order_id": str(data.order_id), "total_minor": totals["total_minor"]}
        return applied

    async def payment(self, operation: PaymentOperation) -> Applied:
        principal = self._principal(operation)
        data, applied = operation.data, Applied({})
        order = await self._locked_order(data.order_id)
        if order.status != "open":
            raise OrderNotOpen(f"This order is {order.status}.", order_status=order.status)
        shift = await self._shift(applied, operation, data.shift_id)
        if any(payment.id == data.payment_id for payment in order.payments):
            raise PaymentIdConflict(payment_id=str(data.payment_id))
        balance = order.balance_minor
        values: dict[str, Any] = {
            "id": data.payment_id, "order_id": order.id, "shift_id": shift.id,
            "tender": data.tender, "status": "approved", "created_by": principal.subject,
            "created_at": operation.occurred_at,
        }  # fmt: skip
        rounding = 0
        if data.tender == "cash":
            assert data.tendered_minor is not None
            adjustment = pricing.cash_rounding(
                max(balance, 0), self.batch.business.cash_rounding_minor
            )
            due = max(balance, 0) + adjustment
            if data.tendered_minor >= due:
                rounding, applied_minor = adjustment, due
            else:
                applied_minor = data.tendered_minor
            values |= {
                "amount_minor": applied_minor, "tendered_minor": data.tendered_minor,
                "change_minor": data.tendered_minor - applied_minor, "rounding_minor": rounding,
            }  # fmt: skip
        else:
            assert data.amount_minor is not None
            assert data.card is not None
            applied_minor = data.amount_minor
            values |= {"amount_minor": applied_minor, **data.card.model_dump()}
            age = self.batch.received_at - operation.occurred_at
            if age > self.batch.settings.offline_card_max_age:
                self._flag(
                    applied, operation, "stale-card-payment", "order", order.id,
                    payment_id=str(data.payment_id), amount_minor=applied_minor,
                    age_seconds=int(age.total_seconds()),
                    limit_seconds=int(self.batch.settings.offline_card_max_age.total_seconds()),
                )  # fmt: skip
        if applied_minor > max(balance, 0):
            self._flag(
                applied, operation, "overpayment", "order", order.id,
                payment_id=str(data.payment_id), amount_minor=applied_minor,
                balance_minor=balance,
            )  # fmt: skip
        if applied_minor > 0:
            await self.orders.insert_payment(values)
        await self.orders.update(
            order.id,
            {
                "paid_minor": order.paid_minor + applied_minor,
                "rounding_minor": order.rounding_minor + rounding,
            },
        )
        await self._audit(
            operation, principal, applied, action="payment.approved", resource_type="order",
            resource_id=order.id,
            payload={
                "device_id": str(self.batch.till.device_id),
                "payment_id": str(data.payment_id),
                "shift_id": str(shift.id),
                "tender": data.tender,
                "amount_minor": applied_minor,
                "tendered_minor": values.get("tendered_minor"),
                "change_minor": values.get("change_minor"),
                "rounding_minor": rounding,
                "scheme": values.get("scheme"),
                "last4": values.get("last4"),
                "terminal_reference": values.get("terminal_reference"),
                "balance_minor": balance - applied_minor + rounding,
            },
        )  # fmt: skip
        applied.result = {
            "order_id": str(order.id),
            "payment_id": str(data.payment_id),
            "amount_minor": applied_minor,
        }
        return applied

    async def order_close(self, operation: OrderCloseOperation) -> Applied:
        principal = self._principal(operation)
        data, applied = operation.data, Applied({})
        order = await self._locked_order(data.order_id)
        if order.status != "open":
            raise OrderNotOpen(f"This order is {order.status}.", order_status=order.status)
        shift = await self._shift(applied, operation, data.shift_id)
        due = order.total_minor + order.rounding_minor
        if order.balance_minor != 0:
            self._flag(
                applied, operation, "payments-do-not-match-total", "order", order.id,
                due_minor=due, paid_minor=order.paid_minor,
            )  # fmt: skip
        self._compare_total(
            applied, operation, order.id, client=data.client_total_minor, server=due
        )
        await self.orders.update(order.id, {"status": "closed", "closed_at": operation.occurred_at})
        closed = await self.orders.get(order.id)
        assert closed is not None, "locked above"
        receipt = await self._offline_receipt(
            applied, operation, shift, sequence=data.receipt_sequence, kind="sale",
            order_id=order.id, total_minor=due, snapshot=sale_snapshot(closed),
            issued_by=principal.subject,
        )  # fmt: skip
        await self._audit(
            operation, principal, applied, action="order.closed", resource_type="order",
            resource_id=order.id,
            payload={
                "device_id": str(self.batch.till.device_id),
                "receipt_id": str(receipt.id),
                "receipt_number": receipt.number,
                "shift_id": str(shift.id),
                "total_minor": closed.total_minor,
                "tax_minor": closed.tax_minor,
                "rounding_minor": closed.rounding_minor,
                "paid_minor": closed.paid_minor,
                "currency": closed.currency,
                "version": closed.version,
                "client_total_minor": data.client_total_minor,
            },
        )  # fmt: skip
        applied.result = {
            "order_id": str(order.id),
            "receipt_id": str(receipt.id),
            "receipt_number": receipt.number,
            "total_minor": due,
        }
        return applied

    async def refund(self, operation: RefundOperation) -> Applied:
        principal = self._principal(operation)
        data, applied = operation.data, Applied({})
        order = await self._locked_order(data.order_id)
        if order.status != "closed":
            raise OrderNotClosed(order_status=order.status)
        shift = await self._shift(applied, operation, data.shift_id)
        request = RefundRequest(
            reason_code=data.reason_code, note=data.note, lines=data.lines,
            amount_minor=data.amount_minor, tenders=data.tenders,
        )  # fmt: skip
        earlier = await self.refunds.refunded_by_rate(order.id)
        amount_minor, refunded_lines, tax_lines = refund_amounts(order, request, earlier)
        tenders = [
            RefundTender(payment_id=payment.id, tender=payment.tender, amount_minor=amount,
                         terminal_reference=None, auth_code=None)
            for payment, amount in plan_tenders(order, request, amount_minor=amount_minor)
        ]  # fmt: skip
        refund_limit_minor = (await self.limits.current()).refund_limit_minor
        approval = self._approval(
            applied, operation, needed=amount_minor > refund_limit_minor,
            approved_by=data.approved_by, action="refund", resource_type="order",
            resource_id=order.id,
        )  # fmt: skip
        self._compare_total(
            applied, operation, order.id, client=data.client_total_minor, server=amount_minor
        )
        tax = tax_json(tax_lines)
        await self.refunds.insert(
            {
                "id": data.refund_id,
                "order_id": order.id,
                "shift_id": shift.id,
                "reason_code": data.reason_code.value,
                "note": data.note,
                "amount_minor": amount_minor,
                "tax_minor": sum(line.tax_minor for line in tax_lines),
                "lines": refunded_lines,
                "tax": tax,
                "created_by": principal.subject,
                "approved_by": approval["approved_by"],
                "created_at": operation.occurred_at,
            },
            [{**tender.model_dump(), "shift_id": shift.id} for tender in tenders],
        )
        for tender in tenders:
            await self.orders.add_refunded_to_payment(tender.payment_id, tender.amount_minor)
        for done in refunded_lines:
            await self.refunds.add_refunded_to_line(
                order.id, done["line_number"], quantity=done["quantity"],
                amount_minor=done["amount_minor"],
            )  # fmt: skip
        await self.orders.update(order.id, {"refunded_minor": order.refunded_minor + amount_minor})
        original = await self.receipts.sale_receipt(order.id)
        tax_minor = sum(line.tax_minor for line in tax_lines)
        receipt = await self._offline_receipt(
            applied, operation, shift, sequence=data.receipt_sequence, kind="refund",
            order_id=order.id, total_minor=-amount_minor, issued_by=principal.subject,
            refund_id=data.refund_id, original=original,
            snapshot={
                "order_id": str(order.id),
                "original_receipt_number": original.number if original else None,
                "currency": order.currency,
                "reason_code": data.reason_code.value,
                "lines": refunded_lines,
                "tax": tax,
                "tax_minor": tax_minor,
                "amount_minor": amount_minor,
                "tenders": [
                    tender.model_dump(mode="json", exclude={"payment_id"}) for tender in tenders
                ],
            },
        )  # fmt: skip
        await self._audit(
            operation, principal, applied, action="order.refunded", resource_type="order",
            resource_id=order.id,
            payload={
                **approval,
                "device_id": str(self.batch.till.device_id),
                "refund_id": str(data.refund_id),
                "receipt_number": receipt.number,
                "original_receipt_number": original.number if original else None,
                "shift_id": str(shift.id),
                "reason_code": data.reason_code.value,
                "note": data.note,
                "amount_minor": amount_minor,
                "tax": tax,
                "lines": refunded_lines,
                "tenders": [tender.model_dump(mode="json") for tender in tenders],
                "refund_limit_minor": refund_limit_minor,
            },
        )  # fmt: skip
        applied.result = {
            "order_id": str(order.id),
            "refund_id": str(data.refund_id),
            "receipt_number": receipt.number,
            "amount_minor": amount_minor,
        }
        return applied

    async def order_void(self, operation: OrderVoidOperation) -> Applied:
        principal = self._principal(operation)
        data, applied = operation.data, Applied({})
        order = await self._locked_order(data.order_id)
        if order.status != "open":
            raise OrderNotOpen(f"This order is {order.status}.", order_status=order.status)
        if order.paid_minor > 0:
            raise OrderHasPayments()
        void_limit_minor = (await self.limits.current()).void_limit_minor
        approval = self._approval(
            applied, operation, needed=order.total_minor > void_limit_minor,
            approved_by=data.approved_by, action="void", resource_type="order",
            resource_id=order.id,
        )  # fmt: skip
        await self.orders.update(order.id, {"status": "voided", "closed_at": operation.occurred_at})
        if order.shift_id is not None and (shift := await self.shifts.get(order.shift_id)):
            self._late(applied, operation, shift)
        await self._audit(
            operation, principal, applied, action="order.voided", resource_type="order",
            resource_id=order.id,
            payload={
                **approval,
                "device_id": str(self.batch.till.device_id),
                "requested_by": principal.subject,
                "void_limit_minor": void_limit_minor,
                "reason_code": data.reason_code.value,
                "note": data.note,
                "total_minor": order.total_minor,
                "currency": order.currency,
            },
        )  # fmt: skip
        applied.result = {"order_id": str(order.id), "status": "voided"}
        return applied

    async def cash_movement(self, operation: CashMovementOperation) -> Applied:
        principal = self._principal(operation)
        data, applied = operation.data, Applied({})
        shift = await self._shift(applied, operation, data.shift_id)
        movement = await self.shifts.add_cash_movement(
            movement_id=data.movement_id, shift_id=shift.id, kind=data.kind,
            amount_minor=data.amount_minor, reason=data.reason, created_by=principal.subject,
            created_at=operation.occurred_at,
        )  # fmt: skip
        await self._audit(
            operation, principal, applied, action=f"shift.{data.kind}", resource_type="shift",
            resource_id=shift.id,
            payload={
                "cash_movement_id": str(movement.id),
                "kind": movement.kind,
                "amount_minor": movement.amount_minor,
                "reason": movement.reason,
                "device_id": str(self.batch.till.device_id),
            },
        )  # fmt: skip
        applied.result = {"shift_id": str(shift.id), "cash_movement_id": str(movement.id)}
        return applied

    async def shift_close(self, operation: ShiftCloseOperation) -> Applied:
        principal = self._principal(operation)
        data, applied = operation.data, Applied({})
        shift = await self.shifts.get(data.shift_id, for_update=True)
        if shift is None:
            raise ShiftNotFound(shift_id=str(data.shift_id))
        if shift.register_id != self.batch.till.device_id:
            raise WrongRegister(register_id=str(shift.register_id))
        counted = TenderAmounts(cash=data.counted.cash, card=data.counted.card)
        if shift.status == "closed":
            # A manager closed it while the till was offline: the till's count is kept for
            # review, and the shift's Z report stays the one issued (with re-issues).
            self._flag(
                applied, operation, "shift-closed-elsewhere", "shift", shift.id,
                closed_by=shift.closed_by, counted=counted.model_dump(), note=data.note,
            )  # fmt: skip
            await self._audit(
                operation, principal, applied, action="shift.close_superseded",
                resource_type="shift", resource_id=shift.id,
                payload={"counted": counted.model_dump(), "note": data.note,
                         "closed_by": shift.closed_by},
            )  # fmt: skip
            applied.result = {"shift_id": str(shift.id), "already_closed": True}
            return applied
        open_orders = await self.shifts.open_order_ids(shift.id)
        if open_orders:
            self._flag(
                applied, operation, "open-orders-at-close", "shift", shift.id,
                order_ids=[str(order_id) for order_id in open_orders],
            )  # fmt: skip
        approval = self._approval(
            applied, operation, needed=principal.subject != shift.opened_by,
            approved_by=data.approved_by, action="shift_force_close", resource_type="shift",
            resource_id=shift.id,
        )  # fmt: skip
        facts = await self.shifts.facts(shift)
        report = z_report(
            shift_report(facts), counted=counted, closed_by=principal.subject,
            closed_at=operation.occurred_at, force_closed_by=approval["approved_by"],
            note=data.note,
        )  # fmt: skip
        closed = await self.shifts.close(
            shift.id, version=shift.version, closed_by=principal.subject,
            closed_at=operation.occurred_at, force_closed_by=approval["approved_by"],
            z_report=report.model_dump(mode="json"),
        )  # fmt: skip
        assert closed is not None, "locked above"
        await self._audit(
            operation, principal, applied, action="shift.closed", resource_type="shift",
            resource_id=shift.id,
            payload={
                **approval,
                "register_id": str(shift.register_id),
                "register_number": shift.register_number,
                "opened_by": shift.opened_by,
                "closed_by": principal.subject,
                "counted": counted.model_dump(),
                "expected": report.expected.model_dump(),
                "difference": report.difference.model_dump(),
                "note": data.note,
                "device_id": str(self.batch.till.device_id),
            },
        )  # fmt: skip
        applied.result = {
            "shift_id": str(shift.id),
            "expected": report.expected.model_dump(),
            "difference": report.difference.model_dump(),
        }
        return applied

    async def apply(self, operation: Any) -> Applied:
        handlers: dict[str, Callable[[Any], Awaitable[Applied]]] = {
            "shift.open": self.shift_open,
            "order.create": self.order_create,
            "payment": self.payment,
            "order.close": self.order_close,
            "refund": self.refund,
            "order.void": self.order_void,
            "cash.movement": self.cash_movement,
            "shift.close": self.shift_close,
        }
        applied: Applied = await handlers[operation.kind](operation)
        return applied
