"""What a till uploads when the network comes back, and what it gets back per operation.

An operation is something the till already did offline: it carries the till's own id for it
(a UUID), the device's sequence number (1, 2, 3... without gaps, in the order the till did
things), the device-local time it happened (with its UTC offset), the staff member who did
it, and the kind-specific `data`. Prices, taxes and totals are never taken from the till: the
server recomputes them, and a total the till printed that disagrees is kept and flagged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator
from pydantic.config import JsonDict

from libs.sales.shift_report import CashMovementKind
from libs.text import Note, Reason, Reference, TableName
from services.orders.ordering.schemas import MAX_MINOR, Discounted, LineIn, ReasonCode, Strict
from services.orders.refunds.schemas import RefundLineIn, RefundTenderIn

MAX_BATCH = 500
# Omitted (or null) in a close or a refund: the till was online and asks the server for the
# next number of the register's online series ("live", docs/sync.md).
ReceiptSequence = Annotated[
    int | None,
    Field(
        default=None,
        ge=1,
        le=999_999,
        description="The receipt's number in the register's offline series; omit it when "
        "online, and the server numbers the receipt in its online series and prints it",
    ),
]
# The token `POST /v1/auth/overrides` issues, as the online routes take it in
# `X-Override-Token`: a compact JWS, verified and spent by the same gate.
OverrideToken = Annotated[
    str | None,
    Field(
        default=None,
        min_length=1,
        max_length=4096,
        pattern=r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$",
        description="Online: the manager's override token from POST /v1/auth/overrides for "
        "this action on this resource (instead of `approved_by`)",
    ),
]
ClientTotal = Annotated[
    int | None,
    Field(default=None, ge=-MAX_MINOR, le=MAX_MINOR, description="What the till printed"),
]
# What the manager named in `approved_by` approved, as the till recorded it: the operation
# may do no more (checked like an override token's amount; docs/sync.md).
ApprovedAmount = Annotated[
    int | None,
    Field(default=None, ge=0, le=MAX_MINOR, description="The amount the manager approved"),
]


class _Approvable(Strict):
    """An operation a manager may have to approve: online with an override token, offline
    with the manager's name (and what they approved); never both."""

    @model_validator(mode="after")
    def _token_or_name(self) -> _Approvable:
        if getattr(self, "override_token", None) is not None and (
            getattr(self, "approved_by", None) is not None
            or getattr(self, "approved_amount_minor", None) is not None
            or getattr(self, "approved_percent_bps", None) is not None
        ):
            raise ValueError(
                "an override token says who approved what: send it without approved_by "
                "and approved amounts"
            )
        return self


# Where a stored operation stands. One definition for every place that names it: typing
# caches `Literal[...] | None` by equality, which ignores the order of the values, so two
# spellings in different orders would make the OpenAPI document's enum order depend on which
# module happened to be imported first.
OperationState = Literal["applied", "pending", "waiting", "rejected"]


class ShiftOpenData(Strict):
    shift_id: UUID
    opening_float_minor: int = Field(ge=0, le=MAX_MINOR)


class OrderCreateData(_Approvable):
    """An order as the till rang it up: its lines, and what applies to the whole order."""

    order_id: UUID
    shift_id: UUID
    lines: list[LineIn] = Field(min_length=1, max_length=200)
    table_name: TableName | None = None
    covers: int | None = Field(default=None, ge=1, le=1_000)
    discount: Discounted | None = None
    service_charge_bps: int = Field(default=0, ge=0, le=5_000)
    tip_minor: int = Field(default=0, ge=0, le=MAX_MINOR)
    approved_by: UUID | None = Field(
        default=None, description="The manager who approved a discount above the limit"
    )
    override_token: OverrideToken
    approved_amount_minor: ApprovedAmount
    approved_percent_bps: int | None = Field(
        default=None,
        ge=0,
        le=10_000,
        description="Or the discount the manager approved as a share of the subtotal",
    )
    client_total_minor: ClientTotal

    @model_validator(mode="after")
    def _one_approved_amount(self) -> OrderCreateData:
        if self.approved_amount_minor is not None and self.approved_percent_bps is not None:
            raise ValueError("approve the discount as an amount or a percentage, not both")
        return self


