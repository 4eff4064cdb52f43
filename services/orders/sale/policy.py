"""Where the online and the offline sale differ, and nowhere else: the policy a command runs
under.

A command (commands.py) is the same online and offline. What differs is what the server can
check at the moment it runs:

- **When**: online now; offline when it happened at the till (`occurred_at`).
- **The shift**: online the register's open shift; offline the shift the till names (this
  register's; a closed one takes the operation late, and its Z report is issued again).
- **A manager's approval**: online an override token, spent now; offline the manager the
  till names, up to the business's offline approval limit, for review; above it, refused.
  Either way the approval covers at most the amount approved (the token's, or the one the
  till recorded with the manager's name): more is refused (`override-amount-exceeded`).
- **A card**: online the terminal, asked by the server; offline the terminal's evidence,
  unverified until the shift's card settlement matches it.
- **Receipt numbers**: online the register's next; offline the till's own, from the
  register's offline series.
- **A total that does not add up**: online refused; offline kept, and flagged for review
  (the customer has left with the receipt).
- **Paper**: online printed; offline not (the till printed its own).

An uploaded operation from a till that was online (a "live" operation, docs/sync.md) runs
under the offline policy with the online answers where the till could ask: a close or
refund without a receipt number takes the register's next online number (and prints, if it
arrived in time), and an override token it carries is spent by the online gate.

Everything else (who may do what, which venue an order belongs to, prices, tax, limits) is
checked the same way. The actor of every audit row is the verified session: for an upload,
the signed-in uploader at the authenticated device; the staff member and the approver the
till names are recorded as claims.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from uuid import UUID

from libs.audit.append import Actor
from libs.auth.overrides import (
    AMOUNT_ACTIONS,
    APPROVER_ROLES,
    Approved,
    Extent,
    OverrideAction,
    OverrideGate,
    OverrideInvalid,
)
from libs.auth.principal import Principal
from libs.problems import Conflict, PermissionDenied, Problem
from libs.rbac.matrix import Role
from services.orders.sale.repository import Limits, Series, ShiftRef
from services.orders.shifts.service import (
    OpenShiftRequired,
    RegisterRequired,
    ShiftNotFound,
    WrongRegister,
)

# A till's clock this far ahead of ours is flagged (its times are still used).
CLOCK_AHEAD = timedelta(minutes=5)
OFFLINE_SERIES: Series = "O"


class ReceiptNumberTaken(Conflict):
    code = "receipt-number-taken"
    title = "This register's offline receipt number is already used by another receipt"


class OfflineApprovalRequired(PermissionDenied):
    code = "offline-approval-required"
    title = "Online this needs a manager's override; offline it needs the approving manager"


class OfflineApprovalOverLimit(PermissionDenied):
    code = "offline-approval-over-limit"
    title = "This is above what the business lets a till approve offline"


class OfflineApproverRefused(PermissionDenied):
    code = "offline-approver-refused"
    title = "The approver named was not an owner or manager of this venue on the roster then"


@dataclass(frozen=True, slots=True)
class Approval:
    """A manager's approval: an override spent online, or a manager's word offline."""

    approver_id: UUID
    approver_role: str | None
    override_jti: str | None = None
    review_id: UUID | None = None
    # How much was approved (None: no amount was stated, e.g. a force-close).
    approved: Approved = field(default_factory=Approved)

    def payload(self) -> dict[str, Any]:
        return {
            "approved_by": str(self.approver_id),
            "approved_by_role": self.approver_role,
            "override_jti": self.override_jti,
            "approved_amount_minor": self.approved.amount_minor,
            "approved_percent_bps": self.approved.percent_bps,
            "approval": "offline" if self.review_id else "override",
            "offline_approval_id": str(self.review_id) if self.review_id else None,
        }


def extent(
    action: OverrideAction, amount_minor: int, share_of_minor: int | None, roundings: int = 0
) -> Extent | None:
    """What a write does, for the approval to cover: the amount (and for a discount the
    subtotal it is a share of, and how many rounded amounts make it up); None for an action
    that moves no money."""
    if action not in AMOUNT_ACTIONS:
        return None
    return Extent(amount_minor, share_of_minor, roundings)


def receipt_number(register_number: int, sequence: int, series: str = "") -> str:
    """R1-000123 (numbered by the server), R1-O-000045 (the register's offline series)."""
    return f"R{register_number}-{series + '-' if series else ''}{sequence:06d}"


@dataclass(frozen=True, slots=True)
class ApprovalRequest:
    """What an action asks a manager to approve: the action on one resource, whether the
    business's limit makes it needed, and the amount it does (for a discount, also the share of
    what it is taken from and the roundings that may add to it: `extent`)."""

    action: OverrideAction
    resource_type: str
    resource_id: str
    needed: bool
    amount_minor: int
    limits: Limits
    share_of_minor: int | None = None
    roundings: int = 0


class Ledger(Protocol):
    """What a policy needs of the unit of work (unit_of_work.py)."""

    async def shift(self, shift_id: UUID) -> ShiftRef | None: ...
    async def register_shift(self, register_id: UUID) -> ShiftRef | None: ...
    async def limits(self) -> Limits: ...
    async def next_receipt_number(self, shift: ShiftRef) -> tuple[Series, int, str]: ...
    async def offline_receipt_number(self, shift: ShiftRef, sequence: int) -> int: ...


class Policy(Protocol):
    offline: bool
    prints: bool

    @property
    def at(self) -> datetime: ...

    async def shift(self, ledger: Ledger, principal: Principal) -> ShiftRef: ...

    async def approve(self, request: ApprovalRequest) -> Approval | None: ...

    async def receipt_number(self, ledger: Ledger, shift: ShiftRef) -> tuple[Series, int, str]: ...

    def mismatch(
        self, problem: Problem, kind: str, resource_type: str, resource_id: Any, **details: Any
    ) -> None: ...

    def flag(self, kind: str, resource_type: str, resource_id: Any, **details: Any) -> None: ...

    def late(self, shift: ShiftRef) -> None: ...

    def stamp(self, principal: Principal, approval: Approval | None = None) -> dict[str, Any]: ...


async def spend_override(gate: OverrideGate, request: ApprovalRequest) -> Approval:
    """Verify a manager's override token against what the write does and spend it in the
    write's own transaction: the one gate of the online routes and of a live operation."""
    override = await gate.consume(
        action=request.action,
        resource_id=request.resource_id,
        extent=extent(
            request.action, request.amount_minor, request.share_of_minor, request.roundings
        ),
    )
    return Approval(
        override.approver_id,
        override.approver_role.value,
        override.jti,
        approved=override.approved,
    )


def _device_stamp(principal: Principal) -> dict[str, Any]:
    return {"device_id": str(principal.device_id) if principal.device_id else None}


@dataclass(slots=True)
class OnlinePolicy:
    """A request: now, at the caller's register, with override tokens spent now."""

    override: OverrideGate | None = None
    offline = False
    prints = True
    _at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def at(self) -> datetime:
        return self._at

    async def shift(self, ledger: Ledger, principal: Principal) -> ShiftRef:
        if principal.device_id is None or principal.location_id is None:
            raise RegisterRequired("sales are made at a register: sign in on an activated device")
        shift = await ledger.register_shift(principal.device_id)
        if shift is None:
            raise OpenShiftRequired()
        return shift

    async def approve(self, request: ApprovalRequest) -> Approval | None:
        """Above the limit a manager's override for this action on this resource, and for
        at least this amount, is spent; one presented below it is still checked (amount
        included) and spent, so the audit names the approver."""
        presented = self.override is not None and self.override.token is not None
        if not request.needed and not presented:
            return None
        if self.override is None:
            raise OverrideInvalid("Send a manager override token in X-Override-Token.")
        return await spend_override(self.override, request)

    async def receipt_number(self, ledger: Ledger, shift: ShiftRef) -> tuple[Series, int, str]:
        return await ledger.next_receipt_number(shift)

    def mismatch(
        self, problem: Problem, kind: str, resource_type: str, resource_id: Any, **details: Any
    ) -> None:
        raise problem

    def flag(self, kind: str, resource_type: str, resource_id: Any, **details: Any) -> None:
        """Online the server asks, so there is nothing to flag for later."""

    def late(self, shift: ShiftRef) -> None:
        """Online nothing arrives late: a sale is written in an open shift or refused."""

    def stamp(self, principal: Principal, approval: Approval | None = None) -> dict[str, Any]:
        """Who, where and with whose approval: in every audit row of a sale."""
        return {
            **_device_stamp(principal),
            "approved_by": str(approval.approver_id) if approval else None,
            "approved_by_role": approval.approver_role if approval else None,
            "override_jti": approval.override_jti if approval else None,
            "approved_amount_minor": approval.approved.amount_minor if approval else None,
            "approved_percent_bps": approval.approved.percent_bps if approval else None,
        }


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """A staff member as the business's roster knew them (identity.staff)."""

    id: UUID
    role: str
    active: bool
    created_at: datetime
    deactivated_at: datetime | None
    # The venues they work at (None: every venue of the business).
    venues: frozenset[UUID] | None = None

    def works_at(self, location_id: UUID | None) -> bool:
        return self.venues is None or (location_id is not None and location_id in self.venues)

    def on_roster_at(self, moment: datetime) -> bool:
        """Joined before `moment` and had not left by then. (Re-joining clears the date of
        leaving, so a gap between two spells on the roster is not remembered.)"""
        left = self.deactivated_at
        if not self.active and left is None:
            return False
        return self.created_at <= moment and (left is None or moment < left)


@dataclass(frozen=True, slots=True)
class Upload:
    """What one upload's operations share: the device that uploaded it (the till they were
    done at), who was signed in, when it arrived, the roster."""

    principal: Principal
    received_at: datetime
    roster: dict[UUID, RosterEntry]
    offline_card_max_age: timedelta


@dataclass(slots=True)
class OfflinePolicy:
    """One uploaded operation: what the till recorded, checked as far as the server can."""

    upload: Upload
    operation_id: UUID
    sequence: int
    kind: str
    occurred_at: datetime
    staff_id: UUID
    shift_id: UUID | None = None
    receipt_sequence: int | None = None
    approved_by: UUID | None = None
    # What the till recorded as approved with the manager's name (None: not stated).
    approved: Approved = field(default_factory=Approved)
    # A live operation (the till was online): the manager's override token it carries,
    # spent as online, instead of a manager's word.
    override: OverrideGate | None = None
    # A live close or refund that reached us in time: its paper is queued as online.
    prints: bool = False
    offline = True
    flags: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    # Closed shifts this operation added to: their Z reports are issued again.
    late_shifts: set[UUID] = field(default_factory=set)
    # A receipt number below the series' last one: it may fill a gap flagged before.
    backfilled: tuple[ShiftRef, int] | None = None

    def __post_init__(self) -> None:
        if self.occurred_at - self.upload.received_at > CLOCK_AHEAD:
            self.flag(
                "device-clock-ahead",
                "device",
                self.upload.principal.device_id,
                occurred_at=self.occurred_at.isoformat(),
                received_at=self.upload.received_at.isoformat(),
            )

    @property
    def at(self) -> datetime:
        return self.occurred_at

    async def shift(self, ledger: Ledger, principal: Principal) -> ShiftRef:
        """The shift the operation names: this register's. A closed one takes the operation
        anyway (it happened in that shift), and its Z report is issued again."""
        assert self.shift_id is not None, "the operation names its shift"
        shift = await ledger.shift(self.shift_id)
        if shift is None:
            raise ShiftNotFound(shift_id=str(self.shift_id))
        if shift.register_id != principal.device_id:
            raise WrongRegister(register_id=str(shift.register_id))
        self.late(shift)
        return shift

    def late(self, shift: ShiftRef) -> None:
        if shift.status == "closed":
            self.late_shifts.add(shift.id)
            self.flag(
                "late-arrival",
                "shift",
                shift.id,
                closed_at=shift.closed_at.isoformat() if shift.closed_at else None,
                operation_kind=self.kind,
            )

    async def approve(self, request: ApprovalRequest) -> Approval | None:
        """The till could not ask the server for an override. Up to the business's offline
        approval limit, the manager it names (an owner or manager on the roster then) is
        taken at their word, for review; above it, or with no manager named, the operation
        is refused: the till knows the limit and should not have done it. An amount the till
        recorded as approved is checked as a token's is: the operation may do no more.

        A live operation carries the manager's override token instead: it is checked and
        spent exactly as online (presented below the limit too), and needs no offline
        approval, so nothing is flagged or queued for review."""
        if self.override is not None:
            return await spend_override(self.override, request)
        if not request.needed:
            return None
        limit = request.limits.offline_approval_limit_minor
        if self.approved_by is None:
            raise OfflineApprovalRequired(
                action=request.action.value, amount_minor=request.amount_minor
            )
        done = extent(
            request.action, request.amount_minor, request.share_of_minor, request.roundings
        )
        stated = self.approved.amount_minor is not None or self.approved.percent_bps is not None
        if stated:
            self.approved.check(request.action, done)
        if limit == 0 or request.amount_minor > limit:
            raise OfflineApprovalOverLimit(
                f"{request.action.value} of {request.amount_minor} offline; "
                f"the business allows {limit}.",
                action=request.action.value,
                amount_minor=request.amount_minor,
                limit_minor=limit,
            )
        entry = self.upload.roster.get(self.approved_by)
        if (
            entry is None
            or not entry.on_roster_at(self.occurred_at)
            or Role(entry.role) not in APPROVER_ROLES
            or not entry.works_at(self.upload.principal.location_id)
        ):
            raise OfflineApproverRefused(approved_by=str(self.approved_by))
        # One review per operation and action, named by them (a replay names the same one).
        review_id = uuid.uuid5(self.operation_id, request.action.value)
        principal = self.upload.principal
        self.reviews.append(
            {
                "id": review_id,
                "operation_id": self.operation_id,
                "device_id": principal.device_id,
                "location_id": principal.location_id,
                "action": request.action.value,
                "resource_type": request.resource_type,
                "resource_id": request.resource_id,
                "amount_minor": request.amount_minor,
                "limit_minor": limit,
                "claimed_staff_id": self.staff_id,
                "claimed_approver_id": self.approved_by,
                "uploaded_by": principal.subject,
                "occurred_at": self.occurred_at,
            }
        )
        self.flag(
            "offline-approval",
            request.resource_type,
            request.resource_id,
            action=request.action.value,
            approved_by=str(self.approved_by),
            amount_minor=request.amount_minor,
            approved_amount_minor=self.approved.amount_minor,
            approved_percent_bps=self.approved.percent_bps,
            offline_approval_id=str(review_id),
        )
        return Approval(self.approved_by, entry.role, review_id=review_id, approved=self.approved)

    async def receipt_number(self, ledger: Ledger, shift: ShiftRef) -> tuple[Series, int, str]:
        """The number the till printed, in its register's offline series. A number beyond
        the next expected one raises a gap flag for the missing range.

        A live close or refund names no number: the till was online and the receipt takes
        the register's next number in its online series, exactly as online."""
        if self.receipt_sequence is None:
            return await ledger.next_receipt_number(shift)
        sequence = self.receipt_sequence
        last = await ledger.offline_receipt_number(shift, sequence)
        if sequence < last:
            self.backfilled = (shift, sequence)
        if sequence > last + 1:
            self.flag(
                "receipt-gap",
                "register",
                shift.register_id,
                missing_from=receipt_number(shift.register_number, last + 1, OFFLINE_SERIES),
                missing_to=receipt_number(shift.register_number, sequence - 1, OFFLINE_SERIES),
                first_sequence=last + 1,
                last_sequence=sequence - 1,
            )
        return (
            OFFLINE_SERIES,
            sequence,
            receipt_number(shift.register_number, sequence, OFFLINE_SERIES),
        )

    def mismatch(
        self, problem: Problem, kind: str, resource_type: str, resource_id: Any, **details: Any
    ) -> None:
        """The customer has left with the receipt: the server's figures stand, and the
        difference is flagged for review."""
        self.flag(kind, resource_type, resource_id, **details)

    def flag(self, kind: str, resource_type: str, resource_id: Any, **details: Any) -> None:
        self.flags.append(
            {
                "id": uuid.uuid4(),
                "kind": kind,
                "device_id": self.upload.principal.device_id,
                "operation_id": self.operation_id,
                "resource_type": resource_type,
                "resource_id": str(resource_id),
                "details": details,
            }
        )

    def stamp(self, principal: Principal, approval: Approval | None = None) -> dict[str, Any]:
        """In every audit row of an offline operation: the device, when it happened on the
        till and when it reached us, how to find it in the operation log, what the till
        claims (who did it, who approved), and the flags raised."""
        return {
            **_device_stamp(principal),
            **(approval.payload() if approval else {}),
            "offline": {
                "operation_id": str(self.operation_id),
                "sequence": self.sequence,
                "occurred_at": self.occurred_at.isoformat(),
                "received_at": self.upload.received_at.isoformat(),
                "device_id": str(principal.device_id),
                "uploaded_by": principal.subject,
            },
            "claims": {
                "staff_id": str(self.staff_id),
                "approved_by": str(self.approved_by) if self.approved_by else None,
            },
            "flags": [flag["kind"] for flag in self.flags],
        }


def actor(principal: Principal) -> Actor:
    """The actor of a sale's audit rows: always the verified session."""
    return Actor.of(principal)
