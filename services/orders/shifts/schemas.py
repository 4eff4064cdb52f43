from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from libs.api import json_schema
from libs.sales.shift_report import CashMovementKind, ZReport
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
    card: int = Field(ge=0, le=MAX_CASH_MINOR, description="Card total of the terminal's batch")


class ShiftClose(BaseModel):
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

    version: int | None = Field(
        default=None,
        ge=1,
        description="The shift's version you read. The document requires it; a client that "
        'sends `If-Match: "<version>"` instead may leave it out (both sent must agree)',
    )
    counted: CountedAmounts
    note: Note | None = None

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        def edit(schema: json_schema.JsonSchema) -> None:
            json_schema.require(schema, "version")
            json_schema.refuse_null(schema, ["version"])

        return json_schema.refine(handler, core_schema, edit)


class Shift(BaseModel):
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
    z_report: ZReport


class ShiftPage(BaseModel):
    items: list[Shift]
    next_cursor: str | None = Field(description="Pass as `cursor` to get the next page")


class CashMovement(BaseModel):
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

    version: int
    reason: Literal["close", "late-arrival"]
    issued_by: str
    issued_at: datetime
    report: ZReport
