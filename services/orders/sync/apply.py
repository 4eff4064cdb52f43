"""Applying an operation a till did offline: it is translated into the sale's own command
(services/orders/sale/commands.py) and run under the offline policy (sale/policy.py), so the
offline path can do nothing the same device and session would be refused online.

An offline operation records something that already happened at the counter: the customer
left with the receipt, the cash is in the drawer. Where the till could not have asked the
server (a total the server computes differently, a card approved by the terminal offline, a
sale in a shift a manager has closed since), the operation is applied and *flagged* for
review. Where the server can check, it does, as online: the venue (a till reaches its own),
the roles (of the signed-in uploader, and of the staff member the till names, on the roster
as it was then), the override limits (an action that needs a manager online is accepted
offline only up to the business's offline approval limit, for review), the receipt numbers.
A refused operation is kept, with its problem, in the operation log.

A till that is online uploads through the same path ("live" operations, docs/sync.md): a
close or refund without a receipt number is numbered in the register's online series and
printed as online (if it arrived within `live_print_seconds`), and an override token in
an operation is verified and spent by the online routes' gate instead of an offline
approval.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from libs.auth.keys import KeySource
from libs.auth.overrides import Approved, OverrideGate, OverrideInvalid
from libs.auth.principal import Principal
from libs.bridge.settings import PrintSettings
from libs.problems import PermissionDenied
from libs.rbac.matrix import Permission, Role, is_allowed
from libs.sales.shift_report import TenderAmounts
from services.orders.ordering.schemas import DiscountIn
from services.orders.sale import commands
from services.orders.sale.commands import CardEvidence, Till
from services.orders.sale.policy import OfflinePolicy, Upload
from services.orders.sale.rules import RefundAsked
from services.orders.sale.unit_of_work import UnitOfWork
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


class StaffNotAtThisVenue(PermissionDenied):
    code = "staff-not-at-this-venue"
    title = "The staff member named does not work at this till's venue"


class StaffRoleRefused(PermissionDenied):
    code = "staff-role-refused"
    title = "The staff member's role does not allow this operation"


class UploaderRoleRefused(PermissionDenied):
    code = "uploader-role-refused"
    title = "The session that uploaded this may not do it online, so it may not upload it"


@dataclass(slots=True)
class Applied:
    """What one applied operation made, and what it raised for review."""

    result: dict[str, Any]
    policy: OfflinePolicy


@dataclass(frozen=True, slots=True)
class Waiting:
    """A refund of a sale another till has not uploaded yet: it waits for the order."""

    order_id: UUID


# The live operations (docs/sync.md): a close or a refund without a receipt number is
# numbered by the server, and printed if it arrived in time; a late one is flagged.
LIVE_LATE_FLAG = {"order.close": "live-close-late", "refund": "live-refund-late"}


def is_live(operation: Any) -> bool:
    """A close or refund the server numbers: the till was online when it did it."""
    return operation.kind in LIVE_LATE_FLAG and operation.data.receipt_sequence is None


@dataclass(slots=True)
class Applier:
    upload: Upload
    settings: SyncSettings
    principal: Principal
    # The identity service's keys, to verify a live operation's override token.
    keys: KeySource | None = None
    # The print queue's settings, for a live close's or refund's paper.
    print_settings: PrintSettings = field(default_factory=PrintSettings)
    # When each operation first reached us (it may be applied later, after a gap fills).
    arrived: dict[UUID, datetime] = field(default_factory=dict)

    def policy(self, operation: Any) -> OfflinePolicy:
        """The operation's policy, after the checks of who may do it: the signed-in uploader
        (what the session could do online) and the staff member the till names (on the
        roster then, in a role that allows it)."""
        permission = PERMISSION[operation.kind]
        if not is_allowed(self.principal.role, permission):
            raise UploaderRoleRefused(role=self.principal.role.value, kind=operation.kind)
        entry = self.upload.roster.get(operation.staff_id)
        if entry is None or not entry.on_roster_at(operation.occurred_at):
            raise StaffNotOnRoster(staff_id=str(operation.staff_id))
        if not entry.works_at(self.principal.location_id):
            raise StaffNotAtThisVenue(staff_id=str(operation.staff_id))
        if not is_allowed(Role(entry.role), permission):
            raise StaffRoleRefused(role=entry.role, kind=operation.kind)
        data = operation.data
        policy = OfflinePolicy(
            upload=self.upload,
            operation_id=operation.id,
            sequence=operation.sequence,
            kind=operation.kind,
            occurred_at=operation.occurred_at,
            staff_id=operation.staff_id,
            shift_id=getattr(data, "shift_id", None),
            receipt_sequence=getattr(data, "receipt_sequence", None),
            approved_by=getattr(data, "approved_by", None),
            approved=Approved(
                getattr(data, "approved_amount_minor", None),
                getattr(data, "approved_percent_bps", None),
            ),
        )
        if is_live(operation):
            policy.prints = self._in_time(operation, policy)
        return policy

    def _in_time(self, operation: Any, policy: OfflinePolicy) -> bool:
        """Whether a live close's or refund's paper is still worth printing: it reached us
        within `live_print_seconds` of when it happened. A later one is numbered as online
        but not printed (the customer has gone), and flagged for the venue to know."""
        arrived = self.arrived.get(operation.id, self.upload.received_at)
        if arrived - operation.occurred_at <= self.settings.live_print_window:
            return True
        policy.flag(
            LIVE_LATE_FLAG[operation.kind],
            "order",
            operation.data.order_id,
            occurred_at=operation.occurred_at.isoformat(),
            received_at=arrived.isoformat(),
            print_within_seconds=self.settings.live_print_seconds,
        )
        return False

    async def apply(self, uow: UnitOfWork, operation: Any) -> Applied | Waiting:
        policy = self.policy(operation)
        token = getattr(operation.data, "override_token", None)
        if token is not None:
            if self.keys is None:
                raise OverrideInvalid("Override tokens cannot be verified here.")
            policy.override = OverrideGate(uow.connection, self.keys, self.principal, token)
        till = Till(self.principal, policy)
        handler = getattr(self, "_" + operation.kind.replace(".", "_"))
        result = await handler(uow, till, operation)
        if isinstance(result, Waiting):
            return result
        return Applied(result, policy)

    # -- one per kind ---------------------------------------------------------------------

    async def _shift_open(
        self, uow: UnitOfWork, till: Till, operation: ShiftOpenOperation
    ) -> dict[str, Any]:
        shift, _ = await commands.open_shift(
            uow,
            till,
            shift_id=operation.data.shift_id,
            opening_float_minor=operation.data.opening_float_minor,
        )
        return {"shift_id": str(shift.id), "register_number": shift.register_number}

    async def _order_create(
        self, uow: UnitOfWork, till: Till, operation: OrderCreateOperation
    ) -> dict[str, Any]:
        data = operation.data
        _, sale = await commands.open_order(
            uow,
            till,
            order_id=data.order_id,
            wanted=[line.wanted() for line in data.lines],
            table_name=data.table_name,
            covers=data.covers,
            discount=DiscountIn.priced(data.discount),
            service_charge_bps=data.service_charge_bps,
            tip_minor=data.tip_minor,
            expected_total_minor=data.client_total_minor,
        )
        return {"order_id": str(sale.id), "total_minor": sale.total_minor}

    async def _payment(
        self, uow: UnitOfWork, till: Till, operation: PaymentOperation
    ) -> dict[str, Any]:
        data = operation.data
        if data.tender == "cash":
            assert data.tendered_minor is not None
            payment, sale = await commands.take_cash(
                uow,
                till,
                order_id=data.order_id,
                version=None,
                tendered_minor=data.tendered_minor,
                payment_id=data.payment_id,
            )
            applied = payment.amount_minor if payment else 0
        else:
            assert data.amount_minor is not None
            assert data.card is not None
            card = data.card
            payment, sale = await commands.record_card(
                uow,
                till,
                order_id=data.order_id,
                payment_id=data.payment_id,
                amount_minor=data.amount_minor,
                evidence=CardEvidence(
                    scheme=card.scheme,
                    last4=card.last4,
                    auth_code=card.auth_code,
                    terminal_id=card.terminal_id,
                    authorised_at=card.authorised_at,
                    terminal_reference=card.terminal_reference,
                ),
                uploaded_at=self.upload.received_at,
                max_age_seconds=self.settings.offline_card_max_age_seconds,
            )
            applied = payment.amount_minor
        return {
            "order_id": str(sale.id),
            "payment_id": str(data.payment_id),
            "amount_minor": applied,
        }

    async def _order_close(
        self, uow: UnitOfWork, till: Till, operation: OrderCloseOperation
    ) -> dict[str, Any]:
        data = operation.data
        sale, receipt = await commands.close_order(
            uow,
            till,
            order_id=data.order_id,
            version=None,
            expected_total_minor=data.client_total_minor,
        )
        return {
            "order_id": str(sale.id),
            "receipt_id": str(receipt.id),
            "receipt_number": receipt.number,
            "total_minor": receipt.total_minor,
            **_paper(operation, till),
        }

    async def _refund(
        self, uow: UnitOfWork, till: Till, operation: RefundOperation
    ) -> dict[str, Any] | Waiting:
        data = operation.data
        if await uow.find(data.order_id) is None:
            # Sold at another till that has not uploaded yet: wait for it, as an early
            # operation waits for the gap in its own device's sequence.
            return Waiting(data.order_id)
        done = await commands.refund(
            uow,
            till,
            order_id=data.order_id,
            version=None,
            asked=RefundAsked.of(data),
            reason_code=data.reason_code.value,
            note=data.note,
            refund_id=data.refund_id,
            expected_total_minor=data.client_total_minor,
        )
        # Offline the till refunded the card already: the refund is made, never started.
        assert isinstance(done, commands.Refunded)
        return {
            "order_id": str(data.order_id),
            "refund_id": str(data.refund_id),
            "receipt_id": str(done.receipt.id),
            "receipt_number": done.receipt.number,
            "amount_minor": done.refund.amount_minor,
            "rounding_minor": done.refund.rounding_minor,
            **_paper(operation, till),
        }

    async def _order_void(
        self, uow: UnitOfWork, till: Till, operation: OrderVoidOperation
    ) -> dict[str, Any]:
        data = operation.data
        sale = await commands.void_order(
            uow,
            till,
            order_id=data.order_id,
            version=None,
            reason_code=data.reason_code.value,
            note=data.note,
        )
        return {"order_id": str(sale.id), "status": "voided"}

    async def _cash_movement(
        self, uow: UnitOfWork, till: Till, operation: CashMovementOperation
    ) -> dict[str, Any]:
        data = operation.data
        movement = await commands.move_cash(
            uow,
            till,
            shift_id=data.shift_id,
            kind=data.kind,
            amount_minor=data.amount_minor,
            reason=data.reason,
            movement_id=data.movement_id,
        )
        return {"shift_id": str(data.shift_id), "cash_movement_id": str(movement.id)}

    async def _shift_close(
        self, uow: UnitOfWork, till: Till, operation: ShiftCloseOperation
    ) -> dict[str, Any]:
        data = operation.data
        closing = await commands.close_shift(
            uow,
            till,
            shift_id=data.shift_id,
            version=None,
            counted=TenderAmounts(cash=data.counted.cash, card=data.counted.card),
            note=data.note,
        )
        if closing.superseded or closing.z_report is None:
            return {"shift_id": str(data.shift_id), "already_closed": True}
        return {
            "shift_id": str(data.shift_id),
            "expected": closing.z_report.expected.model_dump(),
            "difference": closing.z_report.difference.model_dump(),
        }


def _paper(operation: Any, till: Till) -> dict[str, Any]:
    """A live close or refund says whether its receipt was queued for printing (an offline
    one never is: the till printed its own)."""
    return {"printed": till.policy.prints} if is_live(operation) else {}


def referenced(operations: list[Any]) -> tuple[set[UUID], set[UUID], set[int]]:
    """The orders, shifts and offline receipt numbers a chunk's operations name: read in
    one query each before any is applied."""
    orders: set[UUID] = set()
    shifts: set[UUID] = set()
    numbers: set[int] = set()
    for operation in operations:
        data = operation.data
        if (order_id := getattr(data, "order_id", None)) is not None:
            orders.add(order_id)
        if (shift_id := getattr(data, "shift_id", None)) is not None:
            shifts.add(shift_id)
        if (sequence := getattr(data, "receipt_sequence", None)) is not None:
            numbers.add(sequence)
    return orders, shifts, numbers