class CardDetails(Strict):
    """The terminal's evidence of a card it approved while the till was offline (store and
    forward): without it, a card payment cannot be recorded offline, as it cannot be taken
    online without the terminal. It stays unverified until the shift's card settlement
    matches it (the Z report says so)."""

    scheme: str = Field(min_length=1, max_length=20, pattern=r"^[a-z_]+$")
    last4: str = Field(pattern=r"^[0-9]{4}$")
    auth_code: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9]+$")
    terminal_id: str = Field(
        min_length=1,
        max_length=40,
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="The terminal that approved it",
    )
    authorised_at: AwareDatetime = Field(description="When the terminal approved it")
    terminal_reference: Reference | None = None


class PaymentData(Strict):
    payment_id: UUID
    order_id: UUID
    shift_id: UUID
    tender: Literal["cash", "card"]
    tendered_minor: int | None = Field(default=None, gt=0, le=MAX_MINOR)
    amount_minor: int | None = Field(default=None, gt=0, le=MAX_MINOR)
    card: CardDetails | None = None

    @model_validator(mode="after")
    def _tender_fields(self) -> PaymentData:
        if self.tender == "cash" and (self.tendered_minor is None or self.card is not None):
            raise ValueError("cash takes tendered_minor (and no card)")
        if self.tender == "card" and (self.amount_minor is None or self.card is None):
            raise ValueError("card takes amount_minor and card")
        return self


class OrderCloseData(Strict):
    order_id: UUID
    shift_id: UUID
    receipt_sequence: ReceiptSequence
    client_total_minor: ClientTotal


class RefundData(_Approvable):
    refund_id: UUID
    order_id: UUID
    shift_id: UUID
    reason_code: ReasonCode
    note: Reason | None = None
    lines: list[RefundLineIn] | None = Field(default=None, min_length=1, max_length=200)
    amount_minor: int | None = Field(default=None, gt=0, le=MAX_MINOR)
    tenders: list[RefundTenderIn] | None = Field(default=None, min_length=1, max_length=20)
    receipt_sequence: ReceiptSequence
    approved_by: UUID | None = None
    override_token: OverrideToken
    approved_amount_minor: ApprovedAmount
    client_total_minor: ClientTotal

    @model_validator(mode="after")
    def _lines_or_amount(self) -> RefundData:
        if (self.lines is None) == (self.amount_minor is None):
            raise ValueError("refund either lines or an amount_minor")
        return self


class OrderVoidData(_Approvable):
    order_id: UUID
    reason_code: ReasonCode
    note: Reason | None = None
    approved_by: UUID | None = None
    override_token: OverrideToken
    approved_amount_minor: ApprovedAmount


class CashMovementData(Strict):
    movement_id: UUID
    shift_id: UUID
    kind: CashMovementKind
    amount_minor: int = Field(gt=0, le=MAX_MINOR)
    reason: Reason


class Counted(Strict):
    cash: int = Field(ge=0, le=MAX_MINOR)
    # The terminal's batch settles negative when the shift only refunded cards (see the
    # shift close's CountedAmounts); the drawer's cash cannot be negative.
    card: int = Field(ge=-MAX_MINOR, le=MAX_MINOR)


class ShiftCloseData(_Approvable):
    shift_id: UUID
    counted: Counted
    note: Note | None = None
    approved_by: UUID | None = Field(
        default=None, description="For closing someone else's shift: the approving manager"
    )
    override_token: OverrideToken


