from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from libs.api.concurrency import VersionedChange
from libs.sales.shift_report import (
    CASH_MOVEMENT_EXAMPLE,
    Z_REPORT_EXAMPLE,
    CashMovementKind,
    ZReport,
)
from libs.text import Note, Reason

# Far above any till's float or count, far below where integer minor units could overflow.
MAX_CASH_MINOR = 100_000_000_00


class ShiftOpen(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"opening_float_minor": 20000}]}, extra="forbid"
    )

    id: UUID | None = Field(
        default=None, description="Client-generated id, for shifts opened offline"
    )
    opening_float_minor: int = Field(
        ge=0, le=MAX_CASH_MINOR, description="Cash in the drawer at opening (minor units)"
    )


class CashMovementCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"kind": "paid_out", "amount_minor": 2500, "reason": "Milk delivery"}]
        },
        extra="forbid",
    )

    kind: CashMovementKind = Field(
        description="paid_in: cash put into the drawer (more change); "
        "paid_out: cash taken out (a delivery paid from the till)"
    )
    amount_minor: int = Field(gt=0, le=MAX_CASH_MINOR)
    reason: Reason = Field(description="Why; on the X and Z reports")


class CountedAmounts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cash: int = Field(ge=0, le=MAX_CASH_MINOR, description="Cash counted in the drawer")
    # A drawer cannot hold negative cash, but a terminal's batch can settle negative: a shift
    # that only refunded cards pays money back to the cards. The lower bound mirrors the upper
    # one (far beyond any batch, far from overflow), so a typo is still refused.
    card: int = Field(
        ge=-MAX_CASH_MINOR,
        le=MAX_CASH_MINOR,
        description="Card total of the terminal's batch (settlement); negative when the shift "
        "refunded more to cards than it took, as the terminal settles it",
    )


class ShiftClose(VersionedChange):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "version": 4,
                    "counted": {"cash": 48550, "card": 61200},
                    "note": "Drawer counted twice",
                }
            ]
        },
        extra="forbid",
    )

    counted: CountedAmounts
    note: Note | None = None


# -- examples ----------------------------------------------------------------------------------
# Sam's shift on register 1 at Harbour Café, Sydney, 7 December 2026: a 200.00 float, 25.00
# paid out for milk, 50 orders (the example order among them), one coffee refunded to a card.
# Expected cash: 20000 + 31100 cash taken - 2500 paid out = 48600; counted 48550 (50c short).
# Expected card: 61720 taken - 520 refunded = 61200, what the terminal's batch says.
SHIFT_EXAMPLE: JsonDict = {
    "id": "e5a9c3f7-1b6d-4e2a-9c8f-3d7b1e5a9c24",
    "register_id": "9b2e5d8a-4f1c-4a7e-8d3b-6e9f2a5c1d74",
    "register_number": 1,
    "location_id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
    "status": "open",
    "opening_float_minor": 20000,
    "opened_by": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
    "opened_at": "2026-12-07T08:15:00+11:00",
    "closed_by": None,
    "closed_at": None,
    "force_closed_by": None,
    "version": 3,
}


class Shift(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [SHIFT_EXAMPLE]})

    id: UUID
    register_id: UUID = Field(description="The device the shift is open on")
    register_number: int = Field(description="R1, R2, ... in receipt numbers")
    location_id: UUID
    status: Literal["open", "closed"]
    opening_float_minor: int
    opened_by: str
    opened_at: datetime
    closed_by: str | None
    closed_at: datetime | None
    force_closed_by: str | None = Field(
        description="The manager who approved closing someone else's shift"
    )
    version: int


class ClosedShift(Shift):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **SHIFT_EXAMPLE,
                    "status": "closed",
                    "closed_by": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
                    "closed_at": "2026-12-07T15:34:50+11:00",
                    "version": 5,
                    "z_report": Z_REPORT_EXAMPLE,
                }
            ]
        }
    )

    z_report: ZReport


class ShiftPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [SHIFT_EXAMPLE], "next_cursor": None}]}
    )

    items: list[Shift]
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page")


class CashMovement(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **CASH_MOVEMENT_EXAMPLE,
                    "id": "a3f9c6e1-7b2d-4e8a-9c5f-4d1b8e6a3c27",
                    "shift_id": "e5a9c3f7-1b6d-4e2a-9c8f-3d7b1e5a9c24",
                    "shift_version": 2,
                }
            ]
        }
    )

    id: UUID
    shift_id: UUID
    kind: CashMovementKind
    amount_minor: int
    reason: str
    created_by: str
    created_at: datetime
    shift_version: int = Field(description="The shift's version after this movement")


class ZReportIssue(BaseModel):
    """One issue of a shift's Z report: version 1 at close, the next ones when sales that
    happened in the shift arrived after it closed."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "version": 1,
                    "reason": "close",
                    "issued_by": "8a3e6c1f-4d9b-4a7e-b2c5-3f8d1a6e9c42",
                    "issued_at": "2026-12-07T15:34:50+11:00",
                    "report": Z_REPORT_EXAMPLE,
                }
            ]
        }
    )

    version: int
    reason: Literal["close", "late-arrival"]
    issued_by: str
    issued_at: datetime
    report: ZReport
