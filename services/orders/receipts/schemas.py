from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field


class Receipt(BaseModel):
    id: UUID
    number: str = Field(
        description="Register, series and gapless sequence: R1-000123 (numbered by the "
        "server at close) or R1-O-000045 (the register's offline series, numbered by the till)"
    )
    register_id: UUID
    series: Literal["", "O"] = Field(description="'' numbered by the server; 'O' offline")
    sequence: int
    kind: Literal["sale", "refund"]
    order_id: UUID
    shift_id: UUID
    refund_id: UUID | None
    original_receipt_id: UUID | None = Field(description="For a refund: the sale's receipt")
    currency: str
    total_minor: int
    snapshot: dict[str, Any] = Field(
        description="Lines, taxes per rate, payments and totals as they were at issue"
    )
    issued_by: str
    issued_at: datetime


class ReceiptPage(BaseModel):
    items: list[Receipt]
    next_cursor: str | None