class _Operation(Strict):
    id: UUID = Field(description="The till's id for this operation; a replay sends it again")
    sequence: int = Field(ge=1, le=2**53, description="The device's counter: 1, 2, 3...")
    occurred_at: AwareDatetime = Field(description="Device-local time, with its UTC offset")
    staff_id: UUID = Field(description="Who did it: a staff member on the roster at the time")


class ShiftOpenOperation(_Operation):
    kind: Literal["shift.open"]
    data: ShiftOpenData


class OrderCreateOperation(_Operation):
    kind: Literal["order.create"]
    data: OrderCreateData


class PaymentOperation(_Operation):
    kind: Literal["payment"]
    data: PaymentData


class OrderCloseOperation(_Operation):
    kind: Literal["order.close"]
    data: OrderCloseData


class RefundOperation(_Operation):
    kind: Literal["refund"]
    data: RefundData


class OrderVoidOperation(_Operation):
    kind: Literal["order.void"]
    data: OrderVoidData


class CashMovementOperation(_Operation):
    kind: Literal["cash.movement"]
    data: CashMovementData


class ShiftCloseOperation(_Operation):
    kind: Literal["shift.close"]
    data: ShiftCloseData


Operation = Annotated[
    ShiftOpenOperation
    | OrderCreateOperation
    | PaymentOperation
    | OrderCloseOperation
    | RefundOperation
    | OrderVoidOperation
    | CashMovementOperation
    | ShiftCloseOperation,
    Field(discriminator="kind"),
]
KINDS = (
    "shift.open",
    "order.create",
    "payment",
    "order.close",
    "refund",
    "order.void",
    "cash.movement",
    "shift.close",
)


class Batch(BaseModel):
    """Up to 500 operations, in any order. Each one is validated on its own: one that is
    malformed is rejected alone, and the rest go ahead."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "operations": [
                        {
                            "id": "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                            "sequence": 1,
                            "occurred_at": "2026-12-07T08:15:00+11:00",
                            "staff_id": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
                            "kind": "shift.open",
                            "data": {
                                "shift_id": "e5a9c3f7-1b6d-4e2a-9c8f-3d7b1e5a9c24",
                                "opening_float_minor": 20000,
                            },
                        }
                    ]
                }
            ]
        }
    )

    operations: list[dict[str, Any]] = Field(min_length=1, max_length=MAX_BATCH)


# -- examples ----------------------------------------------------------------------------------
# Register 1 at Harbour Café, Sydney, uploading what it did offline: the shift it opened at
# 08:15 (Batch's example), and an order it voided on a manager's word.
SHIFT_OPENED: JsonDict = {
    "id": "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    "sequence": 1,
    "occurred_at": "2026-12-07T08:15:00+11:00",
    "staff_id": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
    "kind": "shift.open",
    "data": {"shift_id": "e5a9c3f7-1b6d-4e2a-9c8f-3d7b1e5a9c24", "opening_float_minor": 20000},
}
SHIFT_OPEN_RESULT: JsonDict = {
    "shift_id": "e5a9c3f7-1b6d-4e2a-9c8f-3d7b1e5a9c24",
    "register_number": 1,
}
SYNC_REGISTER_EXAMPLE: JsonDict = {
    "register_id": "9b2e5d8a-4f1c-4a7e-8d3b-6e9f2a5c1d74",
    "register_number": 1,
    "receipt_prefix": "R1-O",
    "last_offline_receipt_sequence": 45,
    "applied_through": 212,
}
# The till printed 16.50 for an order the server prices at 16.90: the server's total stands.
FLAG_EXAMPLE: JsonDict = {
    "id": "c7e2a9d4-6b1f-4c8e-9a3d-7f5b2e8c1a64",
    "kind": "total-mismatch",
    "device_id": "9b2e5d8a-4f1c-4a7e-8d3b-6e9f2a5c1d74",
    "operation_id": "f2c6a9d3-8e1b-4a5f-b7c4-3e9d6a2f8c15",
    "resource_type": "order",
    "resource_id": "4e7b2d9f-1a6c-4f3e-8b5d-9c2a7e4f1b63",
    "details": {"client_total_minor": 1650, "server_total_minor": 1690, "difference_minor": -40},
    "raised_at": "2026-12-07T08:20:04+11:00",
    "resolved_at": "2026-12-07T16:02:00+11:00",
    "resolved_by": "4c8f1a6d-2e9b-4d3a-a7f5-8b1e4c9d2a37",
    "resolution": "Checked the docket: the till printed last week's price",
}
STORED_OPERATION_EXAMPLE: JsonDict = {
    "id": "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    "device_id": "9b2e5d8a-4f1c-4a7e-8d3b-6e9f2a5c1d74",
    "sequence": 1,
    "kind": "shift.open",
    "staff_id": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
    "occurred_at": "2026-12-07T08:15:00+11:00",
    "received_at": "2026-12-07T08:20:04+11:00",
    "uploaded_by": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
    "status": "applied",
    "content": SHIFT_OPENED,
    "result": SHIFT_OPEN_RESULT,
    "settled_at": "2026-12-07T08:20:04+11:00",
    "waiting_for": None,
}
# An order voided offline on Priya's word, within the business's 50.00 offline limit, that
# she confirmed afterwards.
OFFLINE_APPROVAL_EXAMPLE: JsonDict = {
    "id": "e3f8b2d6-9a4c-4e1f-b5a7-2d6c9f3e8b15",
    "operation_id": "b8d4f1a7-3c9e-4b2d-a6f8-5e1c7b3d9a42",
    "device_id": "9b2e5d8a-4f1c-4a7e-8d3b-6e9f2a5c1d74",
    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
    "action": "void",
    "resource_type": "order",
    "resource_id": "4e7b2d9f-1a6c-4f3e-8b5d-9c2a7e4f1b63",
    "amount_minor": 1040,
    "limit_minor": 5000,
    "claimed_staff_id": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
    "claimed_approver_id": "4c8f1a6d-2e9b-4d3a-a7f5-8b1e4c9d2a37",
    "uploaded_by": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
    "occurred_at": "2026-12-07T08:17:30+11:00",
    "raised_at": "2026-12-07T08:20:04+11:00",
    "status": "confirmed",
    "reviewed_by": "4c8f1a6d-2e9b-4d3a-a7f5-8b1e4c9d2a37",
    "reviewed_at": "2026-12-07T16:05:00+11:00",
    "note": "Confirmed with Sam at the end of the shift",
}


class ItemResult(BaseModel):
    """What came of one uploaded operation.

    - `accepted`: stored for the first time. `state` is `applied` (it is in the books),
      `pending` (it waits for the device's earlier operations: `waiting_for`), or `rejected`
      (stored, and refused by a rule: `problem`), or `waiting` (a refund of a sale another
      till has not uploaded yet: `waiting_for_order`).
    - `duplicate`: this id was uploaded before with the same content; the original outcome.
    - `rejected`: not stored (an id reused with other content, or not an operation at all).
    Drop an operation from the queue on anything but `pending`.
    """

    id: UUID | None
    sequence: int | None
    status: Literal["accepted", "duplicate", "rejected"]
    state: OperationState | None = None
    result: dict[str, Any] | None = None
    problem: dict[str, Any] | None = None
    waiting_for: int | None = Field(
        default=None, description="The device's next sequence the server has not received"
    )
    waiting_for_order: UUID | None = Field(
        default=None,
        description="`waiting`: a refund of a sale another till has not uploaded yet; it is "
        "applied when that order arrives (the device's later operations do not wait for it)",
    )
    flags: list[str] = Field(default_factory=list)


class BatchResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "device_id": "9b2e5d8a-4f1c-4a7e-8d3b-6e9f2a5c1d74",
                    "applied_through": 1,
                    "received_at": "2026-12-07T08:20:04+11:00",
                    "held": None,
                    "items": [
                        {
                            "id": "a1b2c3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                            "sequence": 1,
                            "status": "accepted",
                            "state": "applied",
                            "result": SHIFT_OPEN_RESULT,
                            "problem": None,
                            "waiting_for": None,
                            "waiting_for_order": None,
                            "flags": [],
                        }
                    ],
                }
            ]
        }
    )

    device_id: UUID
    applied_through: int = Field(description="Every sequence up to this one is settled")
    received_at: datetime
    held: str | None = Field(
        default=None,
        description="`subscription-read-only`: the business's subscription has ended; the "
        "batch was stored and waits (`pending`) until it is renewed, then the next upload "
        "applies it",
    )
    items: list[ItemResult]


class SyncRegister(BaseModel):
    """The till's register and its offline receipt series."""

    model_config = ConfigDict(json_schema_extra={"examples": [SYNC_REGISTER_EXAMPLE]})

    register_id: UUID
    register_number: int
    receipt_prefix: str = Field(description="Offline receipts are numbered <prefix>-000001...")
    last_offline_receipt_sequence: int
    applied_through: int


class SyncStatus(SyncRegister):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{**SYNC_REGISTER_EXAMPLE, "pending": [214, 215], "waiting_for": 213}]
        }
    )

    pending: list[int] = Field(description="Sequences received and waiting for earlier ones")
    waiting_for: int | None


class Flag(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [FLAG_EXAMPLE]})

    id: UUID
    kind: str
    device_id: UUID
    operation_id: UUID | None
    resource_type: str
    resource_id: str
    details: dict[str, Any]
    raised_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None
    resolution: str | None


class FlagPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [FLAG_EXAMPLE], "next_cursor": None}]}
    )

    items: list[Flag]
    next_cursor: str | None


class FlagResolve(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"resolution": "Checked the docket: the till printed last week's price"}]
        }
    )

    resolution: Note = Field(description="What was found and done")


class StoredOperation(BaseModel):
    id: UUID
    device_id: UUID
    sequence: int
    kind: str
    staff_id: UUID | None
    occurred_at: datetime | None
    received_at: datetime
    uploaded_by: str
    status: Literal["pending", "waiting", "applied", "rejected"]
    content: dict[str, Any]
    result: dict[str, Any] | None
    settled_at: datetime | None
    waiting_for: UUID | None = None


class OperationPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [STORED_OPERATION_EXAMPLE], "next_cursor": None}]}
    )

    items: list[StoredOperation]
    next_cursor: str | None


class OfflineApproval(BaseModel):
    """An action a till did offline on a manager's word (a void, refund, discount or
    force-close that needs an override online), for a manager to confirm or dispute."""

    model_config = ConfigDict(json_schema_extra={"examples": [OFFLINE_APPROVAL_EXAMPLE]})

    id: UUID
    operation_id: UUID
    device_id: UUID
    location_id: UUID
    action: Literal["void", "refund", "discount", "shift_force_close"]
    resource_type: str
    resource_id: str
    amount_minor: int
    limit_minor: int = Field(description="The business's offline approval limit then")
    claimed_staff_id: UUID = Field(description="Who the till says did it (a claim)")
    claimed_approver_id: UUID = Field(description="Who the till says approved it (a claim)")
    uploaded_by: str = Field(description="Who was signed in at the till when it was uploaded")
    occurred_at: datetime
    raised_at: datetime
    status: Literal["pending", "confirmed", "disputed"]
    reviewed_by: str | None
    reviewed_at: datetime | None
    note: str | None


class OfflineApprovalPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [OFFLINE_APPROVAL_EXAMPLE], "next_cursor": None}]}
    )

    items: list[OfflineApproval]
    next_cursor: str | None


class ApprovalReview(Strict):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"note": "Confirmed with Sam at the end of the shift"}]}
    )

    note: Note | None = None


class ApprovalDispute(Strict):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"note": "No manager was on shift that morning"}]}
    )

    note: Note = Field(description="What was wrong, for the record")
